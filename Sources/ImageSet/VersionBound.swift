/// A `minVersion` or `maxVersion` of an operator package or channel: the version and how many of
/// its numbers were written.
///
/// oc-mirror passes both texts as written into the catalog filter's Masterminds constraint
/// `>=MIN <=MAX`, where a partial version counts: `<=3.12` admits every `3.12.x` and `<=3` every
/// `3.x`, while `>=3.12` is plain `>=3.12.0`. ``SemanticVersion`` fills missing numbers with 0, so
/// the number of parts written is kept beside it.
public struct VersionBound: Hashable, Sendable, CustomStringConvertible {
    /// How many of `MAJOR.MINOR.PATCH` were written.
    public enum Precision: Int, Hashable, Sendable {
        /// `3`: the minor and patch are 0 in ``VersionBound/version``.
        case major = 1
        /// `3.12`: the patch is 0 in ``VersionBound/version``.
        case minor = 2
        /// `3.12.1`: written in full.
        case patch = 3
    }

    /// The version with missing numbers as 0 (`3.12` → `3.12.0`), pre-release and build kept.
    public var version: SemanticVersion
    public var precision: Precision

    /// A bound from its parts; `precision` `.major` or `.minor` expects the numbers not written to be 0.
    public init(_ version: SemanticVersion, precision: Precision = .patch) {
        self.version = version
        self.precision = precision
    }

    /// Parses as Masterminds does (``SemanticVersion/init(parsingLeniently:)``: `3.12`, `v3.12.1`,
    /// `3.4.0-ea.1`), counting the numbers written.
    /// - Throws: ``SemanticVersion/ParseError`` saying what is wrong.
    public init(parsing text: String) throws(SemanticVersion.ParseError) {
        let version = try SemanticVersion(parsingLeniently: text)
        // The text parsed, so the numbers are what precedes any `-` or `+`, after an optional `v`.
        let numbers = text.prefix { $0 != "-" && $0 != "+" }
        let count = numbers.split(separator: ".", omittingEmptySubsequences: false).count
        self.init(version, precision: Precision(rawValue: count) ?? .patch)
    }

    /// Whether fewer than three numbers were written.
    public var isPartial: Bool { precision != .patch }

    /// Whether the bound is a pre-release (`3.4.0-ea.1`).
    public var isPrerelease: Bool { version.isPrerelease }

    /// Whether `candidate` is at or below this bound read as a maximum, as Masterminds' `<=`
    /// compares (whether pre-releases are admitted at all is the range's business):
    /// written in full, by precedence; `3.12`, every version whose `MAJOR.MINOR` is at most 3.12
    /// (`3.12.9` and `3.12.0-rc.1` are, `3.13.0-rc.1` is not); `3`, every version whose major is
    /// at most 3. A partial bound's own pre-release plays no part in the comparison.
    public func admitsAsMaximum(_ candidate: SemanticVersion) -> Bool {
        switch precision {
        case .patch:
            return candidate < version || candidate.hasSamePrecedence(as: version)
        case .minor:
            return (candidate.major, candidate.minor) <= (version.major, version.minor)
        case .major:
            return candidate.major <= version.major
        }
    }

    /// For a partial bound, the first release a maximum leaves out: `3.13.0` for `3.12`, `4.0.0`
    /// for `3`. Nil when written in full, or when the number would overflow.
    public var firstReleaseAbovePartialMaximum: SemanticVersion? {
        switch precision {
        case .patch:
            return nil
        case .minor:
            let (minor, overflow) = version.minor.addingReportingOverflow(1)
            return overflow ? nil : SemanticVersion(major: version.major, minor: minor, patch: 0)
        case .major:
            let (major, overflow) = version.major.addingReportingOverflow(1)
            return overflow ? nil : SemanticVersion(major: major, minor: 0, patch: 0)
        }
    }

    /// `3.12.1`, `3.12`, `3`, `3.12-rc.1`: the numbers written (without a `v`), then any
    /// pre-release and build. Written in full, the same as ``SemanticVersion/description``.
    public var description: String {
        var text = [version.major, version.minor, version.patch].prefix(precision.rawValue).map(String.init).joined(separator: ".")
        if !version.prerelease.isEmpty { text += "-" + version.prerelease.joined(separator: ".") }
        if !version.build.isEmpty { text += "+" + version.build.joined(separator: ".") }
        return text
    }
}
