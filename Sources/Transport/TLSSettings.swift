import Foundation

/// How a request's TLS peer is checked.
public struct TLSSettings: Sendable, Hashable {
    /// Verify the certificate chain and host name. Off only when a person asked for it.
    public var verify: Bool
    /// The whole PEM trust bundle handed to libcurl: the system's roots followed by a private
    /// registry's CAs (a CA blob replaces libcurl's default file, so the system roots must be in
    /// it). `nil` means the system trust store alone. Built once per registry, not per request.
    public let trustBundle: Data?

    /// - Parameter additionalCAs: PEM certificates trusted in addition to the system's.
    public init(verify: Bool = true, additionalCAs: Data? = nil) {
        self.verify = verify
        trustBundle = additionalCAs.map { Self.systemBundle() + $0 }
    }

    private static func systemBundle() -> Data {
        for path in systemBundlePaths {
            if var system = FileManager.default.contents(atPath: path) {
                system.append(0x0A)
                return system
            }
        }
        return Data()
    }

    static let systemBundlePaths = [
        "/etc/ssl/certs/ca-certificates.crt",     // Debian, Ubuntu
        "/etc/pki/tls/certs/ca-bundle.crt",       // Fedora, RHEL
        "/etc/ssl/cert.pem",                      // macOS, Alpine
    ]
}
