import Foundation
import Testing

/// `--min-transfer-rate` is read as bytes per second, and a value that is not one is refused
/// before anything runs.
struct TransferRateOptionTests {
    @Test func anUnreadableRateIsRefusedWithTheExpectedForm() async throws {
        let result = try await runFerry(["copy", "--min-transfer-rate", "fast", "docker://127.0.0.1:9/a/b:1", "docker://127.0.0.1:9/c/d:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--min-transfer-rate \"fast\": expected bytes per second such as 1KiB, 512K, 1MiB or 0"),
                "\(result.stderr)")
    }

    @Test(arguments: ["1KiB", "512K", "2MiB", "100", "0"])
    func readableRatesAreAccepted(_ rate: String) async throws {
        // Parsed, then the copy fails on the closed port: not a usage error.
        let result = try await runFerry(["copy", "--retry-times", "1", "--min-transfer-rate", rate,
                                         "docker://127.0.0.1:9/a/b:1", "docker://127.0.0.1:9/c/d:1"])
        #expect(!result.stderr.contains("--min-transfer-rate"), "\(result.stderr)")
    }
}
