/// An update graph document that is not what the graph API promises: which field, and what is
/// wrong with it (`nodes[3] (4.18.1).payload: … is not a reference by digest`).
public struct UpdateGraphDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field, as a path into the document: `nodes[3].version`, `edges[12]`,
    /// `conditionalEdges[0].risks[1].name`; a node's version follows its index once known.
    public var field: String
    /// What is wrong with it.
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    /// `FIELD: PROBLEM`, or just the problem for the document as a whole.
    public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}
