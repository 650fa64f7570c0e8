import OCI

/// One entry of `additionalImages:`.
/// Source: oc-mirror `type_config.go` (`AdditionalImage`).
public struct AdditionalImage: Hashable, Sendable {
    /// `name` as written (possibly with `docker://`).
    public var name: String
    /// `name` parsed; always has a tag or a digest.
    public var reference: ImageReference
    /// `targetRepo`: the repository path at the destination.
    public var targetRepo: String?
    /// `targetTag`: the tag at the destination.
    public var targetTag: String?
    /// `platforms`: keep only these platforms of a manifest list.
    public var platforms: [PlatformFilter]
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates an entry.
    public init(name: String, reference: ImageReference, targetRepo: String? = nil, targetTag: String? = nil,
                platforms: [PlatformFilter] = [], mark: SourceMark) {
        self.name = name
        self.reference = reference
        self.targetRepo = targetRepo
        self.targetTag = targetTag
        self.platforms = platforms
        self.mark = mark
    }
}

/// One entry of `samples:` (oc-mirror parses these and does nothing with them).
public struct SampleImage: Hashable, Sendable {
    /// `name`.
    public var name: String
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates an entry.
    public init(name: String, mark: SourceMark) {
        self.name = name
        self.mark = mark
    }
}
