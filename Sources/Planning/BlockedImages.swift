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
        matcher()(image)
    }

    /// `blocking` with the patterns compiled once, for checking many images. (`Regex` is not
    /// Sendable, so the compiled patterns live in the returned function, not in this value.)
    public func matcher() -> (CollectedImage) -> Pattern? {
        let compiled = patterns.compactMap { pattern in (try? Regex(pattern.text)).map { (pattern, $0) } }
        return { image in
            let names = [image.source.description, image.destination.description]
            return compiled.first { _, regex in names.contains { $0.contains(regex) } }?.0
        }
    }
}
