import Foundation
import OCI
import Planning

/// Signatures and referrers of a run: how many landed (or, in a dry-run, would be in the mirror
/// after it), which images have no usable signature upstream, and the referrer indexes written.
public struct SignatureReport: Sendable {
    /// An image listed in `missing-signatures.txt`.
    public struct Missing: Sendable, Hashable {
        public var image: CollectedImage
        public var digest: Digest
        /// What is wrong: none upstream, refused by the keys, or the lookup failed.
        public var problem: String
        /// Who needs the image: the bundles and packages, the configuration entry, or the release.
        public var neededBy: String
        /// True when the image failed for it (`--signature-policy require`).
        public var failed: Bool
    }

    /// Attachments in the mirror after the run (copied or there already), by kind.
    public var attachments: [Attachment.Kind: Int] = [:]
    /// Of those, the ones the mirror held already.
    public var attachmentsAlreadyThere = 0
    /// Attachments that failed to copy.
    public var attachmentsFailed = 0
    public var missing: [Missing] = []
    /// Referrers fallback-tag indexes written (dry-run: to write) on a mirror without the referrers API.
    public var referrerIndexes = 0
    /// What a person should know (children's refused signatures, fallback tags an image keeps).
    public var notes: [String] = []

    public var attachmentCount: Int { attachments.values.reduce(0, +) }

    /// `missing-signatures.txt`: one line per image, tab-separated, sorted; empty when none.
    public var missingText: String {
        guard !missing.isEmpty else { return "" }
        let lines = missing.map { entry in
            [entry.image.sourceName, entry.digest.description, entry.image.origin.displayName,
             entry.problem.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "),
             entry.neededBy].joined(separator: "\t") + (entry.failed ? "\tFAILED (--signature-policy require)" : "") + "\n"
        }.sorted()
        return "# Images without a usable sigstore signature upstream\n"
            + "# image\tdigest\torigin\tproblem\tneeded by\n" + lines.joined()
    }
}
