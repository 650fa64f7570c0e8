import Foundation

/// An ordered list of HTTP header fields with case-insensitive lookup.
/// Order and original spelling are kept so a proxied message changes only where the proxy means it to.
struct WireHeaders: Sendable {
    var fields: [(name: String, value: String)] = []

    subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    mutating func remove(_ name: String) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    /// The lines of this header block, each ending in CRLF, without the terminating blank line.
    var serialized: String {
        fields.map { "\($0.name): \($0.value)\r\n" }.joined()
    }

    /// Parses the header lines that follow the start line.
    init<Lines: Sequence>(lines: Lines) throws where Lines.Element == Substring {
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw LabError.http("malformed header line: \(line)")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((name, value))
        }
    }

    init() {}
}

/// How the length of a request body is determined (RFC 9112 §6.3, for requests).
enum WireBodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// The start line and headers of an HTTP/1.1 request.
struct WireRequestHead: Sendable {
    var method: String
    /// The request target as sent: path plus query.
    var target: String
    var version: String
    var headers: WireHeaders

    init(method: String, target: String, version: String = "HTTP/1.1", headers: WireHeaders = WireHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    init(bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { throw LabError.http("empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            throw LabError.http("malformed request line: \(requestLine)")
        }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
        headers = try WireHeaders(lines: lines)
    }

    var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }

    /// The query parameters in order, percent-decoded (`+` counts as a space, as in form encoding).
    var queryItems: [(name: String, value: String)] {
        guard let questionMark = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: questionMark)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    var bodyFraming: WireBodyFraming {
        get throws {
            if let encoding = headers["Transfer-Encoding"], encoding.lowercased().contains("chunked") {
                return .chunked
            }
            if let length = headers["Content-Length"] {
                guard let count = Int(length.trimmingCharacters(in: .whitespaces)), count >= 0 else {
                    throw LabError.http("bad Content-Length: \(length)")
                }
                return count == 0 ? .none : .length(count)
            }
            return .none
        }
    }

    /// True when the client waits for `100 Continue` before sending its body.
    var expectsContinue: Bool {
        headers["Expect"]?.lowercased() == "100-continue"
    }

    var serialized: [UInt8] {
        Array("\(method) \(target) \(version)\r\n\(headers.serialized)\r\n".utf8)
    }
}

/// The status line and headers of an HTTP/1.1 response.
struct WireResponseHead: Sendable {
    var version: String
    var status: Int
    var reason: String
    var headers: WireHeaders

    init(status: Int, headers: WireHeaders = WireHeaders()) {
        version = "HTTP/1.1"
        self.status = status
        reason = WireResponseHead.reasonPhrase(for: status)
        self.headers = headers
    }

    init(bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let statusLine = lines.popFirst() else { throw LabError.http("empty response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw LabError.http("malformed status line: \(statusLine)")
        }
        version = String(parts[0])
        self.status = status
        reason = parts.count > 2 ? String(parts[2]) : ""
        headers = try WireHeaders(lines: lines)
    }

    var serialized: [UInt8] {
        Array("\(version) \(status) \(reason)\r\n\(headers.serialized)\r\n".utf8)
    }

    static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 307: return "Temporary Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 416: return "Range Not Satisfiable"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}

extension SocketConnection {
    /// Passes a request body with the given framing to `sink` exactly as it arrives on the wire
    /// (chunk-size lines included for chunked bodies), stopping where the body ends.
    func copyBody(_ framing: WireBodyFraming, to sink: (ArraySlice<UInt8>) throws -> Void) throws {
        switch framing {
        case .none:
            return
        case .length(let count):
            try copy(count: count, to: sink)
        case .chunked:
            let crlf: [UInt8] = [13, 10]
            while true {
                let line = try readLine()
                try sink(ArraySlice(line + crlf))
                let sizeText = String(decoding: line, as: UTF8.self)
                    .split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
                    .first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw LabError.http("bad chunk size line: \(sizeText)")
                }
                if size == 0 {
                    // Trailer fields, then the final blank line.
                    while true {
                        let trailer = try readLine()
                        try sink(ArraySlice(trailer + crlf))
                        if trailer.isEmpty { return }
                    }
                }
                try copy(count: size + 2, to: sink)
            }
        }
    }

    /// Writes a complete response with a small in-memory body and `Connection: close`.
    /// For an answer to `HEAD`, pass `headOnly`: the length is announced but no body is sent.
    func writeResponse(status: Int, headers extra: [(String, String)] = [], body: [UInt8],
                       headOnly: Bool = false) throws {
        var head = WireResponseHead(status: status)
        for (name, value) in extra {
            head.headers.set(name, value)
        }
        head.headers.set("Content-Length", String(body.count))
        head.headers.set("Connection", "close")
        try write(head.serialized + (headOnly ? [] : body))
    }
}
