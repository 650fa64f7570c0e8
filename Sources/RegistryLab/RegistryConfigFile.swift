import Foundation

/// Renders the YAML configuration of one CNCF distribution 2.8 registry.
///
/// Written by hand (no YAML library): the document is small and fixed, and every value that
/// varies is a path, port or word that is double-quoted with escaping.
struct RegistryConfigFile {
    var port: UInt16
    var storageDirectory: URL
    var deleteEnabled: Bool
    var tls: LabPKI.Identity?
    var htpasswdFile: URL?
    var token: (realm: String, service: String, issuer: String, rootCertificate: URL)?

    var yaml: String {
        var lines = [
            "version: 0.1",
            "log:",
            // warn keeps the log to what matters when a start fails; access logs would grow with every test request.
            "  level: warn",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            // As Debian's packaged config and distribution's sample: descriptors of blobs already
            // seen are answered from memory instead of the filesystem.
            "  cache:",
            "    blobdescriptor: inmemory",
            "  filesystem:",
            "    rootdirectory: \(quote(storageDirectory.path))",
            "  delete:",
            "    enabled: \(deleteEnabled)",
            "  maintenance:",
            // Purging would delete a test's deliberately abandoned uploads behind its back.
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            "  addr: \(quote("127.0.0.1:\(port)"))",
            // A fixed secret silences the start-up warning about a generated one.
            "  secret: \(quote("registrylab-\(port)"))",
        ]
        if let tls {
            lines += [
                "  tls:",
                "    certificate: \(quote(tls.certificate.path))",
                "    key: \(quote(tls.key.path))",
            ]
        }
        if let htpasswdFile {
            lines += [
                "auth:",
                "  htpasswd:",
                "    realm: \(quote("RegistryLab"))",
                "    path: \(quote(htpasswdFile.path))",
            ]
        } else if let token {
            lines += [
                "auth:",
                "  token:",
                "    realm: \(quote(token.realm))",
                "    service: \(quote(token.service))",
                "    issuer: \(quote(token.issuer))",
                "    rootcertbundle: \(quote(token.rootCertificate.path))",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quote(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
