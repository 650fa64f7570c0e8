import Foundation
import RegistryLab
import Testing

/// The command line itself: argument checks, bad input, the environment's proxy.
@Suite("ferry copy command line")
struct CopyCommandTests {
    @Test("usage errors exit 64 before anything moves; bad input names the file and line", arguments: [
        (["copy", "docker://a.io/x:1"], 64, "give a source and a destination"),
        (["copy", "--parallel-images", "0", "docker://a.io/x:1", "docker://b.io/x:1"], 64, "--parallel-images"),
        (["copy", "docker://a.io/X:1", "docker://b.io/x:1"], 1, "uppercase"),
        (["copy", "docker://a.io/x", "docker://b.io/x:1"], 1, "no tag or digest"),
        (["copy", "docker://a.io/x:1", "docker://b.io"], 1, "no repository"),
        (["copy", "--authfile", "/nonexistent/auth.json", "docker://a.io/x:1", "docker://b.io/x:1"], 1, "/nonexistent/auth.json"),
    ])
    func usage(arguments: [String], status: Int32, message: String) async throws {
        let output = try await runTool(ferryBinary, arguments, check: false)
        #expect(output.status == status, "\(output.text)")
        #expect(output.text.contains(message), "\(output.text)")
    }

    @Test("a --from-list file with bad lines is rejected whole, naming each line")
    func badList() async throws {
        let path = NSTemporaryDirectory() + "ferry-list-\(UUID().uuidString).txt"
        try "# mirror these\nquay.io/a/b:1\n\nnot-a-reference\nquay.io/c/d\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try await runTool(ferryBinary, ["copy", "--from-list", path, "docker://127.0.0.1:1/m"], check: false)
        #expect(output.status == 1)
        #expect(output.text.contains("\(path):4:"), "\(output.text)")
        #expect(output.text.contains("\(path):5:"), "\(output.text)")
        #expect(!output.text.contains("\(path):2:"))
    }

    @Test("registry traffic goes through the proxy named in the environment")
    func proxyFromEnvironment() async throws {
        let proxy = try ScriptedServer { _ in .init(status: 502) }
        defer { proxy.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["http_proxy"] = "http://\(proxy.host)"
        environment["https_proxy"] = "http://\(proxy.host)"
        environment["no_proxy"] = ""
        // The destination is asked first; it sits behind the proxy like any other registry.
        let output = try await runTool(ferryBinary, ["copy", "--retry-times", "1", "--dest-tls-verify=false",
                                               "docker://quay.io/a/b:1", "docker://registry.example.invalid:5000/m/b:1"],
                                 environment: environment, check: false)
        #expect(output.status == 1)
        let seen = proxy.requests()
        #expect(seen.contains { $0.method == "CONNECT" && $0.target == "registry.example.invalid:5000" }, "\(seen.map(\.target))")
        #expect(seen.contains { $0.target == "http://registry.example.invalid:5000/v2/" }, "\(seen.map(\.target))")
    }
}
