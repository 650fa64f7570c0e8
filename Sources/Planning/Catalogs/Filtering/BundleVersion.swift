import ImageSet

/// How the filter reads a bundle's version (the `version` of its `olm.package` property).
///
/// oc-mirror parses it with strict semver and fails the whole catalog when one bundle's version
/// is not. Here strict parsing comes first; when it fails, the lenient parser (an optional `v`,
/// one to three numbers, leading zeros dropped: `v1.2` → 1.2.0) is tried, and the explanation
/// says so. A version neither reads is unknown: such a bundle is never in a version range (it
/// can still be kept on a replaces chain, as oc-mirror does with unversioned bundles).
struct BundleVersion: Sendable, Hashable {
    /// The version, if it could be read.
    var version: SemanticVersion?
    /// Why the version is unknown or was read leniently, for the explanation.
    var note: String?

    init(_ text: String?) {
        guard let text else {
            version = nil
            note = "has no olm.package version property; not in any version range"
            return
        }
        do {
            version = try SemanticVersion(parsing: text)
            note = nil
        } catch {
            if let lenient = try? SemanticVersion(parsingLeniently: text) {
                version = lenient
                note = "version '\(text)' is not strict semver (\(error.problem)); read as \(lenient)"
            } else {
                version = nil
                note = "version '\(text)' is not a semantic version; not in any version range"
            }
        }
    }
}

/// Compares by semver precedence, build metadata ignored (as Masterminds' and blang's `Compare`).
func precedence(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
    if a.hasSamePrecedence(as: b) { return 0 }
    return a < b ? -1 : 1
}
