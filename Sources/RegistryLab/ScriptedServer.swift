import Foundation

/// A tiny scripted HTTP server for protocol corner cases that no local registry shows (a missing
/// `Docker-Content-Digest`, a redirect to another host). Never a stand-in for a registry: the
/// script answers only the few requests a test is about.
public final class ScriptedServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        /// Path plus query, as sent.
        public var target: String
        /// Header names lowercased.
        public var headers: [String: String]
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public typealias Script = @Sendable (Request) -> Response

    /// "127.0.0.1:PORT".
    public let host: String
    private let server: LoopbackHTTPServer
    private let log: LabLocked<[Request]>

    public init(_ script: @escaping Script) throws {
        let log = LabLocked<[Request]>([])
        server = try LoopbackHTTPServer(name: "ScriptedServer", idleTimeout: 10) { connection, _ in
            do {
                guard let bytes = try connection.readHead() else { return }
                let head = try WireRequestHead(bytes: bytes)
                try connection.copyBody(try head.bodyFraming) { _ in }
                var headers: [String: String] = [:]
                for field in head.headers.fields { headers[field.name.lowercased()] = field.value }
                let request = Request(method: head.method, target: head.target, headers: headers)
                log.withLock { $0.append(request) }
                let response = script(request)
                try connection.writeResponse(status: response.status, headers: response.headers, body: response.body,
                                             headOnly: head.method == "HEAD")
            } catch {
                // The client went away; nothing to answer.
            }
        }
        self.log = log
        host = "127.0.0.1:\(server.port)"
    }

    /// Every request received so far.
    public func requests() -> [Request] { log.withLock { $0 } }

    public func stop() { server.stop() }
}
