import CCurl
import Foundation

/// One easy handle and everything its callbacks touch. Owned by the engine thread from the
/// moment it is started; the callbacks below run on that thread.
final class CurlTransfer {
    enum Role { case plain, producer(BlobPipe), consumer(BlobPipe) }

    let request: HTTPRequest
    let role: Role
    let easy: UnsafeMutableRawPointer
    unowned let job: CurlJob
    let index: Int

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var uploadOffset = 0
    private var bodyBytes = Data()
    /// The open `.file` request body, from the first read on.
    private var bodyFile: UnsafeMutablePointer<FILE>?

    var status = 0
    var headers = HTTPHeaders()
    var responseBody = Data()
    var tooLarge = false
    var finished = false
    /// `request.responseFile`, once the first body bytes of a success arrived.
    private var file: UnsafeMutablePointer<FILE>?
    var fileFailure: String?
    /// Why a `.file` request body could not be sent whole.
    var bodyFileFailure: String?

    init(request: HTTPRequest, role: Role, job: CurlJob, index: Int) {
        self.request = request
        self.role = role
        self.job = job
        self.index = index
        self.easy = curl_easy_init()
        errorBuffer.initialize(to: 0)
        if case .bytes(let data) = request.body { bodyBytes = data }
    }

    deinit {
        closeFile()
        if let bodyFile { fclose(bodyFile) }
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    var isSuccessStatus: Bool { (200..<300).contains(status) }

    /// Sets every option; call once before adding the handle to the multi.
    func configure() {
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        if verboseTransfers { _ = ccurl_easy_setopt_long(easy, CURLOPT_VERBOSE, 1) }
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        _ = ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, "ferry/0.1")
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT, 30)
        // A stall watchdog instead of a per-image deadline: a transfer that moves less than its
        // minimum rate over the window is abandoned (and retried by the caller), however large.
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, max(1, request.minimumRate.bytesPerSecond))
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, request.minimumRate.windowSeconds))
        _ = ccurl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, BlobPipe.maxChunk)
        if let timeout = request.timeout {
            let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(max(1, milliseconds)))
        }
        _ = ccurl_easy_setopt_header_function(easy, headerCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        _ = ccurl_easy_setopt_write_function(easy, writeCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)

        // TLS: verified unless a person turned it off for this registry.
        _ = ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, request.tls.verify ? 1 : 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, request.tls.verify ? 2 : 0)
        if request.tls.verify, let bundle = request.tls.trustBundle {
            // libcurl copies the blob (CURL_BLOB_COPY) and never writes to it.
            bundle.withUnsafeBytes { raw in
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: raw.baseAddress), len: raw.count,
                                     flags: UInt32(CURL_BLOB_COPY))
                _ = ccurl_easy_setopt_blob(easy, CURLOPT_CAINFO_BLOB, &blob)
            }
        }

        var headers = request.headers
        switch request.method {
        case .get:
            break
        case .head:
            _ = ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        case .delete:
            _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, "DELETE")
        case .put, .post, .patch:
            // One code path for every body: UPLOAD with a read callback and a known length;
            // the method name is set explicitly for POST and PATCH.
            _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            if request.method != .put {
                _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
            let length: Int64
            switch request.body {
            case .none: length = 0
            case .bytes(let data): length = Int64(data.count)
            case .relayed: length = request.relayedLength
            case .file(_, let size): length = size
            }
            _ = ccurl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(length))
            _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD_BUFFERSIZE, 512 * 1024)
            _ = ccurl_easy_setopt_read_function(easy, readCallback)
            _ = ccurl_easy_setopt_pointer(easy, CURLOPT_READDATA, me)
            // Go registries answer uploads over HTTP/2 several times slower than over HTTP/1.1
            // (notes/registry-limits.md), so uploads stay on HTTP/1.1.
            _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
            // No "Expect: 100-continue" round trip before each body.
            headers.set("Expect", "")
            if headers["Content-Type"] == nil { headers.set("Content-Type", "application/octet-stream") }
        }
        if request.followRedirects && (request.method == .get || request.method == .head) {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
            _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
        }
        for (name, value) in headers {
            // "Name:" with nothing after it tells libcurl to drop a header it would add itself.
            let line = value.isEmpty ? "\(name):" : "\(name): \(value)"
            headerList = curl_slist_append(headerList, line)
        }
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
    }

    /// Flushes and closes the response file; true when everything reached it.
    @discardableResult
    func closeFile() -> Bool {
        guard let open = file else { return true }
        file = nil
        return fclose(open) == 0
    }

    var errorText: String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? "transfer failed" : text
    }

    var effectiveURL: String {
        var pointer: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &pointer)
        return pointer.map { String(cString: $0) } ?? request.url
    }

    // MARK: callbacks (engine thread)

    func onHeader(_ bytes: UnsafeRawBufferPointer) {
        // "\r\n" is a single Character in Swift, so trim by character set, not by suffix.
        guard let raw = String(bytes: bytes, encoding: .utf8) ?? String(bytes: bytes, encoding: .isoLatin1) else { return }
        let line = raw.trimmingCharacters(in: .newlines)
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim 100 or a redirect came first; start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
        }
    }

    /// Returns the number of bytes taken, 0 to abort, or CURL_WRITEFUNC_PAUSE.
    func onWrite(_ bytes: UnsafeRawBufferPointer) -> Int {
        if case .producer(let pipe) = role, isSuccessStatus {
            switch pipe.accept(bytes) {
            case .accepted:
                job.engineState?.bytesArrived(in: pipe)
                return bytes.count
            case .full:
                pipe.producerPaused = true
                return CCURL_WRITEFUNC_PAUSE
            case .tooLarge:
                pipe.fail(TransportError(kind: .contentMismatch, url: request.url,
                                         message: "blob \(pipe.expectedDigest) is larger than its declared \(pipe.expectedSize) bytes"))
                return 0
            }
        }
        if let path = request.responseFile, isSuccessStatus {
            if file == nil {
                file = fopen(path, "wb")
                if file == nil {
                    fileFailure = "cannot write \(path): \(String(cString: strerror(errno)))"
                    return 0
                }
            }
            guard fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
                fileFailure = "cannot write \(path): \(String(cString: strerror(errno)))"
                return 0
            }
            return bytes.count
        }
        // Plain bodies and error bodies are collected, bounded.
        if responseBody.count + bytes.count > request.maxResponseBytes {
            tooLarge = true
            return 0
        }
        responseBody.append(contentsOf: bytes)
        return bytes.count
    }

    /// Returns bytes written into `out`, 0 at the end, or a pause/abort code.
    func onRead(_ out: UnsafeMutableRawBufferPointer) -> Int {
        switch role {
        case .consumer(let pipe):
            switch pipe.read(into: out) {
            case .bytes(let n):
                job.engineState?.bytesTaken(from: pipe)
                return n
            case .end: return 0
            case .pause:
                pipe.consumerPaused = true
                return CCURL_READFUNC_PAUSE
            case .abort: return CCURL_READFUNC_ABORT
            }
        default:
            if case .file(let path, let length) = request.body {
                return readFile(path, length: length, into: out)
            }
            let n = min(out.count, bodyBytes.count - uploadOffset)
            if n > 0 {
                bodyBytes.withUnsafeBytes { src in
                    out.baseAddress!.copyMemory(from: src.baseAddress!.advanced(by: uploadOffset), byteCount: n)
                }
                uploadOffset += n
            }
            return n
        }
    }
}

extension CurlTransfer {
    /// The next bytes of a `.file` body; a file that cannot be read, or that ends early, aborts
    /// the upload (the registry then never commits a short blob).
    private func readFile(_ path: String, length: Int64, into out: UnsafeMutableRawBufferPointer) -> Int {
        if bodyFile == nil {
            guard let opened = fopen(path, "rb") else {
                bodyFileFailure = "cannot read \(path): \(String(cString: strerror(errno)))"
                return CCURL_READFUNC_ABORT
            }
            bodyFile = opened
        }
        let wanted = min(out.count, Int(length - Int64(uploadOffset)))
        guard wanted > 0 else { return 0 }
        let n = fread(out.baseAddress, 1, wanted, bodyFile)
        guard n == wanted else {
            bodyFileFailure = "cannot read \(path): it ended after \(uploadOffset + n) of \(length) bytes"
            return CCURL_READFUNC_ABORT
        }
        uploadOffset += n
        return n
    }
}

// C function pointers cannot capture; the transfer travels as the user-data pointer.
private let headerCallback: curl_write_callback = { ptr, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    transfer.onHeader(UnsafeRawBufferPointer(start: ptr, count: size * count))
    return size * count
}

private let writeCallback: curl_write_callback = { ptr, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    return transfer.onWrite(UnsafeRawBufferPointer(start: ptr, count: size * count))
}

private let readCallback: curl_read_callback = { ptr, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    return transfer.onRead(UnsafeMutableRawBufferPointer(start: ptr, count: size * count))
}

/// `FERRY_CURL_VERBOSE=1` makes libcurl trace every request on stderr (headers included, so never
/// in CI logs: Authorization headers would show).
private let verboseTransfers = ProcessInfo.processInfo.environment["FERRY_CURL_VERBOSE"] == "1"
