@testable import ImageSet
import Testing

struct SuggestionTests {
    static let fields = ["catalog", "targetCatalog", "targetTag", "full", "packages", "platforms"]

    @Test(arguments: [
        ("pakages", "packages"),
        ("packges", "packages"),
        ("pacakges", "packages"),
        ("Catalog", "catalog"),
        ("TARGETTAG", "targetTag"),
        ("targetcatalog", "targetCatalog"),
        ("ful", "full"),
        ("platform", "platforms"),
    ])
    func suggestsNearFields(_ word: String, _ expected: String) {
        #expect(Suggestion.closest(to: word, among: Self.fields) == expected)
    }

    @Test(arguments: ["bundles", "name", "colour", "x", "fullness"])
    func staysQuietForOtherWords(_ word: String) {
        #expect(Suggestion.closest(to: word, among: Self.fields) == nil)
    }

    @Test func countsATranspositionAsOneEdit() {
        #expect(Suggestion.editDistance("nmae", "name") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}
