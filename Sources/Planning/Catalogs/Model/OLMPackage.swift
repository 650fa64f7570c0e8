/// An `olm.package` blob: the package's name and default channel. Its description, icon and
/// anything else stay in the blob's bytes, unread.
/// Source: operator-registry `alpha/declcfg/declcfg.go` (`Package`).
public struct OLMPackage: Sendable, Hashable {
    public internal(set) var name: String
    /// `defaultChannel`; nil when absent (allowed by newer opm for single-channel packages).
    public internal(set) var defaultChannel: String?
    public internal(set) var blob: CatalogBlob
    /// Where the `defaultChannel` value sits in `blob.bytes` (offsets from its start), to
    /// replace it without touching the rest.
    var defaultChannelSpan: Range<Int>?

    init(name: String, defaultChannel: String?, blob: CatalogBlob, defaultChannelSpan: Range<Int>?) {
        self.name = name
        self.defaultChannel = defaultChannel
        self.blob = blob
        self.defaultChannelSpan = defaultChannelSpan
    }
}
