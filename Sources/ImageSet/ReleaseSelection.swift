import OCI

/// The `platform:` section: which OpenShift/OKD releases to mirror.
/// Source: oc-mirror `type_config.go` (`Platform`), spec §1.2 and §4.
public struct ReleaseSelection: Hashable, Sendable {
    /// `graph`: also build the update-graph data image and an UpdateService.
    public var graph: Bool
    /// `channels`, resolved through the update service.
    public var channels: [ReleaseChannel]
    /// `architectures` (deprecated in oc-mirror): one query and payload per architecture.
    public var architectures: [ReleaseArchitecture]
    /// `platforms`: query with `multi` and keep only these platforms of the payload lists.
    public var platforms: [PlatformFilter]
    /// `release`: one release image used instead of the update service.
    public var release: ReleaseImage?
    /// `kubeVirtContainer`: also mirror the KubeVirt container image named in the payload.
    public var kubeVirtContainer: Bool

    /// Creates a selection; everything defaults to empty or false.
    public init(graph: Bool = false, channels: [ReleaseChannel] = [], architectures: [ReleaseArchitecture] = [],
                platforms: [PlatformFilter] = [], release: ReleaseImage? = nil, kubeVirtContainer: Bool = false) {
        self.graph = graph
        self.channels = channels
        self.architectures = architectures
        self.platforms = platforms
        self.release = release
        self.kubeVirtContainer = kubeVirtContainer
    }
}

/// A value of `platform.architectures`.
public enum ReleaseArchitecture: String, Hashable, Sendable, CaseIterable {
    case amd64
    case arm64
    case ppc64le
    case s390x
    /// The manifest-list payload holding every architecture.
    case multi
}

/// `platform.release`: a release image given directly, by tag or digest.
public struct ReleaseImage: Hashable, Sendable {
    /// The text as written.
    public var text: String
    /// The parsed reference.
    public var reference: ImageReference
    /// Where the value was written.
    public var mark: SourceMark

    /// Creates a release image entry.
    public init(text: String, reference: ImageReference, mark: SourceMark) {
        self.text = text
        self.reference = reference
        self.mark = mark
    }
}

/// One entry of `platform.channels`.
/// Source: oc-mirror `type_config.go` (`ReleaseChannel`); selection rules in spec §4.2.
public struct ReleaseChannel: Hashable, Sendable {
    /// The product a channel belongs to.
    public enum Product: String, Hashable, Sendable, CaseIterable {
        case ocp
        case okd
    }

    /// `name`, such as `stable-4.18`.
    public var name: String
    /// `type`; `ocp` when absent.
    public var type: Product
    /// `minVersion`.
    public var minVersion: SemanticVersion?
    /// `maxVersion`.
    public var maxVersion: SemanticVersion?
    /// `shortestPath`: only the versions on the shortest upgrade path from min to max.
    public var shortestPath: Bool
    /// `full`: from the first release of the channel rather than only the head.
    public var full: Bool
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates a channel entry.
    public init(name: String, type: Product = .ocp, minVersion: SemanticVersion? = nil, maxVersion: SemanticVersion? = nil,
                shortestPath: Bool = false, full: Bool = false, mark: SourceMark) {
        self.name = name
        self.type = type
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.shortestPath = shortestPath
        self.full = full
        self.mark = mark
    }
}
