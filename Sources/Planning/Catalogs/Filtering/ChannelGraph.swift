/// The upgrade graph of one channel: its entries as nodes, an edge from each entry to the entry
/// it `replaces` and to each entry it `skips`. Edges to bundles that are not entries of the
/// channel are ignored, as OLM ignores them within a channel.
///
/// Building it checks what oc-mirror's catalog filter checks (`newChannel`): entries are unique,
/// none replaces or skips itself, exactly one entry has no incoming edge (the head), and the
/// graph has no cycle.
struct ChannelGraph: Sendable {
    /// What is wrong with a channel's graph; several at once.
    struct Problems: Error, Sendable {
        var messages: [String]
    }

    let entries: [OLMChannel.Entry]
    let indexByName: [String: Int]
    /// The entry each one replaces, if that is an entry of the channel.
    let replaces: [Int?]
    /// The entries each one skips that are entries of the channel, in the order written.
    let skips: [[Int]]
    /// The one entry nothing replaces or skips.
    let head: Int

    init(_ entries: [OLMChannel.Entry]) throws(Problems) {
        guard !entries.isEmpty else { throw Problems(messages: ["the channel has no entries"]) }
        var problems: [String] = []
        var indexByName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if indexByName[entry.name] != nil {
                problems.append("duplicate channel entry \(quoted(entry.name))")
            } else {
                indexByName[entry.name] = index
            }
        }
        var replaces: [Int?] = []
        var skips: [[Int]] = []
        var incoming = [Int](repeating: 0, count: entries.count)
        for entry in entries {
            if entry.replaces == entry.name { problems.append("channel entry \(quoted(entry.name)) replaces itself") }
            if entry.skips.contains(entry.name) { problems.append("channel entry \(quoted(entry.name)) skips itself") }
            let replaced = entry.replaces.flatMap { indexByName[$0] }
            replaces.append(replaced)
            let skipped = entry.skips.compactMap { indexByName[$0] }
            skips.append(skipped)
            // An entry both replaced and skipped by the same entry has one incoming edge from it.
            for target in Set((replaced.map { [$0] } ?? []) + skipped) { incoming[target] += 1 }
        }
        let heads = entries.indices.filter { incoming[$0] == 0 && indexByName[entries[$0].name] == $0 }
        if heads.isEmpty {
            problems.append("no channel head found (every entry is replaced or skipped by another: a cycle)")
        } else if heads.count > 1 {
            problems.append("multiple channel heads found: " + heads.map { entries[$0].name }.sorted().joined(separator: ", "))
        }
        guard problems.isEmpty, let head = heads.first else { throw Problems(messages: problems) }

        // Kahn's topological sort from the head: entries never freed sit on a cycle.
        var remaining = incoming
        var queue = [head]
        var visited = 0
        while let current = queue.popLast() {
            visited += 1
            for target in Set((replaces[current].map { [$0] } ?? []) + skips[current]) {
                remaining[target] -= 1
                if remaining[target] == 0 { queue.append(target) }
            }
        }
        if visited < indexByName.count {
            let stuck = entries.indices.filter { remaining[$0] > 0 }.map { entries[$0].name }.sorted()
            throw Problems(messages: ["a cycle in the upgrade graph through " + stuck.joined(separator: ", ")])
        }

        self.entries = entries
        self.indexByName = indexByName
        self.replaces = replaces
        self.skips = skips
        self.head = head
    }

    /// The entries an entry has edges to: what it replaces, then what it skips.
    func successors(of index: Int) -> [Int] {
        (replaces[index].map { [$0] } ?? []) + skips[index]
    }

    /// The replaces chain from `start` down: start, what it replaces, what that replaces, ….
    func replacesChain(from start: Int) -> [Int] {
        var chain = [start]
        var current = start
        while let next = replaces[current] {
            chain.append(next)
            current = next
        }
        return chain
    }

    /// Every entry reachable from `start` through edges, `start` excluded.
    func descendants(of start: Int) -> Set<Int> {
        var seen: Set<Int> = []
        var stack = successors(of: start)
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += successors(of: next) }
        }
        return seen
    }

    /// A shortest path of edges from `start` to `target` (both included), successors tried in
    /// the order written; nil if `target` cannot be reached.
    func path(from start: Int, to target: Int) -> [Int]? {
        var previous: [Int: Int] = [start: start]
        var queue = [start]
        var position = 0
        while position < queue.count {
            let current = queue[position]
            position += 1
            if current == target {
                var path = [target]
                while path.last != start { path.append(previous[path.last!]!) }
                return path.reversed()
            }
            for next in successors(of: current) where previous[next] == nil {
                previous[next] = current
                queue.append(next)
            }
        }
        return nil
    }
}
