import Foundation

/// How a request's TLS peer is checked.
public struct TLSSettings: Sendable, Hashable {
    /// Verify the certificate chain and host name. Off only when a person asked for it.
    public var verify: Bool
    /// PEM certificates trusted in addition to the system's (a private registry's CA).
    /// `nil` means the system trust store alone.
    public var additionalCAs: Data?

    public init(verify: Bool = true, additionalCAs: Data? = nil) {
        self.verify = verify
        self.additionalCAs = additionalCAs
    }

    /// The system bundle followed by the additional CAs, handed to libcurl as one in-memory
    /// bundle (a CA blob replaces libcurl's default file, so the system roots are included here).
    func trustBundle() -> Data? {
        guard let extra = additionalCAs else { return nil }
        var bundle = Data()
        for path in Self.systemBundlePaths {
            if let system = FileManager.default.contents(atPath: path) {
                bundle.append(system)
                bundle.append(0x0A)
                break
            }
        }
        bundle.append(extra)
        return bundle
    }

    static let systemBundlePaths = [
        "/etc/ssl/certs/ca-certificates.crt",     // Debian, Ubuntu
        "/etc/pki/tls/certs/ca-bundle.crt",       // Fedora, RHEL
        "/etc/ssl/cert.pem",                      // macOS, Alpine
    ]
}
