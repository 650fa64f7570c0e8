import Copying
import Distribution
import Foundation
import OCI
import Planning
import Transport

extension MirrorToMirror {
    /// Pushes every filtered catalog, rebuilt (spec §5.5), and every `oci://` catalog, to its
    /// destination tag — after its bundles and operands, so a cluster never sees a catalog naming
    /// what is not there yet. A catalog whose tag already names the image it would push is left
    /// alone (a re-run pushes nothing). A failure is an operator failure (exit bit 4).
    /// - Parameters:
    ///   - failedByEntry: images of this run that did not land, by configuration entry.
    ///   - placements: where blobs are at the destination (the last run's record, this run's
    ///     copies): a base layer one of them holds is mounted, not uploaded.
    /// - Returns: the catalogs that landed, and a copy report of them (their images, blobs and
    ///   manifests) for the run's figures.
    func pushBuiltCatalogs(failedByEntry: [String: Int], placements: BlobPlacements,
                           into outcome: inout MirrorOutcome) async -> (landed: [LandedImage], report: CopyReport) {
        var landed: [LandedImage] = []
        var report = CopyReport()
        let started = ContinuousClock.now
        let tally = BuildTally()
        for index in outcome.catalogs.indices where outcome.catalogs[index].isBuiltByFerry {
            var catalog = outcome.catalogs[index]
            if holdBack(catalog: catalog.destination, of: catalog.entry.mark.description, failedByEntry, into: &outcome) { continue }
            do {
                let destination = destinations.client(for: catalog.destination.repository.registry)
                // Built before anything is pushed: the digest tells whether the destination tag
                // holds this image already.
                let built = try await build(catalog, on: destination, tally: tally, placements: placements)
                let (root, children) = (built.root, built.children)
                catalog = catalog.built(as: root.digest)
                outcome.catalogs[index] = catalog
                let inPlace = try await destination.manifestDigest(catalog.destination) == root.digest
                if inPlace {
                    log("catalog \(catalog.destination) already holds \(catalog.filtered != nil ? "the rebuilt catalog" : "the layout's image") (\(root.digest))")
                    outcome.alreadyMirroredByOrigin[.operatorCatalog, default: 0] += 1
                } else {
                    try await built.push(catalog.destination)
                    log(catalog.filtered != nil ? "catalog \(catalog.destination) rebuilt with the filtered catalog (\(root.digest))"
                        : "catalog \(catalog.destination) pushed from \(catalog.collected.sourceName) as it is (\(root.digest))")
                }
                outcome.landedByOrigin[.operatorCatalog, default: 0] += 1
                // Its blobs go into the run record, as mount sources for later runs.
                let blobs = Set((children + [root]).flatMap(\.blobs).filter { !$0.mediaType.isNonDistributable }.map(\.digest.description))
                landed.append(LandedImage(image: catalog.collected, digest: root.digest, blobs: blobs.sorted()))
                report.images.append(ImageOutcome(source: catalog.collected.source.description, destination: catalog.destination.description,
                                                  status: inPlace ? .skipped : .copied, digest: root.digest.description,
                                                  blobs: blobs.sorted()))
            } catch {
                outcome.collectionFailures.append("\(catalog.entry.mark): catalog \(catalog.collected.sourceName): "
                    + "\(catalog.filtered != nil ? "rebuild" : "push"): \(error)")
                outcome.failedByOrigin[.operatorCatalog, default: 0] += 1
            }
        }
        let counts = tally.current
        report.blobsUploaded = counts.blobsUploaded
        report.bytesUploaded = counts.bytesUploaded
        report.blobsMounted = counts.blobsMounted
        report.bytesMounted = counts.bytesMounted
        report.blobsSkipped = counts.blobsPresent
        report.bytesSkipped = counts.bytesPresent
        report.manifestsPushed = counts.manifestsPushed
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (landed, report)
    }

    /// Whether a catalog must stay out of the mirror because some of its bundle or operand images
    /// did not land (it would offer bundles the mirror lacks); the failure is recorded.
    func holdBack(catalog destination: ImageReference, of entry: String, _ failedByEntry: [String: Int],
                  into outcome: inout MirrorOutcome) -> Bool {
        guard let count = failedByEntry[entry], count > 0 else { return false }
        outcome.collectionFailures.append("\(entry): catalog \(destination) not pushed: \(count) of its bundle or operand "
            + "images did not land; run again once they can")
        outcome.failedByOrigin[.operatorCatalog, default: 0] += 1
        return true
    }

    /// Destination → `targetCatalogSourceTemplate` of each catalog that has one.
    func catalogTemplates(_ outcome: MirrorOutcome) -> [String: String] {
        var templates: [String: String] = [:]
        for catalog in outcome.catalogs {
            if let path = catalog.entry.targetCatalogSourceTemplate { templates[catalog.destination.description] = path }
        }
        return templates
    }

    /// The dry-run's view of the catalogs Ferry pushes itself (filtered ones, `oci://` ones): each
    /// built without pushing (same bytes as the real run), compared with what its destination
    /// tag holds, and every blob the image names asked for at the destination.
    /// - Parameters:
    ///   - planned: where this run's copies will put blobs; a blob planned elsewhere is a mount.
    ///   - hints: where the last run put blobs; a mount once a HEAD confirms the blob is there
    ///     (the real run tries the same repository and uploads when the mount is refused).
    ///   - catalogs: their destinations are settled by the build (`Catalog.built(as:)`).
    func planBuiltCatalogs(_ catalogs: inout [CatalogCollector.Catalog], planned: BlobLocations,
                           hints: BlobLocations) async -> ([ResolvedImage], [PlannedBlob]) {
        var images: [ResolvedImage] = []
        var blobs: [PlannedBlob] = []
        var planned = planned
        for index in catalogs.indices where catalogs[index].isBuiltByFerry {
            var catalog = catalogs[index]
            do {
                let destination = destinations.client(for: catalog.destination.repository.registry)
                let built = try await build(catalog, on: destination)
                let (root, children) = (built.root, built.children)
                catalog = catalog.built(as: root.digest)
                catalogs[index] = catalog
                if try await destination.manifestDigest(catalog.destination) == root.digest {
                    images.append(ResolvedImage(image: catalog.collected, status: .mirrored, digest: root.digest))
                    continue
                }
                let documents = children + [root]
                var seen = Set<Digest>()
                let registry = destination.registry
                let repository = catalog.destination.repository.path
                for blob in documents.flatMap(\.blobs) where !blob.mediaType.isNonDistributable && seen.insert(blob.digest).inserted {
                    let action: PlannedBlob.Action
                    if try await destination.blobExists(blob.digest, in: repository) {
                        action = .present
                    } else if !planned.repositories(holding: blob.digest, registry: registry, excluding: repository).isEmpty {
                        action = .mount
                    } else if let hinted = hints.repositories(holding: blob.digest, registry: registry, excluding: repository).first,
                              (try? await destination.blobExists(blob.digest, in: hinted)) == true {
                        action = .mount
                    } else {
                        action = .upload
                    }
                    planned.add(blob.digest, registry: registry, repository: repository)
                    blobs.append(PlannedBlob(digest: blob.digest, size: blob.size, repository: catalog.destination.repository,
                                             action: action))
                }
                images.append(ResolvedImage(image: catalog.collected, status: .missing, digest: root.digest, manifests: documents.map {
                    PlannedManifest(digest: $0.digest, mediaType: $0.mediaType, size: Int64($0.bytes.count), platform: nil, blobs: $0.blobs)
                }))
            } catch {
                images.append(ResolvedImage(image: catalog.collected, status: .failed,
                                            error: "\(catalog.filtered != nil ? "rebuild plan" : "read"): \(error)"))
            }
        }
        return (images, blobs)
    }

    /// A catalog Ferry pushes itself, built and not yet pushed: its manifests, and how to push them.
    struct BuiltCatalog {
        var root: ManifestDocument
        var children: [ManifestDocument]
        /// Pushes the catalog to a tag (its final destination: a digest-only catalog's tag is
        /// known only once it is built).
        var push: (ImageReference) async throws -> Void
    }

    /// A catalog Ferry pushes itself: rebuilt around its filtered catalog, or its layout image as
    /// it is. Nothing is written until `push` (the dry-run never calls it).
    private func build(_ catalog: CatalogCollector.Catalog, on destination: RegistryClient,
                       tally: BuildTally? = nil, placements: BlobPlacements? = nil) async throws -> BuiltCatalog {
        if let filtered = catalog.filtered {
            let rebuilder = CatalogRebuilder(destination: destination,
                                             scratchDirectory: options.workspace.url("operator-catalogs/.scratch"),
                                             placements: placements, tally: tally)
            let rebuilt = try await rebuilder.build(catalog.image, filteredCatalog: filtered, configsPath: catalog.configsPath)
            return BuiltCatalog(root: rebuilt.root, children: rebuilt.children) { try await rebuilder.push(rebuilt, to: $0) }
        }
        let uploader = ImageUploader(destination: destination, placements: placements, tally: tally)
        let (root, children) = try await uploader.manifests(of: catalog.image)
        return BuiltCatalog(root: root, children: children) {
            try await uploader.upload(catalog.image, root: root, children: children, to: $0)
        }
    }
}
