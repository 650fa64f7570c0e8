internal import Crypto
import Foundation

/// Incremental hashing for streamed bodies: feed chunks as they arrive, then take the digest.
///
/// A plain struct rather than an actor or class, because it is driven from a C callback thread
/// (libcurl's write callback) that must not hop to an executor per chunk.
public struct DigestHasher: Sendable {
    // Two optionals rather than an enum with payloads: swift-crypto's hashers are copy-on-write,
    // and mutating through optional chaining stays in place, where re-wrapping an enum payload
    // would copy the hash context on every chunk.
    private var sha256: SHA256?
    private var sha512: SHA512?

    /// Starts a hash with `algorithm`.
    public init(_ algorithm: Digest.Algorithm = .sha256) {
        switch algorithm {
        case .sha256: sha256 = SHA256()
        case .sha512: sha512 = SHA512()
        }
    }

    /// The algorithm this hasher computes.
    public var algorithm: Digest.Algorithm {
        sha256 != nil ? .sha256 : .sha512
    }

    /// Adds raw bytes, as handed over by a C callback.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256?.update(bufferPointer: bytes)
        sha512?.update(bufferPointer: bytes)
    }

    /// Adds bytes.
    public mutating func update(_ bytes: some DataProtocol) {
        sha256?.update(data: bytes)
        sha512?.update(data: bytes)
    }

    /// The digest and size of a file's bytes, read in 1 MiB chunks; reading stops once more than
    /// `maxBytes` were read (a file that keeps growing is not followed).
    /// - Returns: nil when the file cannot be opened or read.
    public static func digest(ofFileAt path: String, algorithm: Digest.Algorithm, maxBytes: Int64 = .max)
        -> (digest: Digest, size: Int64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = DigestHasher(algorithm)
        var size: Int64 = 0
        do {
            while size <= maxBytes {
                // Up to one byte past `maxBytes`, so that a longer file shows as longer.
                let left = maxBytes - size
                guard let chunk = try handle.read(upToCount: left < 1 << 20 ? Int(left) + 1 : 1 << 20), !chunk.isEmpty else { break }
                hasher.update(chunk)
                size += Int64(chunk.count)
            }
        } catch {
            return nil
        }
        return (hasher.finalize(), size)
    }

    /// The digest of everything added so far. Consuming: a finished hash takes no more bytes.
    public consuming func finalize() -> Digest {
        if let sha256 {
            return Digest.make(.sha256, hash: sha256.finalize())
        }
        // init sets exactly one of the two.
        return Digest.make(.sha512, hash: sha512!.finalize())
    }
}
