import ImageSet

/// `minVersion`/`maxVersion` of a package or channel, as oc-mirror turns them into the catalog
/// filter's `versionRange` (`>=MIN <=MAX`, the texts as written) and Masterminds semver v3
/// (v3.4.0 and later, what oc-mirror builds with) checks it:
///
/// - `>=MIN`: at or above MIN by precedence; a partial MIN is filled with zeros (`>=3.12` is
///   `>=3.12.0`, so `3.12.0-rc.1` is below it).
/// - `<=MAX`: written in full, at or below MAX by precedence; partial, every version MAX starts
///   (`<=3.12`: `MAJOR.MINOR` at most 3.12, i.e. below 3.13.0 and none of 3.13.0's pre-releases;
///   `<=3`: major at most 3). See ``VersionBound/admitsAsMaximum(_:)``.
/// - Pre-releases: a pre-release version is in range only if either bound is a pre-release; then
///   pre-releases anywhere in the range are (Masterminds checks this per `AND` group, not per
///   bound: `>=3.4.0-ea.1 <=3.5.0` admits `3.4.0-ea.2` and `3.5.0-rc.1`).
///
/// Both bounds equal ask for that one version (oc-mirror OCPBUGS-61497): see ``isExact``.
public struct BundleVersionRange: Sendable, Hashable, CustomStringConvertible {
    public var minimum: VersionBound?
    public var maximum: VersionBound?

    public init(minimum: VersionBound?, maximum: VersionBound?) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether exactly one version is asked for, as oc-mirror's catalog filter decides it before
    /// asking Masterminds (`isSpecificVersion`, OCPBUGS-61497): both bounds set and equal. Equal
    /// partial bounds count (`3.12` to `3.12` is exactly 3.12.0, not every 3.12.x, which
    /// Masterminds alone would give; see ``isExactByEqualPartialBounds``); `3.12` to `3.12.0` is
    /// 3.12.0 either way, while `3.12.0` to `3.12` is a range over every 3.12.x.
    public var isExact: Bool {
        guard let minimum, let maximum, minimum.version.hasSamePrecedence(as: maximum.version) else { return false }
        return !maximum.isPartial || minimum.precision == maximum.precision
    }

    /// Whether ``isExact`` holds only because both bounds are the same partial version: worth a
    /// note, since a person may have meant every `3.12.x`.
    public var isExactByEqualPartialBounds: Bool {
        isExact && maximum?.isPartial == true
    }

    /// Whether pre-release versions can be in range: one of the bounds is a pre-release.
    public var admitsPrereleases: Bool {
        minimum?.isPrerelease == true || maximum?.isPrerelease == true
    }

    /// Whether `version` satisfies `>=minimum <=maximum` as Masterminds checks it.
    public func contains(_ version: SemanticVersion) -> Bool {
        if version.isPrerelease && !admitsPrereleases { return false }
        if let minimum, precedence(version, minimum.version) < 0 { return false }
        if let maximum, !maximum.admitsAsMaximum(version) { return false }
        return true
    }

    /// `minVersion 1.0.0 to maxVersion 2.0.0`, `minVersion 1.0.0 and up`, `up to maxVersion 2.0.0`,
    /// `exactly 1.2.0`; a partial bound says how it was read (`maxVersion 3.12 (read as <3.13.0,
    /// every 3.12.x)`), and a range admitting pre-releases says so.
    public var description: String {
        let range: String = switch (minimum, maximum) {
        case let (_?, max?) where isExact: "exactly \(max.version)"
        case let (min?, max?): "\(Self.minimumText(min)) to \(maximumText(max))"
        case let (min?, nil): "\(Self.minimumText(min)) and up"
        case let (nil, max?): "up to \(maximumText(max))"
        case (nil, nil): "any version"
        }
        guard admitsPrereleases, !isExact else { return range }
        return range + ", pre-releases included (a bound is one)"
    }

    private static func minimumText(_ bound: VersionBound) -> String {
        guard bound.isPartial else { return "minVersion \(bound)" }
        return "minVersion \(bound) (read as >=\(bound.version))"
    }

    private func maximumText(_ bound: VersionBound) -> String {
        guard bound.isPartial, let above = bound.firstReleaseAbovePartialMaximum else { return "maxVersion \(bound)" }
        let every = bound.precision == .minor ? "\(bound.version.major).\(bound.version.minor).x" : "\(bound.version.major).x"
        // With pre-releases admitted, `<3.13.0` alone would suggest that 3.13.0-rc.1 is in.
        let caveat = admitsPrereleases ? ", none of \(above)'s pre-releases" : ""
        return "maxVersion \(bound) (read as <\(above), every \(every)\(caveat))"
    }
}
