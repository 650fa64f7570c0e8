import Foundation
import Testing
@testable import RegistryLab

@Suite("Seeded layers are real tar+gzip")
struct LayerArchiveTests {
    @Test("gzip and tar read the layer back; the diff ID is the SHA-256 of the tar; same inputs, same bytes",
          arguments: [0, 1, 511, 512, 200_003])
    func layerRoundTrip(size: Int) async throws {
        let layer = try LayerArchive.make(path: "data/base.bin", size: size, seed: 42)
        let input = [UInt8](layer.compressed)

        let hashed = try await runTool("sh", ["-c", "gzip -dc | sha256sum"], input: input)
        #expect(hashed.status == 0, "\(hashed.error)")
        #expect(hashed.output.hasPrefix(layer.diffID.encoded + " "))

        let listed = try await runTool("sh", ["-c", "gzip -dc | tar -tvf -"], input: input)
        #expect(listed.status == 0, "\(listed.error)")
        #expect(listed.output.contains("data/base.bin"))
        #expect(listed.output.contains(" \(size) "), "\(listed.output)")

        let again = try LayerArchive.make(path: "data/base.bin", size: size, seed: 42)
        #expect(again.compressed == layer.compressed)
        let other = try LayerArchive.make(path: "data/base.bin", size: size, seed: 43)
        #expect(size == 0 || other.compressed != layer.compressed)
    }
}
