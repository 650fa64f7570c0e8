/// One entry of `blockedImages:`: a regular expression; every collected image whose source or
/// destination (without transport) contains a match is left out (spec §1.2; unanchored, as
/// oc-mirror's `regexp.MatchString`).
///
/// Patterns are Swift `Regex` syntax, checked when the file is loaded. Swift's `Regex` is not
/// `Sendable`, so this keeps the text and ``makeMatcher()`` compiles it where it is used.
public struct BlockedImage: Hashable, Sendable {
    /// `name`: the pattern as written.
    public var pattern: String
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates an entry; the pattern is not checked here.
    public init(pattern: String, mark: SourceMark) {
        self.pattern = pattern
        self.mark = mark
    }

    /// The compiled pattern; use `text.contains(matcher)` for oc-mirror's unanchored match.
    /// - Throws: the `Regex` syntax error (never for an entry that came out of the loader).
    public func makeMatcher() throws -> Regex<AnyRegexOutput> {
        try Regex(pattern)
    }

    /// Whether `image` (a reference without transport) is blocked. Compiles the pattern on each
    /// call: for many images, compile once with ``makeMatcher()``. False for an invalid pattern.
    public func blocks(_ image: String) -> Bool {
        guard let matcher = try? makeMatcher() else { return false }
        return image.contains(matcher)
    }
}
