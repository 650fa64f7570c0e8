import ImageSet

/// `minVersion`/`maxVersion` of a package or channel, as oc-mirror turns them into the catalog
/// filter's `versionRange` (`>=MIN <=MAX`, Masterminds semver constraints).
///
/// Masterminds' rule for pre-releases applies: a pre-release version (`1.2.0-opr.1`) satisfies a
/// bound only if that bound is itself a pre-release; so with release bounds, pre-release bundles
/// are never in range. Both bounds equal ask for that one version (oc-mirror OCPBUGS-61497):
/// see ``isExact``.
///
/// Masterminds also treats a partial bound (`<=1.2`) as covering the whole minor; the
/// configuration's ``SemanticVersion`` no longer says whether a bound was written partially, so
/// here `<=1.2` means `<=1.2.0`.
public struct BundleVersionRange: Sendable, Hashable, CustomStringConvertible {
    public var minimum: SemanticVersion?
    public var maximum: SemanticVersion?

    public init(minimum: SemanticVersion?, maximum: SemanticVersion?) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether both bounds are set and equal: exactly that version is asked for.
    public var isExact: Bool {
        guard let minimum, let maximum else { return false }
        return minimum.hasSamePrecedence(as: maximum)
    }

    /// Whether `version` satisfies `>=minimum <=maximum` as Masterminds checks it.
    public func contains(_ version: SemanticVersion) -> Bool {
        if let minimum {
            if version.isPrerelease && !minimum.isPrerelease { return false }
            if precedence(version, minimum) < 0 { return false }
        }
        if let maximum {
            if version.isPrerelease && !maximum.isPrerelease { return false }
            if precedence(version, maximum) > 0 { return false }
        }
        return true
    }

    /// `minVersion 1.0.0 to maxVersion 2.0.0`, `minVersion 1.0.0 and up`, `up to maxVersion 2.0.0`,
    /// `exactly 1.2.0`.
    public var description: String {
        switch (minimum, maximum) {
        case let (min?, _?) where isExact: "exactly \(min)"
        case let (min?, max?): "minVersion \(min) to maxVersion \(max)"
        case let (min?, nil): "minVersion \(min) and up"
        case let (nil, max?): "up to maxVersion \(max)"
        case (nil, nil): "any version"
        }
    }
}
