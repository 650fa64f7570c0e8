import ImageSet
import Testing

/// `minVersion`/`maxVersion` of operator packages and channels keep how many numbers were
/// written, since oc-mirror's Masterminds constraint reads `<=3.12` as every 3.12.x.
struct VersionBoundTests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        var text: String
        var version: SemanticVersion
        var precision: VersionBound.Precision
        var description: String
        var testDescription: String { text }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(text: "3.12.1", version: SemanticVersion(major: 3, minor: 12, patch: 1), precision: .patch, description: "3.12.1"),
        ParseCase(text: "3.12", version: SemanticVersion(major: 3, minor: 12, patch: 0), precision: .minor, description: "3.12"),
        ParseCase(text: "3", version: SemanticVersion(major: 3, minor: 0, patch: 0), precision: .major, description: "3"),
        ParseCase(text: "v3.12", version: SemanticVersion(major: 3, minor: 12, patch: 0), precision: .minor, description: "3.12"),
        ParseCase(text: "v3.12.1", version: SemanticVersion(major: 3, minor: 12, patch: 1), precision: .patch, description: "3.12.1"),
        ParseCase(text: "3.4.0-ea.1", version: SemanticVersion(major: 3, minor: 4, patch: 0, prerelease: ["ea", "1"]),
                  precision: .patch, description: "3.4.0-ea.1"),
        // A dash inside the pre-release does not cut the numbers short.
        ParseCase(text: "3.12-rc-1.2", version: SemanticVersion(major: 3, minor: 12, patch: 0, prerelease: ["rc-1", "2"]),
                  precision: .minor, description: "3.12-rc-1.2"),
        ParseCase(text: "3.12+build.7", version: SemanticVersion(major: 3, minor: 12, patch: 0, build: ["build", "7"]),
                  precision: .minor, description: "3.12+build.7"),
        ParseCase(text: "03.012", version: SemanticVersion(major: 3, minor: 12, patch: 0), precision: .minor, description: "3.12"),
    ]

    @Test(arguments: parseCases)
    func parsesAndCountsTheNumbersWritten(_ c: ParseCase) throws {
        let bound = try VersionBound(parsing: c.text)
        #expect(bound.version == c.version)
        #expect(bound.precision == c.precision)
        #expect(bound.isPartial == (c.precision != .patch))
        #expect(bound.description == c.description)
    }

    @Test(arguments: ["", "3.12.1.4", "x", "3.x", "3..1", "v"])
    func refusesWhatMastermindsDoesNotRead(_ text: String) {
        #expect(throws: SemanticVersion.ParseError.self) { try VersionBound(parsing: text) }
    }

    struct MaximumCase: Sendable, CustomTestStringConvertible {
        var bound: String
        var candidate: String
        var admitted: Bool
        var testDescription: String { "<=\(bound) \(admitted ? "admits" : "refuses") \(candidate)" }
    }

    /// Masterminds' `<=` (constraintLessThanEqual): in full by precedence; partial by the numbers
    /// written, so a pre-release of the next minor or major is above the bound.
    static let maximumCases: [MaximumCase] = [
        MaximumCase(bound: "3.12.0", candidate: "3.12.0", admitted: true),
        MaximumCase(bound: "3.12.0", candidate: "3.12.1", admitted: false),
        MaximumCase(bound: "3.12.0", candidate: "3.12.0-rc.1", admitted: true),
        MaximumCase(bound: "3.12.0", candidate: "3.12.0+build.1", admitted: true),
        MaximumCase(bound: "3.12", candidate: "3.12.0", admitted: true),
        MaximumCase(bound: "3.12", candidate: "3.12.21", admitted: true),
        MaximumCase(bound: "3.12", candidate: "3.12.0-rc.1", admitted: true),
        MaximumCase(bound: "3.12", candidate: "2.99.0", admitted: true),
        MaximumCase(bound: "3.12", candidate: "3.13.0", admitted: false),
        MaximumCase(bound: "3.12", candidate: "3.13.0-rc.1", admitted: false),
        MaximumCase(bound: "3", candidate: "3.99.7", admitted: true),
        MaximumCase(bound: "3", candidate: "4.0.0-rc.1", admitted: false),
        MaximumCase(bound: "v3.12", candidate: "3.12.4", admitted: true),
        // A partial bound's own pre-release plays no part in the comparison.
        MaximumCase(bound: "3.12-rc.1", candidate: "3.12.5", admitted: true),
    ]

    @Test(arguments: maximumCases)
    func admitsAsMaximum(_ c: MaximumCase) throws {
        let bound = try VersionBound(parsing: c.bound)
        #expect(bound.admitsAsMaximum(try SemanticVersion(parsing: c.candidate)) == c.admitted)
    }

    @Test func thePartialMaximumEndsBeforeTheNextMinorOrMajor() throws {
        #expect(try VersionBound(parsing: "3.12").firstReleaseAbovePartialMaximum == SemanticVersion(major: 3, minor: 13, patch: 0))
        #expect(try VersionBound(parsing: "3").firstReleaseAbovePartialMaximum == SemanticVersion(major: 4, minor: 0, patch: 0))
        #expect(try VersionBound(parsing: "3.12.1").firstReleaseAbovePartialMaximum == nil)
    }

    @Test func packagesAndChannelsKeepHowTheirBoundsWereWritten() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    packages:",
            "    - name: foo",
            "      minVersion: '3.12'",
            "      maxVersion: \"3\"",
            "    - name: bar",
            "      channels:",
            "      - name: stable",
            "        minVersion: 3.12.5",
            "        maxVersion: v3.12"
        ), fileName: testFile)
        let packages = try #require(loaded.value.mirror.operators.first?.packages)
        #expect(packages[0].minVersion?.precision == .minor)
        #expect(packages[0].maxVersion?.precision == .major)
        #expect(packages[1].channels[0].minVersion?.precision == .patch)
        #expect(packages[1].channels[0].maxVersion == VersionBound(SemanticVersion(major: 3, minor: 12, patch: 0), precision: .minor))
    }

    /// A partial maximum covers its whole minor, so a minimum inside it is not above it.
    @Test func aMinimumInsideAPartialMaximumIsInOrder() {
        let problems = iscProblems(yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    packages:",
            "    - name: foo",
            "      minVersion: 3.12.5",
            "      maxVersion: '3.12'",
            "    - name: bar",
            "      minVersion: 3.13.0-rc.1",
            "      maxVersion: '3.12'",
            "    - name: baz",
            "      minVersion: 4.0.0",
            "      maxVersion: '3'"
        ))
        #expect(problems == [
            "isc.yaml:11:19: mirror.operators[0].packages[1].maxVersion: 3.12 is below minVersion 3.13.0-rc.1 (at 10:19)",
            "isc.yaml:14:19: mirror.operators[0].packages[2].maxVersion: 3 is below minVersion 4.0.0 (at 13:19)",
        ])
    }
}
