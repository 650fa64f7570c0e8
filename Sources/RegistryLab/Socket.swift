#if canImport(Glibc)
import Glibc
private let posixListen = Glibc.listen
private let posixConnect = Glibc.connect
private let posixClose = Glibc.close
#elseif canImport(Darwin)
import Darwin
private let posixListen = Darwin.listen
private let posixConnect = Darwin.connect
private let posixClose = Darwin.close
#endif
import Foundation

/// Thin wrappers over the POSIX socket calls the lab needs, loopback (127.0.0.1) only.
enum Loopback {
    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    /// Writes to a peer that has gone away must fail with EPIPE, not kill the test process with SIGPIPE.
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamType = SOCK_STREAM
    static let sendFlags: Int32 = 0
    #endif

    static func address(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    static func newSocket() throws -> Int32 {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw LabError.socket(call: "socket", errno: errno) }
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return fd
    }

    /// Binds a listening socket to 127.0.0.1 on `port` (0 = let the kernel choose) and returns it with its port.
    static func listen(port: UInt16 = 0, backlog: Int32 = 128) throws -> (fd: Int32, port: UInt16) {
        let fd = try newSocket()
        do {
            var address = address(port: port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw LabError.socket(call: "bind", errno: errno) }
            if backlog > 0 {
                guard posixListen(fd, backlog) == 0 else { throw LabError.socket(call: "listen", errno: errno) }
            }
            return (fd, try localPort(of: fd))
        } catch {
            close(fd)
            throw error
        }
    }

    static func localPort(of fd: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw LabError.socket(call: "getsockname", errno: errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A port that was free a moment ago. Another process may take it before it is used,
    /// so whoever binds it later must be ready to retry (the registry start does).
    static func freePort() throws -> UInt16 {
        let (fd, port) = try listen(port: 0, backlog: 0)
        close(fd)
        return port
    }

    /// Connects to 127.0.0.1:`port`; loopback connects succeed or fail at once, so no connect timeout is needed.
    static func connect(port: UInt16) throws -> Int32 {
        let fd = try newSocket()
        var address = address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                posixConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw LabError.socket(call: "connect to 127.0.0.1:\(port)", errno: code)
        }
        return fd
    }

    /// Makes blocking reads on `fd` fail with EAGAIN after `seconds` of silence, so a stuck peer cannot pin a thread forever.
    static func setReceiveTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// What one readiness probe saw.
    enum Probe: Equatable {
        case answered
        /// Why not, in a few words, for the error a registry that never starts gets.
        case failed(String)
    }

    /// Whether something on 127.0.0.1:`port` answers a plain `GET /v2/` with anything that looks like HTTP.
    /// A TLS server counts too: Go answers plaintext HTTP on a TLS port with `HTTP/1.0 400`.
    static func probeHTTP(port: UInt16) -> Probe {
        let fd: Int32
        do {
            fd = try connect(port: port)
        } catch {
            return .failed("\(error)".replacingOccurrences(of: "RegistryLab: ", with: ""))
        }
        defer { close(fd) }
        setReceiveTimeout(fd, seconds: 2)
        let connection = SocketConnection(fd: fd)
        do {
            try connection.write(Array("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))
            var received: [UInt8] = []
            while received.count < 5 {
                let chunk = try connection.readSome()
                if chunk.isEmpty { break }
                received.append(contentsOf: chunk)
            }
            if received.starts(with: Array("HTTP/".utf8)) { return .answered }
            return .failed(received.isEmpty ? "connected, no answer" : "connected, answer not HTTP")
        } catch {
            return .failed("connected, then \(error)".replacingOccurrences(of: "RegistryLab: ", with: ""))
        }
    }
}

/// A blocking, buffered connection over one socket, used by one thread at a time.
///
/// Reads go through a fixed 64 KiB buffer, so copying a body of any size needs no more memory than that.
final class SocketConnection {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: SocketConnection.bufferSize)
    private var start = 0
    private var end = 0
    private(set) var isClosed = false

    static let bufferSize = 64 * 1024

    init(fd: Int32) {
        self.fd = fd
    }

    /// Bytes already read from the socket but not yet consumed.
    var bufferedCount: Int { end - start }

    /// Reads more bytes into the buffer; returns false at end of stream.
    private func fill() throws -> Bool {
        if start == end {
            start = 0
            end = 0
        } else if end == buffer.count {
            // Make room by moving the unconsumed bytes to the front.
            buffer.withUnsafeMutableBufferPointer { pointer in
                let base = pointer.baseAddress!
                memmove(base, base + start, end - start)
            }
            end -= start
            start = 0
        }
        guard end < buffer.count else { throw LabError.http("message head larger than \(buffer.count) bytes") }
        while true {
            let count = buffer.withUnsafeMutableBytes { pointer in
                recv(fd, pointer.baseAddress! + end, pointer.count - end, 0)
            }
            if count > 0 {
                end += count
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            throw LabError.socket(call: "recv", errno: errno)
        }
    }

    /// Reads an HTTP message head up to and including the blank line.
    /// Returns nil if the peer closed the connection before sending anything.
    func readHead() throws -> [UInt8]? {
        // Offsets are kept relative to `start` because fill() may move the unconsumed bytes.
        var scanned = 0
        while true {
            // A TLS handshake record (0x16) is not HTTP: refuse it at once, as Go's server does,
            // instead of waiting for a blank line that never comes.
            if end > start, buffer[start] == 0x16 { throw LabError.http("TLS handshake sent to a plain-HTTP server") }
            var index = start + scanned
            while index + 3 < end {
                if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                    let head = Array(buffer[start..<(index + 4)])
                    start = index + 4
                    return head
                }
                index += 1
            }
            scanned = index - start
            guard try fill() else {
                if end == start { return nil }
                throw LabError.http("connection closed in the middle of a message head")
            }
        }
    }

    /// Reads one CRLF-terminated line (without the CRLF), for chunked framing.
    func readLine() throws -> [UInt8] {
        while true {
            var index = start
            while index + 1 < end {
                if buffer[index] == 13, buffer[index + 1] == 10 {
                    let line = Array(buffer[start..<index])
                    start = index + 2
                    return line
                }
                index += 1
            }
            guard try fill() else { throw LabError.http("connection closed in the middle of a line") }
        }
    }

    /// Returns the next available bytes (at most `limit`), waiting for some if none are buffered.
    /// An empty result means end of stream. The slice is only valid until the next read.
    func readSome(limit: Int = Int.max) throws -> ArraySlice<UInt8> {
        if start == end {
            guard try fill() else { return [] }
        }
        let count = min(end - start, limit)
        let slice = buffer[start..<(start + count)]
        start += count
        return slice
    }

    /// Passes exactly `count` bytes to `sink` in buffer-sized pieces.
    func copy(count: Int, to sink: (ArraySlice<UInt8>) throws -> Void) throws {
        var remaining = count
        while remaining > 0 {
            let piece = try readSome(limit: remaining)
            guard !piece.isEmpty else { throw LabError.http("connection closed with \(remaining) body bytes outstanding") }
            remaining -= piece.count
            try sink(piece)
        }
    }

    /// Passes everything until the peer closes to `sink`.
    func copyToEnd(to sink: (ArraySlice<UInt8>) throws -> Void) throws {
        while true {
            let piece = try readSome()
            if piece.isEmpty { return }
            try sink(piece)
        }
    }

    /// Writes all of `bytes`.
    func write<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { try write(raw: UnsafeRawBufferPointer($0)) }
        if done == nil {
            try Array(bytes).withUnsafeBytes { try write(raw: $0) }
        }
    }

    private func write(raw: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < raw.count {
            let count = send(fd, raw.baseAddress! + offset, raw.count - offset, Loopback.sendFlags)
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                throw LabError.socket(call: "send", errno: errno)
            }
        }
    }

    /// Tells the peer no more bytes will come, keeping the read side open.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the socket (idempotent). Connections owned by a `LoopbackHTTPServer` are closed by the server instead.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = posixClose(fd)
    }
}
