import Foundation

/// The files of a payload's `release-manifests/` directory, as `oc adm release new` lays them out
/// (spec §4.4, §4.5): `image-references`, `release-metadata`, the CoreOS boot-images ConfigMap,
/// and a couple of ordinary manifests for company.
enum ReleaseManifestFiles {
    static let directory = "release-manifests"
    static let imageReferences = "release-manifests/image-references"
    static let releaseMetadata = "release-manifests/release-metadata"
    static let bootImages = "release-manifests/0000_50_installer_coreos-bootimages.yaml"
    static let namespace = "release-manifests/0000_00_cluster-version-operator_00_namespace.yaml"
    /// Present in the lower manifests layer and deleted by a whiteout in the top one.
    static let obsolete = "release-manifests/0000_90_lab_obsolete-dashboard_configmap.yaml"

    /// `image-references`: an `image.openshift.io/v1` ImageStream named after the release whose
    /// `spec.tags` name each component image by digest.
    static func imageReferences(version: String, components: [String: String]) throws -> Data {
        let tags: [[String: Any]] = components.keys.sorted().map { name in
            [
                "name": name,
                "annotations": ["io.openshift.build.source-location": "https://github.com/openshift/\(name)"],
                "from": ["kind": "DockerImage", "name": components[name]!],
                "generation": NSNull(),
                "importPolicy": [String: Any](),
                "referencePolicy": ["type": ""],
            ]
        }
        return try json([
            "kind": "ImageStream",
            "apiVersion": "image.openshift.io/v1",
            "metadata": [
                "name": version,
                "creationTimestamp": NSNull(),
                "annotations": ["release.openshift.io/from-image-stream": "ocp/\(version)-art-latest"],
            ],
            "spec": ["lookupPolicy": ["local": false], "tags": tags],
            "status": ["dockerImageRepository": ""],
        ])
    }

    /// `release-metadata`: what Cincinnati's graph builder reads (versions that update to this one).
    static func releaseMetadata(version: String, previous: [String], errataURL: String) throws -> Data {
        try json([
            "kind": "cincinnati-metadata-v0",
            "version": version,
            "previous": previous,
            "metadata": ["url": errataURL],
        ])
    }

    /// The `coreos-bootimages` ConfigMap. `data.stream` is CoreOS stream metadata in JSON whose
    /// `architectures.<arch>.images.kubevirt.digest-ref` names the KubeVirt container disk image.
    /// - Parameter kubevirt: CoreOS architecture (`x86_64`, …) → image repository and digest reference.
    static func bootImages(version: String, coreOSBuild: String, minor: String,
                           kubevirt: [String: (image: String, digestReference: String)]) throws -> Data {
        var architectures: [String: Any] = [:]
        for (architecture, image) in kubevirt {
            architectures[architecture] = [
                "artifacts": [
                    "qemu": [
                        "release": coreOSBuild,
                        "formats": ["qcow2.gz": ["disk": [
                            "location": "https://rhcos.mirror.openshift.com/art/storage/prod/streams/\(minor)-9.4/builds/"
                                + "\(coreOSBuild)/\(architecture)/rhcos-\(coreOSBuild)-qemu.\(architecture).qcow2.gz",
                        ]]],
                    ],
                ],
                "images": [
                    "kubevirt": ["release": coreOSBuild, "image": image.image, "digest-ref": image.digestReference],
                ],
            ]
        }
        let stream = try json([
            "stream": "rhcos-\(minor)",
            "metadata": ["last-modified": "2025-01-01T00:00:00Z", "generator": "plume cosa2stream 0.0.1"],
            "architectures": architectures,
        ])
        let indented = String(decoding: stream, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }
            .joined(separator: "\n")
        return Data("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: coreos-bootimages
              namespace: openshift-machine-config-operator
              annotations:
                include.release.openshift.io/ibm-cloud-managed: "true"
                include.release.openshift.io/self-managed-high-availability: "true"
                include.release.openshift.io/single-node-developer: "true"
            data:
              releaseVersion: "\(version)"
              stream: |
            \(indented)

            """.utf8)
    }

    static let namespaceManifest = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: openshift-cluster-version
          annotations:
            include.release.openshift.io/self-managed-high-availability: "true"
            openshift.io/node-selector: ""

        """

    static let obsoleteManifest = """
        # Removed from the release by the layer above (a whiteout); a reader that still sees this
        # file applied the payload's layers without honouring whiteouts.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: lab-obsolete-dashboard
          namespace: openshift-config-managed

        """

    /// Sorted keys, two-space indentation, unescaped slashes: the same input, the same bytes.
    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }
}
