import OCI
import Testing

/// Names longer than distribution allows (255 characters for REGISTRY/PATH) are refused before
/// any request, with a message that names the limit and does not repeat the whole name.
struct NameLengthTests {
    @Test func aNameOfExactly255CharactersIsAcceptedAndOneMoreIsRefused() throws {
        let host = "quay.io"
        let fits = String(repeating: "a", count: 255 - host.count - 1)
        #expect(try ImageReference(parsing: "\(host)/\(fits):1").repository.description.count == 255)
        #expect(throws: OCIError.self) { try ImageReference(parsing: "\(host)/\(fits)a:1") }
        #expect(throws: OCIError.self) { try RepositoryName(registry: host, path: fits + "a") }
    }

    @Test func aThirtyMegabyteNameIsRefusedWithAShortMessage() {
        let path = String(repeating: "a", count: 30 << 20)
        do {
            _ = try ImageReference(parsing: "quay.io/\(path):1")
            Issue.record("a 30 MB name was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("the distribution spec allows 255 for REGISTRY/PATH"), "\(text.prefix(500))")
            #expect(text.count < 1_000)
        }
    }
}
