import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM while a command runs. The first stops the run cleanly: `stop` cancels its
/// task, so transfers end within seconds, nothing more is pushed, and the command reports what
/// landed and writes its log. A second signal exits at once (the workspace is then as after a
/// kill: every file in it is written atomically and its lock goes with the process).
///
/// The signal handler itself decides: it counts signals, exits on the second (a `write` and
/// `_exit`, both safe in a handler) and hands the first to a Dispatch source through a pipe,
/// where the clean stop begins. Deciding in the handler keeps "at once" true however busy the
/// machine is: a second signal never waits behind a thread that has yet to be scheduled.
final class Interruption: @unchecked Sendable {
    /// Read only on the Dispatch queue and in `uninstall`.
    private let source: any DispatchSourceRead
    private let pipe: (read: Int32, write: Int32)
    private let received: Received

    private final class Received: Sendable {
        let first = Mutex<Int32?>(nil)
    }

    /// The signal that stopped the run, if one did.
    var signal: Int32? { received.first.withLock { $0 } }

    /// The exit status a shell gives a process ended by the signal (130, 143).
    var exitCode: Int32? { signal.map { 128 + $0 } }

    var signalName: String { signal.map(Self.name) ?? "" }

    /// Starts listening; `stop` is called once, on the first signal.
    init(stop: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [-1, -1]
        _ = Foundation.pipe(&fds)
        pipe = (fds[0], fds[1])
        let received = Received()
        self.received = received
        // Everything the handler touches exists before a handler is installed.
        signalCount.store(0, ordering: .sequentiallyConsistent)
        wakeDescriptor.store(fds[1], ordering: .sequentiallyConsistent)
        _ = exitMessages.count
        let source = DispatchSource.makeReadSource(fileDescriptor: fds[0], queue: .global())
        let readEnd = fds[0]
        source.setEventHandler {
            var number: UInt8 = 0
            guard Foundation.read(readEnd, &number, 1) == 1 else { return }
            let signal = Int32(number)
            let first = received.first.withLock { state -> Bool in
                guard state == nil else { return false }
                state = signal
                return true
            }
            guard first else { return }
            Self.say("\n\(Self.name(signal)): stopping; in-flight transfers are cancelled and what landed is reported "
                + "(send it again to exit at once)\n")
            stop()
        }
        source.resume()
        self.source = source
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in onSignal(number) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for number in [SIGINT, SIGTERM] { sigaction(number, &action, nil) }
    }

    /// Restores the default actions once the command has finished.
    func uninstall() {
        for number in [SIGINT, SIGTERM] { Foundation.signal(number, SIG_DFL) }
        wakeDescriptor.store(-1, ordering: .sequentiallyConsistent)
        source.cancel()
        close(pipe.write)
        close(pipe.read)
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }

    private static func say(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

// What the signal handler uses: atomics and bytes made before it is installed (no allocation,
// no lock, no lazy initialisation inside the handler).
private let signalCount = Atomic<Int>(0)
private let wakeDescriptor = Atomic<Int32>(-1)
private let exitMessages: [[UInt8]] = [SIGINT, SIGTERM].map {
    Array("\n\(Interruption.name($0)): a second signal: exiting now; run again to finish\n".utf8)
}

private func onSignal(_ number: Int32) {
    let count = signalCount.add(1, ordering: .sequentiallyConsistent).newValue
    if count >= 2 {
        exitMessages[number == SIGINT ? 0 : 1].withUnsafeBufferPointer { bytes in
            _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
        }
        _exit(128 + number)
    }
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(wakeDescriptor.load(ordering: .sequentiallyConsistent), &byte, 1)
}
