import Synchronization

/// A counter shared between the transfer thread and whoever reports progress.
public final class ByteCounter: Sendable {
    private let value = Atomic<Int64>(0)

    public init() {}

    public func add(_ n: Int64) { value.add(n, ordering: .relaxed) }

    public var total: Int64 { value.load(ordering: .relaxed) }
}
