import Foundation
import Planning
import Testing

/// Catalog files are read as a stream (issue 12, item 2): white space between objects is not
/// kept, objects that run across the reader's 1 MiB chunks are read whole, positions stay those
/// of the file, and one object larger than the limit is refused by file and offset.
struct CatalogStreamingTests {
    typealias F = CatalogFixtures

    /// Writes `files` into a fresh directory and loads it.
    static func load(_ files: [String: [UInt8]], maxObjectBytes: Int = FileBasedCatalog.defaultMaxObjectBytes) throws -> FileBasedCatalog {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-fbc-stream-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, bytes) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return try FileBasedCatalog.load(from: root, maxObjectBytes: maxObjectBytes)
    }

    /// A bundle whose properties hold a string of `count` bytes (a large CSV, as real catalogs
    /// have), with escapes in it, so that it spans several chunks.
    static func bigBundle(_ count: Int) -> String {
        let filler = String(repeating: #"ab\"c\\"#, count: count / 7)
        return #"{"schema":"olm.bundle","package":"foo","name":"foo.v2.0.0","image":"quay.io/example/foo-bundle:v2.0.0","#
            + #""properties":[{"type":"olm.package","value":{"packageName":"foo","version":"2.0.0"}},"#
            + #"{"type":"olm.csv.metadata","value":{"description":"\#(filler)"}}]}"#
    }

    @Test func objectsAcrossChunksAndLongWhiteSpaceKeepTheirBytesAndOffsets() throws {
        let package = #"{"schema":"olm.package","name":"foo","defaultChannel":"beta"}"#
        let channel = "{\n  \"schema\": \"olm.channel\", \"package\": \"foo\", \"name\": \"beta\",\n  \"entries\": [{\"name\": \"foo.v2.0.0\"}]\n}"
        let big = Self.bigBundle(3 << 20)
        let small = F.bundle("foo", "1.0.0")
        // 3 MiB of spaces first, objects back to back and apart, 2 MiB of newlines inside the stream.
        let parts = [String(repeating: " ", count: 3 << 20), package, channel, "\n", big,
                     String(repeating: "\n", count: 2 << 20), small, "\t\r\n"]
        let text = parts.joined()
        let catalog = try Self.load(["foo/catalog.json": Array(text.utf8)])
        let foo = try #require(catalog.packages["foo"])
        let offsets = try [package, channel, big, small].map { part in
            let range = try #require(text.utf8.firstRange(of: part.utf8))
            return text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
        }
        #expect(foo.package?.blob.text == package)
        #expect(foo.package?.blob.source.position == .byteOffset(offsets[0]))
        #expect(foo.channels["beta"]?.blob.text == channel)
        #expect(foo.channels["beta"]?.blob.source.position == .byteOffset(offsets[1]))
        #expect(foo.bundles["foo.v2.0.0"]?.blob.text == big)
        #expect(foo.bundles["foo.v2.0.0"]?.version == "2.0.0")
        #expect(foo.bundles["foo.v2.0.0"]?.blob.source.position == .byteOffset(offsets[2]))
        #expect(foo.bundles["foo.v1.0.0"]?.blob.text == small)
        #expect(foo.bundles["foo.v1.0.0"]?.blob.source.position == .byteOffset(offsets[3]))
        // A blob keeps its own bytes, not the file's.
        #expect(foo.package?.blob.bytes.count == package.utf8.count)
    }

    @Test func aFileOfWhiteSpaceOnlyHasNoBlob() throws {
        let catalog = try Self.load(["foo/spaces.json": [UInt8](repeating: UInt8(ascii: " "), count: 5 << 20),
                                     "foo/catalog.json": Array(#"{"schema":"olm.package","name":"foo"}"#.utf8)],
                                    maxObjectBytes: 1 << 20)
        #expect(catalog.packageNames == ["foo"])
    }

    /// The limit is on one object, not on the file: a file of several limits' worth of small
    /// objects and white space loads, one object past the limit is refused where it starts.
    @Test func oneObjectPastTheLimitIsRefusedByFileAndOffset() throws {
        let many = (1...200).map { F.bundle("foo", "1.0.\($0)") }.joined(separator: String(repeating: " ", count: 20_000))
        #expect(many.utf8.count > 3 << 20)
        let fine = try Self.load(["foo/catalog.json": Array(many.utf8)], maxObjectBytes: 1 << 20)
        #expect(fine.bundleCount == 200)

        let prefix = #"{"schema":"olm.package","name":"foo"}"# + "\n"
        let big = Self.bigBundle(3 << 20)
        let error = try #require(throws: CatalogLoadError.self) {
            try Self.load(["foo/catalog.json": Array((prefix + big).utf8)], maxObjectBytes: 1 << 20)
        }
        #expect(error.kind == .tooLarge)
        #expect(error.description.hasPrefix("foo/catalog.json at byte \(prefix.utf8.count): the JSON object starting here is larger than 1 MiB"),
                "\(error)")
        // An object that never closes is refused the same way, without reading the whole file.
        let open = #"{"schema":"olm.package","name":"foo","x":["# + String(repeating: "1,", count: 2 << 20)
        let unclosed = try #require(throws: CatalogLoadError.self) {
            try Self.load(["c.json": Array(open.utf8)], maxObjectBytes: 1 << 20)
        }
        #expect(unclosed.kind == .tooLarge && unclosed.description.hasPrefix("c.json at byte 0:"), "\(unclosed)")
    }

    @Test func aSyntaxErrorInAnObjectAcrossChunksIsAtItsByte() throws {
        let big = Self.bigBundle(2 << 20)
        // A missing comma after the big string, past the first chunk.
        let broken = big.replacingOccurrences(of: #""}}]}"#, with: #""} "x":1}]}"#)
        let prefix = String(repeating: " ", count: 700_000) + #"{"schema":"olm.package","name":"foo"}"#
        let text = prefix + broken
        let error = try #require(throws: CatalogLoadError.self) {
            try Self.load(["foo/catalog.json": Array(text.utf8)])
        }
        let at = prefix.utf8.count + broken.utf8.count - #""x":1}]}"#.utf8.count
        #expect(error.kind == .syntax)
        #expect(error.description.hasPrefix("foo/catalog.json at byte \(at): "), "\(error)")
        #expect(error.description.hasSuffix("expected ',' or '}' in an object, found a string"), "\(error)")
    }

    @Test func yamlIsStreamedWithItsLinesAfterLeadingBlankLines() throws {
        let leading = String(repeating: "\n", count: 300_000) + "  \n"
        let description = String(repeating: "x", count: 3 << 20)
        let text = leading + "schema: olm.package\nname: foo\ndescription: \(description)\n---\nschema: olm.channel\npackage: foo\nname: beta\n"
        let catalog = try Self.load(["foo/catalog.yaml": Array(text.utf8)])
        let foo = try #require(catalog.packages["foo"])
        #expect(foo.package?.blob.source.description == "foo/catalog.yaml:300002")
        #expect(foo.package?.blob.text.contains(description) == true)
        #expect(foo.channels["beta"]?.blob.source.description == "foo/catalog.yaml:300006")

        let broken = leading + "schema: olm.package\nname: [foo\n"
        let error = try #require(throws: CatalogLoadError.self) {
            try Self.load(["c.yaml": Array(broken.utf8)])
        }
        #expect(error.description.hasPrefix("c.yaml:300004:1: YAML syntax error"), "\(error)")

        let tooLarge = try #require(throws: CatalogLoadError.self) {
            try Self.load(["c.yaml": Array(text.utf8)], maxObjectBytes: 1 << 20)
        }
        #expect(tooLarge.kind == .tooLarge)
        #expect(tooLarge.description.hasPrefix("c.yaml:300002: the YAML document starting here is larger than 1 MiB"), "\(tooLarge)")
    }
}
