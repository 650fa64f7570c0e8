/// One request the OpenShift upstream's web service answered (graph, graph-data or signature).
public struct OpenShiftServiceRequest: Sendable, Hashable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// Query parameters, percent-decoded (the last one wins when a name repeats).
    public var query: [String: String]
    /// The `Accept` header, if sent.
    public var accept: String?
    /// The status the service answered with.
    public var status: Int

    /// Whether this asked for the update graph.
    public var isGraphQuery: Bool { path.hasSuffix("/graph") }
}
