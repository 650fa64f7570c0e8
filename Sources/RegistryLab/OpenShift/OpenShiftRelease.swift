import OCI

/// One release payload as the lab pushed it: a version on one architecture (or `multi`).
public struct OpenShiftRelease: Sendable, Hashable, CustomStringConvertible {
    /// `4.18.2`.
    public var version: String
    public var architecture: OpenShiftArchitecture
    /// The payload by tag: `<upstream>/openshift-release-dev/ocp-release:4.18.2-x86_64`.
    public var payload: ImageReference
    /// The payload's manifest digest (for `multi`, the index's), as in the graph node and the signature.
    public var payloadDigest: Digest
    /// Component name → manifest digest in `componentRepository`, as in `image-references`.
    /// For `multi`, those of the amd64 payload (the index's first child).
    public var components: [String: Digest]
    /// `<upstream>/openshift-release-dev/ocp-v4.0-art-dev`.
    public var componentRepository: RepositoryName
    /// CoreOS architecture (`x86_64`, `aarch64`, `s390x`) → digest of the KubeVirt container disk
    /// image in `componentRepository`, as named in the boot-images ConfigMap.
    public var kubevirt: [String: Digest]
    /// For `multi`: the single-architecture payload manifests the index lists. Empty otherwise.
    public var children: [OpenShiftArchitecture: Digest]
    /// The channels whose graph lists this version (empty for the broken payloads).
    public var channels: [String]

    /// The payload by digest, keeping no tag.
    public var payloadByDigest: ImageReference {
        ImageReference(repository: payload.repository, tag: nil, digest: payloadDigest)
    }

    /// The tag: `4.18.2-x86_64`.
    public var tag: String { payload.tag ?? "" }

    /// The KubeVirt image digest for this payload's architecture (`x86_64` for `multi`, as oc-mirror reads it).
    public var kubevirtDigest: Digest? { kubevirt[architecture.coreOSName ?? "x86_64"] }

    /// A component by digest, or nil when the release has no such component.
    public func componentReference(_ name: String) -> ImageReference? {
        components[name].map { ImageReference(repository: componentRepository, tag: nil, digest: $0) }
    }

    /// The KubeVirt image for a CoreOS architecture (default: this payload's), by digest.
    public func kubevirtReference(_ coreOSArchitecture: String? = nil) -> ImageReference? {
        let key = coreOSArchitecture ?? architecture.coreOSName ?? "x86_64"
        return kubevirt[key].map { ImageReference(repository: componentRepository, tag: nil, digest: $0) }
    }

    public var description: String { "\(payload)@\(payloadDigest)" }
}
