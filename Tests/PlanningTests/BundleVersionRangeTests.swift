import ImageSet
import Planning
import Testing

/// `minVersion`/`maxVersion` checked as oc-mirror's catalog filter checks `>=MIN <=MAX` with
/// Masterminds semver v3 (≥ 3.4.0): partial bounds, `v` prefixes, pre-releases per range.
struct BundleVersionRangeTests {
    static func range(_ min: String?, _ max: String?) -> BundleVersionRange {
        BundleVersionRange(minimum: min.map { try! VersionBound(parsing: $0) }, maximum: max.map { try! VersionBound(parsing: $0) })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var min: String?
        var max: String?
        var inRange: [String]
        var outOfRange: [String]
        var testDescription: String { ">=\(min ?? "-") <=\(max ?? "-")" }
    }

    static let cases: [Case] = [
        // Written in full: by precedence, build metadata ignored; no pre-release without a pre-release bound.
        Case(min: "1.0.0", max: "2.0.0", inRange: ["1.0.0", "1.5.3", "2.0.0", "2.0.0+build.1"],
             outOfRange: ["0.9.9", "2.0.1", "1.5.0-rc.1", "2.0.0-rc.1"]),
        // `<=3.12` is every 3.12.x: below 3.13.0, and not 3.13.0's pre-releases either.
        Case(min: nil, max: "3.12", inRange: ["3.12.0", "3.12.1", "3.12.21", "3.11.9", "0.1.0"],
             outOfRange: ["3.13.0", "4.0.0", "3.12.1-rc.1"]),
        // `<=3` is every 3.x.
        Case(min: nil, max: "3", inRange: ["3.0.0", "3.99.99", "2.1.0"], outOfRange: ["4.0.0", "4.0.0-rc.1"]),
        // `>=3.12` is `>=3.12.0`, `>=3` is `>=3.0.0`.
        Case(min: "3.12", max: nil, inRange: ["3.12.0", "3.12.4", "4.0.0"], outOfRange: ["3.11.9", "3.12.0-rc.1"]),
        Case(min: "3", max: nil, inRange: ["3.0.0", "3.12.0", "17.0.0"], outOfRange: ["2.99.0"]),
        // A `v` prefix changes nothing.
        Case(min: "v3.12", max: "v3.12", inRange: ["3.12.0", "3.12.9"], outOfRange: ["3.11.9", "3.13.0"]),
        Case(min: "v3.12.1", max: "v3.12.3", inRange: ["3.12.1", "3.12.3"], outOfRange: ["3.12.0", "3.12.4"]),
        // 3.12 to 3.12 is every 3.12.x, as Masterminds reads `>=3.12 <=3.12`.
        Case(min: "3.12", max: "3.12", inRange: ["3.12.0", "3.12.1", "3.12.21"], outOfRange: ["3.11.9", "3.13.0", "3.12.1-rc.1"]),
        // 3 to 3: every 3.x.
        Case(min: "3", max: "3", inRange: ["3.0.0", "3.12.21"], outOfRange: ["2.9.0", "4.0.0"]),
        // A pre-release on the minimum only admits pre-releases in the whole range (Masterminds checks
        // it per AND group): the bound's siblings and the maximum's own pre-releases.
        Case(min: "3.4.0-ea.1", max: "3.5.0",
             inRange: ["3.4.0-ea.1", "3.4.0-ea.2", "3.4.0", "3.4.7-rc.1", "3.5.0-rc.1", "3.5.0"],
             outOfRange: ["3.4.0-alpha.1", "3.3.9", "3.5.1-rc.1", "3.5.1"]),
        // On the maximum only: the same.
        Case(min: "3.4.0", max: "3.5.0-rc.2",
             inRange: ["3.4.0", "3.4.1-rc.1", "3.5.0-rc.1", "3.5.0-rc.2"],
             outOfRange: ["3.4.0-rc.1", "3.5.0-rc.3", "3.5.0"]),
        // On both.
        Case(min: "3.4.0-ea.1", max: "3.5.0-rc.1", inRange: ["3.4.0-ea.1", "3.4.5-beta", "3.5.0-rc.1"],
             outOfRange: ["3.4.0-alpha", "3.5.0-rc.2", "3.5.0"]),
        // A minimum alone.
        Case(min: "3.4.0-ea.1", max: nil, inRange: ["3.4.0-ea.1", "9.0.0-rc.1", "9.0.0"], outOfRange: ["3.4.0-alpha"]),
        // A pre-release minimum with a partial maximum: pre-releases of 3.12 are in, those of 3.13 are above `<=3.12`.
        Case(min: "3.12.0-rc.1", max: "3.12", inRange: ["3.12.0-rc.1", "3.12.0-rc.2", "3.12.0", "3.12.21", "3.12.5-hotfix.1"],
             outOfRange: ["3.12.0-beta.1", "3.11.9", "3.13.0-rc.1", "3.13.0"]),
        // A partial maximum that is a pre-release: the numbers written cover every 3.12.x; its
        // pre-release only admits pre-releases.
        Case(min: nil, max: "3.12-rc.1", inRange: ["3.12.5", "3.12.3-beta", "3.11.0-rc.1"], outOfRange: ["3.13.0-rc.1", "3.13.0"]),
        // A partial minimum that is a pre-release is its zero-filled version: >=3.12.0-rc.1.
        Case(min: "3.12-rc.1", max: nil, inRange: ["3.12.0-rc.1", "3.12.0-rc.2", "3.12.0"], outOfRange: ["3.12.0-beta", "3.11.9"]),
    ]

    @Test(arguments: cases)
    func mastermindsSemantics(_ c: Case) throws {
        let range = Self.range(c.min, c.max)
        for text in c.inRange {
            #expect(range.contains(try SemanticVersion(parsing: text)), "\(text) should be in \(c.testDescription)")
        }
        for text in c.outOfRange {
            #expect(!range.contains(try SemanticVersion(parsing: text)), "\(text) should be out of \(c.testDescription)")
        }
    }

    /// Both bounds equal ask for that one version (oc-mirror OCPBUGS-61497, `isSpecificVersion`),
    /// equal partial bounds too; a partial maximum above a full minimum is a range over what it starts.
    @Test(arguments: [
        ("0.2.0", "0.2.0", true), ("3.12", "3.12", true), ("3", "3", true), ("3.12", "3.12.0", true),
        ("3.12.0", "3.12", false), ("3.4.0-ea.1", "3.4.0-ea.1", true), ("1.0.0+a", "1.0.0+b", true),
        ("v3.12.1", "3.12.1", true), ("3.12.0", "3.12.1", false),
    ] as [(String, String, Bool)])
    func exactness(_ min: String, _ max: String, _ exact: Bool) {
        #expect(Self.range(min, max).isExact == exact)
    }

    @Test func aBoundAloneIsNeverExact() {
        #expect(!Self.range("1.0.0", nil).isExact)
        #expect(!Self.range(nil, "1.0.0").isExact)
    }

    /// What `--explain` and `filter-explain.txt` print for the rule.
    @Test(arguments: [
        (nil, "3.12", "up to maxVersion 3.12 (read as <3.13.0, every 3.12.x)"),
        (nil, "3", "up to maxVersion 3 (read as <4.0.0, every 3.x)"),
        ("3.12", nil, "minVersion 3.12 (read as >=3.12.0) and up"),
        ("3.12", "3.12", "exactly 3.12.0"),
        ("3.12.0", "3.12", "minVersion 3.12.0 to maxVersion 3.12 (read as <3.13.0, every 3.12.x)"),
        ("v3.12.1", "3.12.4", "minVersion 3.12.1 to maxVersion 3.12.4"),
        ("3.4.0-ea.1", "3.5.0", "minVersion 3.4.0-ea.1 to maxVersion 3.5.0, pre-releases included (a bound is one)"),
        ("3.12.0-rc.1", "3.12",
         "minVersion 3.12.0-rc.1 to maxVersion 3.12 (read as <3.13.0, every 3.12.x, none of 3.13.0's pre-releases), "
            + "pre-releases included (a bound is one)"),
        ("0.2.0", "0.2.0", "exactly 0.2.0"),
        ("3.12", "3.12.0", "exactly 3.12.0"),
        ("3.4.0-ea.1", "3.4.0-ea.1", "exactly 3.4.0-ea.1"),
    ] as [(String?, String?, String)])
    func explanation(_ min: String?, _ max: String?, _ text: String) {
        #expect(Self.range(min, max).description == text)
    }
}
