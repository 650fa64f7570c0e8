/// Planned images waiting to be copied, handed out largest first.
///
/// Planners `add` what they planned and call `planned()` once per image, copy or not; copiers
/// call `next()`, which waits while planning goes on and returns nil when everything planned has
/// been handed out. Copiers wait only while nothing is ready, so a ready plan never waits.
actor PlanQueue {
    private var ready: [(index: Int, plan: ImagePlan)] = []
    private var outstanding: Int
    private var waiting: [CheckedContinuation<(Int, ImagePlan)?, Never>] = []

    init(outstanding: Int) {
        self.outstanding = outstanding
    }

    func add(index: Int, plan: ImagePlan) {
        if waiting.isEmpty {
            ready.append((index, plan))
        } else {
            waiting.removeFirst().resume(returning: (index, plan))
        }
    }

    /// One more image is planned (whether it needs copying or not).
    func planned() {
        outstanding -= 1
        if outstanding == 0 {
            for copier in waiting { copier.resume(returning: nil) }
            waiting.removeAll()
        }
    }

    /// The largest ready plan (ties: list order), or nil once planning is over and nothing is left.
    func next() async -> (Int, ImagePlan)? {
        if let best = ready.indices.max(by: { (ready[$0].plan.bytes, ready[$1].index) < (ready[$1].plan.bytes, ready[$0].index) }) {
            return ready.remove(at: best)
        }
        if outstanding == 0 { return nil }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
