/// Work given up after a time limit (`--image-timeout` for the images read while collecting: a
/// catalog, a release payload, a bundle), its requests cancelled, as the copier gives up an image.
public struct TimeLimitExceeded: Error, Sendable, CustomStringConvertible {
    public var limit: Duration

    public var description: String { "gave up after the image timeout of \(limit) (--image-timeout)" }
}

/// Runs `operation`, cancelled once `limit` has passed (nil: no limit).
/// - Throws: ``TimeLimitExceeded`` past the limit; otherwise what `operation` throws.
public func withTimeLimit<T: Sendable>(_ limit: Duration?, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await operation() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        // The first to end decides: a result, an error, or the sleep (nil) when the limit passed.
        guard let first = try await group.next(), let value = first else { throw TimeLimitExceeded(limit: limit) }
        return value
    }
}
