import OCI
import ImageSet

/// `blockedImages` with oc-mirror's semantics (spec §1.2): each pattern is a regular expression
/// searched anywhere (unanchored) in the source and in the destination, both written without
/// transport (`registry/path:tag`). Patterns are RE2 syntax, as oc-mirror's Go `regexp`, and are
/// matched by ``RE2Pattern`` in linear time: no pattern can make the search backtrack.
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
    private let compiled: [RE2Pattern]

    /// - Throws: ``RE2SyntaxError`` for the first pattern that does not compile (the
    ///   configuration loader reports all, with their positions).
    public init(_ patterns: [Pattern]) throws {
        compiled = try patterns.map { try RE2Pattern($0.text) }
        self.patterns = patterns
    }

    /// The pattern that blocks `image`, if any.
    public func blocking(_ image: CollectedImage) -> Pattern? {
        let names = [image.source.description, image.destination.description]
        return zip(patterns, compiled).first { _, regex in names.contains { regex.matches(in: $0) } }?.0
    }

    /// `blocking` as a function, for checking many images (the patterns are compiled once, in
    /// ``init(_:)``).
    public func matcher() -> @Sendable (CollectedImage) -> Pattern? {
        let blockList = self
        return { image in blockList.blocking(image) }
    }
}
