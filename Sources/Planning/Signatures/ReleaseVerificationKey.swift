import Foundation

/// The key release signatures are verified against, and where it came from.
///
/// Chosen in this order (as oc-mirror, plus the RHEL key file): `--release-signature-key FILE`,
/// else `OCP_SIGNATURE_VERIFICATION_PK`, else `/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release` when
/// it is readable, else Red Hat's public release key built into Ferry (``RedHatReleaseKey``).
/// A file named by the option or the variable must be readable: oc-mirror falls back to its
/// built-in key when it is not, which would check a custom-signed release against the wrong
/// key; Ferry says which file it could not read instead.
public struct ReleaseVerificationKey: Sendable, Hashable, CustomStringConvertible {
    /// Where the key came from.
    public enum Origin: String, Sendable, Hashable {
        case option = "--release-signature-key"
        case environment = "OCP_SIGNATURE_VERIFICATION_PK"
        case systemFile = "the RHEL key file"
        case builtIn = "built in"
    }

    public var origin: Origin
    /// The key file; nil for the built-in key.
    public var path: String?

    /// Where RHEL keeps Red Hat's release keys.
    public static let systemKeyPath = "/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release"
    /// Red Hat's public release key, built in.
    public static let redHat = ReleaseVerificationKey(origin: .builtIn, path: nil)

    public init(origin: Origin, path: String?) {
        self.origin = origin
        self.path = path
    }

    /// The key to use: the option, else the environment's variable, else the system file when
    /// `isReadable` says so, else the built-in key.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               systemKeyPath: String = systemKeyPath,
                               isReadable: (String) -> Bool = { FileManager.default.isReadableFile(atPath: $0) }) -> ReleaseVerificationKey {
        if let option, !option.isEmpty { return ReleaseVerificationKey(origin: .option, path: option) }
        if let variable = environment["OCP_SIGNATURE_VERIFICATION_PK"], !variable.isEmpty {
            return ReleaseVerificationKey(origin: .environment, path: variable)
        }
        if isReadable(systemKeyPath) { return ReleaseVerificationKey(origin: .systemFile, path: systemKeyPath) }
        return .redHat
    }

    /// `FILE (--release-signature-key)`, `FILE (OCP_SIGNATURE_VERIFICATION_PK)`, `FILE`, or
    /// `Red Hat's release key (built in)`.
    public var description: String {
        switch (origin, path) {
        case (.systemFile, let path?): path
        case (_, let path?): "\(path) (\(origin.rawValue))"
        case (_, nil): "Red Hat's release key (built in)"
        }
    }

    /// The key's bytes, armored or binary.
    /// - Throws: ``ReleaseSignatureError`` (`.noKey`) naming the file and where it was named.
    public func contents() throws(ReleaseSignatureError) -> Data {
        guard let path else { return Data(RedHatReleaseKey.armored.utf8) }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            let how = origin == .environment ? "unset OCP_SIGNATURE_VERIFICATION_PK or point it at a readable key file"
                : "give a readable key file"
            throw ReleaseSignatureError(.noKey, "cannot read the release signing key \(self)\n  hint: \(how); without "
                + "--release-signature-key and OCP_SIGNATURE_VERIFICATION_PK Ferry uses \(Self.systemKeyPath), else Red Hat's "
                + "public release key built into it; --ignore-release-signature skips verification")
        }
        return data
    }
}
