import ImageSet
import OCI
import Planning
import Testing

struct ImageCollectionTests {
    func image(_ source: String, origin: ImageOrigin = .additional, platforms: [Platform]? = nil) throws -> CollectedImage {
        let reference = try ImageReference(parsing: source)
        let root = try RegistryLocation(parsing: "docker://mirror.example:5000/ns")
        return CollectedImage(source: reference, destination: root.destination(for: reference), origin: origin, platforms: platforms)
    }

    @Test func duplicatesAreDroppedWhereverTheyOccur() throws {
        // oc-mirror drops only adjacent duplicates; here a, b, a, c, b keeps a, b, c in first-seen order.
        let list = try ["quay.io/x/a:1", "quay.io/x/b:1", "quay.io/x/a:1", "quay.io/x/c:1", "quay.io/x/b:1"].map { try image($0) }
        let collection = ImageCollection(list, blocked: try BlockedImages([]))
        #expect(collection.images.map(\.source.description) == ["quay.io/x/a:1", "quay.io/x/b:1", "quay.io/x/c:1"])
        #expect(collection.duplicatesDropped == 2)
        #expect(collection.conflicts.isEmpty)
    }

    @Test func twoSourcesOnOneDestinationAreAConflict() throws {
        // Same path and tag on two source registries land on the same mirror tag.
        let list = try ["quay.io/x/a:1", "docker.io/x/a:1"].map { try image($0) }
        let collection = ImageCollection(list, blocked: try BlockedImages([]))
        #expect(collection.images.count == 1)
        #expect(collection.conflicts.count == 1)
        #expect(collection.conflicts.first?.description.contains("docker.io/x/a:1 and quay.io/x/a:1 both map to") == true)
    }

    @Test func duplicatePlatformFiltersMerge() throws {
        let amd = Platform(os: "linux", architecture: "amd64")
        let arm = Platform(os: "linux", architecture: "arm64")
        let list = [try image("quay.io/x/a:1", platforms: [amd]), try image("quay.io/x/a:1", platforms: [arm])]
        let merged = ImageCollection(list, blocked: try BlockedImages([])).images
        #expect(merged.first?.platforms == [amd, arm])
        let withAll = ImageCollection([list[0], try image("quay.io/x/a:1")], blocked: try BlockedImages([])).images
        #expect(withAll.first?.platforms == nil)
    }

    struct BlockCase: Sendable {
        var pattern: String
        var source: String
        var blocked: Bool
    }

    // spec §1.2: unanchored regular expressions, searched in the source and in the destination
    static let blockCases: [BlockCase] = [
        BlockCase(pattern: "alpine", source: "docker.io/library/alpine:3.19", blocked: true),
        BlockCase(pattern: "^quay\\.io/x/", source: "quay.io/x/a:1", blocked: true),
        BlockCase(pattern: "^quay\\.io/x/", source: "quay.io/y/a:1", blocked: false),
        BlockCase(pattern: ":1$", source: "quay.io/x/a:1", blocked: true),
        BlockCase(pattern: ":1$", source: "quay.io/x/a:10", blocked: false),
        // matched against the destination too: its namespace "ns" appears only there
        BlockCase(pattern: "mirror\\.example:5000/ns/", source: "quay.io/x/a:1", blocked: true),
        // Typical patterns block what they blocked with Swift Regex (RE2 syntax, linear-time matcher).
        BlockCase(pattern: "^quay.io/foo/.*-debug$", source: "quay.io/foo/app:v1-debug", blocked: true),
        BlockCase(pattern: "^quay.io/foo/.*-debug$", source: "quay.io/foo/app-debug:1", blocked: false),
        BlockCase(pattern: "^quay.io/foo/.*-debug$", source: "quay.io/bar/app:v1-debug", blocked: false),
        BlockCase(pattern: ".*/alpine:.*", source: "docker.io/library/alpine:3.19", blocked: true),
        BlockCase(pattern: ".*/alpine:.*", source: "quay.io/x/alpine-extra:1", blocked: false),
        BlockCase(pattern: "(?i)ALPINE", source: "docker.io/library/alpine:3.19", blocked: true),
        BlockCase(pattern: "/(dev|test)/[^/]+:[0-9]+$", source: "quay.io/test/app:12", blocked: true),
        // Exponential on a backtracking engine (the name is 200 characters without "-debug").
        BlockCase(pattern: "([a-z0-9]+)*-debug",
                  source: "quay.io/org/" + String(repeating: "a1b2", count: 47) + ":1", blocked: false),
        BlockCase(pattern: "([a-z0-9]+)*-debug", source: "quay.io/org/app-debug:1", blocked: true),
    ]

    @Test(arguments: blockCases)
    func blockedImages(_ example: BlockCase) throws {
        let collection = ImageCollection([try image(example.source)], blocked: try BlockedImages([.init(example.pattern)]))
        #expect(collection.blocked.count == (example.blocked ? 1 : 0))
        #expect(collection.images.count == (example.blocked ? 0 : 1))
    }

    @Test func anInvalidPatternIsRefused() {
        #expect(throws: (any Error).self) { try BlockedImages([.init("a(b")]) }
    }

    @Test func whatRE2RefusesIsRefused() {
        #expect(throws: RE2SyntaxError.self) { try BlockedImages([.init("(a)\\1")]) }
        #expect(throws: RE2SyntaxError.self) { try BlockedImages([.init("foo(?=-debug)")]) }
    }
}

extension ImageCollectionTests.BlockCase: CustomTestStringConvertible {
    var testDescription: String { "\(pattern) on \(source)" }
}
