/// An `olm.channel` blob: the upgrade graph of one channel of a package.
/// Source: operator-registry `alpha/declcfg/declcfg.go` (`Channel`, `ChannelEntry`).
public struct OLMChannel: Sendable, Hashable {
    /// One entry: a bundle of the channel and the upgrade edges into it.
    public struct Entry: Sendable, Hashable {
        /// The bundle's name.
        public internal(set) var name: String
        /// The bundle this one upgrades from (it need not be in the channel).
        public internal(set) var replaces: String?
        /// Bundles this one upgrades from directly, which OLM then skips.
        public internal(set) var skips: [String]
        /// Versions that upgrade straight to this bundle (`>=4.1.0 <4.2.0`), in OLM's range syntax.
        public internal(set) var skipRange: String?
        /// The entry's bytes in the blob (offsets from the blob's start).
        var span: Range<Int>

        public init(name: String, replaces: String? = nil, skips: [String] = [], skipRange: String? = nil) {
            self.init(name: name, replaces: replaces, skips: skips, skipRange: skipRange, span: 0..<0)
        }

        init(name: String, replaces: String?, skips: [String], skipRange: String?, span: Range<Int>) {
            self.name = name
            self.replaces = replaces
            self.skips = skips
            self.skipRange = skipRange
            self.span = span
        }

        /// Entries are equal by what they say, wherever they sit in their blob.
        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.name, lhs.replaces, lhs.skips, lhs.skipRange) == (rhs.name, rhs.replaces, rhs.skips, rhs.skipRange)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(replaces)
            hasher.combine(skips)
            hasher.combine(skipRange)
        }
    }

    public internal(set) var package: String
    public internal(set) var name: String
    public internal(set) var entries: [Entry]
    public internal(set) var blob: CatalogBlob
    /// The `entries` array (`[` … `]`) in the blob, offsets from its start.
    var entriesSpan: Range<Int>?

    init(package: String, name: String, entries: [Entry], blob: CatalogBlob, entriesSpan: Range<Int>?) {
        self.package = package
        self.name = name
        self.entries = entries
        self.blob = blob
        self.entriesSpan = entriesSpan
    }
}
