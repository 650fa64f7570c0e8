import Foundation
import RegistryLab
import Testing

@Suite("TLS registries")
struct TLSTests {
    private static func request(port: Int) -> [UInt8] {
        Array("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
    }

    @Test("a TLS registry is verified with the lab CA (for 127.0.0.1 and localhost) and rejected without it")
    func verification() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(tls: true))
            #expect(registry.scheme == "https")
            #expect(registry.baseURL == "https://127.0.0.1:\(registry.port)")

            let trusted = try await runTool("openssl", [
                "s_client", "-connect", registry.host, "-CAfile", lab.caCertificate.path,
                "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet",
            ], input: Self.request(port: registry.port), timeout: 20)
            #expect(trusted.status == 0, "\(trusted.error)")
            #expect(trusted.output.hasPrefix("HTTP/1.1 200 OK"), "\(trusted.output)")

            let byName = try await runTool("openssl", [
                "s_client", "-connect", "localhost:\(registry.port)", "-servername", "localhost",
                "-CAfile", lab.caCertificate.path, "-verify_return_error", "-verify_hostname", "localhost", "-quiet",
            ], input: Self.request(port: registry.port), timeout: 20)
            #expect(byName.status == 0, "\(byName.error)")

            // Without the lab CA only the system trust store is used, which must not accept the registry.
            let untrusted = try await runTool("openssl", [
                "s_client", "-connect", registry.host, "-verify_return_error", "-quiet",
            ], input: Self.request(port: registry.port), timeout: 20)
            #expect(untrusted.status != 0)
            #expect(untrusted.error.contains("verify error"), "\(untrusted.error)")
            #expect(!untrusted.output.contains("HTTP/1.1 200"))
        }
    }

    @Test("certsDirectory() holds <host:port>/ca.crt for every TLS registry and nothing for plain ones")
    func certsDirectoryLayout() async throws {
        try await withLab { lab in
            let secure = try await lab.startRegistry(.init(tls: true, auth: .basic(username: "u", password: "p")))
            let plain = try await lab.startRegistry()
            let directory = try lab.certsDirectory()
            let hosts = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(hosts == [secure.host])
            #expect(secure.certDirectory?.path == directory.appendingPathComponent(secure.host).path)
            #expect(plain.certDirectory == nil)
            let copied = try Data(contentsOf: directory.appendingPathComponent("\(secure.host)/ca.crt"))
            #expect(copied == (try Data(contentsOf: lab.caCertificate)))

            let certificate = try await runTool("openssl", ["x509", "-in", lab.caCertificate.path, "-noout", "-text"])
            #expect(certificate.output.contains("CA:TRUE"))
            #expect(certificate.output.contains("Certificate Sign"))
        }
    }
}
