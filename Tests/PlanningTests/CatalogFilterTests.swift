import Foundation
import ImageSet
import Planning
import Testing

struct CatalogFilterTests {
    typealias F = CatalogFixtures

    /// `package/channel: bundle bundle …` per kept channel, sorted; entries and bundles must agree.
    static func summary(_ result: CatalogFilterResult) -> [String] {
        var lines: [String] = []
        for name in result.catalog.packageNames {
            guard let package = result.catalog.packages[name] else { continue }
            for channel in package.channelNames {
                let entries = package.channels[channel]!.entries.map(\.name).sorted()
                lines.append("\(name)/\(channel): " + entries.joined(separator: " "))
            }
        }
        return lines
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var packages: [OperatorPackage] = []
        var full = false
        var catalog: [String] = ["foo", "bar", "side"]
        var kept: [String]
        /// Expected default channel per package.
        var defaults: [String: String] = [:]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no packages: every channel, heads only",
             kept: ["bar/fast: bar.v3.1.0-rc.1", "bar/stable: bar.v3.0.0", "foo/alpha: foo.v0.2.0", "foo/beta: foo.v0.3.0",
                    "side/plain: side.v3.0.0", "side/stable: side.v3.0.0"]),
        Case(name: "listed package, all its channels, heads only", packages: [F.pkg("foo")],
             kept: ["foo/alpha: foo.v0.2.0", "foo/beta: foo.v0.3.0"], defaults: ["foo": "beta"]),
        Case(name: "listed channels", packages: [F.pkg("bar", channels: [F.ch("stable")])],
             kept: ["bar/stable: bar.v3.0.0"]),
        Case(name: "package range over every channel, in-range skips kept", packages: [F.pkg("foo", min: "0.1.1", max: "0.2.0")],
             kept: ["foo/alpha: foo.v0.2.0", "foo/beta: foo.v0.1.1 foo.v0.2.0"]),
        Case(name: "channel range", packages: [F.pkg("foo", channels: [F.ch("beta", min: "0.3.0")])],
             kept: ["foo/beta: foo.v0.3.0"]),
        Case(name: "minVersion = maxVersion: that version only", packages: [F.pkg("foo", channels: [F.ch("beta", min: "0.2.0", max: "0.2.0")])],
             kept: ["foo/beta: foo.v0.2.0"]),
        Case(name: "full without packages: the whole catalog", full: true,
             kept: ["bar/fast: bar.v3.0.0 bar.v3.1.0-rc.1", "bar/stable: bar.v1.0.0 bar.v2.0.0 bar.v2.2.0 bar.v2.5.0 bar.v3.0.0",
                    "foo/alpha: foo.v0.1.0 foo.v0.2.0", "foo/beta: foo.v0.1.0 foo.v0.1.1 foo.v0.2.0 foo.v0.3.0",
                    "side/plain: side.v1.0.0 side.v1.5.0 side.v2.0.0 side.v3.0.0",
                    "side/stable: side.v1.0.0 side.v1.5.0 side.v2.0.0 side.v3.0.0"]),
        Case(name: "full with packages: every entry of those", packages: [F.pkg("foo")], full: true,
             kept: ["foo/alpha: foo.v0.1.0 foo.v0.2.0", "foo/beta: foo.v0.1.0 foo.v0.1.1 foo.v0.2.0 foo.v0.3.0"]),
        Case(name: "defaultChannel override", packages: [F.pkg("foo", channels: [F.ch("alpha")], defaultChannel: "alpha")],
             kept: ["foo/alpha: foo.v0.2.0"], defaults: ["foo": "alpha"]),
        Case(name: "range: out-of-range replaces chain kept up to the skipping head; empty channel removed",
             packages: [F.pkg("bar", min: "2.0.0", max: "2.2.0")],
             kept: ["bar/stable: bar.v2.0.0 bar.v2.2.0 bar.v2.5.0 bar.v3.0.0"], defaults: ["bar": "stable"]),
        Case(name: "range: only a skipped bundle in range keeps the head that skips it",
             packages: [F.pkg("bar", channels: [F.ch("stable", min: "2.1.0", max: "2.3.0")])],
             kept: ["bar/stable: bar.v2.2.0 bar.v3.0.0"]),
        Case(name: "range: release bounds leave pre-releases out (Masterminds)",
             packages: [F.pkg("bar", channels: [F.ch("fast", min: "3.0.0")], defaultChannel: "fast")],
             kept: ["bar/fast: bar.v3.0.0"], defaults: ["bar": "fast"]),
        Case(name: "range: skipRange reaches a side branch; its path is kept for a single head",
             packages: [F.pkg("side", channels: [F.ch("stable", min: "1.4.0", max: "1.6.0")])],
             kept: ["side/stable: side.v1.5.0 side.v2.0.0 side.v3.0.0"]),
    ]

    @Test(arguments: cases)
    func keeps(_ example: Case) throws {
        let catalog = try F.catalog(Dictionary(uniqueKeysWithValues: example.catalog.map { name in
            (name, ["foo": F.foo, "bar": F.bar, "side": F.side, "broken": F.broken][name]!)
        }))
        let result = try CatalogFilter(packages: example.packages, full: example.full).apply(to: catalog)
        #expect(Self.summary(result) == example.kept)
        for (package, channel) in example.defaults {
            #expect(result.catalog.packages[package]?.package?.defaultChannel == channel)
        }
        // Every kept bundle is listed with its images; nothing else is.
        let listed = Set(Self.summary(result).flatMap { $0.split(separator: " ").dropFirst().map(String.init) })
        #expect(Set(result.keptBundles.map(\.name)) == listed)
        #expect(result.keptBundles.allSatisfy { !$0.relatedImages.isEmpty && !$0.image.isEmpty })
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var name: String
        var packages: [OperatorPackage]
        var full = false
        /// (channel, message fragment) per problem, in order.
        var problems: [(channel: String?, message: String)]
        var testDescription: String { name }
    }

    static let failures: [FailureCase] = [
        FailureCase(name: "default channel filtered out", packages: [F.pkg("foo", channels: [F.ch("alpha")])],
                    problems: [(nil, "the default channel \"beta\" was filtered out, a new default channel must be configured for this package")]),
        FailureCase(name: "only a channel the catalog lacks: the problem says so (its warning would not be seen)",
                    packages: [F.pkg("foo", channels: [F.ch("nosuch")])],
                    problems: [(nil, "the default channel \"beta\" was filtered out, a new default channel must be configured for this package; "
                                + "channel \"nosuch\" listed in the configuration is not in the catalog (its channels: alpha, beta)")]),
        FailureCase(name: "defaultChannel not among the listed channels", packages: [F.pkg("foo", channels: [F.ch("alpha")], defaultChannel: "beta")],
                    problems: [(nil, "the defaultChannel \"beta\" set in the configuration is not among the package's filtered channels (alpha)")]),
        FailureCase(name: "a range that empties the default channel", packages: [F.pkg("foo", min: "5.0.0")],
                    problems: [("beta", "minVersion 5.0.0 and up (package range) leaves no bundle in the package's default channel")]),
        FailureCase(name: "without skipRange, the side branch is out of reach (oc-mirror's result)",
                    packages: [F.pkg("side", channels: [F.ch("plain", min: "1.4.0", max: "1.6.0")], defaultChannel: "plain")],
                    problems: [("plain", "leaves no bundle in the package's default channel")]),
        FailureCase(name: "multiple heads and a cycle, both reported", packages: [F.pkg("broken")],
                    problems: [("cycle", "cannot filter the channel: a cycle in the upgrade graph through broken.v1.0.0, broken.v2.0.0"),
                               ("twoheads", "cannot filter the channel: multiple channel heads found: broken.v1.0.0, broken.v2.0.0")]),
        FailureCase(name: "full keeps a broken graph whole: the check refuses it", packages: [F.pkg("broken", channels: [F.ch("twoheads")])],
                    full: true,
                    problems: [("twoheads", "the filtered channel is not a valid upgrade graph: multiple channel heads found: broken.v1.0.0, broken.v2.0.0")]),
        FailureCase(name: "full with a range", packages: [F.pkg("foo", min: "0.1.0")], full: true,
                    problems: [(nil, "full: true cannot be combined with minVersion/maxVersion")]),
    ]

    @Test(arguments: failures)
    func refuses(_ example: FailureCase) throws {
        let catalog = try F.testCatalog()
        let error = try #require(throws: CatalogFilterError.self) {
            try CatalogFilter(packages: example.packages, full: example.full).apply(to: catalog)
        }
        #expect(error.problems.count == example.problems.count, "\(error)")
        for (problem, expected) in zip(error.problems, example.problems) {
            #expect(problem.channel == expected.channel)
            #expect(problem.message.contains(expected.message), "\(problem.message)")
            #expect(problem.mark == F.mark)
        }
    }

    @Test func aKeptEntryWithoutItsBundleIsAnError() throws {
        let catalog = try F.catalog(["ghost": [F.package("ghost", defaultChannel: "stable"),
                                               F.channel("ghost", "stable", [F.E("ghost.v1.0.0")])]])
        let error = try #require(throws: CatalogFilterError.self) { try CatalogFilter().apply(to: catalog) }
        #expect(error.description == #"package "ghost", channel "stable": the catalog has no olm.bundle for the kept entry "ghost.v1.0.0""#)
    }

    @Test func deprecationsArePrunedToWhatIsKept() throws {
        let result = try CatalogFilter(packages: [F.pkg("foo", channels: [F.ch("beta")])]).apply(to: F.testCatalog())
        let deprecations = try #require(result.catalog.packages["foo"]?.deprecations.first)
        #expect(deprecations.blob.text == """
        {"schema":"olm.deprecations","package":"foo","entries":[
          {"reference":{"schema":"olm.package"},"message":"foo is deprecated"},
          {"reference":{"schema":"olm.bundle","name":"foo.v0.3.0"},"message":"0.3.0 is deprecated"}
        ]}
        """)
        #expect(result.packages.first?.notes.contains("deprecations: 2 entries about removed channels or bundles dropped") == true)
        // Blobs of other schemas stay with their package.
        #expect(result.catalog.packages["foo"]?.others.map(\.schema) == ["io.example.note"])
    }

    @Test func aMissingPackageOrChannelIsAWarning() throws {
        let result = try CatalogFilter(packages: [F.pkg("nope"), F.pkg("foo", channels: [F.ch("beta"), F.ch("gamma")])])
            .apply(to: F.testCatalog())
        #expect(result.warnings == [#"package "foo": channel "gamma" is not in the catalog (its channels: alpha, beta)"#,
                                    #"package "nope" is not in the catalog; nothing is mirrored for it"#])
        #expect(Self.summary(result) == ["foo/beta: foo.v0.3.0"])
    }

    /// A channel of nightlies (all pre-releases of 1.2.0) under `minVersion: "1.2"`: the range
    /// keeps nothing, and widening it would not help; the problem says that pre-releases are
    /// left out and which minimum admits them (Masterminds: a pre-release bound admits them).
    @Test func aRangeLeavingOnlyPrereleasesOutSaysSoAndWhichMinimumAdmitsThem() throws {
        let versions = ["1.2.0-nightly.1", "1.2.0-nightly.2", "1.2.0-nightly.3"]
        let catalog = try F.catalog(["night": [F.package("night", defaultChannel: "nightly"),
                                               F.channel("night", "nightly", [F.E("night.v1.2.0-nightly.1"),
                                                                              F.E("night.v1.2.0-nightly.2", replaces: "night.v1.2.0-nightly.1"),
                                                                              F.E("night.v1.2.0-nightly.3", replaces: "night.v1.2.0-nightly.2")])]
                                             + F.bundles("night", versions)])
        let error = try #require(throws: CatalogFilterError.self) {
            try CatalogFilter(packages: [F.pkg("night", min: "1.2")]).apply(to: catalog)
        }
        let problem = try #require(error.problems.first)
        #expect(problem.message == "minVersion 1.2 (read as >=1.2.0) and up (package range) leaves no bundle in the package's default channel: "
                + "3 bundles are pre-releases of versions within the bounds (1.2.0-nightly.1, 1.2.0-nightly.2, 1.2.0-nightly.3), "
                + "left out: a range admits pre-releases only when minVersion or maxVersion is one")
        #expect(problem.hint == "set minVersion to 1.2.0-0 to admit them, or set defaultChannel to a channel the range keeps bundles of")

        // The minimum it names keeps them all.
        let result = try CatalogFilter(packages: [F.pkg("night", min: "1.2.0-0")]).apply(to: catalog)
        #expect(Self.summary(result) == ["night/nightly: night.v1.2.0-nightly.1 night.v1.2.0-nightly.2 night.v1.2.0-nightly.3"])
        #expect(!result.explanationText.contains("left out"))
    }

    /// A kept channel notes the pre-releases of versions within the bounds that it left out (here
    /// a head `1.0.1-1` that replaces its own release), not those above the bounds.
    @Test func aKeptChannelNotesThePrereleasesItLeftOut() throws {
        let catalog = try F.catalog(["rel": [F.package("rel", defaultChannel: "stable"),
                                             F.channel("rel", "stable", [F.E("rel.v1.0.0"),
                                                                         F.E("rel.v1.0.1", replaces: "rel.v1.0.0"),
                                                                         F.E("rel.v1.0.1-1", replaces: "rel.v1.0.1"),
                                                                         F.E("rel.v2.0.0-rc.1", replaces: "rel.v1.0.1-1")])]
                                           + F.bundles("rel", ["1.0.0", "1.0.1", "1.0.1-1", "2.0.0-rc.1"])])
        let result = try CatalogFilter(packages: [F.pkg("rel", min: "1", max: "1.5")]).apply(to: catalog)
        #expect(Self.summary(result) == ["rel/stable: rel.v1.0.0 rel.v1.0.1"])
        let notes = result.packages.first?.channels.first?.notes ?? []
        #expect(notes == ["1 bundle is a pre-release of versions within the bounds (1.0.1-1), left out: a range admits pre-releases "
                          + "only when minVersion or maxVersion is one; minVersion 1.0.0-0 would admit it"])
    }

    @Test func aVersionThatIsNotStrictSemverIsReadLeniently() throws {
        let lax = F.bundle("lax", "2.0.0").replacingOccurrences(of: #""version":"2.0.0""#, with: #""version":"v2.0""#)
        let catalog = try F.catalog(["lax": [F.package("lax", defaultChannel: "stable"),
                                             F.channel("lax", "stable", [F.E("lax.v1.0.0"), F.E("lax.v2.0.0", replaces: "lax.v1.0.0")]),
                                             F.bundle("lax", "1.0.0"), lax]])
        let result = try CatalogFilter(packages: [F.pkg("lax", min: "1.5.0")]).apply(to: catalog)
        #expect(Self.summary(result) == ["lax/stable: lax.v2.0.0"])
        #expect(result.explanationText.contains("note: lax.v2.0.0: version 'v2.0' is not strict semver"))
    }

    @Test func aSkipRangeThatDoesNotParseIsIgnoredWithANote() throws {
        let catalog = try F.catalog(["odd": [F.package("odd", defaultChannel: "stable"),
                                             F.channel("odd", "stable", [F.E("odd.v1.0.0"),
                                                                         F.E("odd.v2.0.0", replaces: "odd.v1.0.0", skipRange: "not a range")]),
                                             F.bundle("odd", "1.0.0"), F.bundle("odd", "2.0.0")]])
        let result = try CatalogFilter(packages: [F.pkg("odd", min: "1.0.0")]).apply(to: catalog)
        #expect(Self.summary(result) == ["odd/stable: odd.v1.0.0 odd.v2.0.0"])
        #expect(result.packages.first?.channels.first?.notes == ["the skipRange 'not a range' of odd.v2.0.0 is not a version range; ignored"])
    }

    @Test func theExplanationSaysWhatWasKeptAndWhy() throws {
        let result = try CatalogFilter(packages: [F.pkg("bar", min: "2.0.0", max: "2.2.0")]).apply(to: F.testCatalog())
        #expect(result.explanationText == """
        kept 1 package, 1 channel, 4 bundles
        package bar: default channel stable, 1 channel, 4 bundles
          channel fast: minVersion 2.0.0 to maxVersion 2.2.0 (package range): removed, no bundle in range
          channel stable: minVersion 2.0.0 to maxVersion 2.2.0 (package range): 4 bundles
            bar.v3.0.0  3.0.0  out of range, kept on the upgrade chain through which the bundles in range are reached
            bar.v2.5.0  2.5.0  out of range, kept on the upgrade chain through which the bundles in range are reached
            bar.v2.2.0  2.2.0  in range, skipped by bar.v3.0.0
            bar.v2.0.0  2.0.0  in range

        """)
    }

    @Test func theSkipRangeExplanationNamesTheRangeAndTheConnector() throws {
        let result = try CatalogFilter(packages: [F.pkg("side", channels: [F.ch("stable", min: "1.4.0", max: "1.6.0")])])
            .apply(to: F.testCatalog())
        let kept = try #require(result.packages.first?.channels.first?.kept.map(\.description))
        #expect(kept == ["side.v3.0.0  3.0.0  out of range, kept on the upgrade chain through which the bundles in range are reached",
                         "side.v2.0.0  2.0.0  kept to connect side.v1.5.0 to the channel",
                         "side.v1.5.0  1.5.0  in range, in the skipRange '>=1.0.0 <3.0.0' of side.v3.0.0"])
    }

    @Test func theFilteredChannelKeepsItsBytesButTheDroppedEntries() throws {
        let result = try CatalogFilter(packages: [F.pkg("foo", channels: [F.ch("beta", min: "0.2.0", max: "0.3.0")])]).apply(to: F.testCatalog())
        let beta = try #require(result.catalog.packages["foo"]?.channels["beta"])
        #expect(beta.blob.text == """
        {"schema":"olm.channel","package":"foo","name":"beta","entries":[{"name":"foo.v0.2.0","replaces":"foo.v0.1.0","skips":["foo.v0.1.1"],"skipRange":"<0.2.0"},{"name":"foo.v0.3.0","replaces":"foo.v0.2.0"}]}
        """)
        #expect(result.catalog.packages["foo"]?.package?.blob.text == F.package("foo", defaultChannel: "beta"))
    }

    @Test func anOverriddenDefaultChannelIsWrittenIntoThePackageBlob() throws {
        let result = try CatalogFilter(packages: [F.pkg("foo", channels: [F.ch("alpha")], defaultChannel: "alpha")]).apply(to: F.testCatalog())
        #expect(result.catalog.packages["foo"]?.package?.blob.text
                == F.package("foo", defaultChannel: "beta").replacingOccurrences(of: #""defaultChannel":"beta""#, with: #""defaultChannel":"alpha""#))
    }

    @Test func fullWithoutPackagesIsTheWholeCatalog() throws {
        let catalog = try F.testCatalog()
        let result = try CatalogFilter(full: true).apply(to: catalog)
        #expect(result.isWholeCatalog)
        #expect(result.catalog == catalog)
    }
}
