import Foundation
import OCI
import Testing
@testable import RegistryLab

/// The update service over HTTP, fed with content built in memory (no registry needed to answer graphs).
@Suite("OpenShift update graph service")
struct OpenShiftGraphTests {
    static let host = "upstream.lab.invalid:5000"

    /// A decoded Cincinnati answer: versions by node index, edges as version pairs.
    struct Graph {
        var nodes: [[String: Any]]
        var versions: [String]
        var edges: Set<String>
        var conditional: [[String: Any]]

        init(_ body: [UInt8]) throws {
            let object = try jsonObject(body)
            let nodes = try #require(object["nodes"] as? [[String: Any]])
            let versions = nodes.map { $0["version"] as? String ?? "?" }
            let pairs = try #require(object["edges"] as? [[Int]])
            func version(_ index: Int) -> String { versions.indices.contains(index) ? versions[index] : "?" }
            self.nodes = nodes
            self.versions = versions
            edges = Set(pairs.map { "\(version($0[0]))->\(version($0[1]))" })
            conditional = try #require(object["conditionalEdges"] as? [[String: Any]])
        }

        func node(_ version: String) -> [String: Any]? { nodes.first { $0["version"] as? String == version } }
    }

    /// Runs `body` with a web service over the standard set's content.
    static func withService(_ body: (OpenShiftWebService, OpenShiftContent) throws -> Void) throws {
        let content = try OpenShiftContent.build(.standard, host: host)
        let service = try OpenShiftWebService(
            graph: CincinnatiGraph(releaseSet: .standard, releases: content.releases),
            graphData: try GraphDataArchive.make(.standard), signatures: ReleaseSignatureStore(signatures: [:]))
        defer { service.stop() }
        try body(service, content)
    }

    static func query(_ service: OpenShiftWebService, _ query: String) throws -> RawResponse {
        try RawHTTP.request("GET", "http://\(service.host)/api/upgrades_info/v1/graph?\(query)",
                            headers: ["Accept": "application/json"])
    }

    struct Case: Sendable, CustomStringConvertible {
        var query: String
        var versions: [String]
        var edges: Set<String>
        var conditional: Bool
        var description: String { query }
    }

    static let cases: [Case] = [
        Case(query: "channel=stable-4.17&arch=amd64", versions: ["4.17.8", "4.17.5"], edges: ["4.17.5->4.17.8"], conditional: false),
        Case(query: "channel=stable-4.17", versions: ["4.17.8", "4.17.5"], edges: ["4.17.5->4.17.8"], conditional: false),
        Case(query: "channel=stable-4.18&arch=amd64", versions: ["4.18.3", "4.18.2", "4.18.1", "4.17.8"],
             edges: ["4.17.8->4.18.1", "4.17.8->4.18.2", "4.18.1->4.18.2", "4.18.2->4.18.3"], conditional: true),
        Case(query: "channel=stable-4.18&arch=amd64&version=4.17.8&id=01234567-89ab-cdef-0123-456789abcdef",
             versions: ["4.18.3", "4.18.2", "4.18.1", "4.17.8"],
             edges: ["4.17.8->4.18.1", "4.17.8->4.18.2", "4.18.1->4.18.2", "4.18.2->4.18.3"], conditional: true),
        Case(query: "channel=stable-4.18&arch=arm64", versions: ["4.18.3", "4.18.2", "4.18.1"],
             edges: ["4.18.1->4.18.2", "4.18.2->4.18.3"], conditional: true),
        Case(query: "channel=stable-4.18&arch=multi", versions: ["4.18.3", "4.18.2", "4.18.1"],
             edges: ["4.18.1->4.18.2", "4.18.2->4.18.3"], conditional: true),
        Case(query: "channel=stable-4.17&arch=arm64", versions: [], edges: [], conditional: false),
        Case(query: "channel=stable-4.18&arch=ppc64le", versions: [], edges: [], conditional: false),
        Case(query: "channel=fast-4.18&arch=amd64", versions: [], edges: [], conditional: false),
        Case(query: "channel=stable-4.19&arch=amd64&version=4.18.3", versions: [], edges: [], conditional: false),
        Case(query: "channel=stable-4.21&arch=amd64", versions: ["4.21.1", "4.21.0"], edges: ["4.21.0->4.21.1"],
             conditional: false),
        Case(query: "channel=stable-4.21&arch=arm64", versions: ["4.21.0"], edges: [], conditional: false),
        Case(query: "channel=stable-4.21&arch=multi&version=4.21.0", versions: ["4.21.0"], edges: [], conditional: false),
        // Its releases are joined only through releases it does not list: no edge, not even the conditional one.
        Case(query: "channel=candidate-4.18&arch=amd64", versions: ["4.18.3", "4.17.8"], edges: [], conditional: false),
    ]

    @Test("channel and arch select the nodes; version does not change the answer", arguments: cases)
    func graphQuery(_ expected: Case) throws {
        try Self.withService { service, content in
            let response = try Self.query(service, expected.query)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            let graph = try Graph(response.body)
            #expect(graph.versions == expected.versions)
            #expect(graph.edges == expected.edges)
            #expect(!graph.conditional.isEmpty == expected.conditional)

            let architecture = OpenShiftArchitecture(rawValue: expected.query.components(separatedBy: "arch=").dropFirst().first?
                .components(separatedBy: "&").first ?? "amd64")
            for node in graph.nodes {
                let version = try #require(node["version"] as? String)
                let release = try #require(content.releases.first { $0.version == version && $0.architecture == architecture })
                #expect(node["payload"] as? String == "\(Self.host)/openshift-release-dev/ocp-release@\(release.payloadDigest)")
                let metadata = try #require(node["metadata"] as? [String: String])
                #expect(metadata["io.openshift.upgrades.graph.release.manifestref"] == release.payloadDigest.description)
                #expect(metadata["io.openshift.upgrades.graph.release.channels"]
                    == OpenShiftReleaseSet.standard.channels(containing: version).joined(separator: ","))
                #expect(metadata["url"]?.hasPrefix("https://access.redhat.com/errata/") == true)
                #expect((metadata["release.openshift.io/architecture"] == "multi") == (architecture == .multi))
            }
        }
    }

    @Test("the conditional edge 4.18.1 -> 4.18.3 carries its risk with a PromQL matching rule, and is not an edge")
    func conditionalEdge() throws {
        try Self.withService { service, _ in
            let graph = try Graph(try Self.query(service, "channel=stable-4.18&arch=amd64").body)
            #expect(!graph.edges.contains("4.18.1->4.18.3"))
            #expect(graph.conditional.count == 1)
            let entry = try #require(graph.conditional.first)
            let edges = try #require(entry["edges"] as? [[String: String]])
            #expect(edges == [["from": "4.18.1", "to": "4.18.3"]])
            let risks = try #require(entry["risks"] as? [[String: Any]])
            #expect(risks.count == 1)
            let risk = try #require(risks.first)
            #expect(risk["name"] as? String == "LabNetworkOperatorRestartLoop")
            #expect((risk["message"] as? String)?.isEmpty == false)
            #expect((risk["url"] as? String)?.hasPrefix("https://") == true)
            let rules = try #require(risk["matchingRules"] as? [[String: Any]])
            #expect(rules.count == 1)
            #expect(rules.first?["type"] as? String == "PromQL")
            let promQL = (rules.first?["promql"] as? [String: Any])?["promql"] as? String
            #expect(promQL?.contains("cluster_operator_conditions") == true)

            // Only between listed nodes: stable-4.17 has neither end.
            let old = try Graph(try Self.query(service, "channel=stable-4.17&arch=amd64").body)
            #expect(old.conditional.isEmpty)
        }
    }

    @Test("bad requests: no channel is 400, a non-JSON Accept is 406, unknown paths 404; every request is recorded")
    func badRequestsAndLog() throws {
        try Self.withService { service, _ in
            let missing = try RawHTTP.request("GET", "http://\(service.host)/api/upgrades_info/v1/graph?arch=amd64")
            #expect(missing.status == 400)
            #expect(try jsonObject(missing.body)["kind"] as? String == "missing_params")
            let xml = try RawHTTP.request("GET", "http://\(service.host)/api/upgrades_info/v1/graph?channel=stable-4.18",
                                          headers: ["Accept": "application/xml"])
            #expect(xml.status == 406)
            let unknown = try RawHTTP.request("GET", "http://\(service.host)/api/upgrades_info/v2/nothing")
            #expect(unknown.status == 404)
            let post = try RawHTTP.request("POST", "http://\(service.host)/api/upgrades_info/v1/graph?channel=stable-4.18")
            #expect(post.status == 405)
            _ = try Self.query(service, "channel=stable-4.18&arch=multi&version=4.18.1")

            let log = service.requests()
            #expect(log.map(\.status) == [400, 406, 404, 405, 200])
            let last = try #require(log.last)
            #expect(last.isGraphQuery)
            #expect(last.path == "/api/upgrades_info/v1/graph")
            #expect(last.query == ["channel": "stable-4.18", "arch": "multi", "version": "4.18.1"])
            #expect(last.accept == "application/json")
        }
    }

    @Test("graph-data is served as a gzip tarball")
    func graphData() throws {
        try Self.withService { service, _ in
            let response = try RawHTTP.request("GET", "http://\(service.host)/api/upgrades_info/graph-data")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/gzip")
            #expect(response.body.prefix(2) == [0x1F, 0x8B])
            let paths = try LabTar.entries(response.body).map(\.path)
            #expect(paths.contains("channels/stable-4.17.yaml"))
            #expect(paths.contains("channels/stable-4.18.yaml"))
            #expect(paths.contains("channels/stable-4.21.yaml"))
            #expect(paths.contains("channels/candidate-4.18.yaml"))
            #expect(paths.contains { $0.hasPrefix("blocked-edges/4.18.3-") })
        }
    }
}
