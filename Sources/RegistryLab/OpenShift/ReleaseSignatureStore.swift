import Foundation
import OCI

/// The release signatures the lab serves at `…/sha256=<hex>/signature-1`, with per-digest faults.
final class ReleaseSignatureStore: Sendable {
    /// What is served for a digest right now.
    enum Answer: Equatable {
        case signature(Data)
        case status(Int)
    }

    private let state: LabLocked<State>

    private struct State {
        var signatures: [Digest: Data]
        /// Fault bytes are made when the fault is set (a wrong-digest signature needs gpg).
        var overrides: [Digest: Answer] = [:]
    }

    init(signatures: [Digest: Data]) {
        state = LabLocked(State(signatures: signatures))
    }

    /// The simple-signing payload Red Hat signs: `critical.identity.docker-reference` (the payload
    /// by tag), `critical.image.docker-manifest-digest`, and an `optional.creator`.
    static func simpleSigningMessage(dockerReference: String, digest: Digest) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "critical": [
                "identity": ["docker-reference": dockerReference],
                "image": ["docker-manifest-digest": digest.description],
                "type": "atomic container signature",
            ],
            "optional": ["creator": "ferry lab"],
        ] as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The good signature of a digest, whatever fault is set.
    func signature(for digest: Digest) -> Data? {
        state.withLock { $0.signatures[digest] }
    }

    /// What `signature-<index>` of `digest` answers: only `signature-1` exists, as for every release today.
    func answer(for digest: Digest, index: Int) -> Answer {
        state.withLock { state in
            guard index == 1 else { return .status(404) }
            if let override = state.overrides[digest] { return override }
            return state.signatures[digest].map(Answer.signature) ?? .status(404)
        }
    }

    func setOverride(_ answer: Answer?, for digest: Digest) {
        state.withLock { $0.overrides[digest] = answer }
    }

    /// A copy with a few bytes in the middle inverted, past the packet headers.
    static func corrupted(_ signature: Data) -> Data {
        var bytes = [UInt8](signature)
        let middle = bytes.count / 2
        for index in middle..<min(bytes.count, middle + 4) { bytes[index] ^= 0xFF }
        return Data(bytes)
    }
}
