import Foundation
import ImageSet
import OCI

extension UpdateGraph {
    /// Parses the graph API's JSON:
    /// `{"nodes":[{"version","payload","metadata"}], "edges":[[from,to]], "conditionalEdges":[{"edges":[{"from","to"}], "risks":[…]}]}`.
    ///
    /// Versions must be strict semantic versions, payloads references by digest, edges pairs of
    /// valid node indices; `edges`, `conditionalEdges`, `metadata` and a risk's `message`, `url`
    /// and `matchingRules` may be absent. Keys the API may add later are ignored.
    /// - Throws: ``UpdateGraphDecodingError`` naming the field (and node) at fault.
    public init(parsing data: Data) throws(UpdateGraphDecodingError) {
        let document: GraphDocument
        do {
            document = try JSONDecoder().decode(GraphDocument.self, from: data)
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch {
            throw UpdateGraphDecodingError(field: "", problem: "not a graph document: \(error)")
        }

        var nodes: [Node] = []
        for (index, raw) in document.nodes.enumerated() {
            let version: SemanticVersion
            do {
                version = try SemanticVersion(parsing: raw.version)
            } catch {
                throw UpdateGraphDecodingError(field: "nodes[\(index)].version", problem: error.description)
            }
            let field = "nodes[\(index)] (\(version)).payload"
            let payload: ImageReference
            do {
                payload = try ImageReference(parsing: raw.payload)
            } catch {
                throw UpdateGraphDecodingError(field: field, problem: error.description)
            }
            guard payload.digest != nil else {
                throw UpdateGraphDecodingError(field: field, problem: "'\(raw.payload)' is not a reference by digest (REPOSITORY@sha256:…)")
            }
            nodes.append(Node(version: version, payload: payload, metadata: raw.metadata ?? [:]))
        }

        var edges: [Edge] = []
        for (index, pair) in (document.edges ?? []).enumerated() {
            guard pair.count == 2 else {
                throw UpdateGraphDecodingError(field: "edges[\(index)]", problem: "expected [from, to], found \(pair.count) numbers")
            }
            for end in pair where !nodes.indices.contains(end) {
                throw UpdateGraphDecodingError(field: "edges[\(index)]",
                                               problem: "node index \(end) is out of range (the graph has \(nodes.count) nodes)")
            }
            edges.append(Edge(from: pair[0], to: pair[1]))
        }

        var conditionalEdges: [ConditionalEdge] = []
        for (index, raw) in (document.conditionalEdges ?? []).enumerated() {
            var versionEdges: [VersionEdge] = []
            for (edgeIndex, edge) in raw.edges.enumerated() {
                let field = "conditionalEdges[\(index)].edges[\(edgeIndex)]"
                do {
                    versionEdges.append(VersionEdge(from: try SemanticVersion(parsing: edge.from),
                                                    to: try SemanticVersion(parsing: edge.to)))
                } catch {
                    throw UpdateGraphDecodingError(field: field, problem: error.description)
                }
            }
            let risks = raw.risks.map { risk in
                Risk(name: risk.name, message: risk.message ?? "", url: risk.url ?? "",
                     matchingRules: (risk.matchingRules ?? []).map { MatchingRule(type: $0.type, promQL: $0.promql?.promql) })
            }
            conditionalEdges.append(ConditionalEdge(edges: versionEdges, risks: risks))
        }

        self.init(nodes: nodes, edges: edges, conditionalEdges: conditionalEdges)
    }

    /// Turns a decoder error into `FIELD: PROBLEM` with the field as a path (`nodes[3].payload`).
    private static func describe(_ error: DecodingError) -> UpdateGraphDecodingError {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return UpdateGraphDecodingError(field: path(context.codingPath + [key]), problem: "is missing")
        case .valueNotFound(let type, let context):
            return UpdateGraphDecodingError(field: path(context.codingPath), problem: "is null, expected \(typeName(type))")
        case .typeMismatch(let type, let context):
            return UpdateGraphDecodingError(field: path(context.codingPath), problem: "expected \(typeName(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return UpdateGraphDecodingError(field: field, problem: field.isEmpty
                ? "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
                : context.debugDescription)
        @unknown default:
            return UpdateGraphDecodingError(field: "", problem: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is [String: String].Type: return "an object of strings"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") || name.hasPrefix("[") ? "an array" : "an object"
        }
    }
}

/// The graph API's JSON, field for field; checked and converted by ``UpdateGraph/init(parsing:)``.
private struct GraphDocument: Decodable {
    struct Node: Decodable {
        var version: String
        var payload: String
        var metadata: [String: String]?
    }

    struct ConditionalEdge: Decodable {
        struct Edge: Decodable {
            var from: String
            var to: String
        }

        struct Risk: Decodable {
            struct Rule: Decodable {
                struct PromQL: Decodable { var promql: String }
                var type: String
                var promql: PromQL?
            }

            var url: String?
            var name: String
            var message: String?
            var matchingRules: [Rule]?
        }

        var edges: [Edge]
        var risks: [Risk]
    }

    var nodes: [Node]
    var edges: [[Int]]?
    var conditionalEdges: [ConditionalEdge]?
}
