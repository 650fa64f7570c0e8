import Foundation
import OCI

/// The bounded buffer between the two halves of a relay: a blob GET from the source registry
/// feeds a PUT or PATCH to the destination, both driven by the engine thread. Only that thread
/// touches a pipe, so it needs no lock.
///
/// Bytes are hashed as they arrive. The final byte of the blob is held back from the upload until
/// the download has ended and matched the expected digest and size, so a registry never receives
/// a complete upload of corrupted content: on a mismatch the upload is aborted instead.
final class BlobPipe {
    enum State { case streaming, verified, failed(TransportError) }

    let expectedDigest: Digest
    let expectedSize: Int64
    let progress: ByteCounter?
    /// Buffered bytes at which the download is paused (peak memory per relay).
    let capacity: Int

    private var hasher: DigestHasher
    /// A ring allocated once per relay. It holds `capacity` plus one libcurl write (at most
    /// `maxChunk`), because a chunk is taken whole whenever the buffer is not yet full.
    private let ring: UnsafeMutableRawBufferPointer
    private var head = 0
    private(set) var buffered = 0
    private(set) var received: Int64 = 0
    private(set) var delivered: Int64 = 0
    private(set) var state: State = .streaming

    var producerPaused = false
    var consumerPaused = false

    /// The largest chunk libcurl hands a write callback (its receive buffer, set per transfer).
    static let maxChunk = 512 * 1024

    init(expectedDigest: Digest, expectedSize: Int64, progress: ByteCounter?, capacity: Int = 1 << 20) {
        self.expectedDigest = expectedDigest
        self.expectedSize = expectedSize
        self.progress = progress
        // A small blob never needs more ring than its own size.
        self.capacity = Int(min(Int64(capacity), max(1, expectedSize)))
        self.hasher = DigestHasher(expectedDigest.algorithm)
        ring = .allocate(byteCount: self.capacity + Self.maxChunk, alignment: 16)
    }

    deinit { ring.deallocate() }

    enum Accept { case accepted, full, tooLarge }

    /// Takes a chunk from the download, or says to pause it while the buffer is full.
    func accept(_ bytes: UnsafeRawBufferPointer) -> Accept {
        if buffered >= capacity { return .full }
        if received + Int64(bytes.count) > expectedSize { return .tooLarge }
        precondition(bytes.count <= Self.maxChunk, "libcurl delivered more than its receive buffer")
        hasher.update(bytes)
        // Copy into the ring, wrapping at most once.
        let tail = (head + buffered) % ring.count
        let first = min(bytes.count, ring.count - tail)
        ring.baseAddress!.advanced(by: tail).copyMemory(from: bytes.baseAddress!, byteCount: first)
        if first < bytes.count {
            ring.baseAddress!.copyMemory(from: bytes.baseAddress!.advanced(by: first), byteCount: bytes.count - first)
        }
        buffered += bytes.count
        received += Int64(bytes.count)
        progress?.add(Int64(bytes.count))
        return .accepted
    }

    enum Read { case bytes(Int), end, pause, abort }

    /// Fills an upload buffer. Everything but the last byte flows freely; the last byte waits
    /// for the verified end of the download.
    func read(into out: UnsafeMutableRawBufferPointer) -> Read {
        let limit: Int64
        switch state {
        case .failed: return .abort
        case .verified: limit = expectedSize
        case .streaming: limit = expectedSize - 1
        }
        let allowed = Int(min(Int64(buffered), limit - delivered, Int64(out.count)))
        if allowed <= 0 {
            if case .verified = state, delivered == expectedSize { return .end }
            return .pause
        }
        let first = min(allowed, ring.count - head)
        out.baseAddress!.copyMemory(from: ring.baseAddress!.advanced(by: head), byteCount: first)
        if first < allowed {
            out.baseAddress!.advanced(by: first).copyMemory(from: ring.baseAddress!, byteCount: allowed - first)
        }
        head = (head + allowed) % ring.count
        buffered -= allowed
        delivered += Int64(allowed)
        return .bytes(allowed)
    }

    /// The download ended with a success status: check what arrived.
    func finishDownload(url: String) {
        guard case .streaming = state else { return }
        let digest = hasher.finalize()
        if received != expectedSize {
            fail(TransportError(kind: .contentMismatch, url: url,
                                message: "blob \(expectedDigest) ended after \(received) of \(expectedSize) bytes"))
        } else if digest != expectedDigest {
            fail(TransportError(kind: .contentMismatch, url: url,
                                message: "blob content does not match its digest: expected \(expectedDigest), got \(digest)"))
        } else {
            state = .verified
        }
    }

    func fail(_ error: TransportError) {
        if case .streaming = state {
            state = .failed(error)
            buffered = 0
        }
    }

    var failure: TransportError? {
        if case .failed(let error) = state { return error }
        return nil
    }
}
