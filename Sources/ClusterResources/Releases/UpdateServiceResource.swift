import OCI

/// `updateService.yaml` (spec §6.4), written when `graph: true`: an OpenShift Update Service that
/// serves the mirrored graph-data image and finds payloads in the mirrored release repository.
public enum UpdateServiceResource {
    public static let fileName = "updateService.yaml"

    /// - Parameters:
    ///   - graphImage: where the graph-data image landed (`R/openshift/graph-image:latest`).
    ///   - releases: the repository of the mirrored payloads (`R/openshift/release-images`).
    public static func file(graphImage: ImageReference, releases: RepositoryName,
                            createdBy: String = "ferry") throws(ClusterResourcesError) -> ClusterResourceFile {
        let object = YAMLNode.mapping([
            "apiVersion": .string("updateservice.operator.openshift.io/v1"),
            "kind": .string("UpdateService"),
            "metadata": .mapping([
                "annotations": .mapping(["createdBy": .string(createdBy)]),
                "name": .string("update-service-oc-mirror"),
                "namespace": .string("openshift-update-service"),
            ]),
            "spec": .mapping([
                "graphDataImage": .string(graphImage.description),
                "releases": .string(releases.description),
                "replicas": .integer(2),
            ]),
        ])
        return ClusterResourceFile(name: fileName, contents: try YAMLWriter.write([object], startMarkers: false))
    }
}
