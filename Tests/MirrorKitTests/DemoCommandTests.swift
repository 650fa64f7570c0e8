import Foundation
import Testing

/// The README's first command runs `ferry-lab demo`: it must keep passing (dry-run, mirror,
/// dry-run with nothing left, and the digest check of everything the plan named).
struct DemoCommandTests {
    @Test func theDemoRunsToTheEnd() async throws {
        let binary = URL(fileURLWithPath: ferryBinary).deletingLastPathComponent().appendingPathComponent("ferry-lab").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build ferry-lab first (swift build)")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let output = try await runProgram(binary, ["demo", "--config", repository.appendingPathComponent("imageset-configs/demo.yaml").path])
        #expect(output.status == 0, "\(output.stdout.suffix(3000))\n\(output.stderr.suffix(3000))")
        #expect(output.stdout.contains("Dry run: 37 images: 0 to mirror, 37 already mirrored, 0 unreadable"), "\(output.stdout.suffix(3000))")
        #expect(output.stdout.contains("verified: all 37 mirrored images and 18 signatures and referrers carry their planned digests"),
                "\(output.stdout.suffix(3000))")
    }
}
