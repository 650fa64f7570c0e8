import Foundation

/// The lab's release-signing key: a GnuPG key made once per upstream in its own GNUPGHOME under
/// the lab root (never the user's), used the way Red Hat signs release payloads — `gpg --sign`,
/// a binary OpenPGP signed message (ZIP-compressed, as theirs are).
///
/// gpg starts a `gpg-agent` for secret-key operations; each batch of signing ends by stopping it,
/// so no agent outlives the work even if `stop()` is never called.
final class ReleaseSigningKey: Sendable {
    /// What the key is called in its user ID.
    static let userID = "Ferry Lab Release Signing Key <release-signing@lab.ferry.invalid>"

    /// Which key algorithm to generate.
    enum Algorithm: Sendable {
        case rsa(bits: Int)
        case ed25519

        var gpgName: String {
            switch self {
            case .rsa(let bits): "rsa\(bits)"
            case .ed25519: "ed25519"
            }
        }
    }

    let home: URL
    let fingerprint: String
    /// The public key, ASCII-armored (what oc-mirror's `OCP_SIGNATURE_VERIFICATION_PK` names).
    let armoredPublicKey: URL
    /// The same key as a binary keyring, for `gpgv --keyring`.
    let publicKeyring: URL
    private let scratch: URL
    private let lock = NSLock()

    /// Generates a key without a passphrase in `directory/gnupg`.
    init(directory: URL, algorithm: Algorithm) throws {
        let home = directory.appendingPathComponent("gnupg")
        self.home = home
        scratch = directory.appendingPathComponent("signing-scratch")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // Generating starts an agent; it is not needed again until `sign`, which starts its own.
        defer { Self.stopAgent(home) }
        try LabTools.run("gpg", Self.common(home) + ["--pinentry-mode", "loopback", "--passphrase", "",
                                                     "--quick-gen-key", Self.userID, algorithm.gpgName, "sign", "never"])
        let listing = String(decoding: try LabTools.run("gpg", Self.common(home) + ["--with-colons", "--list-secret-keys"]),
                             as: UTF8.self)
        // The first `fpr` record follows the primary key's `sec` record.
        guard let line = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }),
              let fingerprint = line.split(separator: ":", omittingEmptySubsequences: false).dropFirst(9).first,
              !fingerprint.isEmpty else {
            throw LabError.unsupported("gpg generated no key in \(home.path): \(listing)")
        }
        self.fingerprint = String(fingerprint)
        armoredPublicKey = directory.appendingPathComponent("release-signing-key.asc")
        publicKeyring = directory.appendingPathComponent("release-signing-key.gpg")
        try LabTools.run("gpg", Self.common(home) + ["--armor", "--export", self.fingerprint]).write(to: armoredPublicKey)
        try LabTools.run("gpg", Self.common(home) + ["--export", self.fingerprint]).write(to: publicKeyring)
    }

    /// Signs each message (in order) with `gpg --sign`, then stops the agent.
    func sign(_ messages: [Data]) throws -> [Data] {
        try lock.withLock {
            defer { Self.stopAgent(home) }
            return try messages.enumerated().map { index, message in
                let input = scratch.appendingPathComponent("message-\(index).json")
                let output = scratch.appendingPathComponent("message-\(index).json.gpg")
                defer {
                    try? FileManager.default.removeItem(at: input)
                    try? FileManager.default.removeItem(at: output)
                }
                try message.write(to: input)
                try LabTools.run("gpg", Self.common(home) + [
                    "--pinentry-mode", "loopback", "--passphrase", "",
                    "--local-user", fingerprint, "--digest-algo", "SHA256", "--compress-algo", "zip",
                    // No file name in the literal data packet, as in a signature made from a pipe.
                    "--set-filename", "",
                    "--output", output.path, "--sign", input.path,
                ])
                return try Data(contentsOf: output)
            }
        }
    }

    /// Stops the home's `gpg-agent`, if one runs. Idempotent.
    func stopAgent() {
        lock.withLock { Self.stopAgent(home) }
    }

    private static func stopAgent(_ home: URL) {
        _ = try? LabTools.run("gpgconf", ["--homedir", home.path, "--kill", "gpg-agent"])
    }

    private static func common(_ home: URL) -> [String] {
        ["--batch", "--no-tty", "--quiet", "--homedir", home.path]
    }
}
