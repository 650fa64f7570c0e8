/// A bundle's `metadata/annotations.yaml` and the image labels that repeat it, as `operator-sdk
/// bundle` and Red Hat's bundle builds write them (registry+v1 format).
enum BundleAnnotationsFile {
    static let path = "metadata/annotations.yaml"
    static let packageKey = "operators.operatorframework.io.bundle.package.v1"
    static let channelsKey = "operators.operatorframework.io.bundle.channels.v1"
    static let defaultChannelKey = "operators.operatorframework.io.bundle.channel.default.v1"
    static let openShiftVersions = "v4.14-v4.19"

    /// The annotations of a bundle listed in `channels` of `package`.
    static func annotations(package: String, channels: [String], defaultChannel: String) -> [String: String] {
        [
            "com.redhat.openshift.versions": openShiftVersions,
            defaultChannelKey: defaultChannel,
            channelsKey: channels.joined(separator: ","),
            "operators.operatorframework.io.bundle.manifests.v1": "manifests/",
            "operators.operatorframework.io.bundle.mediatype.v1": "registry+v1",
            "operators.operatorframework.io.bundle.metadata.v1": "metadata/",
            packageKey: package,
        ]
    }

    /// The file: one `annotations:` map, keys sorted.
    static func render(_ annotations: [String: String]) -> String {
        "annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)\n" }.joined()
    }

    /// The image config labels: the annotations plus the ones Red Hat's bundle images carry.
    static func labels(_ annotations: [String: String], bundle: OperatorCatalogSet.Bundle) -> [String: String] {
        annotations.merging([
            "com.redhat.delivery.operator.bundle": "true",
            "name": bundle.repository,
            "version": "v\(bundle.version)",
        ]) { first, _ in first }
    }
}
