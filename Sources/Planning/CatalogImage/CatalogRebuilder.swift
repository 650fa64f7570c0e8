import Distribution
import Foundation
import OCI
import Transport

/// Rebuilds a catalog image around a filtered file-based catalog (spec §5.5), for every platform
/// of the original: the original layers, a whiteout of the catalog directory, a layer with the
/// filtered catalog, `Cmd ["serve", "/<configs>"]` and the configs label. The new layers are
/// deterministic, so the same filter on the same catalog gives the same digest: a re-run that
/// `plan`s first finds the rebuilt catalog in place and need not push anything.
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

    /// Pushes the rebuilt catalog to `target` (a tag), every platform of `catalog`.
    /// - Returns: the manifests pushed; `root` is what `target` now names (the index, or the single manifest).
    @discardableResult
    public func rebuild(_ catalog: ImageSource, filteredCatalog directory: URL, configsPath: String,
                        target: ImageReference) async throws -> (root: ManifestDocument, children: [ManifestDocument]) {
        try await build(catalog, filteredCatalog: directory, configsPath: configsPath, target: target, push: true)
    }

    /// What a rebuild would push, without pushing: the manifests (children first, the root
    /// last) with their digests, for a dry-run.
    public func plan(_ catalog: ImageSource, filteredCatalog directory: URL, configsPath: String,
                     target: ImageReference) async throws -> (root: ManifestDocument, children: [ManifestDocument]) {
        try await build(catalog, filteredCatalog: directory, configsPath: configsPath, target: target, push: false)
    }

    private func build(_ catalog: ImageSource, filteredCatalog directory: URL, configsPath: String,
                       target: ImageReference, push: Bool) async throws -> (root: ManifestDocument, children: [ManifestDocument]) {
        let layers = try Self.layers(filteredCatalog: directory, configsPath: configsPath)
        let root = try await catalog.rootManifest()
        let appender = ImageAppender(source: catalog, destination: destination, repository: target.repository.path,
                                     scratchDirectory: scratchDirectory, progress: progress, placements: placements,
                                     tally: tally)
        let configs = "/" + CatalogImageReader.normalized(configsPath)
        // A platform manifest is pushed by digest; a single-manifest catalog only under the target tag.
        func rebuilt(_ document: ManifestDocument, isRoot: Bool) async throws -> ManifestDocument {
            guard let manifest = document.image else { throw PlanningError("\(catalog): a platform entry is not an image manifest") }
            return try await appender.append(layers, to: manifest, baseMediaType: document.mediaType,
                                             comment: "filtered file-based catalog", push: push, pushManifest: !isRoot) { settings in
                var labels = settings["Labels"] as? [String: Any] ?? [:]
                labels[CatalogImageReader.configsLabel] = configs
                settings["Labels"] = labels
                settings["Cmd"] = ["serve", configs]
                settings["Entrypoint"] = ["/bin/opm"]
            }
        }
        let pushed: ManifestDocument
        var documents: [ManifestDocument] = []
        if let index = root.index {
            var children: [Descriptor] = []
            for child in index.manifests {
                let original = try await catalog.manifest(child.digest)
                let document = try await rebuilt(original, isRoot: false)
                documents.append(document)
                var descriptor = document.descriptor
                descriptor.platform = child.platform
                descriptor.annotations = child.annotations
                children.append(descriptor)
            }
            var newIndex = index
            newIndex.manifests = children
            pushed = try ManifestDocument(encoding: .index(newIndex))
        } else {
            pushed = try await rebuilt(root, isRoot: true)
        }
        if push {
            try await destination.pushManifest(pushed, to: target)
            tally?.pushedManifest()
        }
        return (pushed, documents)
    }
}
