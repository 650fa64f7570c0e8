import Foundation
import OCI
import Testing

struct DigestTests {
    static let valid: [(text: String, algorithm: Digest.Algorithm, encoded: String)] = [
        (Fixture.sha256Empty, .sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("sha256:" + Fixture.hexA, .sha256, Fixture.hexA),
        ("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", .sha256,
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        (Fixture.sha512ABC, .sha512, String(Fixture.sha512ABC.dropFirst("sha512:".count))),
    ]

    @Test(arguments: valid)
    func parsesCanonicalDigests(text: String, algorithm: Digest.Algorithm, encoded: String) throws {
        let digest = try Digest(parsing: text)
        #expect(digest.algorithm == algorithm)
        #expect(digest.encoded == encoded)
        #expect(digest.description == text)
        #expect(Digest(text) == digest)
        #expect(try Digest(algorithm: algorithm, encoded: encoded) == digest)
    }

    static let invalid: [(text: String, fragment: String)] = [
        ("sha256:" + Fixture.hexA.uppercased(), "uppercase hex"),
        ("sha256:E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "uppercase hex"),
        ("sha256:" + String(Fixture.hexA.dropLast()), "63 characters"),
        ("sha256:" + Fixture.hexA + "a", "65 characters"),
        ("sha512:" + Fixture.hexA, "64 characters; expected sha512:<128"),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm \"md5\""),
        ("SHA256:" + Fixture.hexA, "unsupported algorithm \"SHA256\""),
        ("sha256" + Fixture.hexA, "missing \":\""),
        ("", "missing \":\""),
        ("sha256:", "0 characters"),
        (":" + Fixture.hexA, "unsupported algorithm \"\""),
        ("sha256:" + String(Fixture.hexA.dropLast()) + "g", "non-hex character"),
        ("sha256: " + String(Fixture.hexA.dropLast()), "non-hex character"),
        ("sha256:" + Fixture.hexA + "\n", "non-hex character"),
    ]

    @Test(arguments: invalid)
    func rejectsMalformedDigests(text: String, fragment: String) {
        #expect(Digest(text) == nil)
        let error = #expect(throws: OCIError.self) { try Digest(parsing: text) }
        #expect(error?.kind == .invalidDigest)
        #expect(error?.message.contains("\"\(text)\"") == true, "message quotes the input: \(error?.message ?? "")")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }

    @Test
    func partsInitializerValidates() {
        let error = #expect(throws: OCIError.self) { try Digest(algorithm: .sha512, encoded: Fixture.hexA) }
        #expect(error?.kind == .invalidDigest)
        #expect(error?.message.contains("sha512:\(Fixture.hexA)") == true)
    }

    @Test(arguments: [
        ("", Digest.Algorithm.sha256, Fixture.sha256Empty),
        ("abc", .sha256, Fixture.sha256ABC),
        ("abc", .sha512, Fixture.sha512ABC),
        ("{}", .sha256, Fixture.sha256EmptyJSON),
    ])
    func computesKnownVectors(input: String, algorithm: Digest.Algorithm, expected: String) {
        #expect(Digest.compute(algorithm, Data(input.utf8)).description == expected)
        if algorithm == .sha256 {
            #expect(Digest.sha256(Array(input.utf8)).description == expected)
        }
    }

    @Test(arguments: Digest.Algorithm.allCases, [1, 7, 64, 1000, 100_000])
    func hasherMatchesOneShot(algorithm: Digest.Algorithm, chunk: Int) {
        let body = (0..<250_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = Digest.compute(algorithm, body)

        var viaPointers = DigestHasher(algorithm)
        var viaData = DigestHasher(algorithm)
        #expect(viaPointers.algorithm == algorithm)
        var start = 0
        while start < body.count {
            let end = min(start + chunk, body.count)
            body[start..<end].withUnsafeBytes { viaPointers.update($0) }
            viaData.update(Data(body[start..<end]))
            start = end
        }
        #expect(viaPointers.finalize() == expected)
        #expect(viaData.finalize() == expected)
    }

    @Test
    func hasherOfNothingIsTheEmptyDigest() {
        #expect(DigestHasher().finalize().description == Fixture.sha256Empty)
    }

    @Test
    func codesAsASingleString() throws {
        let digests = [Fixture.digest(Fixture.sha256ABC), Fixture.digest(Fixture.sha512ABC)]
        let json = try JSONEncoder().encode(digests)
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(Fixture.sha256ABC)\",\"\(Fixture.sha512ABC)\"]")
        #expect(try JSONDecoder().decode([Digest].self, from: json) == digests)
    }

    @Test(arguments: ["\"sha256:abc\"", "\"SHA256:\(Fixture.hexA)\"", "42"])
    func decodingRejectsInvalidStrings(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Digest.self, from: json.bytes) }
    }

    @Test
    func ordersByAlgorithmThenHex() {
        let digests = ["sha512:" + String(repeating: "0", count: 128), "sha256:" + Fixture.hexB, "sha256:" + Fixture.hexA]
            .map(Fixture.digest)
        #expect(digests.sorted().map(\.description) == [
            "sha256:" + Fixture.hexA, "sha256:" + Fixture.hexB, "sha512:" + String(repeating: "0", count: 128),
        ])
    }
}
