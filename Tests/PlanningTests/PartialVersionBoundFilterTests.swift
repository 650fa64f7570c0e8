import Foundation
import ImageSet
import Planning
import RegistryLab
import Testing

/// The lab's `quux` package (`OperatorCatalogSet.patchStream`: 3.11.0–3.11.2, 3.12.0-rc.1/-rc.2,
/// twenty-two 3.12.x, 3.13.0-rc.1, 3.13.0 on one replaces chain) filtered from configuration text,
/// as `ferry` reads it: partial bounds and pre-release bounds end to end through the filter.
struct PartialVersionBoundFilterTests {
    static let versions = OperatorCatalogSet.patchStreamVersions
    static let releases312 = versions.filter { $0.hasPrefix("3.12.") && !$0.contains("-") }

    /// The lab catalog's file-based catalog, as the lab renders it for seeding.
    static func catalog() throws -> FileBasedCatalog {
        let lab = try #require(try OperatorCatalogSet.patchStream.catalogs(host: "upstream.lab.invalid:5000").first)
        return try FileBasedCatalog(files: lab.catalogFiles.map { CatalogFile(path: $0.key, text: String(decoding: $0.value, as: UTF8.self)) })
    }

    /// Filters `quux` with the YAML lines of its `packages:` entry (after `- name: quux`).
    static func filter(_ lines: String...) throws -> CatalogFilterResult {
        let text = (["kind: ImageSetConfiguration", "mirror:", "  operators:", "  - catalog: quay.io/lab/community:v4.18",
                     "    packages:", "    - name: quux"] + lines.map { "      " + $0 }).joined(separator: "\n") + "\n"
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: "isc.yaml")
        return try CatalogFilter(try #require(loaded.value.mirror.operators.first)).apply(to: try catalog())
    }

    static func kept(_ result: CatalogFilterResult) -> [String: KeepReason] {
        let entries = result.packages.first?.channels.first?.kept ?? []
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.version, $0.reason) })
    }

    @Test func theLabChannelHasTwentyTwo312Releases() throws {
        #expect(Self.releases312.count == 22)
        let quux = try #require(try Self.catalog().packages["quux"])
        #expect(quux.channels["stable"]?.entries.count == Self.versions.count)
    }

    /// The issue: `maxVersion: "3.12"` was read as 3.12.0 and kept one 3.12.x of twenty-two.
    @Test func maxVersion312KeepsEvery312Release() throws {
        let result = try Self.filter(#"maxVersion: "3.12""#)
        let kept = Self.kept(result)
        for version in Self.releases312 + ["3.11.0", "3.11.1", "3.11.2"] {
            #expect(kept[version] == .inRange, "\(version)")
        }
        // No pre-release bound: the 3.12.0 pre-releases are out of range, kept only as links of
        // the replaces chain below the new head (as oc-mirror keeps them).
        #expect(kept["3.12.0-rc.1"] == .outOfRangeOnChain)
        #expect(kept["3.12.0-rc.2"] == .outOfRangeOnChain)
        #expect(kept["3.13.0-rc.1"] == nil && kept["3.13.0"] == nil)
        #expect(kept.count == 27)
        #expect(result.catalog.packages["quux"]?.channels["stable"]?.entries.last?.name == "quux.v3.12.21")
        #expect(result.explanationText.contains(
            "channel stable: up to maxVersion 3.12 (read as <3.13.0, every 3.12.x) (package range): 27 bundles"),
                "\(result.explanationText)")
    }

    @Test func theSameOnAChannel() throws {
        let result = try Self.filter("channels:", "- name: stable", "  maxVersion: '3.12'")
        #expect(Self.kept(result).count == 27)
        #expect(result.explanationText.contains("up to maxVersion 3.12 (read as <3.13.0, every 3.12.x) (channel range)"))
    }

    /// Both bounds `3.12`: exactly 3.12.0, as oc-mirror's filter reads equal bounds before asking
    /// Masterminds (which alone would give every 3.12.x); the explanation says how to get those.
    @Test func minAndMax312AreExactly3120AsInOcMirror() throws {
        let result = try Self.filter("minVersion: '3.12'", "maxVersion: '3.12'")
        #expect(Self.kept(result) == ["3.12.0": .exactVersion])
        #expect(result.explanationText.contains("note: minVersion and maxVersion are both 3.12: read as exactly 3.12.0, as "
                                                + "oc-mirror reads equal bounds; to keep every 3.12.x, write minVersion 3.12.0 with maxVersion 3.12"),
                "\(result.explanationText)")
        // Which is what that advice gives: an ordinary range, with no note.
        let every = try Self.filter("minVersion: 3.12.0", "maxVersion: '3.12'")
        #expect(Set(Self.kept(every).keys) == Set(Self.releases312))
        #expect(!every.explanationText.contains("as oc-mirror reads equal bounds"))
    }

    /// Written in full, equal bounds still ask for that one version (OCPBUGS-61497).
    @Test func equalBoundsInFullAreThatVersionOnly() throws {
        let kept = Self.kept(try Self.filter("minVersion: 3.12.0", "maxVersion: 3.12.0"))
        #expect(kept == ["3.12.0": .exactVersion])
    }

    /// A pre-release minimum admits the pre-releases of the range (issue item 2), but 3.13.0-rc.1
    /// is above `<=3.12`.
    @Test func aPrereleaseMinimumAdmitsItsSiblings() throws {
        let kept = Self.kept(try Self.filter("minVersion: 3.12.0-rc.1", "maxVersion: '3.12'"))
        #expect(Set(kept.keys) == Set(["3.12.0-rc.1", "3.12.0-rc.2"] + Self.releases312))
        #expect(kept.values.allSatisfy { $0 == .inRange })
    }

    /// A pre-release maximum admits the pre-releases below it.
    @Test func aPrereleaseMaximumAdmitsPrereleasesBelowIt() throws {
        let kept = Self.kept(try Self.filter("minVersion: 3.11.1", "maxVersion: 3.12.0-rc.2"))
        #expect(kept == ["3.11.1": .inRange, "3.11.2": .inRange, "3.12.0-rc.1": .inRange, "3.12.0-rc.2": .inRange])
    }

    /// `<=3` keeps every 3.x, so the new head is 3.13.0 and everything is kept; 3.13.0-rc.1 only as
    /// a chain link (no bound is a pre-release).
    @Test func maxVersion3KeepsEvery3Release() throws {
        let kept = Self.kept(try Self.filter("maxVersion: '3'"))
        #expect(kept.count == Self.versions.count)
        #expect(kept["3.13.0"] == .inRange)
        #expect(kept["3.13.0-rc.1"] == .outOfRangeOnChain)
    }
}
