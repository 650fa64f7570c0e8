import Foundation
import Glibc
import RegistryLab
import Testing

/// A fresh lab for one test, always shut down (see `RegistryLab.with`).
func withLab<T>(_ body: (RegistryLab) async throws -> T) async throws -> T {
    try await RegistryLab.with(body)
}

/// A response as read off the wire by `RawHTTP`.
struct RawResponse {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    /// The body exactly as received (de-chunked if the response was chunked).
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var declaredLength: Int? { headers["content-length"].flatMap { Int($0) } }
}

/// A deliberately tiny HTTP/1.1 client over a blocking socket (127.0.0.1 only), so the tests see
/// exactly what the servers send — including short or corrupted bodies and closed connections —
/// without a client library retrying, following or pooling anything.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends one request with `Connection: close` and reads the response to EOF.
    /// Returns nil when the server closed the connection without sending anything.
    static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8] = [],
                     chunks: [[UInt8]]? = nil, expectContinue: Bool = false) throws -> RawResponse? {
        guard url.hasPrefix("http://") else { throw Failure(description: "not an http URL: \(url)") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = UInt16(authority[authority.index(after: colon)...])
        else { throw Failure(description: "no port in \(url)") }

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect to \(authority) failed: errno \(errno)") }

        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(name): \(value)\r\n"
        }
        if chunks != nil {
            head += "Transfer-Encoding: chunked\r\n"
        } else if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(body.count)\r\n"
        }
        if expectContinue { head += "Expect: 100-continue\r\n" }
        head += "\r\n"
        try write(fd, Array(head.utf8))

        var received: [UInt8] = []
        if expectContinue {
            // Wait for the interim answer before sending the body, as libcurl does.
            while findHeadEnd(received) == nil {
                let chunk = try readSome(fd)
                if chunk.isEmpty { break }
                received += chunk
            }
            guard let end = findHeadEnd(received), String(decoding: received[..<end], as: UTF8.self).contains(" 100 ")
            else { throw Failure(description: "expected 100 Continue, got \(String(decoding: received, as: UTF8.self))") }
            received.removeFirst(end)
        }
        if let chunks {
            for chunk in chunks {
                try write(fd, Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10])
            }
            try write(fd, Array("0\r\n\r\n".utf8))
        } else if !body.isEmpty {
            try write(fd, body)
        }

        while true {
            let chunk = try readSome(fd)
            if chunk.isEmpty { break }
            received += chunk
        }
        if received.isEmpty { return nil }
        guard let headEnd = findHeadEnd(received) else {
            throw Failure(description: "incomplete response head: \(String(decoding: received, as: UTF8.self))")
        }
        let lines = String(decoding: received[..<(headEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines[0])")
        }
        var responseHeaders: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            responseHeaders[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        var responseBody = Array(received[headEnd...])
        if responseHeaders["transfer-encoding"]?.contains("chunked") == true {
            responseBody = try dechunk(responseBody)
        }
        return RawResponse(status: status, headers: responseHeaders, body: responseBody)
    }

    /// Like `send`, but a missing response is a failure.
    static func request(_ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8] = [],
                        chunks: [[UInt8]]? = nil, expectContinue: Bool = false) throws -> RawResponse {
        guard let response = try send(method, url, headers: headers, body: body, chunks: chunks,
                                      expectContinue: expectContinue) else {
            throw Failure(description: "\(method) \(url): connection closed without a response")
        }
        return response
    }

    private static func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<(bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                      .split(separator: ";").first ?? "", radix: 16)
            else { throw Failure(description: "bad chunked body") }
            if size == 0 { break }
            output += bytes[(lineEnd + 2)..<min(bytes.count, lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
        }
        return output
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += count
        }
    }

    private static func readSome(_ fd: Int32) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if count < 0 {
            // A reset after the server closed with unread data counts as the end of the response.
            if errno == ECONNRESET { return [] }
            throw Failure(description: "recv failed: errno \(errno)")
        }
        return Array(buffer[..<count])
    }
}

/// The result of running a command-line tool.
struct ToolResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a tool from PATH, feeding `input` to its standard input; kills it after `timeout` seconds.
func runTool(_ name: String, _ arguments: [String], input: [UInt8] = [], timeout: TimeInterval = 60) async throws -> ToolResult {
    ToolResult(try await LabProcess.run(name, arguments, input: input, timeout: timeout))
}

func runToolBlocking(_ name: String, _ arguments: [String], input: [UInt8], timeout: TimeInterval) throws -> ToolResult {
    ToolResult(try LabProcess.runBlocking(name, arguments, input: input, timeout: timeout))
}

extension ToolResult {
    init(_ output: LabProcess.Output) {
        self.init(status: output.status, output: String(decoding: output.stdout, as: UTF8.self),
                  error: String(decoding: output.stderr, as: UTF8.self))
    }
}

/// `sha256:<hex>` of `bytes`, computed with the openssl CLI (the test target depends on RegistryLab only).
/// (A short-lived process, run in place: the callers are synchronous helpers.)
func sha256Digest(_ bytes: [UInt8]) throws -> String {
    let result = try runToolBlocking("openssl", ["dgst", "-sha256", "-r"], input: bytes, timeout: 60)
    guard result.status == 0, let hex = result.output.split(separator: " ").first, hex.count == 64 else {
        throw RawHTTP.Failure(description: "openssl dgst failed: \(result.error)")
    }
    return "sha256:\(hex)"
}

/// Uploads a blob with POST + PUT (the two-step monolithic upload) to `baseURL`; returns its digest.
@discardableResult
func pushBlob(_ bytes: [UInt8], repository: String, baseURL: String, headers: [String: String] = [:]) throws -> String {
    let digest = try sha256Digest(bytes)
    let started = try RawHTTP.request("POST", "\(baseURL)/v2/\(repository)/blobs/uploads/", headers: headers)
    guard started.status == 202, let location = started.headers["location"] else {
        throw RawHTTP.Failure(description: "upload start answered \(started.status): \(started.text)")
    }
    let separator = location.contains("?") ? "&" : "?"
    let finished = try RawHTTP.request("PUT", "\(location)\(separator)digest=\(digest)", headers: headers, body: bytes)
    guard finished.status == 201 else {
        throw RawHTTP.Failure(description: "upload finish answered \(finished.status): \(finished.text)")
    }
    return digest
}

/// Deterministic pseudo-random bytes, so a corrupted or truncated copy cannot match by accident.
func patternBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

func basicAuthorization(_ username: String, _ password: String) -> String {
    "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
}
