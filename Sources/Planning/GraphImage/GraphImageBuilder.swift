import Distribution
import Foundation
import OCI
import Transport

/// Builds and pushes the graph-data image (spec §4.7) that an OpenShift Update Service in the
/// disconnected cluster serves its graph from: the update service's graph-data tarball as one
/// layer on top of a base image, with the command that copies it into place.
public struct GraphImageBuilder: Sendable {
    /// Red Hat's graph data (oc-mirror's fixed URL).
    public static let defaultGraphDataURL = "https://api.openshift.com/api/upgrades_info/graph-data"
    /// oc-mirror's base image.
    public static let defaultBaseImage = "registry.access.redhat.com/ubi9/ubi:latest"
    static let command = ["/bin/bash", "-c", "exec cp -rp /var/lib/cincinnati-graph-data/* /var/lib/cincinnati/graph-data"]

    public var graphDataURL: String
    public var tls: TLSSettings
    public var baseImage: ImageReference
    public var scratchDirectory: URL

    public init(graphDataURL: String? = nil, tls: TLSSettings = TLSSettings(), baseImage: ImageReference, scratchDirectory: URL) {
        self.graphDataURL = graphDataURL ?? Self.defaultGraphDataURL
        self.tls = tls
        self.baseImage = baseImage
        self.scratchDirectory = scratchDirectory
    }

    /// Downloads the graph data, builds the image on `baseImage` (read through `source`, its
    /// blobs copied or mounted into the target repository) and pushes it to `target`.
    /// - Returns: the pushed manifest's digest.
    public func build(source: RegistryClient, destination: RegistryClient, target: ImageReference) async throws -> Digest {
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        let tarball = scratchDirectory.appendingPathComponent("graph-data.tar.gz")
        defer { try? FileManager.default.removeItem(at: tarball) }
        var request = HTTPRequest(.get, graphDataURL, tls: tls)
        request.responseFile = tarball.path
        let response = try await CurlEngine.shared.perform(request)
        guard response.isSuccess else {
            throw PlanningError("\(graphDataURL): the update service answered HTTP \(response.status) for the graph data"
                + "\n  hint: check --graph-data-url and the proxy settings")
        }
        let layer = try GraphDataLayer.make(graphData: tarball)

        // The base image: one manifest (linux/amd64 out of an index).
        let baseSource = ImageSource.registry(source, baseImage)
        let (base, manifest) = try await baseSource.platformImage()
        let appender = ImageAppender(source: baseSource, destination: destination,
                                     repository: target.repository.path, scratchDirectory: scratchDirectory)
        let image = try await appender.assemble([layer], to: manifest, baseMediaType: base.mediaType,
                                                comment: "graph data in /var/lib/cincinnati-graph-data") { settings in
            settings["Cmd"] = Self.command
            settings["Entrypoint"] = nil
        }
        try await appender.push(image, manifestByDigest: false)
        try await destination.pushManifest(image.document, to: target)
        return image.document.digest
    }
}
