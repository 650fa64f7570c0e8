import Distribution
import Foundation
import ImageSet
import OCI

/// Reads a bundle image's ClusterServiceVersion and lists every image it would make a cluster
/// pull: containers and init containers of its deployments, `RELATED_IMAGE_*` environment values,
/// `spec.relatedImages` and the `containerImage` annotation. A catalog's `relatedImages` sometimes leaves some out; an operand
/// missed here is an ImagePullBackOff in the disconnected cluster, so the audit's findings are
/// mirrored too.
public struct OperandAudit: Sendable {
    public let client: RegistryClient
    public let scratchDirectory: URL

    public init(client: RegistryClient, scratchDirectory: URL) {
        self.client = client
        self.scratchDirectory = scratchDirectory
    }

    /// Changes whenever what the audit finds in a given bundle may change, so findings kept from
    /// an earlier run by an older audit are not reused.
    public static let version = 4   // 3: a CSV after another document of its file is read; 4: the last entry of a path in a layer wins

    /// One image the CSV names, and where.
    public struct Finding: Sendable, Hashable, Codable {
        public var image: String
        /// `deployment/<name>/container/<name>`, `deployment/<name>/env/RELATED_IMAGE_X`, `spec.relatedImages`, ...
        public var place: String
    }

    /// The images named by the CSV in `bundle` (its layers read top down; whiteouts honoured).
    public func images(in bundle: ImageReference) async throws -> [Finding] {
        let source = ImageSource.registry(client, bundle)
        let manifest = try await source.platformImage().manifest
        // The bundle format names its manifests directory in a label; every bundle seen so far says manifests/.
        let label = try await source.labels(of: manifest, scratch: scratchDirectory)[Self.manifestsLabel]
        // "./manifests/" names the same place as "manifests"; an empty label is no label.
        let named = (label ?? "").split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        let directory = named.isEmpty ? "manifests" : named
        guard CatalogImageReader.isSafe(directory) else {
            throw PlanningError("\(bundle): the \(Self.manifestsLabel) label \"\(label ?? "")\" is not a usable directory")
        }
        // The CSV of each manifest path seen (nil: that path holds no CSV), in the order the
        // paths first appeared; within a layer a later entry of a path replaces an earlier one.
        var csvs: [String: YAMLNode?] = [:]
        var order: [String] = []
        func first() -> YAMLNode? { order.lazy.compactMap { csvs[$0] ?? nil }.first }
        let layers = LayerStack(source: source, scratchDirectory: scratchDirectory)
        // Lower layers are read only while no upper one held a CSV.
        try await layers.forEachVisibleEntry(of: manifest, done: { _ in first() != nil }) { entry in
            let name = (entry.path as NSString).lastPathComponent
            guard entry.path.hasPrefix(directory + "/"),
                  name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") else { return true }
            if csvs[entry.path] == nil { order.append(entry.path) }
            guard entry.type == .file else {
                csvs[entry.path] = .some(nil)
                return true
            }
            let data = try entry.contents(limit: 32 << 20)
            csvs[entry.path] = .some(try Self.clusterServiceVersion(in: data, file: "\(bundle) \(entry.path)"))
            return true
        }
        guard let csv = first() else {
            throw PlanningError("\(bundle): no ClusterServiceVersion under /\(directory) in the bundle image")
        }
        return Self.findings(in: csv)
    }

    /// The bundle image label naming the directory of its manifests (`manifests/`).
    static let manifestsLabel = "operators.operatorframework.io.bundle.manifests.v1"

    /// Whether a manifest's `kind` is ClusterServiceVersion: a top-level `kind:` line in YAML, a
    /// `"kind": "ClusterServiceVersion"` member in JSON. A CRD or a description that merely
    /// mentions the word does not count.
    static func isClusterServiceVersion(_ data: Data) -> Bool {
        // The whole file: a CSV may follow a CRD of several hundred KiB.
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.contains(#/(?m)^kind:[ \t]*["']?ClusterServiceVersion["']?[ \t]*(#.*)?$/#)
            || text.contains(#/"kind"\s*:\s*"ClusterServiceVersion"/#)
    }

    /// The ClusterServiceVersion in a manifest file (YAML or JSON, which is YAML too), also when
    /// it is not the file's first document (a CRD, then `---`, then the CSV); nil when none is.
    static func clusterServiceVersion(in data: Data, file: String) throws -> YAMLNode? {
        guard isClusterServiceVersion(data) else { return nil }   // cheap: most files are CRDs
        return try YAMLReader.parseDocuments(String(decoding: data, as: UTF8.self), fileName: file)
            .first { $0.value(at: ["kind"])?.text == "ClusterServiceVersion" }
    }

    /// The images the CSV in a manifest file names; none when the file holds no CSV.
    static func findings(in data: Data, file: String) throws -> [Finding] {
        guard let root = try clusterServiceVersion(in: data, file: file) else { return [] }
        return findings(in: root)
    }

    /// The images a CSV names.
    static func findings(in root: YAMLNode) -> [Finding] {
        var found: [Finding] = []
        // The operator image, as OperatorHub shows it.
        if let image = root.value(at: ["metadata", "annotations", "containerImage"])?.text, !image.isEmpty {
            found.append(Finding(image: image, place: "metadata.annotations.containerImage"))
        }
        let spec = root.value(at: ["spec"])
        for deployment in spec?.value(at: ["install", "spec", "deployments"])?.items ?? [] {
            let deploymentName = deployment.value(at: ["name"])?.text ?? "?"
            let podSpec = deployment.value(at: ["spec", "template", "spec"])
            for kind in ["initContainers", "containers"] {
                for container in podSpec?.value(at: [kind])?.items ?? [] {
                    let containerName = container.value(at: ["name"])?.text ?? "?"
                    if let image = container.value(at: ["image"])?.text {
                        found.append(Finding(image: image, place: "deployment/\(deploymentName)/\(kind)/\(containerName)"))
                    }
                    for variable in container.value(at: ["env"])?.items ?? [] {
                        guard let name = variable.value(at: ["name"])?.text, name.hasPrefix("RELATED_IMAGE_"),
                              let value = variable.value(at: ["value"])?.text, !value.isEmpty else { continue }
                        found.append(Finding(image: value, place: "deployment/\(deploymentName)/\(containerName)/env/\(name)"))
                    }
                }
            }
        }
        for related in spec?.value(at: ["relatedImages"])?.items ?? [] {
            if let image = related.value(at: ["image"])?.text {
                found.append(Finding(image: image, place: "spec.relatedImages/\(related.value(at: ["name"])?.text ?? "")"))
            }
        }
        var seen = Set<Finding>()
        return found.filter { seen.insert($0).inserted }
    }
}
