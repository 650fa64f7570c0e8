import Copying
import Distribution
import Foundation
import OCI
import Planning
import Synchronization
import Workspace

/// The mirror-to-mirror workflow (`ferry -c ISC --workspace file://DIR docker://REGISTRY`):
/// load the configuration, collect and name the images, then either plan and report
/// (`--dry-run`) or copy, and write the cluster resources for what landed.
public final class MirrorToMirror: Sendable {
    public let options: MirrorOptions
    /// The counters of a real run's copy, for a progress display.
    public let progress = CopyProgress()
    private let events: (@Sendable (CopyEvent) -> Void)?
    let log: @Sendable (String) -> Void
    /// One client per registry for the whole run outside the copier (collecting, planning,
    /// building), so pings and tokens are not repeated phase by phase.
    let sources: RegistryClientPool
    let destinations: RegistryClientPool
    /// Looks up signatures and referrers beside the images (each digest once per run).
    let finder: AttachmentFinder

    /// - Parameter log: lines for a person (warnings, steps), printed by the caller.
    public init(options: MirrorOptions, events: (@Sendable (CopyEvent) -> Void)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.events = events
        self.log = log
        sources = RegistryClientPool(settings: options.copy.source, credentials: options.copy.credentials)
        destinations = RegistryClientPool(settings: options.copy.destination, credentials: options.copy.credentials)
        finder = AttachmentFinder(sources: sources, options: options.attachments)
    }

    public func run() async throws(MirrorError) -> MirrorOutcome {
        let workspace = options.workspace
        let naming = DestinationNaming(root: options.destination, maxNestedPaths: options.maxNestedPaths)
        let selection = try ImageSetSelection.load(path: options.configPath, naming: naming, log: log)
        let lock: WorkspaceLock
        let previous: RunRecord?
        do {
            try workspace.prepare()
            lock = try WorkspaceLock(workspace)
            previous = try workspace.lastRun()
        } catch {
            throw MirrorError(error.description)
        }
        defer { withExtendedLifetime(lock) {} }

        // The mirror first: a wrong password or an untrusted certificate is said once, before
        // any collection work, not once per image at the end.
        let probe = options.destination.namespace.map { "\($0)/ferry-access-check" } ?? "ferry-access-check"
        do {
            try await destinations.client(for: options.destination.registry).checkAccess(repository: probe)
        } catch {
            throw MirrorError("the mirror registry \(options.destination.registry) cannot be used: \(error)")
        }

        // Releases first (oc-mirror's order): they need the update graph and the payloads.
        let releases = try await collectReleases(selection.platform, naming: naming)
        let catalogs = await CatalogCollector(naming: naming,
                                              sources: sources,
                                              workspace: workspace,
                                              maxExtractBytes: options.maxExtractBytes,
                                              imageTimeout: options.copy.imageTimeout).collect(selection.operators)
        if options.releases.explain { for text in catalogs.explanations { log(text) } }
        for warning in catalogs.warnings { log("warning: \(warning)") }
        if !catalogs.skipped.isEmpty {
            log("warning: \(catalogs.skipped.count) image(s) named by kept bundles cannot be mirrored and were skipped; "
                + "see \(workspace.url("operator-catalogs/skipped-images.txt").path)")
        }
        let skipped = SkippedImagesReport.lines(additional: selection.skipped, operators: catalogs.skipped)
        do {
            try SkippedImagesReport.write(skipped, to: workspace)
        } catch {
            throw MirrorError(error.description)
        }
        if !selection.skipped.isEmpty {
            log("warning: \(selection.skipped.count) additional image(s) skipped for problems in their entries "
                + "(the rest is mirrored); see \(workspace.url(SkippedImagesReport.path).path)")
        }
        if !catalogs.auditFindings.isEmpty {
            log("operand audit: \(catalogs.auditedImages.count) image(s) named only in bundles' ClusterServiceVersions are mirrored too; "
                + "see \(workspace.url("operator-catalogs/operand-audit.txt").path)")
        }
        let collection = ImageCollection(releases.images + selection.images + catalogs.images, blocked: selection.blocked)
        for conflict in collection.conflicts { log("warning: \(conflict)") }
        // Stopped (a signal) while collecting: nothing was copied or planned; a real run leaves its log.
        if Task.isCancelled {
            return try stoppedBeforeCopying(failures: releases.failures + catalogs.failures)
        }
        guard !collection.images.isEmpty || !releases.failures.isEmpty || !catalogs.failures.isEmpty || !catalogs.catalogs.isEmpty else {
            let skippedNote = selection.skipped.isEmpty ? ""
                : "; \(selection.skipped.count) additional image(s) skipped (see \(workspace.url(SkippedImagesReport.path).path))"
            throw MirrorError((collection.blocked.isEmpty
                ? "\(options.configPath): the configuration selects no images"
                : "\(options.configPath): every selected image is blocked by blockedImages (\(collection.blocked.count) blocked)")
                + skippedNote, exitCode: selection.skipped.isEmpty ? 1 : ImageOrigin.additional.exitCodeBit)
        }

        let dropped = noLongerSelected(previous, images: collection.images, catalogs: catalogs.catalogs)
        var outcome = MirrorOutcome(dryRun: options.dryRun, selected: collection.images, blocked: collection.blocked,
                                    duplicatesDropped: collection.duplicatesDropped, conflicts: collection.conflicts,
                                    plan: nil, noLongerSelected: dropped, copyReport: nil,
                                    landedByOrigin: [:], failedByOrigin: [:], replayProblems: [], files: [])
        outcome.collectionFailures = releases.failures + catalogs.failures
        outcome.failedByOrigin[.release, default: 0] += releases.failures.count
        if !catalogs.failures.isEmpty { outcome.failedByOrigin[.operatorCatalog, default: 0] += catalogs.failures.count }
        outcome.catalogs = catalogs.catalogs
        outcome.operatorUses = catalogs.uses
        outcome.signatures = releases.signatures
        outcome.skippedAdditionalImages = selection.skipped
        outcome.skippedOperatorImages = catalogs.skipped.count
        let hints = Self.mountHints(from: previous)
        if options.dryRun {
            try await dryRun(collection.images, hints: hints, previous: previous, graph: selection.platform.graph, naming: naming,
                             into: &outcome)
        } else {
            try await mirror(collection.images, hints: hints, previous: previous, graph: selection.platform.graph, naming: naming,
                             into: &outcome)
        }
        if !skipped.isEmpty { outcome.files.append(SkippedImagesReport.path) }
        outcome.interrupted = Task.isCancelled
        return outcome
    }

    /// What a dry-run stopped by a signal reports (the command prints it after the signal's name).
    static let stoppedDryRun = MirrorError("the plan was not complete; \(Workspace.dryRun)/ left as it was")

    /// A stop during collection: a dry-run leaves `dry-run/` as it was; a real run writes its log.
    private func stoppedBeforeCopying(failures: [String]) throws(MirrorError) -> MirrorOutcome {
        guard !options.dryRun else {
            throw Self.stoppedDryRun
        }
        var outcome = MirrorOutcome(dryRun: false, selected: [], blocked: [], duplicatesDropped: 0, conflicts: [], plan: nil,
                                    noLongerSelected: [], copyReport: nil, landedByOrigin: [:], failedByOrigin: [:],
                                    replayProblems: [], files: [])
        outcome.interrupted = true
        let logName = "\(Workspace.logs)/ferry-\(options.workspace.newLogStamp()).log"
        do {
            try options.workspace.write(RunLog.stoppedWhileCollecting(failures: failures), to: logName)
        } catch {
            throw MirrorError(error.description)
        }
        outcome.files = [logName]
        return outcome
    }

    /// What the last successful run mirrored that this one does not select; nothing when that run
    /// went to another mirror (its record says nothing about this one). Called again once built
    /// catalogs have settled their destinations (a rebuilt catalog named by digest is tagged with
    /// the digest it gets).
    func noLongerSelected(_ previous: RunRecord?, images: [CollectedImage], catalogs: [CatalogCollector.Catalog]) -> [RunRecord.Image] {
        guard let previous, previous.destination == "docker://\(options.destination)" else { return [] }
        let selected = Set(images.map(\.destination.description) + catalogs.map(\.destination.description))
        return previous.images.filter { !selected.contains($0.destination) }
    }

    // MARK: Dry-run

    private func dryRun(_ images: [CollectedImage], hints: BlobLocations, previous: RunRecord?, graph: Bool, naming: DestinationNaming,
                        into outcome: inout MirrorOutcome) async throws(MirrorError) {
        let resolver = PlanResolver(sources: sources, destinations: destinations,
                                    mountHints: hints)
        var resolved = await resolver.resolveImages(images)
        // Signatures and referrers beside each readable image; the policy may fail an image.
        let subjects = resolved.compactMap { entry -> (image: CollectedImage, digest: Digest)? in
            guard entry.status != .failed, let digest = entry.digest, finder.looksUp(entry.image) else { return nil }
            return (entry.image, digest)
        }
        let found = await finder.find(subjects)
        var signatures = SignatureReport()
        let attachments = self.attachments(of: found, uses: outcome.operatorUses, into: &signatures)
        let refusals = Dictionary(found.compactMap { entry in policyRefusal(entry).map { ("\(entry.image.source) \(entry.image.destination)", $0) } },
                                  uniquingKeysWith: { first, _ in first })
        for index in resolved.indices {
            guard let refusal = refusals["\(resolved[index].image.source) \(resolved[index].image.destination)"] else { continue }
            resolved[index].status = .failed
            resolved[index].error = refusal
            resolved[index].manifests = []
        }
        let resolvedAttachments = await resolver.resolveImages(attachments)
        let all = resolved + resolvedAttachments
        var plan = MirrorPlan(images: all, blobs: await resolver.classifyBlobs(of: all))
        for entry in resolvedAttachments {
            guard let kind = entry.image.attachment?.kind else { continue }
            if entry.status == .failed {
                signatures.attachmentsFailed += 1
                continue
            }
            signatures.attachments[kind, default: 0] += 1
            if entry.status == .mirrored { signatures.attachmentsAlreadyThere += 1 }
        }
        let indexes = await ReferrerIndexes(destinations: destinations).plan(
            Self.referrerGroups(resolvedAttachments.filter { $0.status != .failed }.map(\.image)),
            imageTags: Self.imageTags(images))
        signatures.referrerIndexes = indexes.writes.count
        signatures.notes = (signatures.notes + indexes.notes).sorted()
        outcome.signatureReport = signatures
        // Lookups a stop cut short would read as missing signatures.
        if Task.isCancelled { throw Self.stoppedDryRun }
        logSignatures(signatures, dryRun: true)
        // Filtered catalogs are rebuilt by the real run: built here without pushing, so the plan
        // knows their digests and what the destination lacks of them.
        var planned = BlobLocations()
        for blob in plan.blobs where blob.action != .skip {
            planned.add(blob.digest, registry: blob.repository.registry, repository: blob.repository.path)
        }
        let (catalogImages, catalogBlobs) = await planBuiltCatalogs(&outcome.catalogs, planned: planned, hints: hints)
        outcome.noLongerSelected = noLongerSelected(previous, images: images + attachments, catalogs: outcome.catalogs)
        plan = MirrorPlan(images: plan.images + catalogImages, blobs: plan.blobs + catalogBlobs,
                          unreadableBeforePlanning: outcome.collectionFailures)
        outcome.plan = plan
        for image in plan.images {
            // Attachments are counted in the signature report; a failed one still fails its origin.
            guard image.image.attachment == nil || image.status == .failed else { continue }
            switch image.status {
            case .failed: outcome.failedByOrigin[image.image.origin, default: 0] += 1
            case .missing: outcome.landedByOrigin[image.image.origin, default: 0] += 1
            case .mirrored:
                outcome.landedByOrigin[image.image.origin, default: 0] += 1
                outcome.alreadyMirroredByOrigin[image.image.origin, default: 0] += 1
            }
        }
        // What the cluster resources would be if every readable image landed.
        let wouldLand = plan.images.compactMap { resolved -> LandedImage? in
            guard resolved.status != .failed, let digest = resolved.digest else { return nil }
            return LandedImage(image: resolved.image, digest: digest)
        }
        var files: [String: Data] = [
            "mapping.txt": Data(DryRunFiles.mapping(plan).utf8),
            "missing.txt": Data(DryRunFiles.missing(plan).utf8),
            "plan.json": DryRunFiles.planJSON(plan, noLongerSelected: outcome.noLongerSelected),
        ]
        if !signatures.missing.isEmpty { files["missing-signatures.txt"] = Data(signatures.missingText.utf8) }
        let graphImage = graph ? try graphImageTarget(naming) : nil
        if let graphImage { log("graph: true: the real run builds the graph-data image and pushes it to \(graphImage)") }
        let resources = await ClusterResourceFiles.make(landed: wouldLand, signatures: outcome.signatures, graphImage: graphImage,
                                                        catalogTemplates: catalogTemplates(outcome),
                                                        maxNestedPaths: options.maxNestedPaths)
        outcome.replayProblems = resources.replayProblems
        for warning in resources.warnings { log("warning: \(warning)") }
        for (name, data) in resources.files { files["\(Workspace.clusterResources)/\(name)"] = data }
        // A plan cut short by a stop would list what it never asked about as failed.
        if Task.isCancelled { throw Self.stoppedDryRun }
        do {
            try options.workspace.replaceDirectory(Workspace.dryRun, with: files)
        } catch {
            throw MirrorError(error.description)
        }
        outcome.files = files.keys.sorted().map { "\(Workspace.dryRun)/\($0)" }
    }

    // MARK: Real run

    private func mirror(_ images: [CollectedImage], hints: BlobLocations, previous: RunRecord?, graph: Bool,
                        naming: DestinationNaming, into outcome: inout MirrorOutcome) async throws(MirrorError) {
        // Catalogs go last, and only when everything their bundles name landed: a catalog in the
        // mirror offering a bundle the mirror lacks is an ImagePullBackOff waiting to happen.
        // The copier reports images by name; map them back.
        var byNames: [String: CollectedImage] = [:]
        for image in images { byNames["\(image.source) \(image.destination)"] = image }
        let content = images.filter { $0.origin != .operatorCatalog }
        // One copier for every pass: a blob placed by one pass is mounted, not uploaded, by the next.
        let copier = Copier(settings: options.copy, events: events, mountHints: hints, progress: progress,
                            sources: sources, destinations: destinations)
        // Before an image moves, what hangs beside it upstream is looked up; the policy may stop it.
        let found = Mutex<[FoundAttachments]>([])
        let named = byNames
        let gate: Copier.Gate = { [finder] task, digest, manifest in
            guard let image = named["\(task.source) \(task.destination)"], finder.looksUp(image) else { return nil }
            let result = await finder.find(image, digest: digest, root: manifest)
            found.withLock { $0.append(result) }
            return self.policyRefusal(result)
        }
        var report = await copier.run(content.map(\.copyTask), gate: gate)
        // Stopped by a signal: nothing more goes to the mirror; what landed is reported and logged.
        let stopped = Task.isCancelled
        // Images that did not land, counted by the configuration entry that asked for them.
        var failedByEntry: [String: Int] = [:]
        for failed in report.images where failed.status == .failed {
            if let entry = byNames["\(failed.source) \(failed.destination)"]?.requestedAt { failedByEntry[entry, default: 0] += 1 }
        }
        let catalogs = images.filter { $0.origin == .operatorCatalog }
        let ready = stopped ? [] : catalogs.filter { held in
            !holdBack(catalog: held.destination, of: held.requestedAt ?? "", failedByEntry, into: &outcome)
        }
        if !ready.isEmpty {
            report.merge(await copier.run(ready.map(\.copyTask), gate: gate))
        }
        // Signatures and referrers of the images that landed (or that the policy failed), after them.
        let landedNames = Set(report.images.filter { $0.status != .failed }.map { "\($0.source) \($0.destination)" })
        let judged = found.withLock { $0 }
            .filter { landedNames.contains("\($0.image.source) \($0.image.destination)") || policyRefusal($0) != nil }
            .sorted { ($0.image.destination.description, $0.image.source.description) < ($1.image.destination.description, $1.image.source.description) }
        var signatures = SignatureReport()
        let attachments = self.attachments(of: judged, uses: outcome.operatorUses, into: &signatures)
        for attachment in attachments { byNames["\(attachment.source) \(attachment.destination)"] = attachment }
        if !attachments.isEmpty && !stopped {
            report.merge(await copier.run(attachments.map(\.copyTask)))
        }
        outcome.copyReport = report
        // The last run's record by destination and digest, to look up each image found in place.
        let recorded = Dictionary((previous?.images ?? []).map { ("\($0.destination) \($0.digest ?? "")", $0) }, uniquingKeysWith: { first, _ in first })
        var landed: [LandedImage] = []
        var failures: [(CollectedImage, ImageOutcome)] = []
        for result in report.images {
            guard let image = byNames["\(result.source) \(result.destination)"] else { continue }
            if result.status == .failed {
                outcome.failedByOrigin[image.origin, default: 0] += 1
                failures.append((image, result))
                if image.attachment != nil { signatures.attachmentsFailed += 1 }
            } else if let text = result.digest, let digest = Digest(text) {
                if let kind = image.attachment?.kind {
                    signatures.attachments[kind, default: 0] += 1
                    if result.status == .skipped { signatures.attachmentsAlreadyThere += 1 }
                } else {
                    outcome.landedByOrigin[image.origin, default: 0] += 1
                    if result.status == .skipped { outcome.alreadyMirroredByOrigin[image.origin, default: 0] += 1 }
                }
                // The blobs of an image found already mirrored are those the last run recorded for it.
                let blobs = result.blobs ?? recorded["\(image.destination) \(text)"]?.blobs
                landed.append(LandedImage(image: image, digest: digest, blobs: blobs))
            }
        }
        // On a mirror without the referrers API, the fallback tags list the referrers that landed.
        let indexes = await ReferrerIndexes(destinations: destinations).plan(
            Self.referrerGroups(landed.map(\.image)), imageTags: Self.imageTags(images))
        var notes = indexes.notes
        for write in indexes.writes where !stopped {
            do {
                try await destinations.client(for: write.repository.registry).pushManifest(write.document, to: write.target)
                signatures.referrerIndexes += 1
            } catch {
                notes.append("cannot write the referrers fallback tag \(write.target): \(error)")
            }
        }
        signatures.notes = (signatures.notes + notes).sorted()
        outcome.signatureReport = signatures
        logSignatures(signatures, dryRun: false)
        try writeMissingSignatures(signatures)
        if !signatures.missing.isEmpty { outcome.files.append("\(Workspace.logs)/missing-signatures.txt") }
        let graphImage = graph && !stopped ? await buildGraphImage(naming, into: &outcome) : nil
        // Where this run's copies put blobs (or found them in place), then the last run's record:
        // mount sources for the catalogs Ferry builds.
        let placed = Self.blobLocations(landed.map { ($0.image.destination, $0.blobs) })
        if !stopped {
            let built = await pushBuiltCatalogs(failedByEntry: failedByEntry, placements: BlobPlacements(placed: placed, hinted: hints),
                                                into: &outcome)
            landed += built.landed
            report.merge(built.report)
        }
        outcome.copyReport = report
        outcome.noLongerSelected = noLongerSelected(previous, images: images + attachments, catalogs: outcome.catalogs)
        let resources = await ClusterResourceFiles.make(landed: landed, signatures: outcome.signatures, graphImage: graphImage,
                                                        catalogTemplates: catalogTemplates(outcome),
                                                        maxNestedPaths: options.maxNestedPaths)
        outcome.replayProblems = resources.replayProblems
        for warning in resources.warnings { log("warning: \(warning)") }
        let workspace = options.workspace
        let stamp = workspace.newLogStamp()
        do {
            // cluster-resources/ is what a team commits: only a run where everything landed
            // replaces it. Otherwise it keeps the last good set (dropping a rule would break pulls
            // of what an earlier run mirrored), and what this run would write goes under logs/.
            let interrupted = Task.isCancelled
            let complete = failures.isEmpty && resources.replayProblems.isEmpty && outcome.collectionFailures.isEmpty && !interrupted
            let directory = complete ? Workspace.clusterResources : "\(Workspace.logs)/cluster-resources-\(stamp)"
            if complete || !resources.files.isEmpty {
                try workspace.replaceDirectory(directory, with: resources.files)
                outcome.files += resources.files.keys.sorted().map { "\(directory)/\($0)" }
            }
            if !complete {
                log("\(Workspace.clusterResources)/ left as it was, since not every image landed"
                    + (resources.files.isEmpty ? "" : "; the resources for the \(landed.count) that did are in \(directory)/"))
            }
            let logName = "\(Workspace.logs)/ferry-\(stamp).log"
            try workspace.write(RunLog.text(report: report, images: images + outcome.catalogs.map(\.collected), interrupted: interrupted),
                                to: logName)
            outcome.files.append(logName)
            if !failures.isEmpty || !outcome.collectionFailures.isEmpty {
                let errorsName = "\(Workspace.logs)/mirroring_errors_\(stamp).txt"
                try workspace.write(RunLog.errors(failures, collection: outcome.collectionFailures, uses: outcome.operatorUses),
                                    to: errorsName)
                outcome.files.append(errorsName)
            }
            if complete {
                let record = RunRecord(configuration: options.configPath, destination: "docker://\(options.destination)",
                                       images: landed.map {
                                           RunRecord.Image(source: $0.image.sourceLayout.map { "oci://\($0)" } ?? $0.image.source.description,
                                                           destination: $0.image.destination.description,
                                                           origin: $0.image.origin.rawValue, digest: $0.digest.description,
                                                           blobs: $0.blobs, attachment: $0.image.attachment?.kind.rawValue,
                                                           subject: $0.image.attachment?.subject.description)
                                       })
                try workspace.saveRun(record)
                outcome.files.append(Workspace.lastRunPath)
            }
        } catch {
            throw MirrorError(error.description)
        }
    }
}

extension CollectedImage {
    var copyTask: CopyTask { CopyTask(source: source, destination: destination, platforms: platforms) }
}

/// An image that is in the mirror: copied this run or found there already, with its digest.
struct LandedImage: Sendable, Hashable {
    var image: CollectedImage
    var digest: Digest
    var blobs: [String]? = nil
}

extension MirrorToMirror {
    /// Where the last successful run placed each blob, as mount sources for this run.
    static func mountHints(from record: RunRecord?) -> BlobLocations {
        blobLocations((record?.images ?? []).compactMap { image in
            (try? ImageReference(parsing: image.destination)).map { ($0, image.blobs) }
        })
    }

    /// Each image's blobs (digests as text) as locations in its destination repository.
    static func blobLocations(_ images: [(destination: ImageReference, blobs: [String]?)]) -> BlobLocations {
        var locations = BlobLocations()
        for (destination, blobs) in images {
            for digest in (blobs ?? []).compactMap(Digest.init) {
                locations.add(digest, registry: destination.repository.registry, repository: destination.repository.path)
            }
        }
        return locations
    }
}
