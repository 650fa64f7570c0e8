import ImageSet
import Testing

struct SemanticVersionTests {
    /// Text, then its description after parsing, for both parsers.
    static let strictValid: [(String, String)] = [
        ("4.18.1", "4.18.1"),
        ("0.0.0", "0.0.0"),
        ("1.2.3-rc.1", "1.2.3-rc.1"),
        ("4.18.1-rc.1", "4.18.1-rc.1"),
        ("1.2.3-0.alpha-x.7", "1.2.3-0.alpha-x.7"),
        ("1.2.3+build.007", "1.2.3+build.007"),
        ("1.2.3-rc.1+exp.sha.5114f85", "1.2.3-rc.1+exp.sha.5114f85"),
        ("18446744073709551615.0.0", "18446744073709551615.0.0"),
    ]

    @Test(arguments: strictValid)
    func parsesStrictly(_ text: String, _ description: String) throws {
        #expect(try SemanticVersion(parsing: text).description == description)
        #expect(try SemanticVersion(parsingLeniently: text).description == description)
    }

    /// Masterminds `NewVersion` coerces these; a strict parser refuses them.
    static let lenientOnly: [(String, String)] = [
        ("4.18", "4.18.0"),
        ("4", "4.0.0"),
        ("v4.18.1", "4.18.1"),
        ("v4.18", "4.18.0"),
        ("04.018.01", "4.18.1"),
        ("4.18-rc.1", "4.18.0-rc.1"),
    ]

    @Test(arguments: lenientOnly)
    func parsesLeniently(_ text: String, _ description: String) throws {
        #expect(try SemanticVersion(parsingLeniently: text).description == description)
        #expect(throws: SemanticVersion.ParseError.self) { try SemanticVersion(parsing: text) }
    }

    static let invalid: [(String, String)] = [
        ("", "invalid semantic version '': empty; expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        ("4.x", "invalid semantic version '4.x': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        ("4.18.1.2", "invalid semantic version '4.18.1.2': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        ("4..1", "invalid semantic version '4..1': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        ("V4.1.0", "invalid semantic version 'V4.1.0': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        (" 4.1.0", "invalid semantic version ' 4.1.0': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"),
        ("1.0.0-rc..1", "invalid semantic version '1.0.0-rc..1': pre-release: empty identifier"),
        ("1.0.0-01", "invalid semantic version '1.0.0-01': pre-release: leading zero in '01'"),
        ("1.0.0-rc_1", "invalid semantic version '1.0.0-rc_1': pre-release: 'rc_1' may only hold letters, digits and '-'"),
        ("1.0.0+", "invalid semantic version '1.0.0+': build metadata: empty identifier"),
        ("99999999999999999999.0.0", "invalid semantic version '99999999999999999999.0.0': '99999999999999999999' is too large"),
    ]

    @Test(arguments: invalid)
    func refusesLeniently(_ text: String, _ message: String) {
        #expect(throws: SemanticVersion.ParseError.self) { try SemanticVersion(parsingLeniently: text) }
        do {
            _ = try SemanticVersion(parsingLeniently: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func strictRefusesLeadingZeros() {
        do {
            _ = try SemanticVersion(parsing: "4.08.1")
            Issue.record("4.08.1 parsed strictly")
        } catch {
            #expect(error.description == "invalid semantic version '4.08.1': leading zero in '08'")
        }
    }

    /// Each version is lower than the next (semver.org §11 example, plus OpenShift-style ones).
    static let ascending = [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
        "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "4.9.0", "4.10.0", "4.18.0-ec.3", "4.18.0-rc.0", "4.18.0",
    ]

    @Test func ordersByPrecedence() throws {
        let versions = try Self.ascending.map { text throws(SemanticVersion.ParseError) in try SemanticVersion(parsing: text) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "!(\(higher) < \(lower))")
        }
        #expect(versions.shuffled().sorted() == versions)
    }

    @Test func buildMetadataHasNoPrecedence() throws {
        let a = try SemanticVersion(parsing: "1.0.0+a")
        let b = try SemanticVersion(parsing: "1.0.0+b")
        #expect(a != b)
        #expect(a.hasSamePrecedence(as: b))
        #expect(a < b, "build metadata breaks the tie so that < agrees with ==")
        #expect(try SemanticVersion(parsing: "1.0.0") == SemanticVersion(parsingLeniently: "v1.0"))
    }
}
