import Foundation
import OCI

/// The HTTP side of the OpenShift upstream, on one loopback port, laid out like the real hosts:
///
/// - `GET /api/upgrades_info/v1/graph?channel=C&arch=A[&version=V][&id=…]` — the update graph
///   (api.openshift.com). `channel` is required (400 without it); `arch` defaults to `amd64`;
///   `version` is recorded but, as on the real service, does not change the answer. An unknown
///   channel or an architecture without payloads answers `nodes: []`.
/// - `GET /api/upgrades_info/graph-data` — the graph-data tarball.
/// - `GET /pub/openshift-v4/signatures/openshift/release/sha256=<hex>/signature-<n>` — release
///   signatures (mirror.openshift.com); only `signature-1` exists.
///
/// One request per connection (`Connection: close`), like the lab's other servers.
final class OpenShiftWebService: Sendable {
    static let graphPath = "/api/upgrades_info/v1/graph"
    static let graphDataPath = "/api/upgrades_info/graph-data"
    static let signaturePath = "/pub/openshift-v4/signatures/openshift/release/"

    /// `127.0.0.1:PORT`.
    let host: String
    private let server: LoopbackHTTPServer
    private let log: LabLocked<[OpenShiftServiceRequest]>

    init(graph: CincinnatiGraph, graphData: Data, signatures: ReleaseSignatureStore) throws {
        let log = LabLocked<[OpenShiftServiceRequest]>([])
        server = try LoopbackHTTPServer(name: "OpenShiftWebService", idleTimeout: 10) { connection, _ in
            do {
                guard let bytes = try connection.readHead() else { return }
                let head = try WireRequestHead(bytes: bytes)
                try connection.copyBody(try head.bodyFraming) { _ in }
                let response = Self.answer(head, graph: graph, graphData: graphData, signatures: signatures)
                var query: [String: String] = [:]
                for item in head.queryItems { query[item.name] = item.value }
                log.withLock {
                    $0.append(OpenShiftServiceRequest(method: head.method, path: String(head.path), query: query,
                                                      accept: head.headers["Accept"], status: response.status))
                }
                try connection.writeResponse(status: response.status, headers: response.headers, body: response.body,
                                             headOnly: head.method == "HEAD")
            } catch {
                // The client went away; nothing to answer.
            }
        }
        self.log = log
        host = "127.0.0.1:\(server.port)"
    }

    func requests() -> [OpenShiftServiceRequest] { log.withLock { $0 } }

    func stop() { server.stop() }

    private struct Response {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    private static func answer(_ request: WireRequestHead, graph: CincinnatiGraph, graphData: Data,
                               signatures: ReleaseSignatureStore) -> Response {
        guard request.method == "GET" || request.method == "HEAD" else {
            return Response(status: 405, headers: [("Allow", "GET, HEAD")])
        }
        let path = String(request.path)
        if path.hasSuffix("/graph") {
            return graphAnswer(request, graph: graph)
        }
        if path.hasSuffix("/graph-data") {
            return Response(status: 200, headers: [("Content-Type", "application/gzip")], body: [UInt8](graphData))
        }
        if path.hasPrefix(signaturePath) {
            return signatureAnswer(path.dropFirst(signaturePath.count), signatures: signatures)
        }
        return Response(status: 404, headers: [("Content-Type", "text/plain")], body: Array("not found\n".utf8))
    }

    private static func graphAnswer(_ request: WireRequestHead, graph: CincinnatiGraph) -> Response {
        let json = [("Content-Type", "application/json")]
        if let accept = request.headers["Accept"], !accept.contains("json"), !accept.contains("*/*") {
            return Response(status: 406, headers: json, body: error("invalid_content_type", "only application/json is offered"))
        }
        var query: [String: String] = [:]
        for item in request.queryItems { query[item.name] = item.value }
        guard let channel = query["channel"], !channel.isEmpty else {
            return Response(status: 400, headers: json, body: error("missing_params", "mandatory client parameters missing: channel"))
        }
        do {
            let body = try graph.json(channel: channel, architecture: query["arch"] ?? "amd64")
            return Response(status: 200, headers: json, body: [UInt8](body))
        } catch {
            return Response(status: 500, headers: json, body: Self.error("internal", "\(error)"))
        }
    }

    /// `sha256=<hex>/signature-<n>`.
    private static func signatureAnswer(_ rest: Substring, signatures: ReleaseSignatureStore) -> Response {
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].hasPrefix("sha256="), parts[1].hasPrefix("signature-"),
              let digest = Digest("sha256:" + parts[0].dropFirst("sha256=".count)),
              let index = Int(parts[1].dropFirst("signature-".count)) else {
            return Response(status: 404)
        }
        switch signatures.answer(for: digest, index: index) {
        case .signature(let bytes):
            return Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: [UInt8](bytes))
        case .status(let status):
            return Response(status: status)
        }
    }

    /// Cincinnati's error body: `{"kind": …, "value": …}`.
    private static func error(_ kind: String, _ value: String) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: ["kind": kind, "value": value], options: [.sortedKeys])) ?? Data())
    }
}
