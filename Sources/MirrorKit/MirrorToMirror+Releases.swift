import Distribution
import Foundation
import ImageSet
import OCI
import Planning
import Transport
import Workspace

extension MirrorToMirror {
    /// `mirror.platform`: channels through the update graph (or `release:` as given), then the
    /// payloads, their signatures and components. Problems of one release do not stop the
    /// others; they are returned as failures (exit bit 2).
    func collectReleases(_ platform: ReleaseSelection, naming: DestinationNaming) async throws(MirrorError) -> ReleaseCollector.Result {
        guard !platform.channels.isEmpty || platform.release != nil else { return ReleaseCollector.Result() }
        let workspace = options.workspace
        var chosen: [ReleaseToMirror] = []
        var failures: [String] = []
        let architectures = ReleaseVersionSelector.architectures(for: platform)
        if let release = platform.release {
            for architecture in architectures {
                chosen.append(ReleaseToMirror(version: nil, architecture: architecture.rawValue, payload: release.reference))
            }
        } else {
            let client = UpdateGraphClient(graphDataDirectory: workspace.url("hold-release/cincinnati-graph-data"),
                                           updateURL: options.releases.updateURL,
                                           tls: options.copy.source.tls(forURL: options.releases.updateURL))
            let result: ReleaseSelectionResult
            do {
                result = try await ReleaseVersionSelector(source: client).select(platform)
            } catch {
                failures += error.errors.map(\.description)
                result = error.partial
            }
            for warning in result.warnings { log("warning: \(warning)") }
            do {
                let text = result.explanationText
                try workspace.write(text.hasSuffix("\n") ? text : text + "\n", to: "hold-release/release-selection.txt")
            } catch {
                throw MirrorError(error.description)
            }
            if options.releases.explain { log(result.explanationText) }
            chosen = result.releases.map {
                ReleaseToMirror(version: $0.version.description, architecture: $0.architecture.rawValue, payload: $0.payload)
            }
        }
        let verifier = options.releases.ignoreSignatures ? nil : ReleaseSignatureVerifier(
            baseURL: options.releases.signatureURL, keyPath: options.releases.signatureKey,
            cacheDirectory: workspace.url("signatures"), tls: options.copy.source.tls(forURL: options.releases.signatureURL))
        if let verifier, !chosen.isEmpty { log("release signatures: verified against \(verifier.key)") }
        let collector = ReleaseCollector(naming: naming,
                                         sources: sources,
                                         workspace: workspace, verifier: verifier, kubeVirtContainer: platform.kubeVirtContainer,
                                         platforms: platform.platforms.selection,
                                         sigstore: options.releases.ignoreSignatures ? nil : finder,
                                         maxExtractBytes: options.maxExtractBytes)
        var result = await collector.collect(chosen)
        for warning in result.warnings { log("warning: \(warning)") }
        result.failures = failures + result.failures
        return result
    }
}

extension MirrorToMirror {
    /// `<destination>/openshift/graph-image:latest` (spec §4.8).
    func graphImageTarget(_ naming: DestinationNaming) throws(MirrorError) -> ImageReference {
        do {
            let path = naming.root.namespace.map { "\($0)/openshift/graph-image" } ?? "openshift/graph-image"
            let repository = try naming.folded(try RepositoryName(registry: naming.root.registry, path: path))
            return ImageReference(repository: repository, tag: "latest", digest: nil)
        } catch {
            throw MirrorError("cannot name the graph image: \(error.message)")
        }
    }

    /// `graph: true`: builds and pushes the graph-data image. A failure is a release failure
    /// (exit bit 2); the rest of the run stands.
    func buildGraphImage(_ naming: DestinationNaming, into outcome: inout MirrorOutcome) async -> ImageReference? {
        do {
            let target = try graphImageTarget(naming)
            let base = try ImageReference(parsing: options.releases.graphBaseImage ?? GraphImageBuilder.defaultBaseImage)
            let builder = GraphImageBuilder(graphDataURL: options.releases.graphDataURL,
                                            tls: options.copy.source.tls(forURL: options.releases.graphDataURL ?? GraphImageBuilder.defaultGraphDataURL),
                                            baseImage: base, scratchDirectory: options.workspace.url("graph-preparation"))
            let destination = destinations.client(for: target.repository.registry)
            // The build is deterministic: the same graph data gives the same digest, so a re-run
            // finds it in place and says so rather than "copied".
            let before = try? await destination.manifestDigest(target)
            let digest = try await builder.build(source: sources.client(for: base.repository.registry),
                                                 destination: destination, target: target)
            outcome.landedByOrigin[.graph, default: 0] += 1
            if before == digest { outcome.alreadyMirroredByOrigin[.graph, default: 0] += 1 }
            log("graph image \(target) (\(digest)) built on \(base)")
            return target
        } catch {
            outcome.collectionFailures.append("graph image: \(error)")
            outcome.failedByOrigin[.graph, default: 0] += 1
            return nil
        }
    }
}
