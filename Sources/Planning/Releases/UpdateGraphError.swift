/// A graph that could not be had: which query, from where (URL or file), what went wrong and what
/// to do about it.
public struct UpdateGraphError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The update service URL (flag or `UPDATE_URL_OVERRIDE`) is not an http(s) URL.
        case invalidURL
        /// The channel name cannot be sent or used as a file name.
        case invalidChannelName
        /// No HTTP answer: refused, reset, timed out, TLS failure.
        case unreachable
        /// The update service answered with a status other than 200.
        case status(Int)
        /// The answer (or saved file) is not a valid graph document.
        case invalidGraph(UpdateGraphDecodingError)
        /// Offline, and no graph was saved for this query.
        case notSaved
        /// The graph could not be written to the graph data directory.
        case cannotSave
        /// The request was cancelled.
        case cancelled
    }

    public var kind: Kind
    public var query: UpdateGraphQuery
    /// The base URL asked, or the file read or written.
    public var location: String
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, query: UpdateGraphQuery, location: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.query = query
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `update graph (channel C, arch A) from LOCATION: MESSAGE` and the hint on its own line.
    public var description: String {
        var text = "update graph (\(query)) from \(location): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
