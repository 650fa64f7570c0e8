@testable import ClusterResources
import Testing

/// The writer's quoting, key order and layout, and the reader reading it back.
@Suite struct YAMLWriterTests {
    /// Written as the value of key `k`; every case also reads back as the same string.
    @Test(arguments: [
        // plain
        ("plain", "plain"), ("4.15.0", "4.15.0"), ("v4.15", "v4.15"), ("4.15.0-x86_64", "4.15.0-x86_64"),
        ("10.0.0.1:5000/ns/app", "10.0.0.1:5000/ns/app"), ("mirror.example:5000/ns", "mirror.example:5000/ns"),
        ("it's", "it's"), ("-x", "-x"), ("a,b", "a,b"), ("ferry 1.2.0", "ferry 1.2.0"), ("a\"b", "a\"b"),
        // would read back as another type: double quotes
        ("", "\"\""), ("true", "\"true\""), ("False", "\"False\""), ("yes", "\"yes\""), ("N", "\"N\""),
        ("off", "\"off\""), ("null", "\"null\""), ("~", "\"~\""), ("123", "\"123\""), ("-5", "\"-5\""),
        ("+5", "\"+5\""), ("0x1F", "\"0x1F\""), ("0o17", "\"0o17\""), ("017", "\"017\""), ("09", "\"09\""),
        ("1_000", "\"1_000\""), ("0b101", "\"0b101\""), ("4.15", "\"4.15\""), ("1e3", "\"1e3\""),
        (".5", "\".5\""), ("1.", "\"1.\""), (".inf", "\".inf\""), ("-.Inf", "\"-.Inf\""), (".nan", "\".nan\""),
        ("1:20", "\"1:20\""), ("2024-01-02", "\"2024-01-02\""), ("2001-12-14t21:59:43.10-05:00", "\"2001-12-14t21:59:43.10-05:00\""),
        ("<<", "\"<<\""),
        // not allowed plain by YAML's syntax: libyaml single-quotes
        ("a: b", "'a: b'"), ("- x", "'- x'"), ("#x", "'#x'"), ("x #y", "'x #y'"), (" lead", "' lead'"),
        ("trail ", "'trail '"), ("@x", "'@x'"), ("*x", "'*x'"), ("!x", "'!x'"), ("&x", "'&x'"), ("x:", "'x:'"),
        ("[a]", "'[a]'"), ("{a}", "'{a}'"), ("a'b: c", "'a''b: c'"), ("%x", "'%x'"), ("|x", "'|x'"), ("\"q", "'\"q'"),
        // control characters: double quotes with escapes
        ("x\ty", "\"x\\ty\""),
    ])
    func stringQuoting(value: String, written: String) throws {
        let text = try YAMLWriter.write([.mapping(["k": .string(value)])], startMarkers: false)
        #expect(text == "k: \(written)\n")
        #expect(try YAMLReader.documents(text) == [.mapping(["k": .string(value)])])
    }

    @Test func multiLineStringsUseLiteralStyle() throws {
        let text = try YAMLWriter.write([.mapping(["k": .string("a\nb")])], startMarkers: false)
        #expect(text == "k: |-\n  a\n  b\n")
        #expect(try YAMLReader.documents(text) == [.mapping(["k": .string("a\nb")])])
    }

    @Test func otherScalarsArePlain() throws {
        let node = YAMLNode.mapping(["i": .integer(2), "b": .boolean(true), "none": .null, "m": .integer(-400)])
        let text = try YAMLWriter.write([node], startMarkers: false)
        #expect(text == "b: true\ni: 2\nm: -400\nnone: null\n")
        #expect(try YAMLReader.documents(text) == [node])
    }

    /// Keys follow the same rules as values: `y` and `1` would read back as a boolean and a number.
    @Test func keysAreQuotedLikeValues() throws {
        let node = YAMLNode.mapping(["y": .string("a"), "1": .string("b"), "a: b": .string("c"), "plain": .string("d")])
        let text = try YAMLWriter.write([node], startMarkers: false)
        #expect(text == "\"1\": b\n'a: b': c\nplain: d\n\"y\": a\n")
        #expect(try YAMLReader.documents(text) == [node])
    }

    /// go-yaml's order: digit runs as numbers, non-letters before letters, then code points.
    @Test func keysInGoYAMLOrder() throws {
        let keys = ["b", "a10", "a2", "A", "_x", "sha256-ab-10", "sha256-ab-2", "sha256-ab-1", "apiVersion", "kind", "metadata", "spec"]
        let sorted = MappingKeyOrder.sorted(keys)
        #expect(sorted == ["_x", "A", "a2", "a10", "apiVersion", "b", "kind", "metadata",
                           "sha256-ab-1", "sha256-ab-2", "sha256-ab-10", "spec"])
        let text = try YAMLWriter.write([.mapping(Dictionary(uniqueKeysWithValues: keys.map { ($0, YAMLNode.integer(1)) }))],
                                        startMarkers: false)
        #expect(text == sorted.map { "\($0): 1\n" }.joined())
    }

    @Test(arguments: [("a1", "a01", true), ("a01", "a1", false), ("x", "x1", true), ("x1", "x", false), ("-", "a", true)])
    func keyOrderPairs(a: String, b: String, aFirst: Bool) {
        #expect(MappingKeyOrder.precedes(a, b) == aFirst)
    }

    @Test func layoutOfNestedCollections() throws {
        let node = YAMLNode.mapping([
            "spec": .mapping(["list": .sequence([.mapping(["b": .string("2"), "a": .sequence([.string("x")])])]),
                              "empty": .sequence([]), "none": .mapping([:])]),
        ])
        let text = try YAMLWriter.write([node, node])
        let one = "spec:\n  empty: []\n  list:\n  - a:\n    - x\n    b: \"2\"\n  none: {}\n"
        #expect(text == "---\n" + one + "---\n" + one)
        #expect(try YAMLReader.documents(text) == [node, node])
    }

    @Test func withoutStartMarkersOnlyLaterDocumentsGetOne() throws {
        let text = try YAMLWriter.write([.mapping(["a": .integer(1)]), .mapping(["b": .integer(2)])], startMarkers: false)
        #expect(text == "a: 1\n---\nb: 2\n")
    }

    @Test(arguments: [
        ("a: [1\n", "invalid YAML at line"),
        ("a: 1\na: 2\n", "duplicate key \"a\""),
        ("a: &x 1\nb: *x\n", "aliases"),
        ("a: !!int 1\n", "explicit tag"),
        ("? [a]\n: 1\n", "must be a scalar"),
        ("a: 1.5\n", "unquoted float"),
    ])
    func readerRejects(text: String, messagePart: String) {
        #expect {
            try YAMLReader.documents(text)
        } throws: { error in
            (error as? ClusterResourcesError)?.message.contains(messagePart) == true
        }
    }
}
