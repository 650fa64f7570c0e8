#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A minimal server on 127.0.0.1 shared by the token server and the fault proxy.
///
/// Design, chosen for being small and easy to reason about rather than fast:
/// - blocking POSIX sockets, one `Thread` per accepted connection;
/// - the handler owns the connection for its lifetime and serves **one request**, answering with
///   `Connection: close` (both users do); the server closes the socket when the handler returns.
///   Keep-alive is never offered, so every client request costs a connect — cheap on loopback —
///   and request boundaries stay trivially correct;
/// - reads time out after `idleTimeout` seconds so an abandoned client cannot pin a thread;
/// - `stop()` shuts down the listening socket and every open connection, which wakes the blocked
///   threads, then waits (bounded) for them to finish.
final class LoopbackHTTPServer: Sendable {
    /// The port the server listens on, on 127.0.0.1.
    let port: UInt16
    private let sockets: OpenSockets

    /// Handlers get the accepted connection and the server's socket registry, with which they can
    /// register sockets they open themselves (e.g. upstream connections) so that `stop()` reaches them.
    typealias Handler = @Sendable (SocketConnection, OpenSockets) -> Void

    /// Starts listening at once on a kernel-chosen port; `handler` runs on its own thread per connection.
    init(name: String, idleTimeout: Int = 120, handler: @escaping Handler) throws {
        let (fd, port) = try Loopback.listen()
        let sockets = OpenSockets(listenFD: fd)
        self.port = port
        self.sockets = sockets
        let thread = Thread {
            LoopbackHTTPServer.acceptLoop(sockets: sockets, idleTimeout: idleTimeout, handler: handler)
        }
        thread.name = "\(name) accept"
        thread.start()
    }

    private static func acceptLoop(sockets: OpenSockets, idleTimeout: Int, handler: @escaping Handler) {
        defer { sockets.acceptLoopFinished() }
        while true {
            let fd = accept(sockets.listenFD, nil, nil)
            if fd < 0 {
                let code = errno
                if sockets.isStopped { return }
                if code == EINTR || code == ECONNABORTED { continue }
                // Out of descriptors or similar: back off instead of spinning.
                usleep(10_000)
                continue
            }
            guard sockets.track(fd) else {
                close(fd)
                return
            }
            Loopback.setReceiveTimeout(fd, seconds: idleTimeout)
            Thread.detachNewThread {
                handler(SocketConnection(fd: fd), sockets)
                sockets.release(fd)
            }
        }
    }

    /// Stops accepting, interrupts every open connection and waits up to 5 s for the threads to wind down. Idempotent.
    func stop() {
        sockets.stopAll()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !sockets.isIdle {
            usleep(5_000)
        }
    }
}

/// The descriptors a `LoopbackHTTPServer` has open, so `stop()` can interrupt every blocked thread.
final class OpenSockets: Sendable {
    let listenFD: Int32
    private let state = LabLocked(State())

    private struct State {
        var stopped = false
        var acceptLoopRunning = true
        var open: Set<Int32> = []
    }

    init(listenFD: Int32) {
        self.listenFD = listenFD
    }

    var isStopped: Bool { state.withLock { $0.stopped } }
    var isIdle: Bool { state.withLock { !$0.acceptLoopRunning && $0.open.isEmpty } }

    /// Registers a descriptor; false (and the caller must close it) once the server is stopping.
    func track(_ fd: Int32) -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            state.open.insert(fd)
            return true
        }
    }

    /// Closes a registered descriptor. Removal and close happen under the lock so `stopAll()` never
    /// shuts down a descriptor number that has been closed and reused meanwhile.
    func release(_ fd: Int32) {
        state.withLock { state in
            if state.open.remove(fd) != nil {
                close(fd)
            }
        }
    }

    /// The listening socket is closed by the accept thread, not by `stopAll()`, so its number cannot
    /// be reused by someone else while that thread might still call accept() on it.
    func acceptLoopFinished() {
        close(listenFD)
        state.withLock { $0.acceptLoopRunning = false }
    }

    func stopAll() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            // shutdown() (unlike close()) wakes a thread blocked in accept() or recv() on Linux.
            shutdown(listenFD, Int32(SHUT_RDWR))
            for fd in state.open {
                shutdown(fd, Int32(SHUT_RDWR))
            }
        }
    }
}
