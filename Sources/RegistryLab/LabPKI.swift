import Foundation

/// The lab's certificates, made with the `openssl` CLI so the module needs no TLS or X.509 code:
/// - a CA (`ca.crt`) that clients are told to trust;
/// - one server certificate for `127.0.0.1` and `localhost`, signed by the CA and shared by every
///   TLS registry (they all listen on 127.0.0.1, so one certificate serves them all);
/// - a self-signed signing certificate for the token server, which distribution trusts directly
///   through its `rootcertbundle`.
///
/// All keys are EC P-256: generating them takes milliseconds, unlike RSA.
final class LabPKI: Sendable {
    let directory: URL
    private let generation = LabLocked(Generated())

    private struct Generated {
        var ca = false
        var server: Identity?
        var tokenSigner: Identity?
    }

    struct Identity: Sendable {
        var certificate: URL
        var key: URL
    }

    var caCertificate: URL { directory.appendingPathComponent("ca.crt") }
    private var caKey: URL { directory.appendingPathComponent("ca.key") }
    private var configFile: URL { directory.appendingPathComponent("openssl.cnf") }

    /// Creates the directory and the openssl configuration. The CA is made with the first server
    /// certificate: most labs have no TLS registry, and each openssl run costs a process start.
    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.opensslConfig.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// The shared server certificate (subjectAltName IP:127.0.0.1, DNS:localhost), made on first
    /// use together with the CA that signs it.
    func serverIdentity() throws -> Identity {
        try generation.withLock { generated in
            if let server = generated.server { return server }
            if !generated.ca {
                try LabTools.run("openssl", ["req", "-x509", "-new"] + Self.newKey + [
                    "-keyout", caKey.path, "-out", caCertificate.path, "-days", "3650",
                    "-subj", "/CN=Ferry RegistryLab CA", "-config", configFile.path, "-extensions", "v3_ca",
                ])
                generated.ca = true
            }
            let identity = Identity(certificate: directory.appendingPathComponent("server.crt"),
                                    key: directory.appendingPathComponent("server.key"))
            let request = directory.appendingPathComponent("server.csr")
            try LabTools.run("openssl", ["req", "-new"] + Self.newKey + [
                "-keyout", identity.key.path, "-out", request.path,
                "-subj", "/CN=localhost", "-config", configFile.path,
            ])
            try LabTools.run("openssl", [
                "x509", "-req", "-in", request.path, "-CA", caCertificate.path, "-CAkey", caKey.path,
                "-set_serial", Self.randomSerial(), "-days", "825",
                "-extfile", configFile.path, "-extensions", "v3_server", "-out", identity.certificate.path,
            ])
            generated.server = identity
            return identity
        }
    }

    /// The token server's signing key and self-signed certificate, made on first use.
    func tokenSignerIdentity() throws -> Identity {
        try generation.withLock { generated in
            if let signer = generated.tokenSigner { return signer }
            let identity = Identity(certificate: directory.appendingPathComponent("token-signer.crt"),
                                    key: directory.appendingPathComponent("token-signer.key"))
            try LabTools.run("openssl", ["req", "-x509", "-new"] + Self.newKey + [
                "-keyout", identity.key.path, "-out", identity.certificate.path, "-days", "3650",
                "-subj", "/CN=Ferry RegistryLab token issuer", "-config", configFile.path, "-extensions", "v3_signer",
            ])
            generated.tokenSigner = identity
            return identity
        }
    }

    private static let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]

    private static func randomSerial() -> String {
        "0x" + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Extensions are spelled out in our own file because openssl's default configuration adds
    /// some of them already and `-addext` would then fail on duplicates.
    private static let opensslConfig = """
        [ req ]
        distinguished_name = dn
        prompt = no

        [ dn ]
        CN = placeholder

        [ v3_ca ]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash

        [ v3_server ]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1, DNS:localhost
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        [ v3_signer ]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        subjectKeyIdentifier = hash

        """
}

/// PEM helpers.
enum LabPEM {
    /// The base64 bodies of every `CERTIFICATE` block in `text`: each is the standard-base64 DER,
    /// which is exactly what a JWT `x5c` entry holds.
    static func certificateBodies(in text: String) -> [String] {
        var bodies: [String] = []
        var current: String?
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("-----BEGIN CERTIFICATE-----") {
                current = ""
            } else if line.hasPrefix("-----END CERTIFICATE-----") {
                if let body = current { bodies.append(body) }
                current = nil
            } else if current != nil {
                current! += line.trimmingCharacters(in: .whitespaces)
            }
        }
        return bodies
    }
}
