/// A semantic version, `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]` (semver.org 2.0.0).
///
/// Two parsers: ``init(parsing:)`` takes only what semver allows (operator bundle versions are
/// read this way, as oc-mirror's catalog filter does), ``init(parsingLeniently:)`` also takes what
/// Masterminds `semver.NewVersion` coerces (`4.18`, `v4.18.1`, `04.18`), as oc-mirror does for
/// `minVersion`/`maxVersion`.
///
/// Ordering is semver precedence (numeric parts, then pre-release: `1.0.0-rc.1 < 1.0.0`). Build
/// metadata has no precedence; `<` uses it only as a last tie-break, so that `<` agrees with `==`
/// (which compares every part). Use ``hasSamePrecedence(as:)`` to ignore it.
public struct SemanticVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Incremented for incompatible changes.
    public var major: UInt64
    /// Incremented for compatible features (`18` in OpenShift 4.18).
    public var minor: UInt64
    /// Incremented for fixes.
    public var patch: UInt64
    /// Dot-separated pre-release identifiers (`["rc", "1"]`); empty for a release.
    public var prerelease: [String]
    /// Dot-separated build identifiers; no effect on precedence.
    public var build: [String]

    /// Creates a version from its parts; the identifiers are not validated here.
    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// A problem parsing a version: the text and what is wrong with it.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text that was parsed.
        public let text: String
        /// What is wrong, e.g. "leading zero in '01'".
        public let problem: String

        /// `invalid semantic version 'TEXT': PROBLEM`.
        public var description: String { "invalid semantic version '\(text)': \(problem)" }
    }

    /// Parses a strict semantic version: exactly three numbers without leading zeros, no `v`.
    /// - Throws: ``ParseError`` saying what is wrong.
    public init(parsing text: String) throws(ParseError) {
        try self.init(text, lenient: false)
    }

    /// Parses as Masterminds `semver.NewVersion` does: an optional `v`, one to three numbers
    /// (missing ones are 0; leading zeros are dropped), then an optional pre-release and build.
    /// - Throws: ``ParseError`` saying what is wrong.
    public init(parsingLeniently text: String) throws(ParseError) {
        try self.init(text, lenient: true)
    }

    private init(_ text: String, lenient: Bool) throws(ParseError) {
        func failure(_ problem: String) -> ParseError { ParseError(text: text, problem: problem) }
        let expected = lenient
            ? "expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1"
            : "expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], e.g. 4.18.1"
        guard !text.isEmpty else { throw failure("empty; \(expected)") }

        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<plus]
            for identifier in build {
                if let problem = Self.identifierProblem(identifier, numericMayHaveLeadingZero: true) {
                    throw failure("build metadata: \(problem)")
                }
            }
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<dash]
            for identifier in prerelease {
                if let problem = Self.identifierProblem(identifier, numericMayHaveLeadingZero: false) {
                    throw failure("pre-release: \(problem)")
                }
            }
        }
        if lenient, rest.first == "v" { rest = rest.dropFirst() }

        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard lenient ? (1...3).contains(parts.count) : parts.count == 3 else { throw failure(expected) }
        var numbers: [UInt64] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw failure(expected) }
            if !lenient, part.count > 1, part.first == "0" { throw failure("leading zero in '\(part)'") }
            guard let number = UInt64(part) else { throw failure("'\(part)' is too large") }
            numbers.append(number)
        }
        while numbers.count < 3 { numbers.append(0) }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease, build: build)
    }

    /// Checks one pre-release or build identifier: `[0-9A-Za-z-]+`, numeric ones without leading zeros.
    private static func identifierProblem(_ identifier: String, numericMayHaveLeadingZero: Bool) -> String? {
        guard !identifier.isEmpty else { return "empty identifier" }
        guard identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return "'\(identifier)' may only hold letters, digits and '-'"
        }
        if !numericMayHaveLeadingZero, identifier.count > 1, identifier.first == "0",
           identifier.allSatisfy({ $0.isNumber }) {
            return "leading zero in '\(identifier)'"
        }
        return nil
    }

    /// `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, without a `v` and with any missing parts as 0.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Whether this is a pre-release (`4.18.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// Whether the two versions have the same precedence, build metadata ignored.
    public func hasSamePrecedence(as other: SemanticVersion) -> Bool {
        precedenceOrder(other) == 0
    }

    /// Semver precedence, then build metadata as text to break ties.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        let order = lhs.precedenceOrder(rhs)
        if order != 0 { return order < 0 }
        return lhs.build.joined(separator: ".") < rhs.build.joined(separator: ".")
    }

    /// -1, 0 or 1 by semver precedence (§11 of semver.org).
    private func precedenceOrder(_ other: SemanticVersion) -> Int {
        for (a, b) in [(major, other.major), (minor, other.minor), (patch, other.patch)] where a != b {
            return a < b ? -1 : 1
        }
        // A release ranks above its pre-releases.
        switch (prerelease.isEmpty, other.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        for (a, b) in zip(prerelease, other.prerelease) where a != b {
            switch (UInt64(a), UInt64(b)) {
            case let (x?, y?): return x < y ? -1 : 1
            // Numeric identifiers rank below alphanumeric ones.
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): return a < b ? -1 : 1
            }
        }
        if prerelease.count == other.prerelease.count { return 0 }
        return prerelease.count < other.prerelease.count ? -1 : 1
    }
}
