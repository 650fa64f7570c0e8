import Distribution
import OCI

/// One image to copy: the whole graph under `source` (an index with every child) lands at
/// `destination` with the same digests.
public struct CopyTask: Sendable, Hashable {
    public var source: ImageReference
    public var destination: ImageReference
    /// Platforms copied out of an index; nil copies all. The index itself is pushed unchanged
    /// (its digest is what clusters pull), so it names children the mirror does not get: a
    /// sparse index, which some registries refuse (distribution 2.x verifies every child).
    public var platforms: [Platform]?

    public init(source: ImageReference, destination: ImageReference, platforms: [Platform]? = nil) {
        self.source = source
        self.destination = destination
        self.platforms = platforms
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
    /// The most one image may take, retries included (oc-mirror's `--image-timeout`); nil: no
    /// limit. Stalled transfers are caught sooner by the transport's stall watchdog.
    public var imageTimeout: Duration?

    public init(parallelImages: Int = 8, parallelLayers: Int = 6, source: RegistrySettings = RegistrySettings(),
                destination: RegistrySettings = RegistrySettings(), credentials: CredentialStore = .none,
                imageTimeout: Duration? = nil) {
        self.imageTimeout = imageTimeout
        self.parallelImages = parallelImages
        self.parallelLayers = parallelLayers
        self.source = source
        self.destination = destination
        self.credentials = credentials
    }
}
