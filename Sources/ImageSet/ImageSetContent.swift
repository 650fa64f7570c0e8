/// The body of `mirror:` (or `delete:`): the releases, catalogs and images of the set.
/// Source: oc-mirror `type_config.go` (`Mirror`, `Delete`).
public struct ImageSetContent: Hashable, Sendable {
    /// `platform:`, the OpenShift/OKD releases.
    public var platform: ReleaseSelection
    /// `operators:`, the operator catalogs.
    public var operators: [OperatorCatalog]
    /// `additionalImages:`.
    public var additionalImages: [AdditionalImage]
    /// `blockedImages:` (never set under `delete:`).
    public var blockedImages: [BlockedImage]
    /// `helm:`.
    public var helm: HelmContent
    /// `samples:` (parsed, not implemented by oc-mirror either).
    public var samples: [SampleImage]
    /// `additionalImages` entries left out at load for a problem of their own (each also a
    /// warning); not in `additionalImages`.
    public var skippedImages: [SkippedImage]

    /// Creates content; everything defaults to empty.
    public init(platform: ReleaseSelection = ReleaseSelection(), operators: [OperatorCatalog] = [],
                additionalImages: [AdditionalImage] = [], blockedImages: [BlockedImage] = [],
                helm: HelmContent = HelmContent(), samples: [SampleImage] = [], skippedImages: [SkippedImage] = []) {
        self.platform = platform
        self.operators = operators
        self.additionalImages = additionalImages
        self.blockedImages = blockedImages
        self.helm = helm
        self.samples = samples
        self.skippedImages = skippedImages
    }

    /// Whether nothing at all is selected (skipped images select nothing).
    public var isEmpty: Bool {
        platform.channels.isEmpty && platform.release == nil && !platform.graph && operators.isEmpty
            && additionalImages.isEmpty && helm.repositories.isEmpty && helm.local.isEmpty && samples.isEmpty
    }
}
