import Distribution
import Foundation
import ImageSet
import OCI
import Planning
import Synchronization
import Workspace

/// `mirror.operators`: each catalog pinned to its digest, its file-based catalog extracted and
/// filtered, the kept bundles and their related images collected, and each bundle's CSV audited
/// for operands the catalog does not declare (spec §5; the audit is Ferry's).
struct CatalogCollector: Sendable {
    var naming: DestinationNaming
    var sources: RegistryClientPool
    var workspace: Workspace
    /// What one catalog extraction may write (`--max-extract-size`).
    var maxExtractBytes: Int64 = ExtractionBudget.defaultLimit
    /// Bundle images audited at once.
    var auditParallelism = 8

    /// A catalog to land at `destination`: as it is, or rebuilt from `filtered`.
    struct Catalog: Sendable {
        var entry: ImageSet.OperatorCatalog
        /// Where the catalog is read from, pinned to its digest.
        var image: ImageSource
        /// The catalog as mappings, logs and the run record name it (`sourceLayout` set for a layout).
        var collected: CollectedImage
        /// The filtered catalog directory, nil when the catalog is mirrored as it is.
        var filtered: URL?
        var configsPath: String

        var destination: ImageReference { collected.destination }
        /// Whether Ferry pushes it itself (rebuilt, or a layout even unchanged); a registry catalog
        /// mirrored as it is goes through the copier with everything else.
        var isBuiltByFerry: Bool { filtered != nil || collected.sourceLayout != nil }
        /// A registry catalog named by digest alone, rebuilt, without targetTag: tagged
        /// `sha256-<rebuilt digest>` as oc-mirror does (not with the digest of the original it no
        /// longer is), once the build has told the digest.
        var isTaggedByBuiltDigest: Bool {
            filtered != nil && collected.sourceLayout == nil && collected.source.tag == nil && entry.targetTag == nil
        }

        /// The catalog once built as `digest`: its destination tag settled.
        func built(as digest: Digest) -> Catalog {
            guard isTaggedByBuiltDigest else { return self }
            var catalog = self
            catalog.collected.destination = ImageReference(repository: destination.repository,
                                                           tag: "sha256-" + digest.encoded, digest: nil)
            return catalog
        }
    }

    struct Result: Sendable {
        var images: [CollectedImage] = []
        var catalogs: [Catalog] = []
        var failures: [String] = []
        /// Operands found only by the CSV audit: "catalog package bundle place image".
        var auditFindings: [String] = []
        /// The images of those findings (one image may be found in several bundles).
        var auditedImages: Set<String> = []
        /// Images that cannot be mirrored (no tag or digest...): "catalog package bundle image: why".
        var skipped: [String] = []
        var warnings: [String] = []
        /// Each filter's explanation (`filter-explain.txt`), headed by its catalog, for `--explain`.
        var explanations: [String] = []
        /// The bundles and packages that need each bundle and operand image (by source), so a
        /// failure names what it breaks.
        var uses: [String: OperatorUse] = [:]
    }

    func collect(_ entries: [ImageSet.OperatorCatalog]) async -> Result {
        var result = Result()
        for entry in entries {
            do {
                try await collect(entry, into: &result)
            } catch {
                result.failures.append("\(entry.mark): catalog \(entry.catalog): \(error)")
            }
        }
        // Each run's reports replace the last run's; with nothing to report, none is left behind.
        writeReport("operator-catalogs/operand-audit.txt", lines: result.auditFindings,
                    header: "# Operands named only in a bundle's ClusterServiceVersion (mirrored too)\n"
                        + "# catalog package bundle place image\n")
        writeReport("operator-catalogs/skipped-images.txt", lines: result.skipped,
                    header: "# Images named by kept bundles that cannot be mirrored (skipped)\n")
        return result
    }

    private func writeReport(_ path: String, lines: [String], header: String) {
        if lines.isEmpty {
            try? FileManager.default.removeItem(at: workspace.url(path))
        } else {
            try? workspace.write(header + lines.sorted().map { $0 + "\n" }.joined(), to: path)
        }
    }

    private func collect(_ entry: ImageSet.OperatorCatalog, into result: inout Result) async throws {
        let located = try await locate(entry)
        // Two catalogs pushed to one tag: the second would silently replace the first.
        if let earlier = result.catalogs.first(where: { $0.destination == located.collected.destination }) {
            throw PlanningError("lands at \(located.collected.destination), as the catalog at \(earlier.entry.mark) does"
                + "\n  hint: give one of them its own targetCatalog or targetTag")
        }
        let name = located.name
        let base = "operator-catalogs/\(name)/\(located.digest.encoded.prefix(16))"
        // The filter's own files, apart for each entry: two entries may filter one catalog differently.
        let filterBase = "\(base)/filter-\(Self.filterKey(entry))"

        let (extraction, catalog, repaired) = try await extractedCatalog(located, base: base)
        if let repaired { result.warnings.append("\(entry.mark): \(entry.catalog): \(repaired)") }
        result.warnings += extraction.notes.map { "\(entry.mark): \(entry.catalog): \($0)" }
        let filtered = try CatalogFilter(entry).apply(to: catalog)
        result.warnings += filtered.warnings.map { "\(entry.mark): \($0)" }
        if !filtered.isWholeCatalog && filtered.catalog.packages.isEmpty {
            // A catalog offering nothing is no use to a cluster, and most likely a typo.
            throw PlanningError("the filter keeps no package of this catalog, so there is nothing to mirror"
                + (filtered.warnings.isEmpty ? "" : " (\(filtered.warnings.joined(separator: "; ")))")
                + "\n  hint: check the package names in the configuration against the catalog")
        }
        let explanation = filtered.explanationText
        try workspace.write(explanation, to: "\(filterBase)/filter-explain.txt")
        result.explanations.append("\(entry.mark): catalog \(entry.catalog):\n\(explanation)")

        var filteredDirectory: URL?
        if filtered.isWholeCatalog {
            // A registry catalog goes through the copier with everything else; a layout is pushed
            // by Ferry after its bundles (pushBuiltCatalogs).
            if located.collected.sourceLayout == nil { result.images.append(located.collected) }
        } else {
            let directory = workspace.url("\(filterBase)/filtered-catalog")
            try? FileManager.default.removeItem(at: directory)
            try filtered.catalog.write(to: directory)
            filteredDirectory = directory
        }
        result.catalogs.append(Catalog(entry: entry, image: located.image, collected: located.collected,
                                       filtered: filteredDirectory, configsPath: extraction.configsPath))

        // Bundles and their related images; then the operand audit of each bundle (the bundle
        // images are read concurrently, the results taken in catalog order).
        let scratch = workspace.url("\(base)/.scratch")
        let bundles = filtered.keptBundles
        let audits = await audit(bundles.map(\.image), scratch: scratch)
        for bundle in bundles {
            var declared = Set<String>()
            var images: [(String, ImageOrigin)] = [(bundle.image, .operatorBundle)]
            for related in bundle.relatedImages where related.image != bundle.image {
                images.append((related.image, .operatorRelatedImage))
            }
            for (text, origin) in images {
                declared.insert(text)
                do {
                    try add(text, origin: origin, entry: entry, bundle: bundle.name, package: bundle.package, to: &result)
                } catch {
                    // Reported with its bundle and skipped; the rest of the catalog goes on.
                    result.skipped.append("\(name) \(bundle.package) \(bundle.name) \(text): \(error)")
                }
            }
            do {
                guard let audit = audits[bundle.image] else { throw PlanningError("the bundle image was not audited") }
                let findings = try audit.get()
                for finding in findings where !declared.contains(finding.image) {
                    declared.insert(finding.image)
                    result.auditFindings.append("\(name) \(bundle.package) \(bundle.name) \(finding.place) \(finding.image)")
                    result.auditedImages.insert(finding.image)
                    do {
                        try add(finding.image, origin: .operatorRelatedImage, entry: entry, bundle: bundle.name,
                                package: bundle.package, to: &result)
                    } catch {
                        result.skipped.append("\(name) \(bundle.package) \(bundle.name) \(finding.image) (\(finding.place)): \(error)")
                    }
                }
            } catch {
                result.warnings.append("\(entry.mark): \(bundle.package) bundle \(bundle.name): operand audit not done: \(error)")
            }
        }
    }

    /// A short name for what an entry keeps of its catalog (packages, channels, versions, `full`),
    /// the same for the same filter on every run.
    static func filterKey(_ entry: ImageSet.OperatorCatalog) -> String {
        var text = "full=\(entry.full)"
        for package in entry.packages {
            text += "\npackage=\(package.name) min=\(package.minVersion?.description ?? "") max=\(package.maxVersion?.description ?? "")"
                + " default=\(package.defaultChannel ?? "")"
            for channel in package.channels {
                text += "\n  channel=\(channel.name) min=\(channel.minVersion?.description ?? "") max=\(channel.maxVersion?.description ?? "")"
            }
        }
        return String(Digest.sha256(Data(text.utf8)).encoded.prefix(12))
    }

    /// The catalog's file-based catalog, from the workspace when an earlier run extracted this
    /// digest and the kept files are intact (``ExtractedCatalogCache``), else extracted from the
    /// image. A damaged kept extraction (or one that no longer loads) is discarded and extracted
    /// again; `repaired` then says so, for one warning.
    private func extractedCatalog(_ located: Located, base: String) async throws
        -> (record: ExtractedCatalogCache.Record, catalog: FileBasedCatalog, repaired: String?) {
        let cache = ExtractedCatalogCache(directory: workspace.url("\(base)/catalog-config"),
                                          recordPath: "\(base)/catalog-config.json", workspace: workspace)
        var damage: String?
        switch cache.lookup(located.digest) {
        case .kept(let record):
            do {
                return (record, try FileBasedCatalog.load(from: cache.directory), nil)
            } catch {
                damage = "it cannot be read as a catalog: \(error)"
            }
        case .damaged(let problem):
            damage = problem
        case .none:
            break
        }
        cache.discard()
        let said = damage.map { "the cached extraction of the catalog in \(cache.directory.path) was damaged (\($0))" }
        do {
            let extraction = try await extract(located, into: cache.directory)
            let catalog = try FileBasedCatalog.load(from: cache.directory)
            // Recorded only once it loads: a catalog kept in the workspace is one that loaded.
            let record = try cache.keep(catalogDigest: located.digest, configsPath: extraction.configsPath,
                                        files: extraction.files, notes: extraction.notes)
            return (record, catalog, said.map { "\($0); extracted again from \(located.image)" })
        } catch let error where said != nil {
            // The cache was at fault first: the error says so before what extracting again met.
            throw PlanningError("\(said ?? ""), and extracting it again from \(located.image) failed: \(error)")
        }
    }

    private func extract(_ located: Located, into directory: URL) async throws -> CatalogImageReader.Extracted {
        let reader = CatalogImageReader(scratchDirectory: directory.deletingLastPathComponent().appendingPathComponent(".scratch"),
                                        maxExtractBytes: maxExtractBytes)
        let extraction: CatalogImageReader.Extracted
        do {
            extraction = try await reader.extract(located.image, into: directory)
        } catch {
            // A refused (or failed) extraction leaves nothing behind in the workspace.
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return extraction
    }

    /// The operand audit of each bundle image, `auditParallelism` at a time.
    private func audit(_ bundles: [String], scratch: URL) async -> [String: Swift.Result<[OperandAudit.Finding], any Error>] {
        let sources = self.sources
        let workspace = self.workspace
        let results = Mutex<[String: Swift.Result<[OperandAudit.Finding], any Error>]>([:])
        // The body never throws: each bundle's failure is kept as its result.
        try? await forEachConcurrently(Array(Set(bundles)).sorted(), limit: auditParallelism) { image in
            let result: Swift.Result<[OperandAudit.Finding], any Error>
            do {
                let reference = try ImageReference(parsing: image)
                if let kept = Self.keptAudit(of: reference, in: workspace) {
                    result = .success(kept)
                } else {
                    let client = sources.client(for: reference.repository.registry)
                    let findings = try await OperandAudit(client: client, scratchDirectory: scratch).images(in: reference)
                    Self.keepAudit(findings, of: reference, in: workspace)
                    result = .success(findings)
                }
            } catch {
                result = .failure(error)
            }
            results.withLock { $0[image] = result }
        }
        return results.withLock { $0 }
    }

    /// A bundle's audit as an earlier run kept it: a bundle named by digest cannot change, so a
    /// re-run does not read its image again (catalogs keep hundreds of bundles). Keyed by the
    /// digest alone: the same image under another name has the same CSV. `bundle` is the name it
    /// was audited under, for a person reading the file.
    private struct AuditRecord: Codable {
        var auditVersion: Int
        var bundle: String
        var findings: [OperandAudit.Finding]
    }

    private static func auditRecordPath(_ reference: ImageReference) -> String? {
        guard let digest = reference.digest else { return nil }  // A tag may move: audited on every run.
        return "operator-catalogs/bundle-audits/" + digest.description.replacingOccurrences(of: ":", with: "-") + ".json"
    }

    private static func keptAudit(of reference: ImageReference, in workspace: Workspace) -> [OperandAudit.Finding]? {
        guard let path = auditRecordPath(reference),
              let data = FileManager.default.contents(atPath: workspace.url(path).path),
              let record = try? JSONDecoder().decode(AuditRecord.self, from: data),
              record.auditVersion == OperandAudit.version else { return nil }
        return record.findings
    }

    private static func keepAudit(_ findings: [OperandAudit.Finding], of reference: ImageReference, in workspace: Workspace) {
        guard let path = auditRecordPath(reference) else { return }
        // A record that cannot be written only means the next run audits this bundle again.
        try? workspace.write(Workspace.jsonFile(AuditRecord(auditVersion: OperandAudit.version,
                                                            bundle: reference.description, findings: findings)), to: path)
    }

    /// Where a catalog is read from and where it lands (spec §5.6).
    private struct Located {
        var image: ImageSource
        var digest: Digest
        /// The last path component, naming its directory under `operator-catalogs/`.
        var name: String
        var collected: CollectedImage
    }

    private func locate(_ entry: ImageSet.OperatorCatalog) async throws -> Located {
        switch entry.location {
        case .registry(let reference):
            let client = sources.client(for: reference.repository.registry)
            // Pin (spec §1.5): a tag can move while the run is under way.
            let digest: Digest
            if let pinned = reference.digest {
                digest = pinned
            } else {
                guard let found = try await client.manifestDigest(reference) else {
                    throw PlanningError("\(reference): catalog image not found")
                }
                digest = found
            }
            let pinned = reference.withDigest(digest)
            // Destination: targetCatalog / targetTag, else the source path and tag (sha256-<hex> by digest).
            let tagged = ImageReference(repository: reference.repository, tag: reference.tag, digest: reference.tag == nil ? digest : nil)
            let destination = try naming.destination(for: tagged, targetRepo: entry.targetCatalog, targetTag: entry.targetTag)
            let target = ImageReference(repository: destination.repository, tag: destination.tag, digest: nil)
            let name = reference.repository.path.split(separator: "/").last.map(String.init) ?? "catalog"
            let collected = CollectedImage(source: pinned, destination: target, origin: .operatorCatalog,
                                           platforms: entry.platforms.selection, requestedAt: entry.mark.description)
            return Located(image: .registry(client, pinned), digest: digest, name: name, collected: collected)
        case .ociLayout(let path):
            let (layout, tag) = try OCILayout.open(path)
            let digest = try layout.entry(tag: tag).digest
            // Spec §5.6: the repository is targetCatalog or the layout directory's name; the tag
            // targetTag or `latest`.
            let directory = layout.root.standardizedFileURL.lastPathComponent
            let repositoryPath = entry.targetCatalog ?? directory
            let target: ImageReference
            do {
                target = try naming.destination(path: repositoryPath, tag: entry.targetTag ?? "latest")
            } catch {
                throw PlanningError("oci://\(path): \"\(repositoryPath)\" cannot name a repository in the mirror (\(error))"
                    + "\n  hint: set targetCatalog to a lowercase repository path, e.g. targetCatalog: redhat/my-catalog")
            }
            let collected = CollectedImage(source: ImageReference(repository: target.repository, tag: nil, digest: digest),
                                           destination: target, origin: .operatorCatalog, platforms: entry.platforms.selection,
                                           requestedAt: entry.mark.description, sourceLayout: layout.root.path)
            return Located(image: .layout(layout, digest), digest: digest, name: directory, collected: collected)
        }
    }

    private func add(_ text: String, origin: ImageOrigin, entry: ImageSet.OperatorCatalog, bundle: String, package: String,
                     to result: inout Result) throws {
        let source = try ImageReference(parsing: text)
        result.images.append(CollectedImage(source: source, destination: try naming.destination(for: source), origin: origin,
                                            platforms: entry.platforms.selection, requestedAt: entry.mark.description))
        result.uses[source.description, default: OperatorUse()].bundles.insert(bundle)
        result.uses[source.description, default: OperatorUse()].packages.insert(package)
    }
}
