import Foundation
import OCI

/// What Ferry needs from a release payload's `release-manifests/` directory.
public struct ReleaseManifests: Sendable {
    /// The component images of `image-references` (ImageStream `spec.tags`), in file order.
    public var components: [ReleaseComponent]
    /// `metadata.name` of the ImageStream: the release version.
    public var version: String?
    /// `release-metadata` (cincinnati-metadata-v0 JSON), raw.
    public var releaseMetadata: Data?
    /// `0000_50_installer_coreos-bootimages.yaml`, raw (the KubeVirt container is named there).
    public var bootImages: Data?

    public init(components: [ReleaseComponent], version: String?, releaseMetadata: Data?, bootImages: Data?) {
        self.components = components
        self.version = version
        self.releaseMetadata = releaseMetadata
        self.bootImages = bootImages
    }
}

/// One `spec.tags[]` entry of `image-references`: `{name, from: {kind: DockerImage, name}}`.
public struct ReleaseComponent: Sendable, Hashable {
    public var name: String
    public var image: ImageReference
}

extension ReleaseManifests {
    /// Parses `image-references` (an `image.openshift.io/v1` ImageStream, JSON).
    /// - Throws: naming the payload and what is wrong, entry by entry.
    static func parseImageReferences(_ data: Data, payload: String) throws(PlanningError) -> (version: String?, components: [ReleaseComponent]) {
        struct ImageStream: Decodable {
            struct Metadata: Decodable { var name: String? }
            struct Spec: Decodable { var tags: [Tag]? }
            struct Tag: Decodable {
                struct From: Decodable { var kind: String?; var name: String? }
                var name: String?
                var from: From?
            }
            var kind: String?
            var metadata: Metadata?
            var spec: Spec?
        }
        let stream: ImageStream
        do {
            stream = try JSONDecoder().decode(ImageStream.self, from: data)
        } catch {
            throw PlanningError("\(payload): release-manifests/image-references is not an ImageStream in JSON: \(error)")
        }
        guard stream.kind == "ImageStream" else {
            throw PlanningError("\(payload): release-manifests/image-references has kind \(stream.kind ?? "none"), expected ImageStream")
        }
        var components: [ReleaseComponent] = []
        var problems: [String] = []
        for (index, tag) in (stream.spec?.tags ?? []).enumerated() {
            guard let name = tag.name, !name.isEmpty else {
                problems.append("spec.tags[\(index)] has no name")
                continue
            }
            guard tag.from?.kind == "DockerImage", let text = tag.from?.name else {
                problems.append("spec.tags[\(index)] (\(name)) does not name a DockerImage")
                continue
            }
            do {
                let image = try ImageReference(parsing: text)
                guard image.digest != nil else {
                    problems.append("spec.tags[\(index)] (\(name)): \(text) is not pinned by digest")
                    continue
                }
                components.append(ReleaseComponent(name: name, image: image))
            } catch {
                problems.append("spec.tags[\(index)] (\(name)): \(error.message)")
            }
        }
        if !problems.isEmpty {
            throw PlanningError("\(payload): release-manifests/image-references: " + problems.joined(separator: "; "))
        }
        guard !components.isEmpty else {
            throw PlanningError("\(payload): release-manifests/image-references lists no component images")
        }
        return (stream.metadata?.name, components)
    }
}
