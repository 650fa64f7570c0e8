/// One entry of `blockedImages:`: a regular expression; every collected image whose source or
/// destination (without transport) contains a match is left out (spec §1.2; unanchored, as
/// oc-mirror's `regexp.MatchString`).
///
/// Patterns are RE2 syntax, as oc-mirror's (Go `regexp`), checked when the file is loaded, and
/// matched in linear time by ``RE2Pattern`` (no backtracking, whatever the pattern).
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

    /// The compiled pattern; `matcher.matches(in: text)` is oc-mirror's unanchored match.
    /// - Throws: the syntax error, with its position in the pattern (never for an entry that
    ///   came out of the loader).
    public func makeMatcher() throws(RE2SyntaxError) -> RE2Pattern {
        try RE2Pattern(pattern)
    }

    /// Whether `image` (a reference without transport) is blocked. Compiles the pattern on each
    /// call: for many images, compile once with ``makeMatcher()``. False for an invalid pattern.
    public func blocks(_ image: String) -> Bool {
        guard let matcher = try? makeMatcher() else { return false }
        return matcher.matches(in: image)
    }
}
