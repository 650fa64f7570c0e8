/// Ordering of the lab's bundle versions, `MAJOR.MINOR.PATCH[-PRERELEASE]`: by the numbers, then a
/// release above its pre-releases, pre-releases by their text (enough for `rc.1` < `rc.2`).
enum SemanticVersion {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        func parts(_ text: String) -> (numbers: [Int], prerelease: String?) {
            let halves = text.split(separator: "-", maxSplits: 1)
            return (halves[0].split(separator: ".").map { Int($0) ?? 0 }, halves.count > 1 ? String(halves[1]) : nil)
        }
        let left = parts(lhs), right = parts(rhs)
        if left.numbers != right.numbers { return left.numbers.lexicographicallyPrecedes(right.numbers) }
        switch (left.prerelease, right.prerelease) {
        case let (a?, b?): return a < b
        case (.some, nil): return true
        default: return false
        }
    }
}
