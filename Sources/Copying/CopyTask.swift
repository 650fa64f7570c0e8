import Distribution
import OCI

/// One image to copy: the whole graph under `source` (an index with every child) lands at
/// `destination` with the same digests.
public struct CopyTask: Sendable, Hashable {
    public var source: ImageReference
    public var destination: ImageReference

    public init(source: ImageReference, destination: ImageReference) {
        self.source = source
        self.destination = destination
    }
}

/// Settings of a copy run; one struct per concern, defaults chosen by measurement (bench/README.md).
public struct CopySettings: Sendable {
    /// Images copied at the same time.
    public var parallelImages: Int
    /// Blob transfers at the same time within one image.
    public var parallelLayers: Int
    public var source: RegistrySettings
    public var destination: RegistrySettings
    public var credentials: CredentialStore

    public init(parallelImages: Int = 8, parallelLayers: Int = 6, source: RegistrySettings = RegistrySettings(),
                destination: RegistrySettings = RegistrySettings(), credentials: CredentialStore = .none) {
        self.parallelImages = parallelImages
        self.parallelLayers = parallelLayers
        self.source = source
        self.destination = destination
        self.credentials = credentials
    }
}
