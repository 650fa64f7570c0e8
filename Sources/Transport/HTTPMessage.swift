import Foundation

/// The HTTP methods the registry protocol uses.
public enum HTTPMethod: String, Sendable {
    case get = "GET", head = "HEAD", put = "PUT", post = "POST", patch = "PATCH", delete = "DELETE"
}

/// Header fields in the order received; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    private var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The first value of the field, if any.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of the field, in order (for repeated fields such as WWW-Authenticate).
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// What a request sends.
public enum RequestBody: Sendable {
    case none
    case bytes(Data)
    /// The read side of a relay: bytes arrive from a concurrent download (see `CurlEngine.relay`).
    case relayed
    /// A file streamed from disk, `length` bytes from its start (a blob of an OCI layout): never
    /// held in memory, and reopened by each attempt of a retried request.
    case file(path: String, length: Int64)
}

/// One HTTP request. Requests are values, so a retry can send the same one again.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: RequestBody
    public var tls: TLSSettings
    /// Followed for GET and HEAD only. libcurl drops a custom Authorization header when a redirect
    /// leaves the original host, port or scheme (curl ≥ 7.83), so a registry token never reaches
    /// the storage host a blob GET is redirected to.
    public var followRedirects: Bool
    /// Response bodies larger than this are refused (manifests and error bodies are small; a
    /// rogue server must not make us buffer gigabytes).
    public var maxResponseBytes: Int
    /// Declared length of a relayed body (required: registries want Content-Length on uploads).
    public var relayedLength: Int64
    /// A limit on the whole exchange, for probes only; transfers rely on the stall watchdog.
    public var timeout: Duration?
    /// The stall watchdog: a transfer slower than this for ``minimumRateWindow`` is cut (and
    /// retried by the caller). 1 byte/s by default, so only a stall trips it; blob downloads
    /// ask for more (`RegistrySettings.minimumTransferRate`), so a slow drip cannot hold an
    /// image for hours.
    public var minimumRate: TransferRate = .stall
    /// A successful response body goes into this file (created or truncated) instead of memory,
    /// whatever its size; `maxResponseBytes` then bounds error bodies only.
    public var responseFile: String?

    public init(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .none,
                tls: TLSSettings = TLSSettings(), followRedirects: Bool = true,
                maxResponseBytes: Int = 16 << 20, relayedLength: Int64 = 0) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.tls = tls
        self.followRedirects = followRedirects
        self.maxResponseBytes = maxResponseBytes
        self.relayedLength = relayedLength
    }
}

/// A floor on a transfer's speed: bytes per second, averaged over a window (libcurl's
/// `LOW_SPEED_LIMIT`/`LOW_SPEED_TIME`).
public struct TransferRate: Sendable, Hashable, CustomStringConvertible {
    public var bytesPerSecond: Int
    public var windowSeconds: Int

    public init(bytesPerSecond: Int, windowSeconds: Int) {
        self.bytesPerSecond = bytesPerSecond
        self.windowSeconds = windowSeconds
    }

    /// Less than one byte per second for a minute: a stalled connection.
    public static let stall = TransferRate(bytesPerSecond: 1, windowSeconds: 60)

    /// `1 KiB/s over 30 s`.
    public var description: String {
        let rate = bytesPerSecond >= 1 << 20 && bytesPerSecond % (1 << 20) == 0 ? "\(bytesPerSecond >> 20) MiB/s"
            : bytesPerSecond >= 1 << 10 && bytesPerSecond % (1 << 10) == 0 ? "\(bytesPerSecond >> 10) KiB/s" : "\(bytesPerSecond) B/s"
        return "\(rate) over \(windowSeconds) s"
    }
}

/// A finished response. `body` holds what was collected (empty for streamed or HEAD responses).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// The URL that answered, after redirects.
    public var effectiveURL: String

    public init(status: Int, headers: HTTPHeaders, body: Data, effectiveURL: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
