import OCI

/// An image a bundle needs: its operator, operands, and usually the bundle image itself.
/// Source: operator-registry `alpha/declcfg/declcfg.go` (`RelatedImage`).
public struct RelatedImage: Sendable, Hashable, CustomStringConvertible {
    /// The name the bundle gives it; often empty for the bundle image.
    public var name: String
    /// The reference as written in the catalog.
    public var image: String

    public init(name: String, image: String) {
        self.name = name
        self.image = image
    }

    /// `name=image`, or just the image when it has no name.
    public var description: String { name.isEmpty ? image : "\(name)=\(image)" }
}

/// An `olm.bundle` blob: one version of an operator. Only what filtering and mirroring need is
/// decoded; `properties` (the large CSV metadata among them) stay in the blob's bytes.
/// Source: operator-registry `alpha/declcfg/declcfg.go` (`Bundle`).
public struct OLMBundle: Sendable, Hashable {
    public internal(set) var package: String
    public internal(set) var name: String
    /// The bundle image (may be empty in hand-written catalogs).
    public internal(set) var image: String
    /// `version` of the first `olm.package` property, as written; nil without one.
    public internal(set) var version: String?
    public internal(set) var relatedImages: [RelatedImage]
    public internal(set) var blob: CatalogBlob
    /// The `properties` array in the blob, offsets from its start.
    var propertiesSpan: Range<Int>?

    init(package: String, name: String, image: String, version: String?, relatedImages: [RelatedImage],
         blob: CatalogBlob, propertiesSpan: Range<Int>?) {
        self.package = package
        self.name = name
        self.image = image
        self.version = version
        self.relatedImages = relatedImages
        self.blob = blob
        self.propertiesSpan = propertiesSpan
    }

    /// The `properties` array as JSON text, unparsed (empty when the bundle has none).
    public var propertiesJSON: ArraySlice<UInt8> {
        guard let span = propertiesSpan else { return [] }
        let start = blob.bytes.startIndex
        return blob.bytes[(start + span.lowerBound)..<(start + span.upperBound)]
    }
}
