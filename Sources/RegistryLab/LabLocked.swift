import Foundation

/// A value guarded by a lock, so the lab's `Sendable` classes can keep mutable state.
///
/// The lab runs on plain threads (one per connection) as well as in async code, so an
/// actor would not fit: the connection threads must read and update state synchronously.
/// `NSLock` keeps the module within Foundation.
final class LabLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access. Never call back into the same `LabLocked` from `body`.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
