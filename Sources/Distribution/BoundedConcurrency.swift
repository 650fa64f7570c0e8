/// Runs `body` for every element with at most `limit` running at once (a sliding window:
/// a new one starts as soon as one finishes). The first error cancels the rest and is thrown.
public func forEachConcurrently<Element: Sendable>(_ elements: [Element], limit: Int,
                                            _ body: @escaping @Sendable (Element) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var iterator = elements.makeIterator()
        for _ in 0..<max(1, limit) {
            guard let next = iterator.next() else { break }
            group.addTask { try await body(next) }
        }
        while try await group.next() != nil {
            if let next = iterator.next() { group.addTask { try await body(next) } }
        }
    }
}
