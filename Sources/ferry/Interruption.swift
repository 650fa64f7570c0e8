import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM while a command runs. The first stops the run cleanly: `stop` cancels its
/// task, so transfers end within seconds, nothing more is pushed, and the command reports what
/// landed and writes its log. A second signal exits at once (the workspace is then as after a
/// kill: every file in it is written atomically and its lock goes with the process).
final class Interruption: @unchecked Sendable {
    /// Signal sources are only created, resumed and cancelled here; `received` is the shared state.
    private let sources: [any DispatchSourceSignal]
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
        var sources: [any DispatchSourceSignal] = []
        let received = Received()
        for number in [SIGINT, SIGTERM] {
            // Dispatch sees the signal only once the default action (ending the process) is off.
            // The handler holds its source; `uninstall` cancels it, which releases the handler.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [source] in
                // Signals that arrive together are coalesced: `data` counts them.
                let count = source.data
                let first = received.first.withLock { state -> Bool in
                    guard state == nil else { return false }
                    state = number
                    return true
                }
                if first && count < 2 {
                    Self.say("\n\(Self.name(number)): stopping; in-flight transfers are cancelled and what landed is reported "
                        + "(send it again to exit at once)\n")
                    stop()
                } else {
                    Self.say("\n\(Self.name(number)): a second signal: exiting now; run again to finish\n")
                    _exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.received = received
    }

    /// Restores the default actions once the command has finished.
    func uninstall() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM] { Foundation.signal(number, SIG_DFL) }
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
