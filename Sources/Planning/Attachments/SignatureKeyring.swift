import Foundation
import OCI

/// The keys of `--signature-key [SCOPE=]FILE`: each applies to every image, or, with a scope,
/// to the images whose source is in that registry, repository or namespace (`quay.io`,
/// `quay.io/openshift-release-dev`, `registry.example.com/team/app`), as containers' policy
/// scopes read. An image no key applies to is mirrored with its signatures as they are; one
/// that keys apply to must carry a signature that verifies with one of them.
public struct SignatureKeyring: SignatureVerifying {
    public struct Entry: Sendable {
        /// nil: every image.
        public var scope: String?
        public var key: CosignPublicKey
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Loads `[SCOPE=]FILE` arguments; errors name the file and say what is wrong.
    public init(arguments: [String]) throws(CosignSignatureError) {
        var entries: [Entry] = []
        for argument in arguments {
            // A path may hold '=', a scope may not hold '/' before a '=' that ends it: split at the
            // first '=' only when what comes before reads as a registry or repository.
            var scope: String?
            var path = argument
            if let equals = argument.firstIndex(of: "="), !argument[..<equals].isEmpty,
               !argument[..<equals].hasPrefix("/"), !argument[..<equals].hasPrefix(".") {
                scope = String(argument[..<equals])
                path = String(argument[argument.index(after: equals)...])
            }
            entries.append(Entry(scope: scope, key: try CosignPublicKey(contentsOfFile: path)))
        }
        self.entries = entries
    }

    /// The keys that apply to an image.
    public func keys(for image: ImageReference) -> [CosignPublicKey] {
        let name = image.repository.description
        return entries.filter { entry in
            guard let scope = entry.scope?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) else { return true }
            return name == scope || name.hasPrefix(scope + "/")
        }.map(\.key)
    }

    public func applies(to image: ImageReference) -> Bool { !keys(for: image).isEmpty }

    public func refusal(of signature: ManifestDocument, payloads: [Digest: Data], subject: Digest, image: ImageReference) -> String? {
        let keys = keys(for: image)
        guard !keys.isEmpty else { return nil }
        switch CosignSignatureVerifier(keys: keys).verify(signature, payloads: payloads, subject: subject) {
        case .verified: return nil
        case .refused(let refusal): return refusal.description.replacingOccurrences(of: "\n", with: "; ")
        }
    }
}
