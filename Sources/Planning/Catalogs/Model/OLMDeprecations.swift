/// An `olm.deprecations` blob: deprecation notices for a package, its channels and bundles.
/// Source: operator-registry `alpha/declcfg/declcfg.go` (`Deprecation`, `DeprecationEntry`).
public struct OLMDeprecations: Sendable, Hashable {
    /// One notice.
    public struct Entry: Sendable, Hashable {
        /// `reference.schema`: `olm.package`, `olm.channel` or `olm.bundle`.
        public internal(set) var schema: String
        /// `reference.name`: the channel or bundle (empty for the package).
        public internal(set) var name: String
        public internal(set) var message: String
        /// The entry's bytes in the blob, offsets from its start.
        var span: Range<Int>

        init(schema: String, name: String, message: String, span: Range<Int>) {
            self.schema = schema
            self.name = name
            self.message = message
            self.span = span
        }

        /// Entries are equal by what they say, wherever they sit in their blob.
        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.schema, lhs.name, lhs.message) == (rhs.schema, rhs.name, rhs.message)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(schema)
            hasher.combine(name)
            hasher.combine(message)
        }
    }

    public internal(set) var package: String
    public internal(set) var entries: [Entry]
    public internal(set) var blob: CatalogBlob
    /// The `entries` array in the blob, offsets from its start.
    var entriesSpan: Range<Int>?

    init(package: String, entries: [Entry], blob: CatalogBlob, entriesSpan: Range<Int>?) {
        self.package = package
        self.entries = entries
        self.blob = blob
        self.entriesSpan = entriesSpan
    }
}
