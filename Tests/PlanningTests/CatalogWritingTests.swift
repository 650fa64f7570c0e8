import Foundation
import Planning
import Testing

struct CatalogWritingTests {
    typealias F = CatalogFixtures

    /// SplitMix64: a seeded generator, so the shuffles are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let blobs = F.foo + F.bar + F.side

    /// The blobs shuffled with `seed` and dealt into `fileCount` files.
    static func shuffledFiles(seed: UInt64, fileCount: Int) -> [CatalogFile] {
        var generator = SeededGenerator(state: seed)
        let shuffled = blobs.shuffled(using: &generator)
        return (0..<fileCount).map { index in
            let mine = shuffled.enumerated().filter { $0.offset % fileCount == index }.map(\.element)
            return CatalogFile(path: "part-\(index).json", text: mine.joined(separator: "\n"))
        }
    }

    @Test(arguments: [(UInt64(1), 1), (2, 3), (3, 7), (4, 2)])
    func shuffledInputGivesTheSameBytes(seed: UInt64, fileCount: Int) throws {
        let filter = CatalogFilter(packages: [F.pkg("foo", channels: [F.ch("beta")]), F.pkg("bar", min: "2.0.0", max: "2.2.0"), F.pkg("side")])
        let reference = try filter.apply(to: F.catalog(["foo": F.foo, "bar": F.bar, "side": F.side])).catalog.catalogFiles()
        let shuffled = try filter.apply(to: FileBasedCatalog(files: Self.shuffledFiles(seed: seed, fileCount: fileCount))).catalog.catalogFiles()
        #expect(shuffled == reference)
        #expect(reference.map(\.path) == ["bar/catalog.json", "foo/catalog.json", "side/catalog.json"])
    }

    @Test func unchangedBlobsAreWrittenAsRead() throws {
        let odd = #"{ "schema" : "olm.bundle" , "package":"foo","name":"foo.v0.3.0","image":"quay.io/example/foo-bundle:v0.3.0","#
            + #""properties":[{"type":"olm.package","value":{"packageName":"foo","version":"0.3.0"}}],"relatedImages":[] }"#
        let blobs = F.foo.filter { !$0.contains(#""name":"foo.v0.3.0","image""#) } + [odd]
        let result = try CatalogFilter(packages: [F.pkg("foo", channels: [F.ch("beta")])]).apply(to: F.catalog(["foo": blobs]))
        let file = try #require(result.catalog.catalogFiles().first)
        let text = String(decoding: file.bytes, as: UTF8.self)
        #expect(text == [F.package("foo", defaultChannel: "beta"),
                         #"{"schema":"olm.channel","package":"foo","name":"beta","entries":[{"name":"foo.v0.3.0","replaces":"foo.v0.2.0"}]}"#,
                         odd,
                         #"{"schema":"io.example.note","package":"foo","name":"note","text":"kept with foo"}"#,
                         """
                         {"schema":"olm.deprecations","package":"foo","entries":[
                           {"reference":{"schema":"olm.package"},"message":"foo is deprecated"},
                           {"reference":{"schema":"olm.bundle","name":"foo.v0.3.0"},"message":"0.3.0 is deprecated"}
                         ]}
                         """].joined(separator: "\n") + "\n")
    }

    @Test func writtenCatalogReadsBackTheSame() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-fbc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try FileBasedCatalog(files: [CatalogFile(path: "x.json", text: (Self.blobs + [#"{"schema":"io.example.global"}"#]).joined())])
        try catalog.write(to: root)
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(names == ["bar", "catalog.json", "foo", "side"])
        let reread = try FileBasedCatalog.load(from: root)
        #expect(try reread.catalogFiles() == catalog.catalogFiles())
    }

    @Test func aPackageNameThatIsNoDirectoryNameIsRefused() throws {
        let catalog = try FileBasedCatalog(files: [CatalogFile(path: "x.json", text: #"{"schema":"olm.package","name":"../evil"}"#)])
        let error = try #require(throws: CatalogWriteError.self) { try catalog.catalogFiles() }
        #expect(error.message.contains("cannot be a directory name"))
    }
}
