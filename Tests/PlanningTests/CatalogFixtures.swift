import ImageSet
import Planning

/// Small file-based catalogs written as JSON text, for the catalog tests.
enum CatalogFixtures {
    /// A channel entry: `E("foo.v2", replaces: "foo.v1", skips: ["foo.v1.5"], skipRange: "<2.0.0")`.
    struct E {
        var name: String
        var replaces: String?
        var skips: [String] = []
        var skipRange: String?

        init(_ name: String, replaces: String? = nil, skips: [String] = [], skipRange: String? = nil) {
            self.name = name
            self.replaces = replaces
            self.skips = skips
            self.skipRange = skipRange
        }

        var json: String {
            var members = ["\"name\":\"\(name)\""]
            if let replaces { members.append("\"replaces\":\"\(replaces)\"") }
            if !skips.isEmpty { members.append("\"skips\":[" + skips.map { "\"\($0)\"" }.joined(separator: ",") + "]") }
            if let skipRange { members.append("\"skipRange\":\"\(skipRange)\"") }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    static func package(_ name: String, defaultChannel: String) -> String {
        """
        {"schema":"olm.package","name":"\(name)","defaultChannel":"\(defaultChannel)","description":"The \(name) operator","icon":{"base64data":"aWNvbg==","mediatype":"image/png"}}
        """
    }

    static func channel(_ package: String, _ name: String, _ entries: [E]) -> String {
        """
        {"schema":"olm.channel","package":"\(package)","name":"\(name)","entries":[\(entries.map(\.json).joined(separator: ","))]}
        """
    }

    /// A bundle named `<package>.v<version>` with its bundle image and one operand.
    static func bundle(_ package: String, _ version: String) -> String {
        let name = "\(package).v\(version)"
        return """
        {"schema":"olm.bundle","package":"\(package)","name":"\(name)","image":"quay.io/example/\(package)-bundle:v\(version)",\
        "properties":[{"type":"olm.gvk","value":{"group":"example.com","kind":"Thing","version":"v1"}},\
        {"type":"olm.package","value":{"packageName":"\(package)","version":"\(version)"}},\
        {"type":"olm.csv.metadata","value":{"annotations":{"alm-examples":"[{\\"kind\\":\\"Thing\\"}]"},"description":"long text"}}],\
        "relatedImages":[{"name":"","image":"quay.io/example/\(package)-bundle:v\(version)"},\
        {"name":"operator","image":"quay.io/example/\(package)-operator@sha256:\(String(repeating: "a", count: 64))"}]}
        """
    }

    /// Bundles for `versions` of `package`.
    static func bundles(_ package: String, _ versions: [String]) -> [String] {
        versions.map { bundle(package, $0) }
    }

    /// A catalog with one `<package>/catalog.json` per package, blobs concatenated with newlines.
    static func catalog(_ blobsByPackage: [String: [String]]) throws -> FileBasedCatalog {
        try FileBasedCatalog(files: blobsByPackage.map { CatalogFile(path: "\($0.key)/catalog.json", text: $0.value.joined(separator: "\n")) })
    }

    static let mark = SourceMark(file: "imageset-config.yaml", line: 7, column: 9)

    static func version(_ text: String?) -> VersionBound? {
        text.map { try! VersionBound(parsing: $0) }
    }

    /// A `packages:` entry.
    static func pkg(_ name: String, channels: [PackageChannel] = [], defaultChannel: String? = nil,
                    min: String? = nil, max: String? = nil) -> OperatorPackage {
        OperatorPackage(name: name, channels: channels, defaultChannel: defaultChannel,
                        minVersion: version(min), maxVersion: version(max), mark: mark)
    }

    /// A `channels:` entry.
    static func ch(_ name: String, min: String? = nil, max: String? = nil) -> PackageChannel {
        PackageChannel(name: name, minVersion: version(min), maxVersion: version(max), mark: mark)
    }

    // MARK: The shared test catalog

    /// `foo` (default beta): beta = 0.1.0 ← 0.2.0 (skips 0.1.1, skipRange <0.2.0) ← 0.3.0;
    /// alpha = 0.1.0 ← 0.2.0. Deprecations for channel alpha, bundles 0.1.0 and 0.3.0, the package.
    static let foo: [String] = [
        package("foo", defaultChannel: "beta"),
        channel("foo", "beta", [E("foo.v0.1.0"), E("foo.v0.1.1"),
                                E("foo.v0.2.0", replaces: "foo.v0.1.0", skips: ["foo.v0.1.1"], skipRange: "<0.2.0"),
                                E("foo.v0.3.0", replaces: "foo.v0.2.0")]),
        channel("foo", "alpha", [E("foo.v0.1.0"), E("foo.v0.2.0", replaces: "foo.v0.1.0")]),
        """
        {"schema":"olm.deprecations","package":"foo","entries":[
          {"reference":{"schema":"olm.package"},"message":"foo is deprecated"},
          {"reference":{"schema":"olm.channel","name":"alpha"},"message":"alpha is deprecated"},
          {"reference":{"schema":"olm.bundle","name":"foo.v0.1.0"},"message":"0.1.0 is deprecated"},
          {"reference":{"schema":"olm.bundle","name":"foo.v0.3.0"},"message":"0.3.0 is deprecated"}
        ]}
        """,
        #"{"schema":"io.example.note","package":"foo","name":"note","text":"kept with foo"}"#,
    ] + bundles("foo", ["0.1.0", "0.1.1", "0.2.0", "0.3.0"])

    /// `bar` (default stable): stable = 1.0.0 ← 2.0.0 ← 2.5.0 ← 3.0.0, and 3.0.0 skips 2.2.0;
    /// fast = 3.0.0 only, plus a pre-release head 3.1.0-rc.1 that replaces it.
    static let bar: [String] = [
        package("bar", defaultChannel: "stable"),
        channel("bar", "stable", [E("bar.v1.0.0"), E("bar.v2.0.0", replaces: "bar.v1.0.0"), E("bar.v2.2.0"),
                                  E("bar.v2.5.0", replaces: "bar.v2.0.0"),
                                  E("bar.v3.0.0", replaces: "bar.v2.5.0", skips: ["bar.v2.2.0"])]),
        channel("bar", "fast", [E("bar.v3.0.0"), E("bar.v3.1.0-rc.1", replaces: "bar.v3.0.0")]),
    ] + bundles("bar", ["1.0.0", "2.0.0", "2.2.0", "2.5.0", "3.0.0", "3.1.0-rc.1"])

    /// `side` (default stable): 3.0.0 replaces 1.0.0, skips 2.0.0, skipRange >=1.0.0 <3.0.0;
    /// 2.0.0 replaces 1.5.0, a side branch only the skipRange reaches directly.
    static let side: [String] = [
        package("side", defaultChannel: "stable"),
        channel("side", "stable", [E("side.v1.0.0"), E("side.v1.5.0"), E("side.v2.0.0", replaces: "side.v1.5.0"),
                                   E("side.v3.0.0", replaces: "side.v1.0.0", skips: ["side.v2.0.0"], skipRange: ">=1.0.0 <3.0.0")]),
        channel("side", "plain", [E("side.v1.0.0"), E("side.v1.5.0"), E("side.v2.0.0", replaces: "side.v1.5.0"),
                                  E("side.v3.0.0", replaces: "side.v1.0.0", skips: ["side.v2.0.0"])]),
    ] + bundles("side", ["1.0.0", "1.5.0", "2.0.0", "3.0.0"])

    /// `broken`: channel twoheads has two heads, channel cycle a cycle; default twoheads.
    static let broken: [String] = [
        package("broken", defaultChannel: "twoheads"),
        channel("broken", "twoheads", [E("broken.v1.0.0"), E("broken.v2.0.0")]),
        channel("broken", "cycle", [E("broken.v1.0.0", replaces: "broken.v2.0.0"), E("broken.v2.0.0", replaces: "broken.v1.0.0"),
                                    E("broken.v3.0.0", replaces: "broken.v1.0.0")]),
    ] + bundles("broken", ["1.0.0", "2.0.0", "3.0.0"])

    static func testCatalog() throws -> FileBasedCatalog {
        try catalog(["foo": foo, "bar": bar, "side": side, "broken": broken])
    }
}
