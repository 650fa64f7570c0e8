import Synchronization
import Transport

/// What a run has learnt about one registry host: whether it ever answered, and whether it is
/// down, that is, its name did not resolve or nothing accepted the connection after the retries.
///
/// A down host gets no more requests in the run: every later operation on it fails at once
/// with the same error, so a dry-run over hundreds of images from a mistyped host ends in
/// seconds, with one hint, instead of waiting out the retries image after image.
final class HostHealth: Sendable {
    private struct State {
        var answered = false
        var down: RegistryError?
    }

    private let state = Mutex(State())

    /// The error every operation on the host fails with, once it is down.
    var down: RegistryError? { state.withLock { $0.down } }

    /// Whether any request to the host got an HTTP answer in this run.
    var hasAnswered: Bool { state.withLock { $0.answered } }

    func noteAnswer() {
        state.withLock { if !$0.answered { $0.answered = true } }
    }

    /// Marks the host down with `error`, unless it already is; returns the error in force, so
    /// concurrent failures all report the same one.
    func markDown(_ error: RegistryError) -> RegistryError {
        state.withLock { state in
            if let down = state.down { return down }
            state.down = error
            return error
        }
    }
}
