import Distribution
import Foundation
import OCI
import Transport

/// Rebuilds a catalog image around a filtered file-based catalog (spec §5.5), for every platform
/// of the original: the original layers, a whiteout of the catalog directory, a layer with the
/// filtered catalog, `Cmd ["serve", "/<configs>"]` and the configs label. The new layers are
/// deterministic, so the same filter on the same catalog gives the same digest: a re-run that
/// `build`s first finds the rebuilt catalog in place and need not push anything.
public struct CatalogRebuilder: Sendable {
    public var destination: RegistryClient
    public var scratchDirectory: URL
    /// Counts the bytes sent to the destination (base layers it lacked, the new layers and configs).
    public var progress: ByteCounter?
    /// Where blobs are at the destination: base layers another repository holds are mounted.
    public var placements: BlobPlacements?
    /// Counts what was uploaded, mounted, found in place, and the manifests pushed.
    public var tally: BuildTally?

    public init(destination: RegistryClient, scratchDirectory: URL, progress: ByteCounter? = nil,
                placements: BlobPlacements? = nil, tally: BuildTally? = nil) {
        self.destination = destination
        self.scratchDirectory = scratchDirectory
        self.progress = progress
        self.placements = placements
        self.tally = tally
    }

    /// The layers a rebuild adds, from the filtered catalog directory (`<package>/catalog.json`…).
    public static func layers(filteredCatalog directory: URL, configsPath: String) throws -> [DeterministicLayer] {
        var files: [(String, Data)] = []
        var directories = Set<String>()
        let prefix = CatalogImageReader.normalized(configsPath)
        var parent = ""
        for part in prefix.split(separator: "/") {
            parent = parent.isEmpty ? String(part) : "\(parent)/\(part)"
            directories.insert(parent)
        }
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey]) else {
            throw PlanningError("cannot read the filtered catalog in \(directory.path)")
        }
        let base = directory.standardizedFileURL.path
        for case let url as URL in walker {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values.isDirectory == true {
                directories.insert("\(prefix)/\(relative)")
            } else if values.isRegularFile == true {
                files.append(("\(prefix)/\(relative)", try Data(contentsOf: url)))
            }
        }
        guard !files.isEmpty else { throw PlanningError("the filtered catalog in \(directory.path) is empty") }
        return [try DeterministicLayer(directories: [], files: [], whiteouts: [prefix]),
                try DeterministicLayer(directories: directories.sorted(), files: files)]
    }

    /// A rebuilt catalog, made and not yet pushed: `root` is what the target tag will name (the
    /// index, or the single manifest), `children` the platform manifests of an index.
    public struct Rebuilt: Sendable {
        public var root: ManifestDocument
        public var children: [ManifestDocument]
        fileprivate var source: ImageSource
        /// Each platform's image (or the single one), in `children`'s order.
        fileprivate var images: [ImageAppender.Assembled]
    }

    /// Makes the rebuilt catalog, every platform of `catalog`, without writing anything: a
    /// dry-run learns its digests, a run whether the target holds it already, before `push`.
    public func build(_ catalog: ImageSource, filteredCatalog directory: URL, configsPath: String) async throws -> Rebuilt {
        let layers = try Self.layers(filteredCatalog: directory, configsPath: configsPath)
        let root = try await catalog.rootManifest()
        let appender = appender(for: catalog, repository: "")   // assembling writes nothing, to no repository
        let configs = "/" + CatalogImageReader.normalized(configsPath)
        func rebuilt(_ document: ManifestDocument) async throws -> ImageAppender.Assembled {
            guard let manifest = document.image else { throw PlanningError("\(catalog): a platform entry is not an image manifest") }
            return try await appender.assemble(layers, to: manifest, baseMediaType: document.mediaType,
                                               comment: "filtered file-based catalog") { settings in
                var labels = settings["Labels"] as? [String: Any] ?? [:]
                labels[CatalogImageReader.configsLabel] = configs
                settings["Labels"] = labels
                settings["Cmd"] = ["serve", configs]
                settings["Entrypoint"] = ["/bin/opm"]
            }
        }
        guard let index = root.index else {
            let image = try await rebuilt(root)
            return Rebuilt(root: image.document, children: [], source: catalog, images: [image])
        }
        var images: [ImageAppender.Assembled] = []
        var children: [Descriptor] = []
        for child in index.manifests {
            let image = try await rebuilt(try await catalog.manifest(child.digest))
            images.append(image)
            var descriptor = image.document.descriptor
            descriptor.platform = child.platform
            descriptor.annotations = child.annotations
            children.append(descriptor)
        }
        var newIndex = index
        newIndex.manifests = children
        return Rebuilt(root: try ManifestDocument(encoding: .index(newIndex)), children: images.map(\.document),
                       source: catalog, images: images)
    }

    /// Pushes a rebuilt catalog to `target` (a tag): each platform's blobs and manifest (by
    /// digest), then the root under the tag (a single-manifest catalog is PUT only there).
    public func push(_ rebuilt: Rebuilt, to target: ImageReference) async throws {
        let appender = appender(for: rebuilt.source, repository: target.repository.path)
        for image in rebuilt.images {
            try await appender.push(image, manifestByDigest: !rebuilt.children.isEmpty)
        }
        try await destination.pushManifest(rebuilt.root, to: target)
        tally?.pushedManifest()
    }

    private func appender(for catalog: ImageSource, repository: String) -> ImageAppender {
        ImageAppender(source: catalog, destination: destination, repository: repository, scratchDirectory: scratchDirectory,
                      progress: progress, placements: placements, tally: tally)
    }
}
