import OCI

/// Which IDMS/ITMS object an image's rule goes into (spec §6.1): `idms-release-0`,
/// `idms-operator-0`, `idms-generic-0`. Objects are written in this order.
public enum MirrorCategory: String, CaseIterable, Hashable, Sendable {
    /// Release payloads and their component images.
    case release
    /// Operator bundles and their related (operand) images.
    case `operator`
    /// Additional images and Helm chart images.
    case generic
}

/// One image that landed in the mirror, as the mirror-set generator needs it.
///
/// The caller passes only images that were actually copied, and leaves out catalog images (a
/// CatalogSource points at them) and the update-graph image (the UpdateService does).
public struct MirroredImage: Hashable, Sendable {
    /// The image as the user, the catalog or the release names it: by tag, digest, or both.
    /// This is what a cluster will ask for, so the rules are written for it.
    public var source: ImageReference
    /// Where it landed in the mirror registry.
    public var destination: ImageReference
    /// Which object its rule belongs to.
    public var category: MirrorCategory
    /// A release payload image (not a component): its rule also goes into the IDMS when it is
    /// given by tag, because clusters pull payloads by digest during updates (spec CLID-205).
    public var isReleasePayload: Bool

    /// Creates an entry.
    public init(source: ImageReference, destination: ImageReference, category: MirrorCategory,
                isReleasePayload: Bool = false) {
        self.source = source
        self.destination = destination
        self.category = category
        self.isReleasePayload = isReleasePayload
    }
}
