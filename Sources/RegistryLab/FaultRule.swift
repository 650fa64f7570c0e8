/// A fault the `FaultProxy` injects into matching requests.
///
/// Rules are checked in the order they were added; the first live rule that matches a request
/// applies to it and uses up one of its `times`. A spent rule no longer matches.
public struct FaultRule: Sendable {
    /// What the proxy does to a matching request.
    public enum Action: Sendable {
        /// Answer with this status, headers and body without contacting the registry.
        /// The request body is read and discarded first (unless the client waits for
        /// `100 Continue`, in which case it never sends the body and the proxy does not wait for it).
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Forward the request, relay the response head and this many bytes of the body, then close
        /// the connection — the client sees a response shorter than its `Content-Length`.
        case cutResponseBody(afterBytes: Int)
        /// Forward the request and relay the response with the body byte at this offset inverted
        /// (XOR 0xFF). Nothing changes if the body is shorter.
        case corruptResponseBody(atOffset: Int)
        /// Read the request (head and body), then close the connection without answering.
        case closeWithoutResponse
        /// Forward the request, relay the response head and this many bytes of the body at full
        /// speed, then one byte every `interval` (a server holding a client with a slow drip),
        /// until the body ends or the client goes away.
        case dripResponseBody(afterBytes: Int, interval: Duration)
    }

    /// The HTTP method to match (case-sensitive, e.g. "GET"); nil matches any.
    public var method: String?
    /// A substring the request target (path plus query) must contain; "" matches every request.
    public var pathContains: String
    /// How many matching requests the rule hits before it is spent (0 or less: none).
    public var times: Int
    /// What to do.
    public var action: Action

    /// A rule hitting the next `times` requests whose method is `method` (nil: any) and whose target contains `pathContains`.
    public init(method: String? = nil, pathContains: String = "", times: Int = 1, action: Action) {
        self.method = method
        self.pathContains = pathContains
        self.times = times
        self.action = action
    }

    func matches(method: String, target: String) -> Bool {
        times > 0 && (self.method == nil || self.method == method)
            && (pathContains.isEmpty || target.contains(pathContains))
    }
}
