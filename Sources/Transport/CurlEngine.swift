import CCurl
import Foundation
import OCI
import Synchronization

/// Async HTTP over one libcurl multi handle, driven by a dedicated thread.
///
/// Callers submit requests from any task; the engine thread alone touches easy handles, so
/// callbacks run without locks. Connections are pooled by the multi handle and reused across
/// requests; HTTP/2 is negotiated over TLS where the server offers it; proxies come from the
/// usual environment variables (libcurl reads `http_proxy`, `https_proxy`, `no_proxy`).
public final class CurlEngine: Sendable {
    /// One engine per process is enough: a single thread keeps up with a GB/s of hashing.
    public static let shared = CurlEngine()

    private let loop: EngineLoop

    public init() {
        _ = curlGlobalInit
        loop = EngineLoop()
        let thread = Thread { [loop] in loop.run() }
        thread.name = "ferry-curl"
        thread.start()
    }

    /// Sends one request and collects its (bounded) response body.
    /// Throws `TransportError` when no complete answer arrived; HTTP error statuses are responses.
    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let results = try await run(CurlJob(specs: [(request, .plain)], pipe: nil))
        return try results[0].get()
    }

    /// The outcome of both halves of a relay.
    public struct RelayResult: Sendable {
        /// The download's response head (its body went to the upload), or why it failed.
        public var download: Result<HTTPResponse, TransportError>
        public var upload: Result<HTTPResponse, TransportError>
    }

    /// Streams a download into an upload without holding the body: the GET's bytes feed the
    /// PUT/PATCH's body through a bounded buffer, hashed on the way. The upload's final byte is
    /// only released once the download matched `digest` and `size`; otherwise the upload is
    /// aborted, so corrupted content is never committed.
    /// - Parameters:
    ///   - download: a GET of the blob.
    ///   - upload: a PUT or PATCH with `body: .relayed` and `relayedLength == size`.
    ///   - progress: counts bytes as they arrive from the download.
    public func relay(download: HTTPRequest, upload: HTTPRequest, digest: Digest, size: Int64,
                      progress: ByteCounter? = nil) async throws -> RelayResult {
        let pipe = BlobPipe(expectedDigest: digest, expectedSize: size, progress: progress)
        var upload = upload
        upload.body = .relayed
        upload.relayedLength = size
        let job = CurlJob(specs: [(download, .producer(pipe)), (upload, .consumer(pipe))], pipe: pipe)
        let results = try await run(job)
        return RelayResult(download: results[0], upload: results[1])
    }

    private func run(_ job: CurlJob) async throws -> [Result<HTTPResponse, TransportError>] {
        let results = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[Result<HTTPResponse, TransportError>], Never>) in
                job.completion = { continuation.resume(returning: $0) }
                loop.submit(.start(job))
            }
        } onCancel: {
            job.cancelled.withLock { $0 = true }
            loop.submit(.cancel(job))
        }
        if results.contains(where: { if case .failure(let e) = $0 { return e.kind == .cancelled }; return false }) {
            throw CancellationError()
        }
        return results
    }
}

private let curlGlobalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

/// A request or a relay pair, from submission to completion.
final class CurlJob: @unchecked Sendable {
    // Set on the submitting thread before `submit`; afterwards only the engine thread touches
    // the job, except `cancelled`, which is locked.
    let specs: [(request: HTTPRequest, role: CurlTransfer.Role)]
    let pipe: BlobPipe?
    let cancelled = Mutex(false)
    var completion: (([Result<HTTPResponse, TransportError>]) -> Void)?

    weak var engineState: EngineLoop?
    var transfers: [CurlTransfer] = []
    var results: [Result<HTTPResponse, TransportError>?]

    init(specs: [(HTTPRequest, CurlTransfer.Role)], pipe: BlobPipe?) {
        self.specs = specs.map { (request: $0.0, role: $0.1) }
        self.pipe = pipe
        self.results = Array(repeating: nil, count: specs.count)
    }
}

/// The engine thread's state and loop.
final class EngineLoop: @unchecked Sendable {
    enum Command { case start(CurlJob), cancel(CurlJob) }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex<[Command]>([])
    // Engine-thread only below.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var wakes: [CurlTransfer] = []

    init() {
        multi = curl_multi_init()
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    func submit(_ command: Command) {
        inbox.withLock { $0.append(command) }
        curl_multi_wakeup(multi)
    }

    func run() {
        var running: Int32 = 0
        while true {
            let commands = inbox.withLock { pending -> [Command] in
                defer { pending.removeAll() }
                return pending
            }
            for command in commands {
                switch command {
                case .start(let job): start(job)
                case .cancel(let job): cancel(job)
                }
            }
            drainWakes()
            curl_multi_perform(multi, &running)
            var done: [(UnsafeMutableRawPointer, CURLcode)] = []
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                    done.append((easy, message.pointee.data.result))
                }
            }
            for (easy, code) in done {
                if let transfer = active[easy] { completed(transfer, code: code) }
            }
            if !wakes.isEmpty || !done.isEmpty { continue }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    // MARK: relay flow control

    func bytesArrived(in pipe: BlobPipe) {
        if pipe.consumerPaused, let job = jobOf(pipe) {
            pipe.consumerPaused = false
            wakes.append(job.transfers[1])
        }
    }

    func bytesTaken(from pipe: BlobPipe) {
        if pipe.producerPaused, pipe.buffered < pipe.capacity, let job = jobOf(pipe) {
            pipe.producerPaused = false
            wakes.append(job.transfers[0])
        }
    }

    private var pipeJobs: [ObjectIdentifier: CurlJob] = [:]

    private func jobOf(_ pipe: BlobPipe) -> CurlJob? { pipeJobs[ObjectIdentifier(pipe)] }

    private func drainWakes() {
        while !wakes.isEmpty {
            let transfer = wakes.removeFirst()
            // Unpausing a download may deliver its held chunk right here, which may queue
            // another wake; the loop takes care of that.
            if !transfer.finished { curl_easy_pause(transfer.easy, CCURL_PAUSE_CONT) }
        }
    }

    // MARK: lifecycle

    private func start(_ job: CurlJob) {
        job.engineState = self
        if job.cancelled.withLock({ $0 }) {
            job.completion?(job.specs.map { cancelledResult($0.request.url) })
            return
        }
        if let pipe = job.pipe { pipeJobs[ObjectIdentifier(pipe)] = job }
        for (index, spec) in job.specs.enumerated() {
            let transfer = CurlTransfer(request: spec.request, role: spec.role, job: job, index: index)
            transfer.configure()
            job.transfers.append(transfer)
            active[transfer.easy] = transfer
            curl_multi_add_handle(multi, transfer.easy)
        }
    }

    private func cancel(_ job: CurlJob) {
        for transfer in job.transfers where !transfer.finished {
            finish(transfer, cancelledResult(transfer.request.url))
        }
    }

    private func cancelledResult(_ url: String) -> Result<HTTPResponse, TransportError> {
        .failure(TransportError(kind: .cancelled, url: url, message: "cancelled"))
    }

    private func completed(_ transfer: CurlTransfer, code: CURLcode) {
        var result: Result<HTTPResponse, TransportError>
        let fileClosed = transfer.closeFile()
        if let failure = transfer.bodyFileFailure {
            result = .failure(TransportError(kind: .localFile, url: transfer.request.url, message: failure))
        } else if let failure = transfer.fileFailure ?? (fileClosed ? nil : "cannot finish writing \(transfer.request.responseFile ?? "")") {
            result = .failure(TransportError(kind: .curl(code: Int32(CURLE_WRITE_ERROR.rawValue)), url: transfer.request.url,
                                             message: failure))
        } else if transfer.tooLarge {
            result = .failure(TransportError(kind: .responseTooLarge, url: transfer.request.url,
                                             message: "response body exceeds \(transfer.request.maxResponseBytes) bytes"))
        } else if code == CURLE_OK {
            result = .success(HTTPResponse(status: transfer.status, headers: transfer.headers,
                                           body: transfer.responseBody, effectiveURL: transfer.effectiveURL))
        } else {
            result = .failure(TransportError(kind: .curl(code: Int32(code.rawValue)), url: transfer.request.url,
                                             message: transfer.errorText))
        }

        switch transfer.role {
        case .plain:
            break
        case .producer(let pipe):
            switch result {
            case .success(let response) where response.isSuccess:
                pipe.finishDownload(url: transfer.request.url)
                if let failure = pipe.failure { result = .failure(failure) }
            case .success(let response):
                pipe.fail(TransportError(kind: .relayAborted, url: transfer.request.url,
                                         message: "the download answered HTTP \(response.status)"))
            case .failure(let error):
                // A size overrun detected in the write callback is the better explanation.
                if let failure = pipe.failure { result = .failure(failure) } else { pipe.fail(error) }
            }
            let consumer = transfer.job.transfers[1]
            if !consumer.finished {
                pipe.consumerPaused = false
                wakes.append(consumer)
            }
        case .consumer(let pipe):
            if case .failure = result, let cause = pipe.failure {
                result = .failure(TransportError(kind: .relayAborted, url: transfer.request.url,
                                                 message: "upload stopped because the download failed: \(cause.message)"))
            }
            let producer = transfer.job.transfers[0]
            if !producer.finished {
                finish(producer, .failure(TransportError(kind: .relayAborted, url: producer.request.url,
                                                         message: "download stopped because the upload ended first")))
            }
        }
        finish(transfer, result)
    }

    /// Removes the handle and records the result; completes the job when every half is done.
    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, TransportError>) {
        guard !transfer.finished else { return }
        transfer.finished = true
        curl_multi_remove_handle(multi, transfer.easy)
        active.removeValue(forKey: transfer.easy)
        let job = transfer.job
        job.results[transfer.index] = result
        if job.results.allSatisfy({ $0 != nil }) {
            if let pipe = job.pipe { pipeJobs.removeValue(forKey: ObjectIdentifier(pipe)) }
            let results = job.results.map { $0! }
            let completion = job.completion
            job.completion = nil
            // Break the job ↔ transfer cycle so the easy handles are cleaned up.
            job.transfers.removeAll()
            completion?(results)
        }
    }
}
