/// Ordering of `MAJOR.MINOR.PATCH` versions (the lab's are all plain releases).
enum SemanticVersion {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: ".").map { Int($0) ?? 0 }
        let right = rhs.split(separator: ".").map { Int($0) ?? 0 }
        return left.lexicographicallyPrecedes(right)
    }
}
