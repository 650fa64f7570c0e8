import Foundation
import ImageSet
import OCI
import Planning
import Testing

struct ReleaseGraphParsingTests {
    @Test func parsesNodesEdgesAndConditionalEdges() throws {
        let graph = try UpdateGraph(parsing: Data(ReleaseGraphs.stable418amd64.utf8))
        #expect(graph.nodes.map(\.version.description) == ["4.17.8", "4.17.9", "4.17.10", "4.18.1", "4.18.2", "4.18.3", "4.18.4"])
        #expect(graph.edges.count == 9)
        #expect(graph.edges.first == UpdateGraph.Edge(from: 0, to: 1))
        #expect(graph.nodes[0].channels.contains("stable-4.17") && graph.nodes[0].channels.contains("stable-4.18"))
        #expect(graph.nodes[3].channels == ["candidate-4.18", "fast-4.18", "stable-4.18"])
        #expect(graph.nodes[3].payload.digest == ReleaseGraphs.payloadDigest("4.18.1", .amd64))
        #expect(graph.nodes[3].payload.repository.description == "quay.io/openshift-release-dev/ocp-release")
        #expect(graph.nodes[3].metadata["url"]?.hasPrefix("https://access.redhat.com/errata/") == true)

        #expect(graph.conditionalEdges.count == 2)
        let azure = graph.conditionalEdges[0]
        #expect(azure.edges.map(\.description) == ["4.18.1 → 4.18.3", "4.17.10 → 4.18.3"])
        #expect(azure.risks.map(\.name) == ["AzureRegistryImagePreservation"])
        #expect(azure.risks[0].url == "https://issues.redhat.com/browse/OCPBUGS-44438")
        #expect(azure.risks[0].matchingRules.first?.type == "PromQL")
        #expect(azure.risks[0].matchingRules.first?.promQL?.contains(#"type="Azure""#) == true)
        #expect(graph.conditionalEdges[1].risks[0].matchingRules == [UpdateGraph.MatchingRule(type: "Always")])
    }

    @Test func optionalPartsMayBeAbsent() throws {
        let document = #"{"nodes": [{"version": "4.18.1", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:\#(String(repeating: "a", count: 64))"}]}"#
        let graph = try UpdateGraph(parsing: Data(document.utf8))
        #expect(graph.nodes.count == 1)
        #expect(graph.nodes[0].metadata.isEmpty && graph.nodes[0].channels.isEmpty)
        #expect(graph.edges.isEmpty && graph.conditionalEdges.isEmpty)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var field: String
        var problem: String
        var testDescription: String { name }
    }

    static let digest = String(repeating: "b", count: 64)
    static func node(_ version: String, _ payload: String? = nil) -> String {
        #"{"version": "\#(version)", "payload": "\#(payload ?? "quay.io/ocp/release@sha256:\(digest)")"}"#
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(name: "not JSON", document: "<html>Service Unavailable</html>", field: "", problem: "not valid JSON"),
        InvalidCase(name: "no nodes", document: #"{"edges": []}"#, field: "nodes", problem: "is missing"),
        InvalidCase(name: "node without payload", document: #"{"nodes": [{"version": "4.18.1"}]}"#,
                    field: "nodes[0].payload", problem: "is missing"),
        InvalidCase(name: "version not semver", document: #"{"nodes": [\#(node("4.18.1")), \#(node("4.18"))]}"#,
                    field: "nodes[1].version", problem: "invalid semantic version '4.18'"),
        InvalidCase(name: "payload by tag", document: #"{"nodes": [\#(node("4.18.1", "quay.io/ocp/release:4.18.1-x86_64"))]}"#,
                    field: "nodes[0] (4.18.1).payload", problem: "is not a reference by digest"),
        InvalidCase(name: "version is a number", document: #"{"nodes": [{"version": 4, "payload": "x"}]}"#,
                    field: "nodes[0].version", problem: "expected a string"),
        InvalidCase(name: "edge index out of range", document: #"{"nodes": [\#(node("4.18.1"))], "edges": [[0, 3]]}"#,
                    field: "edges[0]", problem: "node index 3 is out of range (the graph has 1 nodes)"),
        InvalidCase(name: "edge of three", document: #"{"nodes": [\#(node("4.18.1"))], "edges": [[0, 0, 0]]}"#,
                    field: "edges[0]", problem: "expected [from, to], found 3 numbers"),
        InvalidCase(name: "conditional edge version", document:
                        #"{"nodes": [\#(node("4.18.1"))], "conditionalEdges": [{"edges": [{"from": "4.18.1", "to": "latest"}], "risks": []}]}"#,
                    field: "conditionalEdges[0].edges[0]", problem: "invalid semantic version 'latest'"),
        InvalidCase(name: "risk without name", document:
                        #"{"nodes": [], "conditionalEdges": [{"edges": [], "risks": [{"url": "https://x"}]}]}"#,
                    field: "conditionalEdges[0].risks[0].name", problem: "is missing"),
    ]

    @Test(arguments: invalidCases)
    func invalidDocumentsNameTheField(_ example: InvalidCase) {
        do {
            _ = try UpdateGraph(parsing: Data(example.document.utf8))
            Issue.record("parsed an invalid document")
        } catch {
            #expect(error.field == example.field)
            #expect(error.problem.contains(example.problem), "\(error.problem)")
        }
    }

    @Test func restrictingToAChannelDropsOtherNodesAndRenumbersEdges() throws {
        let graph = try UpdateGraph(parsing: Data(ReleaseGraphs.stable417amd64.utf8))
        let only416 = graph.restricted(toChannel: "stable-4.16")
        #expect(only416.nodes.map(\.version.description) == ["4.16.20", "4.16.21"])
        #expect(only416.edges == [UpdateGraph.Edge(from: 0, to: 1)])
        #expect(graph.restricted(toChannel: "stable-4.17") == graph)
        #expect(graph.restricted(toChannel: "stable-4.19").nodes.isEmpty)

        let withRisks = try UpdateGraph(parsing: Data(ReleaseGraphs.stable418amd64.utf8)).restricted(toChannel: "stable-4.17")
        #expect(withRisks.nodes.map(\.version.description) == ["4.17.8", "4.17.9", "4.17.10"])
        #expect(withRisks.conditionalEdges.isEmpty)
    }

    @Test func pathsDoNotDependOnTheOrderOfEdges() throws {
        let graph = try UpdateGraph(parsing: Data(ReleaseGraphs.stable417amd64.utf8))
        var reversed = graph
        reversed.edges.reverse()
        let from = ReleaseGraphs.version("4.16.20"), to = ReleaseGraphs.version("4.17.10")
        let path = graph.shortestPath(from: from, to: to)
        #expect(path?.versions.map(\.description) == ["4.16.20", "4.17.5", "4.17.8", "4.17.10"])
        #expect(reversed.shortestPath(from: from, to: to) == path)
    }
}
