import Foundation
import Transport

/// How to reach the registries on one side of a copy (source or destination).
public struct RegistrySettings: Sendable {
    /// Verify TLS certificates. `false` (`--src-tls-verify=false`) also allows plain HTTP:
    /// HTTPS is tried first, then HTTP, as containers/image does.
    public var tlsVerify: Bool
    /// A directory of `*.crt` CA files trusted for these registries (skopeo's `--cert-dir`).
    public var certDirectory: String?
    /// Roots searched for `<root>/<host[:port]>/*.crt`, as containers/image and Docker do.
    public var certsDirectoryRoots: [String]
    public var retry: RetryPolicy
    /// The slowest a blob download may go (`--min-transfer-rate`): below it over the window the
    /// transfer is cut and retried, then the image fails saying so. 1 KiB/s over 60 s by
    /// default: far below any real link, far above a server dripping bytes to hold a run.
    public var minimumTransferRate: TransferRate

    public init(tlsVerify: Bool = true, certDirectory: String? = nil,
                certsDirectoryRoots: [String] = ["/etc/containers/certs.d", "/etc/docker/certs.d"],
                retry: RetryPolicy = RetryPolicy(),
                minimumTransferRate: TransferRate = RegistrySettings.defaultMinimumTransferRate) {
        self.tlsVerify = tlsVerify
        self.certDirectory = certDirectory
        self.certsDirectoryRoots = certsDirectoryRoots
        self.retry = retry
        self.minimumTransferRate = minimumTransferRate
    }

    public static let defaultMinimumTransferRate = TransferRate(bytesPerSecond: 1024, windowSeconds: 60)

    /// The TLS settings for a web service on this side (update graph, signature store): those
    /// of its `host[:port]`, so its CA may come from certs.d or the cert-dir flag as a registry's.
    public func tls(forURL url: String?) -> TLSSettings {
        guard let url, let components = URLComponents(string: url), let host = components.host else {
            return TLSSettings(verify: tlsVerify)
        }
        return tls(for: components.port.map { "\(host):\($0)" } ?? host)
    }

    /// The TLS settings for one registry host: its extra CAs from the directories above.
    func tls(for registry: String) -> TLSSettings {
        var directories: [String] = []
        if let certDirectory { directories.append(certDirectory) }
        directories += certsDirectoryRoots.map { "\($0)/\(registry)" }
        var pem = Data()
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where name.hasSuffix(".crt") {
                if let data = FileManager.default.contents(atPath: "\(directory)/\(name)") {
                    pem.append(data)
                    pem.append(0x0A)
                }
            }
        }
        return TLSSettings(verify: tlsVerify, additionalCAs: pem.isEmpty ? nil : pem)
    }
}

/// Loopback registries may speak plain HTTP without the user asking (as oc-mirror does for
/// its local cache): nothing leaves the machine.
func isLoopback(_ registry: String) -> Bool {
    var host = registry
    if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
        host = String(host[host.index(after: host.startIndex)..<close])
    } else if let colon = host.lastIndex(of: ":") {
        host = String(host[..<colon])
    }
    return host == "localhost" || host.hasPrefix("127.") || host == "::1"
}
