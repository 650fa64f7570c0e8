import Foundation
import Planning
import Testing

struct CatalogParsingTests {
    typealias F = CatalogFixtures

    @Test func aJSONStreamKeepsEachBlobsBytes() throws {
        let package = #"{"schema":"olm.package","name":"foo","defaultChannel":"beta"}"#
        let channel = """
        {
            "schema": "olm.channel",
            "package": "foo",
            "name": "beta",
            "entries": [ { "name": "foo.v1.0.0" } ]
        }
        """
        let bundle = F.bundle("foo", "1.0.0")
        // Objects back to back, then separated by white space.
        let text = package + channel + "\n\n  " + bundle + "\n"
        let catalog = try FileBasedCatalog(files: [CatalogFile(path: "foo/catalog.json", text: text)])
        let foo = try #require(catalog.packages["foo"])
        #expect(foo.package?.blob.text == package)
        #expect(foo.package?.blob.source == BlobSource(file: "foo/catalog.json", position: .byteOffset(0)))
        #expect(foo.channels["beta"]?.blob.text == channel)
        #expect(foo.channels["beta"]?.blob.source.position == .byteOffset(package.utf8.count))
        #expect(foo.channels["beta"]?.entries == [OLMChannel.Entry(name: "foo.v1.0.0")])
        let parsed = try #require(foo.bundles["foo.v1.0.0"])
        #expect(parsed.blob.text == bundle)
        #expect(parsed.version == "1.0.0")
        #expect(parsed.image == "quay.io/example/foo-bundle:v1.0.0")
        #expect(parsed.relatedImages.map(\.name) == ["", "operator"])
        #expect(String(decoding: parsed.propertiesJSON, as: UTF8.self).hasPrefix(#"[{"type":"olm.gvk""#))
    }

    @Test func yamlDocumentsBecomeJSONBlobs() throws {
        let text = """
        # a catalog in YAML
        schema: olm.package
        name: foo
        defaultChannel: beta
        description: |
          Line one
          "quoted"
        ---
        schema: olm.channel
        package: foo
        name: beta
        entries:
          - name: foo.v0.2.0
            replaces: foo.v0.1.0
            skips: [foo.v0.1.1]
            skipRange: <0.2.0
        ---
        schema: olm.bundle
        package: foo
        name: foo.v0.2.0
        image: &bundle quay.io/example/foo-bundle:v0.2.0
        properties:
          - type: olm.package
            value: {packageName: foo, version: 0.2.0}
          - type: olm.maxOpenShiftVersion
            value: 4.18
          - type: io.example.flag
            value: yes
        relatedImages:
          - name: ""
            image: *bundle
        ---
        """
        let catalog = try FileBasedCatalog(files: [CatalogFile(path: "foo/catalog.yaml", text: text)])
        let foo = try #require(catalog.packages["foo"])
        #expect(foo.package?.blob.text == #"{"schema":"olm.package","name":"foo","defaultChannel":"beta","description":"Line one\n\"quoted\"\n"}"#)
        #expect(foo.package?.blob.source.description == "foo/catalog.yaml:2")
        #expect(foo.channels["beta"]?.entries
                == [OLMChannel.Entry(name: "foo.v0.2.0", replaces: "foo.v0.1.0", skips: ["foo.v0.1.1"], skipRange: "<0.2.0")])
        #expect(foo.channels["beta"]?.blob.source.description == "foo/catalog.yaml:9")
        let bundle = try #require(foo.bundles["foo.v0.2.0"])
        #expect(bundle.version == "0.2.0")
        #expect(bundle.relatedImages == [RelatedImage(name: "", image: "quay.io/example/foo-bundle:v0.2.0")])
        #expect(String(decoding: bundle.propertiesJSON, as: UTF8.self) == #"[{"type":"olm.package","value":{"packageName":"foo","version":"0.2.0"}},{"type":"olm.maxOpenShiftVersion","value":4.18},{"type":"io.example.flag","value":true}]"#)
    }

    @Test func unknownSchemasAreKeptWithTheirPackageOrApart() throws {
        let text = """
        {"schema":"olm.package","name":"foo"}
        {"schema":"io.example.readme","package":"foo","body":"hello"}
        {"schema":"io.example.catalog-note","body":"for the whole catalog"}
        """
        let catalog = try FileBasedCatalog(files: [CatalogFile(path: "all.json", text: text)])
        #expect(catalog.packages["foo"]?.others.map(\.text) == [#"{"schema":"io.example.readme","package":"foo","body":"hello"}"#])
        #expect(catalog.unattached.map(\.text) == [#"{"schema":"io.example.catalog-note","body":"for the whole catalog"}"#])
        #expect(catalog.packages["foo"]?.package?.defaultChannel == nil)
    }

    struct BrokenCase: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var text: String
        var kind: CatalogLoadError.Kind
        var description: String
        var testDescription: String { name }
    }

    static let broken: [BrokenCase] = [
        BrokenCase(name: "JSON: a missing comma, at its byte", file: "foo/catalog.json",
                   text: #"{"schema":"olm.package","name":"foo"}"# + "\n" + #"{"schema":"olm.channel" "package":"foo"}"#,
                   kind: .syntax,
                   description: "foo/catalog.json at byte 62: expected ',' or '}' in an object, found a string"),
        BrokenCase(name: "JSON: an unterminated string", file: "c.json", text: #"{"schema":"olm.package","name":"foo}"#, kind: .syntax,
                   description: "c.json at byte 31: name: unterminated string"),
        BrokenCase(name: "JSON: something other than an object in the stream", file: "c.json",
                   text: #"{"schema":"olm.package","name":"foo"} [1]"#, kind: .syntax,
                   description: "c.json at byte 38: expected a JSON object (a catalog blob), found an array"),
        BrokenCase(name: "no schema", file: "c.json", text: #"{"name":"foo"}"#, kind: .invalidBlob,
                   description: "c.json at byte 0: the object has no 'schema' (every catalog object needs one, e.g. olm.bundle)"),
        BrokenCase(name: "a bundle without a package", file: "c.json", text: #"{"schema":"olm.bundle","name":"foo.v1"}"#, kind: .invalidBlob,
                   description: "c.json at byte 0: olm.bundle has no 'package'"),
        BrokenCase(name: "a mistyped field names the bundle and the field", file: "c.json",
                   text: #"{"schema":"olm.bundle","package":"foo","name":"foo.v1","relatedImages":[{"image":"a/b:1"},{"image":7}]}"#,
                   kind: .invalidBlob,
                   description: #"c.json at byte 99: package "foo", bundle "foo.v1": relatedImages[1].image: expected a string, found a number"#),
        BrokenCase(name: "a channel entry without a name", file: "c.json",
                   text: #"{"schema":"olm.channel","package":"foo","name":"beta","entries":[{"name":"a"},{"replaces":"a"}]}"#,
                   kind: .invalidBlob,
                   description: #"c.json at byte 78: package "foo", channel "beta": entries[1] has no 'name'"#),
        BrokenCase(name: "YAML: a syntax error, at its line", file: "foo/catalog.yaml",
                   text: "schema: olm.package\nname: foo\n---\nschema: olm.channel\nentries: [a, b\n", kind: .syntax,
                   description: "foo/catalog.yaml:6:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 5)"),
        BrokenCase(name: "YAML: a document that is no mapping", file: "c.yaml", text: "schema: olm.package\nname: foo\n---\n- a\n- b\n",
                   kind: .syntax, description: "c.yaml:4: a catalog document must be a mapping (schema: …), not a scalar or a sequence"),
        BrokenCase(name: "YAML: a blob problem names the document's line", file: "c.yaml",
                   text: "schema: olm.package\nname: foo\n---\nschema: olm.channel\npackage: foo\n", kind: .invalidBlob,
                   description: #"c.yaml:4: package "foo": olm.channel has no 'name'"#),
        BrokenCase(name: "a bundle defined twice", file: "c.json",
                   text: F.bundle("foo", "1.0.0") + F.bundle("foo", "1.0.0"), kind: .duplicate,
                   description: #"c.json at byte \#(F.bundle("foo", "1.0.0").utf8.count): package "foo": bundle "foo.v1.0.0" is defined twice (first at c.json at byte 0)"#),
    ]

    @Test(arguments: broken)
    func aBrokenBlobIsReportedWhereItIs(_ example: BrokenCase) throws {
        let error = try #require(throws: CatalogLoadError.self) {
            try FileBasedCatalog(files: [CatalogFile(path: example.file, text: example.text)])
        }
        #expect(error.kind == example.kind)
        #expect(error.description == example.description)
    }

    @Test func aDirectoryIsReadWholeButWhatIndexignoreExcludes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-fbc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files: [String: String] = [
            "foo/catalog.json": F.foo.joined(separator: "\n"),
            "bar/nested/stream": F.bar.joined(separator: ""),
            "bar/README.md": "# not a catalog",
            "side/catalog.yaml": "schema: olm.package\nname: side\ndefaultChannel: stable\n",
            ".indexignore": "*.md\n# comment\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let catalog = try FileBasedCatalog.load(from: root)
        #expect(catalog.packageNames == ["bar", "foo", "side"])
        #expect(catalog.bundleCount == 10)
        #expect(catalog.packages["bar"]?.channels["stable"]?.blob.source.file == "bar/nested/stream")
    }

    @Test func anUnreadableDirectoryIsAnError() throws {
        let error = try #require(throws: CatalogLoadError.self) {
            try FileBasedCatalog.load(from: URL(fileURLWithPath: "/nonexistent/ferry-catalog"))
        }
        #expect(error.kind == .unreadable)
    }
}
