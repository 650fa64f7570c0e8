import Synchronization

/// Waiting for an unstructured task without being held by it.
///
/// `await task.value` ignores the waiter's cancellation: an image past `--image-timeout`, or a
/// run being stopped, would wait for a shared blob transfer to finish however slowly it drips.
/// These waits end at once when the waiter is cancelled.
enum CancellableWait {
    /// The continuation to resume once, by whichever comes first: the task's end or the
    /// waiter's cancellation.
    private final class Waiter<T: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let cancelled = Mutex(false)

        func resume(with result: Result<T, any Error>) {
            continuation.withLock { $0.take() }?.resume(with: result)
        }
    }

    /// The task's result, or `CancellationError` as soon as the caller is cancelled. With
    /// `cancellingTask`, the caller owns the task and cancels it too (its transfer stops).
    static func value<T: Sendable>(of task: Task<T, any Error>, cancellingTask: Bool) async throws -> T {
        let waiter = Waiter<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                waiter.continuation.withLock { $0 = continuation }
                // Cancelled before the continuation was stored: the handler found nothing to resume.
                if waiter.cancelled.withLock({ $0 }) {
                    waiter.resume(with: .failure(CancellationError()))
                    return
                }
                Task {
                    let result = await task.result
                    waiter.resume(with: result)
                }
            }
        } onCancel: {
            waiter.cancelled.withLock { $0 = true }
            if cancellingTask { task.cancel() }
            waiter.resume(with: .failure(CancellationError()))
        }
    }
}
