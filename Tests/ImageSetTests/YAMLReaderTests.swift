import ImageSet
import Testing

struct YAMLReaderTests {
    func parse(_ text: String) throws(ImageSetError) -> YAMLNode? {
        try YAMLReader.parse(text, fileName: "f.yaml")
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.diagnostics.map(\.summary)
        }
    }

    func mark(_ line: Int, _ column: Int) -> SourceMark {
        SourceMark(file: "f.yaml", line: line, column: column)
    }

    @Test func keepsOrderPositionsAndStyles() throws {
        let root = try #require(try parse(yaml("b: plain", "a: 'single'", "c:", "  - \"double\"", "  - |", "    block", "d: !!str 12")))
        guard case .mapping(let entries) = root.content else {
            Issue.record("expected a mapping, got \(root.content)")
            return
        }
        #expect(entries.map(\.name) == ["b", "a", "c", "d"])
        #expect(root.mark == mark(1, 1))
        #expect(entries[0].key.mark == mark(1, 1))
        #expect(entries[0].value == YAMLNode(.scalar(YAMLScalar("plain")), mark: mark(1, 4)))
        #expect(entries[1].value.scalar == YAMLScalar("single", style: .singleQuoted))
        guard case .sequence(let items) = entries[2].value.content else {
            Issue.record("expected a sequence, got \(entries[2].value.content)")
            return
        }
        #expect(entries[2].value.mark == mark(4, 3))
        #expect(items.map(\.mark) == [mark(4, 5), mark(5, 5)])
        #expect(items.map(\.scalar) == [YAMLScalar("double", style: .doubleQuoted), YAMLScalar("block\n", style: .literal)])
        #expect(entries[3].value.scalar == YAMLScalar("12", tag: "tag:yaml.org,2002:str"))
        #expect(entries[3].value.scalar?.isString == true)
    }

    @Test func readsNulls() throws {
        let root = try #require(try parse(yaml("a:", "b: ~", "c: null", "d: ''", "e: !!null x")))
        guard case .mapping(let entries) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(entries.map(\.value.isNull) == [true, true, true, false, true])
    }

    @Test func resolvesAliasesToTheAnchoredNode() throws {
        let root = try #require(try parse(yaml("base: &p {os: linux, architecture: amd64}", "copy: *p", "name: &n x", "again: *n")))
        guard case .mapping(let entries) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(entries[1].value == entries[0].value, "an alias is the anchored node, marks included")
        #expect(entries[3].value.scalar?.value == "x")
    }

    @Test func emptyDocumentHasNoRoot() throws {
        #expect(try parse("") == nil)
        #expect(try parse("# only a comment\n") == nil)
    }

    @Test(arguments: [
        (yaml("a: 1", "b: 2", "a: 3", "c:", "  x: 1", "  x: 2"),
         ["f.yaml:3:1: a: duplicate key 'a' (first at 1:1)", "f.yaml:6:3: c.x: duplicate key 'x' (first at 5:3)"]),
        (yaml("l:", "- {k: 1, k: 2}"), ["f.yaml:2:10: l[0].k: duplicate key 'k' (first at 2:4)"]),
        (yaml("a: *nothing"), ["f.yaml:1:4: a: unknown alias '*nothing'; no anchor '&nothing' is defined before it"]),
        (yaml("base: &b {x: 1}", "m:", "  <<: *b"), ["f.yaml:3:3: m.<<: YAML merge keys ('<<') are not supported"]),
        (yaml("? [a, b]", ": 1"), ["f.yaml:1:3: a mapping key must be a plain name, not a list"]),
        (yaml("a: 1", "b: [1, 2"), ["f.yaml:3:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 2:4)"]),
        (yaml("a:", "  b: 1", " c: 2"), ["f.yaml:3:2: YAML syntax error: did not find expected key (while parsing a block mapping at 1:1)"]),
        (yaml("a: 'open"), ["f.yaml:2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at 1:4)"]),
    ])
    func reportsProblemsWithPositions(_ text: String, _ expected: [String]) {
        #expect(problems(text) == expected)
    }

    @Test func otherFilesAreReadForTheirFirstDocument() throws {
        // A CSV ending in '---' (or a ConfigMap with more after it) is read for its first document;
        // configurations too, with a warning (MultipleDocumentTests).
        let root = try parse(yaml("a: 1", "---", "b: 2"))
        #expect(root?.value(at: ["a"])?.text == "1")
        #expect(root?.value(at: ["b"]) == nil)
    }

    @Test func hintsAtTabs() throws {
        do {
            _ = try parse("a:\n\tb: 1\n")
            Issue.record("a tab indent parsed")
        } catch {
            #expect(error.diagnostics.first?.hint == "YAML indents with spaces; this line has a tab")
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(problems(deep).first?.hasSuffix("nested more than 200 levels deep") == true)
    }

    @Test func refusesAliasBombs() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...6 {
            let items = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(items)]")
        }
        #expect(problems(lines.joined(separator: "\n")).first?.hasSuffix("aliases expand to more than 100000 nodes") == true)
    }
}
