/// One file of a catalog: its path below the catalog root and its bytes.
public struct CatalogFile: Sendable, Hashable {
    /// Relative path, `/`-separated: `etcd/catalog.json`.
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// A file from text (tests, generated catalogs).
    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }
}
