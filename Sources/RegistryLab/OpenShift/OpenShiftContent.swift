import Foundation
import OCI

/// A manifest and the blobs it names, built in memory before anything is pushed.
struct BuiltImage: Sendable {
    var repository: String
    var manifest: ManifestDocument
    /// Config and layers of an image manifest; empty for an index (its children are pushed first).
    var blobs: [Data]
    var tags: [String]
}

/// Every image of the synthetic upstream for one registry host, with the releases they make up.
///
/// Built without a registry, so the digests are known before pushing and the same release set
/// and host always give the same bytes. The host matters: `image-references` and the boot-images
/// ConfigMap name `<host>/…@sha256:…`, so payload digests differ between registries while
/// component and KubeVirt digests do not.
struct OpenShiftContent: Sendable {
    static let componentRepository = "openshift-release-dev/ocp-v4.0-art-dev"
    static let releaseRepository = "openshift-release-dev/ocp-release"

    /// Component and KubeVirt images (single manifests, by digest only).
    var componentImages: [BuiltImage] = []
    /// Single-architecture payloads, tagged `<version>-<arch>`.
    var payloadImages: [BuiltImage] = []
    /// `<version>-multi` indexes over the payloads above.
    var indexes: [BuiltImage] = []
    /// Every release in the graph, per architecture (`multi` included), in release-set order.
    var releases: [OpenShiftRelease] = []
    var brokenPayload: OpenShiftRelease?
    var whitedOutPayload: OpenShiftRelease?

    static func build(_ set: OpenShiftReleaseSet, host: String) throws -> OpenShiftContent {
        var builder = try Builder(host: host)
        return try builder.build(set)
    }
}

extension OpenShiftContent {
    /// The CoreOS architectures whose KubeVirt image every boot-images ConfigMap names.
    static let coreOSArchitectures = ["aarch64", "s390x", "x86_64"]

    static func platform(coreOS architecture: String) -> Platform {
        switch architecture {
        case "x86_64": Platform(os: "linux", architecture: "amd64")
        case "aarch64": Platform(os: "linux", architecture: "arm64")
        default: Platform(os: "linux", architecture: architecture)
        }
    }

    private struct Builder {
        let host: String
        let componentRepository: RepositoryName
        let releaseRepository: RepositoryName
        var content = OpenShiftContent()
        /// Images already built, by what they are made of: an unchanged component is the same image.
        var built: [String: Digest] = [:]
        var baseLayers: [String: LayerArchive.Layer] = [:]

        init(host: String) throws {
            self.host = host
            componentRepository = try RepositoryName(registry: host, path: OpenShiftContent.componentRepository)
            releaseRepository = try RepositoryName(registry: host, path: OpenShiftContent.releaseRepository)
        }

        mutating func build(_ set: OpenShiftReleaseSet) throws -> OpenShiftContent {
            for release in set.releases {
                let kubevirt = try kubevirtImages(coreOSBuild: release.coreOSBuild)
                let channels = set.channels(containing: release.version)
                var payloads: [(OpenShiftArchitecture, ManifestDocument)] = []
                var amd64Components: [String: Digest] = [:]
                for architecture in release.architectures {
                    guard let platform = architecture.platform else {
                        throw LabError.unsupported("release \(release.version): list single architectures; multi is derived")
                    }
                    var components: [String: Digest] = [:]
                    for (name, revision) in release.components.sorted(by: { $0.key < $1.key }) {
                        components[name] = try componentImage(name: name, revision: revision, platform: platform)
                    }
                    if architecture == .amd64 { amd64Components = components }
                    let initial = try manifestsLayerFiles(release: release, set: set, kubevirt: kubevirt,
                                                          imageReferences: try placeholderReferences(release))
                    let final: [TarLayer.Entry] = [
                        .directory(ReleaseManifestFiles.directory),
                        .file(ReleaseManifestFiles.imageReferences, try references(release.version, components)),
                        .whiteout(of: ReleaseManifestFiles.obsolete),
                    ]
                    let payload = try payloadImage(version: release.version, architecture: architecture,
                                                   platform: platform, layers: [initial, final])
                    payloads.append((architecture, payload))
                    content.releases.append(makeRelease(release, architecture, payload.digest, components, kubevirt, channels))
                }
                if payloads.count > 1 {
                    let tag = "\(release.version)-\(OpenShiftArchitecture.multi.payloadTagSuffix)"
                    let index = ImageIndex(schemaVersion: 2, mediaType: .dockerManifestList, manifests: payloads.map {
                        Descriptor(mediaType: $0.1.mediaType, digest: $0.1.digest, size: Int64($0.1.bytes.count),
                                   platform: $0.0.platform)
                    })
                    let document = try ManifestDocument(encoding: .index(index))
                    content.indexes.append(BuiltImage(repository: releaseRepository.path, manifest: document, blobs: [], tags: [tag]))
                    var multi = makeRelease(release, .multi, document.digest, amd64Components, kubevirt, channels)
                    multi.children = Dictionary(uniqueKeysWithValues: payloads.map { ($0.0, $0.1.digest) })
                    content.releases.append(multi)
                }
            }
            try buildBrokenPayloads(set)
            return content
        }

        /// 4.18.9: no `image-references` anywhere. 4.18.10: a valid one below, deleted by a whiteout on top.
        /// Both are made from the newest amd64 release of the broken version's minor (else the
        /// newest amd64 release), so releases of later minors do not change them.
        mutating func buildBrokenPayloads(_ set: OpenShiftReleaseSet) throws {
            let minor = set.brokenVersion.split(separator: ".").prefix(2).joined(separator: ".")
            let amd64 = set.releases.filter { $0.architectures.contains(.amd64) }
            guard let newest = amd64.last(where: { $0.minor == minor }) ?? amd64.last else { return }
            let kubevirt = try kubevirtImages(coreOSBuild: newest.coreOSBuild)
            let platform = OpenShiftArchitecture.amd64.platform!
            var components: [String: Digest] = [:]
            for (name, revision) in newest.components.sorted(by: { $0.key < $1.key }) {
                components[name] = try componentImage(name: name, revision: revision, platform: platform)
            }
            for (version, whitedOut) in [(set.brokenVersion, false), (set.whitedOutVersion, true)] {
                var broken = newest
                broken.version = version
                let lower = try references(version, components)
                let initial = try manifestsLayerFiles(release: broken, set: set, kubevirt: kubevirt,
                                                      imageReferences: whitedOut ? lower : nil)
                var top: [TarLayer.Entry] = [.directory(ReleaseManifestFiles.directory), .whiteout(of: ReleaseManifestFiles.obsolete)]
                if whitedOut { top.append(.whiteout(of: ReleaseManifestFiles.imageReferences)) }
                let payload = try payloadImage(version: version, architecture: .amd64, platform: platform, layers: [initial, top])
                let result = makeRelease(broken, .amd64, payload.digest, [:], kubevirt, [])
                if whitedOut { content.whitedOutPayload = result } else { content.brokenPayload = result }
            }
        }

        func makeRelease(_ release: OpenShiftReleaseSet.Release, _ architecture: OpenShiftArchitecture, _ digest: Digest,
                         _ components: [String: Digest], _ kubevirt: [String: Digest], _ channels: [String]) -> OpenShiftRelease {
            OpenShiftRelease(
                version: release.version, architecture: architecture,
                payload: ImageReference(repository: releaseRepository, tag: "\(release.version)-\(architecture.payloadTagSuffix)",
                                        digest: nil),
                payloadDigest: digest, components: components, componentRepository: componentRepository,
                kubevirt: kubevirt, children: [:], channels: channels)
        }

        // MARK: - Payload

        /// The lower `release-manifests` layer: everything but the final `image-references`.
        func manifestsLayerFiles(release: OpenShiftReleaseSet.Release, set: OpenShiftReleaseSet, kubevirt: [String: Digest],
                                 imageReferences: Data?) throws -> [TarLayer.Entry] {
            let kubevirtReferences = kubevirt.mapValues { digest in
                (image: componentRepository.description, digestReference: "\(componentRepository)@\(digest)")
            }
            var entries: [TarLayer.Entry] = [
                .directory(ReleaseManifestFiles.directory),
                .file(ReleaseManifestFiles.namespace, ReleaseManifestFiles.namespaceManifest),
                .file(ReleaseManifestFiles.bootImages,
                      try ReleaseManifestFiles.bootImages(version: release.version, coreOSBuild: release.coreOSBuild,
                                                          minor: release.minor, kubevirt: kubevirtReferences)),
            ]
            if let imageReferences {
                entries.append(.file(ReleaseManifestFiles.imageReferences, imageReferences))
            }
            entries += [
                .file(ReleaseManifestFiles.obsolete, ReleaseManifestFiles.obsoleteManifest),
                .file(ReleaseManifestFiles.releaseMetadata,
                      try ReleaseManifestFiles.releaseMetadata(version: release.version, previous: set.previous(of: release.version),
                                                               errataURL: release.errataURL)),
            ]
            return entries
        }

        func references(_ version: String, _ components: [String: Digest]) throws -> Data {
            try ReleaseManifestFiles.imageReferences(
                version: version, components: components.mapValues { "\(componentRepository)@\($0)" })
        }

        /// What the build system leaves before `oc adm release new` pins the components: tags, not
        /// digests, on another registry. Overridden by the layer above; a reader that stops at the
        /// first copy it meets from the bottom gets these.
        func placeholderReferences(_ release: OpenShiftReleaseSet.Release) throws -> Data {
            try ReleaseManifestFiles.imageReferences(
                version: "\(release.minor).0-0.placeholder",
                components: Dictionary(uniqueKeysWithValues: release.components.keys.map {
                    ($0, "registry.ci.openshift.org/ocp/\(release.minor):\($0)")
                }))
        }

        mutating func payloadImage(version: String, architecture: OpenShiftArchitecture, platform: Platform,
                                   layers: [[TarLayer.Entry]]) throws -> ManifestDocument {
            let archives = try [baseLayer(platform)] + layers.map(TarLayer.make)
            let image = try Self.image(
                repository: releaseRepository.path, platform: platform, layers: archives,
                labels: ["io.openshift.release": version, "io.openshift.release.architecture": architecture.payloadTagSuffix],
                entrypoint: ["/usr/bin/cluster-version-operator"],
                tags: ["\(version)-\(architecture.payloadTagSuffix)"])
            content.payloadImages.append(image)
            return image.manifest
        }

        // MARK: - Components and KubeVirt images

        /// The shared bottom layer of every component and payload of one architecture.
        mutating func baseLayer(_ platform: Platform) throws -> LayerArchive.Layer {
            let key = platform.description
            if let layer = baseLayers[key] { return layer }
            let seed = SyntheticContent.seed("ocp-rhel9-base/\(key)")
            let layer = try LayerArchive.make(path: "usr/lib/ocp-rhel9-base.bin", size: 192 << 10, seed: seed)
            baseLayers[key] = layer
            return layer
        }

        mutating func componentImage(name: String, revision: String, platform: Platform) throws -> Digest {
            let key = "component/\(name)/\(revision)/\(platform)"
            if let digest = built[key] { return digest }
            let seed = SyntheticContent.seed(key)
            // Sizes vary by component (24 to 56 KiB) so the images are not all alike.
            let size = (24 + Int(SyntheticContent.seed(name) % 33)) << 10
            let layer = try LayerArchive.make(path: "usr/bin/\(name)", size: size, seed: seed)
            let image = try Self.image(
                repository: componentRepository.path, platform: platform, layers: [try baseLayer(platform), layer],
                labels: ["io.openshift.release.operator": "true", "lab.ferry/component": name, "lab.ferry/revision": revision],
                entrypoint: ["/usr/bin/\(name)"], tags: [])
            content.componentImages.append(image)
            built[key] = image.manifest.digest
            return image.manifest.digest
        }

        /// The KubeVirt container disks of one RHCOS build, by CoreOS architecture.
        mutating func kubevirtImages(coreOSBuild: String) throws -> [String: Digest] {
            var digests: [String: Digest] = [:]
            for architecture in OpenShiftContent.coreOSArchitectures {
                let key = "kubevirt/\(coreOSBuild)/\(architecture)"
                if let digest = built[key] {
                    digests[architecture] = digest
                    continue
                }
                let layer = try LayerArchive.make(path: "disk/rhcos-\(coreOSBuild)-kubevirt.\(architecture).qcow2",
                                                  size: 64 << 10, seed: SyntheticContent.seed(key))
                let image = try Self.image(
                    repository: componentRepository.path, platform: OpenShiftContent.platform(coreOS: architecture), layers: [layer],
                    labels: ["lab.ferry/rhcos-build": coreOSBuild], entrypoint: nil, tags: [])
                content.componentImages.append(image)
                built[key] = image.manifest.digest
                digests[architecture] = image.manifest.digest
            }
            return digests
        }

        /// A Docker schema 2 image (as Quay serves OpenShift's), config and layers included.
        static func image(repository: String, platform: Platform, layers: [LayerArchive.Layer], labels: [String: String],
                          entrypoint: [String]?, tags: [String]) throws -> BuiltImage {
            var containerConfig: [String: Any] = ["Labels": labels]
            if let entrypoint { containerConfig["Entrypoint"] = entrypoint }
            return try BuiltImage.assemble(repository: repository, flavor: .docker, platform: platform, layers: layers,
                                           containerConfig: containerConfig, tags: tags)
        }
    }
}
