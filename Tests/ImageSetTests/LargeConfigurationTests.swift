import ImageSet
import Testing

/// Configurations with tens of thousands of entries (issue 12, item 8): read in linear time, and
/// the alias limit (against "billion laughs") counts only what aliases expand to.
struct LargeConfigurationTests {
    /// An ImageSetConfiguration listing `count` distinct additional images, with `extra` lines
    /// after the list (under `mirror:`, indented two spaces).
    static func configuration(additionalImages count: Int, extra: [String] = []) -> String {
        var text = "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n"
        text.reserveCapacity(count * 60)
        for index in 0..<count {
            text += "  - name: registry.example.com/team-\(index % 97)/app-\(index):v\(index % 13).0\n"
        }
        for line in extra { text += line + "\n" }
        return text
    }

    @Test(.timeLimit(.minutes(1)))
    func fortyThousandAdditionalImagesLoad() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: Self.configuration(additionalImages: 40_000),
                                                                  fileName: testFile)
        let images = loaded.value.mirror.additionalImages
        #expect(images.count == 40_000)
        #expect(loaded.warnings == [])
        #expect(images.first?.name == "registry.example.com/team-0/app-0:v0.0")
        #expect(images.last?.name == "registry.example.com/team-\(39_999 % 97)/app-39999:v\(39_999 % 13).0")
        #expect(images.last?.mark == SourceMark(file: testFile, line: 4 + 40_000, column: 5))
    }

    @Test(.timeLimit(.minutes(1)))
    func aLargeConfigurationWithAFewAliasesLoads() throws {
        // 40,000 entries are more than 120,000 nodes, above the alias limit; only the aliases count.
        var text = yaml("kind: ImageSetConfiguration",
                        "mirror:",
                        "  additionalImages:",
                        "  - name: quay.io/a/first:1",
                        "    platforms: &linux [{os: linux, architecture: &amd amd64}, {os: linux, architecture: arm64}]",
                        "  - name: quay.io/a/second:1",
                        "    platforms: *linux")
        for index in 0..<40_000 { text += "  - name: registry.example.com/bulk/app-\(index):v1\n" }
        text += yaml("  - name: quay.io/a/last:1", "    platforms: [{os: linux, architecture: *amd}]")
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: testFile)
        let images = loaded.value.mirror.additionalImages
        #expect(images.count == 40_003)
        #expect(images[1].platforms.map(\.architecture) == ["amd64", "arm64"], "the alias is the anchored list")
        #expect(images[1].platforms == images[0].platforms)
        #expect(images.last?.platforms.map(\.architecture) == ["amd64"])
    }

    @Test func aFewAliasesLoad() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: &image quay.io/a/b:1",
            "    platforms: &linux [{os: linux, architecture: amd64}]",
            "  - name: *image",
            "    targetRepo: copy/b",
            "    platforms: *linux",
            "  - &entry {name: quay.io/a/c:2, platforms: *linux}",
            "  - *entry"), fileName: testFile)
        let images = loaded.value.mirror.additionalImages
        #expect(images.map(\.name) == ["quay.io/a/b:1", "quay.io/a/b:1", "quay.io/a/c:2", "quay.io/a/c:2"])
        #expect(images.map(\.targetRepo) == [nil, "copy/b", nil, nil])
        #expect(images.allSatisfy { $0.platforms.map(\.architecture) == ["amd64"] })
    }

    /// Nested anchors, each level ten aliases of the one before: 10^7 nodes once expanded.
    static let billionLaughs = (1...7).map { level in
        "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]"
    }

    @Test func anAliasBombIsRefused() throws {
        let text = yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages: []",
                        "lols:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]")
            + Self.billionLaughs.joined(separator: "\n") + "\n"
        let error = try #require(iscError(text))
        // l1 to l3 expand to 12,330 nodes, each alias of l3 adds 11,111: the eighth passes 100,000.
        // The tree is incomplete, so nothing else is reported (such as "unknown field 'lols'").
        #expect(error.diagnostics.map(\.summary) == ["isc.yaml:9:47: lols.l4[7]: aliases expand to more than 100000 nodes"])
    }

    @Test(.timeLimit(.minutes(1)))
    func anAliasBombInALargeConfigurationIsRefused() throws {
        // The 120,000 ordinary nodes do not count, the aliases do: the limit is reached at x5.
        let text = Self.configuration(additionalImages: 40_000, extra: ["lols:", "- &x0 lol"] + (1...6).map { level in
            "- &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", ") + "]"
        })
        let error = try #require(iscError(text))
        #expect(error.diagnostics.map(\.summary) == ["isc.yaml:40011:43: lols[5][7]: aliases expand to more than 100000 nodes"])
    }

    @Test func aWideAliasBombIsRefused() {
        // Each alias adds what it names, however shallow: 100,001 aliases of a scalar are too many.
        let aliases = Array(repeating: "*s", count: 100_001).joined(separator: ", ")
        do {
            _ = try YAMLReader.parse("a: &s x\nb: [\(aliases)]\n", fileName: "f.yaml")
            Issue.record("100,001 aliases parsed")
        } catch {
            #expect(error.diagnostics.map(\.message) == ["aliases expand to more than 100000 nodes"])
        }
    }
}
