import Distribution
import Foundation
import OCI
import Planning

extension MirrorToMirror {
    /// Pushes every filtered catalog, rebuilt (spec §5.5), to its destination tag — after its
    /// bundles and operands, so a cluster never sees a catalog naming what is not there yet.
    /// A failure is an operator failure (exit bit 4).
    /// - Parameter failed: images of this run that did not land; a catalog one of whose images
    ///   is among them is not pushed (it would offer bundles the mirror lacks).
    func rebuildCatalogs(failed: [CollectedImage], into outcome: inout MirrorOutcome) async -> [LandedImage] {
        var landed: [LandedImage] = []
        let sources = RegistryClientPool(settings: options.copy.source, credentials: options.copy.credentials)
        let destinations = RegistryClientPool(settings: options.copy.destination, credentials: options.copy.credentials)
        for catalog in outcome.catalogs {
            guard let filtered = catalog.filtered else { continue }
            let missing = failed.filter { $0.requestedAt == catalog.entry.mark.description && $0.origin != .operatorCatalog }
            if !missing.isEmpty {
                outcome.collectionFailures.append("\(catalog.entry.mark): catalog \(catalog.destination) not pushed: "
                    + "\(missing.count) of its bundle or operand images did not land; run again once they can")
                outcome.failedByOrigin[.operatorCatalog, default: 0] += 1
                continue
            }
            do {
                let rebuilder = CatalogRebuilder(source: sources.client(for: catalog.source.repository.registry),
                                                 destination: destinations.client(for: catalog.destination.repository.registry),
                                                 scratchDirectory: options.workspace.url("operator-catalogs/.scratch"))
                let digest = try await rebuilder.rebuild(catalog.source, filteredCatalog: filtered, configsPath: catalog.configsPath,
                                                         target: catalog.destination)
                log("catalog \(catalog.destination) rebuilt with the filtered catalog (\(digest))")
                outcome.landedByOrigin[.operatorCatalog, default: 0] += 1
                landed.append(LandedImage(image: CollectedImage(source: catalog.source, destination: catalog.destination,
                                                                origin: .operatorCatalog), digest: digest))
            } catch {
                outcome.collectionFailures.append("\(catalog.entry.mark): catalog \(catalog.source): rebuild: \(error)")
                outcome.failedByOrigin[.operatorCatalog, default: 0] += 1
            }
        }
        return landed
    }

    /// Destination → `targetCatalogSourceTemplate` of each catalog that has one.
    func catalogTemplates(_ outcome: MirrorOutcome) -> [String: String] {
        var templates: [String: String] = [:]
        for catalog in outcome.catalogs {
            if let path = catalog.entry.targetCatalogSourceTemplate { templates[catalog.destination.description] = path }
        }
        return templates
    }

    /// The dry-run's view of the filtered catalogs: each rebuilt without pushing (same bytes as
    /// the real run), compared with what its destination tag holds, and every blob the rebuilt
    /// image names asked for at the destination.
    func planRebuiltCatalogs(_ catalogs: [CatalogCollector.Catalog]) async -> ([ResolvedImage], [PlannedBlob]) {
        var images: [ResolvedImage] = []
        var blobs: [PlannedBlob] = []
        let sources = RegistryClientPool(settings: options.copy.source, credentials: options.copy.credentials)
        let destinations = RegistryClientPool(settings: options.copy.destination, credentials: options.copy.credentials)
        for catalog in catalogs {
            guard let filtered = catalog.filtered else { continue }
            let collected = CollectedImage(source: catalog.source, destination: catalog.destination, origin: .operatorCatalog,
                                           requestedAt: catalog.entry.mark.description)
            do {
                let destination = destinations.client(for: catalog.destination.repository.registry)
                let rebuilder = CatalogRebuilder(source: sources.client(for: catalog.source.repository.registry),
                                                 destination: destination,
                                                 scratchDirectory: options.workspace.url("operator-catalogs/.scratch"))
                let (root, children) = try await rebuilder.plan(catalog.source, filteredCatalog: filtered,
                                                                configsPath: catalog.configsPath, target: catalog.destination)
                if try await destination.manifestDigest(catalog.destination) == root.digest {
                    images.append(ResolvedImage(image: collected, status: .mirrored, digest: root.digest))
                    continue
                }
                let documents = children + [root]
                var seen = Set<Digest>()
                for blob in documents.flatMap(\.blobs) where seen.insert(blob.digest).inserted {
                    let present = try await destination.blobExists(blob.digest, in: catalog.destination.repository.path)
                    blobs.append(PlannedBlob(digest: blob.digest, size: blob.size, repository: catalog.destination.repository,
                                             action: present ? .present : .upload))
                }
                images.append(ResolvedImage(image: collected, status: .missing, digest: root.digest, manifests: documents.map {
                    PlannedManifest(digest: $0.digest, mediaType: $0.mediaType, size: Int64($0.bytes.count), platform: nil, blobs: $0.blobs)
                }))
            } catch {
                images.append(ResolvedImage(image: collected, status: .failed, error: "rebuild plan: \(error)"))
            }
        }
        return (images, blobs)
    }
}
