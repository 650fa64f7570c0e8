internal import Crypto
import Foundation

/// A content digest, `algorithm:encoded`, as used by OCI descriptors and the distribution API.
///
/// Only canonical digests are accepted: a known algorithm and lowercase hex of the exact length.
/// A registry compares digests as strings, so a non-canonical form would name different content.
/// Source: opencontainers/image-spec `descriptor.md#digests`.
public struct Digest: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The hash function behind a digest.
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case sha256
        case sha512

        /// Length of the hex-encoded hash: 64 for SHA-256, 128 for SHA-512.
        public var encodedLength: Int {
            switch self {
            case .sha256: 64
            case .sha512: 128
            }
        }
    }

    /// The hash function.
    public let algorithm: Algorithm
    /// The hash as lowercase hex: 64 characters for SHA-256, 128 for SHA-512.
    public let encoded: String

    /// Parses `"sha256:<hex>"` or `"sha512:<hex>"`.
    /// - Throws: `.invalidDigest` quoting `text` for a missing colon, an unknown algorithm,
    ///   uppercase or non-hex characters, or the wrong length.
    public init(parsing text: String) throws(OCIError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw OCIError(.invalidDigest, "invalid digest \(quoted(text)): missing \":\"; expected \"sha256:<64 lowercase hex characters>\"")
        }
        let name = text[..<colon]
        guard let algorithm = Algorithm(rawValue: String(name)) else {
            throw OCIError(.invalidDigest, "invalid digest \(quoted(text)): unsupported algorithm \(quoted(name)); expected sha256 or sha512")
        }
        let encoded = String(text[text.index(after: colon)...])
        if let problem = Digest.problem(encoded: encoded, algorithm: algorithm) {
            throw OCIError(.invalidDigest, "invalid digest \(quoted(text)): \(problem)")
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// Creates a digest from its parts, validating `encoded` against `algorithm`.
    /// - Throws: `.invalidDigest` when `encoded` is not lowercase hex of the algorithm's length.
    public init(algorithm: Algorithm, encoded: String) throws(OCIError) {
        if let problem = Digest.problem(encoded: encoded, algorithm: algorithm) {
            throw OCIError(.invalidDigest, "invalid digest \(quoted("\(algorithm.rawValue):\(encoded)")): \(problem)")
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// Parses a digest, or returns nil; see ``init(parsing:)``.
    public init?(_ description: String) {
        guard let digest = try? Digest(parsing: description) else { return nil }
        self = digest
    }

    /// For hashes computed here, which are canonical by construction.
    private init(trusted algorithm: Algorithm, encoded: String) {
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// Computes the SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> Digest {
        compute(.sha256, bytes)
    }

    /// Computes the digest of `bytes` with `algorithm`.
    public static func compute(_ algorithm: Algorithm, _ bytes: some DataProtocol) -> Digest {
        switch algorithm {
        case .sha256: Digest(trusted: .sha256, encoded: hex(SHA256.hash(data: bytes)))
        case .sha512: Digest(trusted: .sha512, encoded: hex(SHA512.hash(data: bytes)))
        }
    }

    /// Wraps a finished hash; used by ``DigestHasher``.
    static func make(_ algorithm: Algorithm, hash: some Sequence<UInt8>) -> Digest {
        Digest(trusted: algorithm, encoded: hex(hash))
    }

    /// `"sha256:<hex>"`.
    public var description: String { "\(algorithm.rawValue):\(encoded)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Digest(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Describes what is wrong with `encoded`, or nil when it is canonical for `algorithm`.
    private static func problem(encoded: String, algorithm: Algorithm) -> String? {
        let expected = "expected \(algorithm.rawValue):<\(algorithm.encodedLength) lowercase hex characters>"
        var count = 0
        for byte in encoded.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                count += 1
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                return "uppercase hex is not allowed; \(expected)"
            default:
                return "non-hex character in the encoded part; \(expected)"
            }
        }
        if count != algorithm.encodedLength {
            return "the encoded part has \(count) characters; \(expected)"
        }
        return nil
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(128)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
