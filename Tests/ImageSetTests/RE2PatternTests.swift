import ImageSet
import Testing

/// `blockedImages` patterns: RE2 syntax, matched (unanchored) in linear time.
@Suite(.timeLimit(.minutes(1)))
struct RE2PatternTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var pattern: String
        var text: String
        var matches: Bool
        var testDescription: String { "\(pattern) \(matches ? "matches" : "does not match") \(text)" }

        init(_ pattern: String, _ text: String, _ matches: Bool) {
            self.pattern = pattern
            self.text = text
            self.matches = matches
        }
    }

    static let cases: [Case] = [
        // Literals and the unanchored search.
        Case("alpine", "docker.io/library/alpine:3.19", true),
        Case("alpine", "docker.io/library/busybox:1", false),
        Case("", "anything", true),
        Case("quay.io", "quayXio/x:1", true),
        Case(#"quay\.io"#, "quayXio/x:1", false),
        Case(#"quay\.io"#, "quay.io/x:1", true),
        // Anchors.
        Case(#"^quay\.io/foo/.*-debug$"#, "quay.io/foo/app-debug", true),
        Case(#"^quay\.io/foo/.*-debug$"#, "quay.io/foo/app-debug:1", false),
        Case(#"^quay\.io/foo/.*-debug$"#, "mirror/quay.io/foo/app-debug", false),
        Case(":1$", "quay.io/x/a:1", true),
        Case(":1$", "quay.io/x/a:10", false),
        Case(#"\Aquay\z"#, "quay", true),
        Case(#"\Aquay\z"#, "quay.io", false),
        Case("^$", "", true),
        Case("a$", "a\n", false),  // Go's $ is the end of the text, not before a final newline
        Case("(?m)a$", "a\nb", true),
        Case("(?m)^b", "a\nb", true),
        Case("^b", "a\nb", false),
        // Dot.
        Case(".*/alpine:.*", "docker.io/library/alpine:3", true),
        Case(".*/alpine:.*", "alpine:3", false),
        Case("a.c", "a\nc", false),
        Case("(?s)a.c", "a\nc", true),
        Case("a.c", "aéc", true),
        // Classes.
        Case("^[a-z0-9._-]+$", "my-image_1.0", true),
        Case("^[a-z0-9._-]+$", "My-Image", false),
        Case("^[^/]+$", "quay.io", true),
        Case("^[^/]+$", "quay.io/x", false),
        Case("[]a]", "]", true),
        Case("[^]a]", "]", false),
        Case("[a-]", "-", true),
        Case(#"[\]\-]"#, "-", true),
        Case("[[:digit:]]+", "v12", true),
        Case("^[[:^digit:]]+$", "v12", false),
        Case(#"\d+"#, "tag:12", true),
        Case(#"^\D+$"#, "tag:12", false),
        Case(#"^\w+$"#, "abc_9", true),
        Case(#"^\w+$"#, "abc-9", false),
        Case(#"\W"#, "abc-9", true),
        Case(#"\s"#, "a b", true),
        Case(#"\S"#, "   ", false),
        Case(#"[\d.]+"#, "1.2", true),
        Case(#"^\pL+$"#, "émoi", true),
        Case(#"^\p{Lu}"#, "Émoi", true),
        Case(#"^\PL"#, "émoi", false),
        Case(#"\x41\x{42}"#, "AB", true),
        Case(#"\Qa.b\E"#, "a.b", true),
        Case(#"\Qa.b\E"#, "axb", false),
        Case(#"\bfoo\b"#, "x/foo:1", true),
        Case(#"\bfoo\b"#, "xfoo:1", false),
        Case(#"foo\B"#, "foobar", true),
        // Groups and alternation.
        Case(#"^registry\.example\.com/(dev|test)/"#, "registry.example.com/dev/app:1", true),
        Case(#"^registry\.example\.com/(dev|test)/"#, "registry.example.com/prod/app:1", false),
        Case("(?:ab)+c", "xababc", true),
        Case("^(?:ab)+c", "abac", false),
        Case("(?P<org>foo)/bar", "foo/bar", true),
        Case("(?<org>foo)/bar", "foo/bar", true),
        Case("a|", "zzz", true),
        Case("^(|a)$", "", true),
        Case("()", "x", true),
        // Counted repetition.
        Case("^a{3}$", "aaa", true),
        Case("^a{3}$", "aa", false),
        Case("^a{3}$", "aaaa", false),
        Case("^a{2,}$", "aaaaa", true),
        Case("^a{2,}$", "a", false),
        Case("^a{1,3}$", "aaa", true),
        Case("^a{1,3}$", "aaaa", false),
        Case("^a{0}b$", "b", true),
        Case("^(ab){2}$", "abab", true),
        Case("^x{1000}$", String(repeating: "x", count: 1000), true),
        Case("^x{1000}$", String(repeating: "x", count: 999), false),
        Case("a{,2}", "a{,2}", true),  // not a count: literal braces, as in RE2
        Case("a{", "a{", true),
        Case("{", "{", true),
        Case("a{01}", "a{01}", true),
        // Quantifiers, lazy variants (same yes/no).
        Case("^ab*c$", "ac", true),
        Case("^ab+c$", "ac", false),
        Case("^ab?c$", "abbc", false),
        Case("^a.*?b$", "axxb", true),
        Case("^a.+?b$", "ab", false),
        Case("^ab??c$", "abc", true),
        Case("^a{2,3}?$", "aaa", true),
        Case("^a*$", "", true),
        // Case-insensitive flag.
        Case("(?i)QUAY", "quay.io/x", true),
        Case("QUAY", "quay.io/x", false),
        Case("(?i)[A-Z]+-DEBUG", "app-debug", true),
        Case("(?i:a)b", "Ab", true),
        Case("(?i:a)b", "AB", false),
        Case("(?i)a(?-i)b", "AB", false),
        Case("(?i)[^a]", "A", false),
        Case("(?i)k", "\u{212A}", true),
        Case("(?i)é", "É", true),
        // Escaped punctuation and octal.
        Case(#"\/\-\:"#, "/-:", true),
        Case(#"\0"#, "\u{0}", true),
        Case(#"\101"#, "A", true),
        Case(#"\t"#, "\t", true),
    ]

    @Test(arguments: cases)
    func matches(_ example: Case) throws {
        let pattern = try RE2Pattern(example.pattern)
        #expect(pattern.matches(in: example.text) == example.matches)
    }

    // MARK: Pathological patterns (exponential on a backtracking engine)

    struct Pathological: Sendable, CustomTestStringConvertible {
        var pattern: String
        var text: String
        var matches: Bool
        var testDescription: String { "\(pattern) on \(text.count) characters" }
    }

    static let pathological: [Pathological] = [
        Pathological(pattern: "([a-z0-9]+)*-debug",
                     text: "quay.io/org/" + String(repeating: "a1b2c3d4e5", count: 500) + ":1", matches: false),
        Pathological(pattern: "([a-z0-9]+)*-debug",
                     text: String(repeating: "a1b2c3d4e5", count: 500) + "-debug", matches: true),
        Pathological(pattern: "(a|aa)+c", text: String(repeating: "a", count: 5000), matches: false),
        Pathological(pattern: "(a|aa)+c", text: String(repeating: "a", count: 5000) + "c", matches: true),
        Pathological(pattern: "^(a|aa)+$", text: String(repeating: "a", count: 5000) + "b", matches: false),
        Pathological(pattern: "(a*)*b", text: String(repeating: "a", count: 5000), matches: false),
        Pathological(pattern: "(x+x+)+y", text: String(repeating: "x", count: 5000), matches: false),
        Pathological(pattern: "(x+x+)+y", text: String(repeating: "x", count: 5000) + "y", matches: true),
        Pathological(pattern: "(.*a){20}", text: String(repeating: "a", count: 19) + String(repeating: "b", count: 5000),
                     matches: false),
        Pathological(pattern: "^(\\w+\\s?)*$", text: String(repeating: "word ", count: 1000) + "!", matches: false),
    ]

    /// Each gives the right answer; the suite's time limit guards against any backtracking
    /// (these inputs would take a backtracking engine far longer than a minute).
    @Test(arguments: pathological)
    func pathologicalPatternsFinish(_ example: Pathological) throws {
        let pattern = try RE2Pattern(example.pattern)
        #expect(pattern.matches(in: example.text) == example.matches)
    }

    // MARK: Refused patterns

    struct Refusal: Sendable, CustomTestStringConvertible {
        var pattern: String
        /// 1-based character of the offending construct.
        var position: Int
        /// Text the message must contain.
        var says: String
        var testDescription: String { pattern }
    }

    static let refusals: [Refusal] = [
        Refusal(pattern: #"(a)\1"#, position: 4, says: "backreference '\\1' at character 4 is not supported: RE2"),
        Refusal(pattern: #"(?P<x>a)(?P=x)"#, position: 9, says: "named backreference"),
        Refusal(pattern: #"\k<x>"#, position: 1, says: "backreference"),
        Refusal(pattern: "foo(?=-debug)", position: 4, says: "lookahead '(?=' at character 4 is not supported: RE2"),
        Refusal(pattern: "foo(?!-debug)", position: 4, says: "lookahead '(?!'"),
        Refusal(pattern: "(?<=quay)/x", position: 1, says: "lookbehind '(?<='"),
        Refusal(pattern: "(?<!quay)/x", position: 1, says: "lookbehind '(?<!'"),
        Refusal(pattern: "(?>a+)b", position: 1, says: "atomic group"),
        Refusal(pattern: "a++b", position: 2, says: "possessive quantifier '++' at character 2"),
        Refusal(pattern: "[a-z]*+x", position: 6, says: "possessive quantifier '*+'"),
        Refusal(pattern: "a**", position: 2, says: "nested repetition operator '**'"),
        Refusal(pattern: "a{2}{3}", position: 2, says: "nested repetition operator '{2}{3}'"),
        Refusal(pattern: "a+??", position: 2, says: "nested repetition operator '+??'"),
        Refusal(pattern: "a{1001}", position: 2, says: "invalid repeat count '{1001}'"),
        Refusal(pattern: "a{2,1001}", position: 2, says: "invalid repeat count"),
        Refusal(pattern: "a{3,2}", position: 2, says: "invalid repeat count"),
        Refusal(pattern: "*a", position: 1, says: "missing argument to repetition operator '*'"),
        Refusal(pattern: "x|+", position: 3, says: "missing argument"),
        Refusal(pattern: "a(b", position: 2, says: "expected ')'"),
        Refusal(pattern: "a)b", position: 2, says: "unexpected ')'"),
        Refusal(pattern: "[z", position: 1, says: "expected ']'"),
        Refusal(pattern: "[z-a]", position: 2, says: "invalid character class range 'z-a'"),
        Refusal(pattern: "[[:alfa:]]", position: 2, says: "invalid character class range '[:alfa:]'"),
        Refusal(pattern: #"a\Z"#, position: 2, says: "invalid escape sequence '\\Z'"),
        Refusal(pattern: #"\8"#, position: 1, says: "backreference"),
        Refusal(pattern: "ab\\", position: 3, says: "trailing backslash"),
        Refusal(pattern: "(?x)a b", position: 1, says: "invalid or unsupported Perl syntax"),
        Refusal(pattern: "(?i-)a", position: 1, says: "invalid or unsupported Perl syntax"),
        Refusal(pattern: #"\p{Greek}"#, position: 1, says: "not supported by Ferry"),
        Refusal(pattern: "(x{1,1000}){1000}", position: 1, says: "pattern is too large"),
    ]

    @Test(arguments: refusals)
    func refuses(_ example: Refusal) {
        do {
            _ = try RE2Pattern(example.pattern)
            Issue.record("'\(example.pattern)' compiled")
        } catch {
            #expect(error.position == example.position)
            #expect(error.message.contains(example.says), "\(error.message)")
            #expect(error.hint?.contains("character \(example.position)") == true || example.says.contains("too large"),
                    "\(error.hint ?? "no hint")")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 1001) + "a" + String(repeating: ")", count: 1001)
        #expect(throws: RE2SyntaxError.self) { try RE2Pattern(deep) }
        let fine = String(repeating: "(", count: 500) + "a" + String(repeating: ")", count: 500)
        #expect((try? RE2Pattern(fine))?.matches(in: "xa") == true)
    }

    // MARK: In the configuration

    @Test func theLoaderNamesTheConstructAndWhereItIs() {
        let problems = iscProblems(yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "  blockedImages:",
            "  - name: '(a)\\1'",
            "  - name: foo(?=-debug)",
            "  - name: ^quay\\.io/foo/.*-debug$"
        ))
        #expect(problems == [
            "isc.yaml:5:11: mirror.blockedImages[0].name: invalid regular expression '(a)\\1': backreference '\\1' at character 4 is not supported: RE2, the syntax of oc-mirror's patterns (Go regexp), does not support it either",
            "isc.yaml:6:11: mirror.blockedImages[1].name: invalid regular expression 'foo(?=-debug)': lookahead '(?=' at character 4 is not supported: RE2, the syntax of oc-mirror's patterns (Go regexp), does not support it either",
        ])
    }

    @Test func theLoaderGivesAHintWithThePosition() throws {
        let text = yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "  blockedImages:",
            "  - name: a++"
        )
        do {
            _ = try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: testFile)
            Issue.record("loaded")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.mark.description == "isc.yaml:5:11")
            #expect(diagnostic.hint?.contains("character 2") == true)
        }
    }

    @Test func blockedImageEntriesUseTheLinearMatcher() {
        let mark = SourceMark(file: testFile, line: 1, column: 1)
        let entry = BlockedImage(pattern: "([a-z0-9]+)*-debug", mark: mark)
        #expect(!entry.blocks("quay.io/org/" + String(repeating: "abc123", count: 1000) + ":1"))
        #expect(entry.blocks("quay.io/org/app-debug:1"))
        #expect(!BlockedImage(pattern: "a(b", mark: mark).blocks("a(b"))
    }
}
