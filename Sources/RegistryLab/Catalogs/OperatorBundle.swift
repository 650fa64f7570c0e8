import OCI

/// A `relatedImages[]` item of an `olm.bundle` blob, as written: `image` is kept as text because
/// one of them is deliberately not a valid reference.
public struct OperatorRelatedImage: Sendable, Hashable, CustomStringConvertible {
    /// Empty for the bundle image itself (as opm lists it).
    public var name: String
    public var image: String

    public init(name: String, image: String) {
        self.name = name
        self.image = image
    }

    /// The parsed reference; nil for an image with neither tag nor digest.
    public var reference: ImageReference? { try? ImageReference(parsing: image) }

    public var description: String { name.isEmpty ? image : "\(name)=\(image)" }
}

/// One operator bundle as the lab pushed it: the same image in every catalog that lists it.
public struct OperatorBundle: Sendable, Hashable, CustomStringConvertible {
    /// `foo.v0.3.2`.
    public var name: String
    public var package: String
    /// `0.3.2` (the `olm.package` property's version).
    public var version: String
    /// `<upstream>/foo/foo-operator-bundle@sha256:…`, as the catalog's `image`.
    public var image: ImageReference
    /// The catalog's `relatedImages`, in order: the bundle image first (name ""), then the
    /// declared operands.
    public var relatedImages: [OperatorRelatedImage]
    /// Operand images the CSV names only in a `RELATED_IMAGE_` env, by digest: in no
    /// `relatedImages` list.
    public var csvOnlyImages: [ImageReference]
    /// Every operand image the CSV names that has a tag or digest (declared and CSV-only), by digest.
    public var operandImages: [ImageReference]

    /// Related images that do not parse (neither tag nor digest): a collection error in oc-mirror.
    public var brokenRelatedImages: [OperatorRelatedImage] {
        relatedImages.filter { $0.reference == nil }
    }

    /// Every image a complete mirror of this bundle needs: the bundle and all its operands.
    public var allImages: [ImageReference] { [image] + operandImages }

    public var description: String { "\(name) (\(image))" }
}
