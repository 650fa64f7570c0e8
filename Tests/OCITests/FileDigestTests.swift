import Foundation
import OCI
import Testing

struct FileDigestTests {
    @Test func aFileIsHashedWholeOrUpToOneBytePastTheLimit() throws {
        let content = Data((0..<(2 << 20) + 123).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try content.write(to: file)

        let whole = try #require(DigestHasher.digest(ofFileAt: file.path, algorithm: .sha256))
        #expect(whole.digest == .sha256(content) && whole.size == Int64(content.count))
        // With a limit, reading stops one byte past it: the caller sees the file is longer.
        let capped = try #require(DigestHasher.digest(ofFileAt: file.path, algorithm: .sha256, maxBytes: 1000))
        #expect(capped.size == 1001 && capped.digest == .sha256(content.prefix(1001)))
        let exact = try #require(DigestHasher.digest(ofFileAt: file.path, algorithm: .sha256, maxBytes: Int64(content.count)))
        #expect(exact.digest == whole.digest && exact.size == whole.size)
        #expect(DigestHasher.digest(ofFileAt: file.path + "-missing", algorithm: .sha256) == nil)
    }
}
