import OCI

/// `blockedImages` with oc-mirror's semantics (spec §1.2): each pattern is a regular expression
/// searched anywhere (unanchored) in the source and in the destination, both written without
/// transport (`registry/path:tag`). The patterns are compiled with Swift's `Regex`, whose
/// syntax covers the RE2 constructs such patterns use.
public struct BlockedImages: Sendable {
    public struct Pattern: Sendable {
        public var text: String
        /// Where the configuration gives it, for the report.
        public var location: String?

        public init(_ text: String, location: String? = nil) {
            self.text = text
            self.location = location
        }
    }

    public let patterns: [Pattern]

    /// - Throws: the first pattern that does not compile (the configuration loader reports all).
    public init(_ patterns: [Pattern]) throws {
        for pattern in patterns { _ = try Regex(pattern.text) }
        self.patterns = patterns
    }

    /// The pattern that blocks `image`, if any.
    public func blocking(_ image: CollectedImage) -> Pattern? {
        let names = [image.source.description, image.destination.description]
        for pattern in patterns {
            // Compiled again here: `Regex` is not Sendable, and a configuration has few patterns.
            guard let regex = try? Regex(pattern.text) else { continue }
            if names.contains(where: { $0.contains(regex) }) { return pattern }
        }
        return nil
    }
}
