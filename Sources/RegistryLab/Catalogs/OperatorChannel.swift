/// An update channel of an operator package, as an `olm.channel` blob lists it (spec §5.2): entries
/// naming bundles, linked into an upgrade graph by `replaces` and `skips`.
public struct OperatorChannel: Sendable, Hashable {
    /// One `entries[]` item.
    public struct Entry: Sendable, Hashable {
        /// The bundle: `foo.v0.3.2`.
        public var name: String
        /// The bundle this one upgrades (may name a bundle outside the channel).
        public var replaces: String?
        /// Bundles this one may upgrade from directly.
        public var skips: [String]
        /// A semver range of versions this one may upgrade from (oc-mirror ignores it).
        public var skipRange: String?

        public init(name: String, replaces: String? = nil, skips: [String] = [], skipRange: String? = nil) {
            self.name = name
            self.replaces = replaces
            self.skips = skips
            self.skipRange = skipRange
        }
    }

    /// `stable`, `stable-2.x`.
    public var name: String
    /// In the order the blob lists them (oldest first).
    public var entries: [Entry]

    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
    }

    /// The entry names, in order.
    public var bundleNames: [String] { entries.map(\.name) }

    /// The entries no other entry replaces or skips, in order. A valid channel has exactly one.
    public var heads: [String] {
        let upgraded = Set(entries.flatMap { [$0.replaces].compactMap { $0 } + $0.skips })
        return entries.map(\.name).filter { !upgraded.contains($0) }
    }

    /// The channel head (what oc-mirror keeps when no version range is given); nil unless exactly one.
    public var head: String? {
        let heads = heads
        return heads.count == 1 ? heads[0] : nil
    }

    /// The entry for `bundle`, if the channel lists it.
    public func entry(_ bundle: String) -> Entry? {
        entries.first { $0.name == bundle }
    }
}
