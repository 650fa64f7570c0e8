import Foundation

/// An HTTP proxy in front of one plain-HTTP lab registry that injects faults on demand.
///
/// Every request is forwarded to the registry unless a `FaultRule` says otherwise. The design
/// favours being obviously correct over speed:
/// - one request per client connection: the request goes to a **fresh upstream connection** with
///   `Connection: close`, and the response is copied back until the registry closes — so no
///   response framing has to be understood, and the client sees `Connection: close` too;
/// - bodies stream both ways through a 64 KiB buffer, so multi-hundred-megabyte blobs are fine;
/// - `Host` is set to the registry's own host, and absolute `Location` headers naming the registry
///   are rewritten to the proxy's host, so clients that follow them keep going through the proxy;
/// - `Expect: 100-continue` is answered by the proxy itself (and not forwarded), so clients such
///   as libcurl do not stall waiting for a `100` that the upstream would send too late.
///
/// Offsets in `cutResponseBody` and `corruptResponseBody` count bytes after the response head as
/// they travel on the wire; registries send blobs and manifests with `Content-Length`, where that
/// is exactly the body.
public final class FaultProxy: Sendable {
    /// `127.0.0.1:PORT` of the proxy.
    public let host: String
    /// The registry requests are forwarded to.
    public let upstream: LabRegistry
    private let server: LoopbackHTTPServer
    private let state: LabLocked<State>

    /// `http://host` of the proxy; use it where the registry's `baseURL` would go.
    public var baseURL: String { "http://\(host)" }

    private struct State {
        var rules: [FaultRule] = []
        var faults = 0
        var log: [Record] = []
    }

    private struct Record {
        var method: String
        var path: String
        var status: Int
    }

    private struct Context: Sendable {
        var upstreamPort: UInt16
        var upstreamHost: String
        var state: LabLocked<State>
        var proxyHost: LabLocked<String>
    }

    init(upstream: LabRegistry) throws {
        guard upstream.scheme == "http" else {
            throw LabError.unsupported("the fault proxy forwards to plain-HTTP registries only (\(upstream.baseURL))")
        }
        let state = LabLocked(State())
        // The proxy learns its own port only after the server is listening; requests cannot
        // arrive before anyone knows the port, so filling it in right after is race-free.
        let proxyHost = LabLocked("")
        let context = Context(upstreamPort: UInt16(upstream.port), upstreamHost: upstream.host,
                              state: state, proxyHost: proxyHost)
        let server = try LoopbackHTTPServer(name: "FaultProxy") { connection, sockets in
            FaultProxy.serve(connection, sockets: sockets, context: context)
        }
        let host = "127.0.0.1:\(server.port)"
        proxyHost.withLock { $0 = host }
        self.host = host
        self.upstream = upstream
        self.server = server
        self.state = state
    }

    /// Adds a rule after those already present. Safe to call while requests are in flight.
    public func add(_ rule: FaultRule) {
        state.withLock { $0.rules.append(rule) }
    }

    /// Drops every rule, spent or not.
    public func removeAllRules() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Every request seen so far, in the order their responses started: method, target (path plus
    /// query) and the status the client was sent — 0 when the connection was closed without one.
    public func requests() -> [(method: String, path: String, status: Int)] {
        state.withLock { $0.log.map { ($0.method, $0.path, $0.status) } }
    }

    /// How many requests a rule has applied to.
    public var faultsInjected: Int { state.withLock { $0.faults } }

    /// Stops listening and interrupts every open connection. Idempotent.
    public func stop() {
        server.stop()
    }

    // MARK: - One connection (runs on its own thread)

    private static func serve(_ client: SocketConnection, sockets: OpenSockets, context: Context) {
        // A request whose client (or upstream) goes away mid-message is logged with status 0 too:
        // a test counting attempts must see a retry whose body never finished.
        var unanswered: WireRequestHead?
        do {
            guard let headBytes = try client.readHead() else { return }
            let request = try WireRequestHead(bytes: headBytes)
            unanswered = request
            let framing = try request.bodyFraming
            let action = context.state.withLock { state -> FaultRule.Action? in
                guard let index = state.rules.firstIndex(where: {
                    $0.matches(method: request.method, target: request.target)
                }) else { return nil }
                state.rules[index].times -= 1
                state.faults += 1
                return state.rules[index].action
            }
            func record(_ status: Int) {
                unanswered = nil
                context.state.withLock {
                    $0.log.append(Record(method: request.method, path: request.target, status: status))
                }
            }

            switch action {
            case .status(let status, let headers, let body)?:
                // A client waiting for 100 Continue will not send its body after a final answer.
                if !request.expectsContinue { try client.copyBody(framing) { _ in } }
                record(status)
                try client.writeResponse(status: status, headers: headers.sorted { $0.key < $1.key },
                                         body: Array(body.utf8), headOnly: request.method == "HEAD")
                client.shutdownWrite()
            case .closeWithoutResponse?:
                if !request.expectsContinue { try client.copyBody(framing) { _ in } }
                record(0)
            case nil, .cutResponseBody?, .corruptResponseBody?, .dripResponseBody?:
                try forward(request, framing: framing, client: client, sockets: sockets, context: context,
                            action: action, record: record)
            }
        } catch {
            // Either side went away mid-message; the connection is closed by the server.
            if let request = unanswered {
                context.state.withLock { $0.log.append(Record(method: request.method, path: request.target, status: 0)) }
            }
        }
    }

    private static func forward(_ request: WireRequestHead, framing: WireBodyFraming, client: SocketConnection,
                                sockets: OpenSockets, context: Context, action: FaultRule.Action?,
                                record: (Int) -> Void) throws {
        let upstreamFD: Int32
        do {
            upstreamFD = try Loopback.connect(port: context.upstreamPort)
        } catch {
            record(502)
            try client.writeResponse(status: 502, body: Array("upstream unreachable: \(error)".utf8))
            return
        }
        guard sockets.track(upstreamFD) else {
            close(upstreamFD)
            return
        }
        defer { sockets.release(upstreamFD) }
        Loopback.setReceiveTimeout(upstreamFD, seconds: 120)
        let upstream = SocketConnection(fd: upstreamFD)

        var forwarded = request
        for hopByHop in ["Connection", "Keep-Alive", "Proxy-Connection", "Expect"] {
            forwarded.headers.remove(hopByHop)
        }
        forwarded.headers.set("Host", context.upstreamHost)
        forwarded.headers.set("Connection", "close")
        try upstream.write(forwarded.serialized)
        if request.expectsContinue {
            try client.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        // If the registry answers early and closes (e.g. 401 to an upload), keep reading the client's
        // body so it can read the answer, and still relay whatever the registry said.
        var upstreamClosed = false
        try client.copyBody(framing) { piece in
            guard !upstreamClosed else { return }
            do { try upstream.write(piece) } catch { upstreamClosed = true }
        }

        guard let responseHeadBytes = try? upstream.readHead(),
              var response = try? WireResponseHead(bytes: responseHeadBytes) else {
            record(502)
            try client.writeResponse(status: 502, body: Array("upstream closed without a response".utf8))
            return
        }
        if let location = response.headers["Location"] {
            response.headers.set("Location", rewrite(location, upstreamHost: context.upstreamHost,
                                                     proxyHost: context.proxyHost.withLock { $0 }))
        }
        response.headers.set("Connection", "close")
        record(response.status)
        try client.write(response.serialized)

        switch action {
        case .cutResponseBody(let limit)?:
            var remaining = max(0, limit)
            while remaining > 0 {
                let piece = try upstream.readSome(limit: remaining)
                if piece.isEmpty { break }
                remaining -= piece.count
                try client.write(piece)
            }
            // Returning closes the client connection: the body ends early.
        case .dripResponseBody(let fast, let interval)?:
            var remaining = max(0, fast)
            while remaining > 0 {
                let piece = try upstream.readSome(limit: remaining)
                if piece.isEmpty { break }
                remaining -= piece.count
                try client.write(piece)
            }
            let pause = UInt32(max(1, interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000))
            while true {
                let byte = try upstream.readSome(limit: 1)
                if byte.isEmpty { break }
                try client.write(byte)   // throws once the client has gone: the drip ends
                usleep(pause)
            }
        case .corruptResponseBody(let offset)?:
            var position = 0
            try upstream.copyToEnd { piece in
                if offset >= position, offset < position + piece.count {
                    var changed = Array(piece)
                    changed[offset - position] ^= 0xFF
                    try client.write(changed)
                } else {
                    try client.write(piece)
                }
                position += piece.count
            }
        default:
            try upstream.copyToEnd { try client.write($0) }
        }
        client.shutdownWrite()
    }

    /// Points an absolute URL at the registry to the proxy instead; anything else is returned unchanged.
    static func rewrite(_ location: String, upstreamHost: String, proxyHost: String) -> String {
        let port = upstreamHost.split(separator: ":").last.map(String.init) ?? ""
        for prefix in ["http://\(upstreamHost)", "http://localhost:\(port)"] where location.hasPrefix(prefix) {
            let rest = location.dropFirst(prefix.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") {
                return "http://\(proxyHost)" + rest
            }
        }
        return location
    }
}
