import ArgumentParser
import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import Workspace

/// `ferry -c ISC --workspace file://DIR docker://REGISTRY[/NAMESPACE]`: oc-mirror's
/// mirror-to-mirror command line (`--v2` is accepted and ignored).
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Mirror what an ImageSetConfiguration selects into a registry (oc-mirror --v2 compatible).",
        discussion: """
        ferry -c imageset-config.yaml --workspace file:///var/lib/ferry docker://mirror.example.com:5000/ocp
        ferry -c imageset-config.yaml --workspace file:///var/lib/ferry --dry-run docker://mirror.example.com:5000/ocp

        The workspace (DIR/working-dir) receives cluster-resources/ (IDMS, ITMS), dry-run/ (mapping.txt, \
        missing.txt, plan.json), logs/ and the record of the last successful run. See workspace-format.md.
        """
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "The ImageSetConfiguration file.")
    var config: String

    @Option(name: .customLong("workspace"), help: "file://DIR: the workspace of mirror-to-mirror runs (DIR/working-dir).")
    var workspace: String

    @Argument(help: "docker://REGISTRY[/NAMESPACE], the mirror registry.")
    var destination: String

    @Flag(name: .customLong("v2"), help: "Accepted for oc-mirror compatibility; Ferry has one behaviour.")
    var v2 = false

    @Flag(name: .customLong("dry-run"), help: "Read and compare only: write dry-run/ and print what would move; push nothing.")
    var dryRun = false

    @OptionGroup var registries: RegistryOptions

    @OptionGroup var parallelism: ParallelismOptions

    @Option(name: .customLong("retry-delay"), help: "Wait between retries, e.g. 2s or 500ms; 0 (default): exponential backoff with jitter.")
    var retryDelay: String = "0"

    @Option(name: .customLong("image-timeout"), help: "Give up one image after this long, retries included (copying it, or reading a catalog, bundle or payload image), e.g. 10m, 1h; 0: no limit.")
    var imageTimeout: String = "10m"

    @Option(name: .customLong("max-nested-paths"), help: "Fold destination paths longer than N components (0: keep them).")
    var maxNestedPaths: Int = 0

    @Option(name: .customLong("max-extract-size"), help: "The most one catalog or release payload extraction may write out of the image's layers, e.g. 1GiB (default), 512MiB, 2GiB.")
    var maxExtractSize: String = "1GiB"

    @Option(name: .customLong("update-url"), help: "The update service (Cincinnati) graph URL; default: UPDATE_URL_OVERRIDE, else Red Hat's.")
    var updateURL: String?

    @Option(name: .customLong("release-signature-url"), help: "The release signature store; default: OCP_SIGNATURE_URL, else Red Hat's.")
    var signatureURL: String?

    @Option(name: .customLong("release-signature-key"), help: "The release signing key; default: OCP_SIGNATURE_VERIFICATION_PK, else /etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release, else Red Hat's public release key built into Ferry.")
    var signatureKey: String?

    @Flag(name: .customLong("ignore-release-signature"), help: "Mirror releases whose signatures are missing or do not verify (clusters will not upgrade to them).")
    var ignoreReleaseSignature = false

    @Option(name: .customLong("graph-data-url"), help: "graph: true: the graph-data tarball; default: Red Hat's.")
    var graphDataURL: String?

    @Option(name: .customLong("graph-base-image"), help: "graph: true: the image the graph data is layered on; default: \(GraphImageBuilder.defaultBaseImage).")
    var graphBaseImage: String?

    @Flag(name: .customLong("remove-signatures"), help: "Do not mirror cosign's signature, attestation and SBOM tags (sha256-<hex>.sig/.att/.sbom), except release payloads' signatures, which 4.21+ clusters need.")
    var removeSignatures = false

    @Option(name: .customLong("signature-policy"), help: "best-effort (default): list images without a signature in logs/missing-signatures.txt; require: such images fail.")
    var signaturePolicy: String = SignaturePolicy.bestEffort.rawValue

    @Option(name: .customLong("signature-key"), help: ArgumentHelp("A cosign public key (PEM) that signatures must verify with; SCOPE= limits it to a registry or repository prefix. Repeatable.", valueName: "[SCOPE=]FILE"))
    var signatureKeys: [String] = []

    @Option(name: .customLong("referrers"), help: "OCI 1.1 referrers to mirror: all (default), none, or artifact types separated by commas.")
    var referrers: String = "all"

    @Flag(name: .customLong("explain"), help: "Print why each release version and each operator bundle was kept (always written to hold-release/release-selection.txt and operator-catalogs/…/filter-explain.txt).")
    var explain = false

    @Option(name: .customLong("log-level"), help: "info; debug (a line per image), trace (and per blob), or error (no warnings).")
    var logLevel: LogLevel = .info

    @Option(name: .customLong("log-format"), help: "text (a progress line and a summary) or json (one event per line on stdout).")
    var logFormat: CopyCommand.LogFormat = .text

    enum LogLevel: String, ExpressibleByArgument { case info, debug, trace, error }

    func validate() throws {
        guard maxNestedPaths >= 0 else { throw ValidationError("--max-nested-paths must be 0 or more") }
        guard (ByteSize.parse(maxExtractSize) ?? 0) > 0 else {
            throw ValidationError("--max-extract-size: \"\(maxExtractSize)\" is not a size (e.g. 1GiB, 512MiB, 2GiB)")
        }
        guard DurationParser.parse(retryDelay) != nil else { throw ValidationError("--retry-delay: \"\(retryDelay)\" is not a duration (e.g. 0, 500ms, 2s)") }
        guard SignaturePolicy(rawValue: signaturePolicy) != nil else {
            throw ValidationError("--signature-policy: \"\(signaturePolicy)\" is not a policy; write require or best-effort")
        }
        guard ReferrerSelection(parsing: referrers) != nil else {
            throw ValidationError("--referrers: \"\(referrers)\": write all, none, or artifact types such as application/spdx+json,application/vnd.in-toto+json")
        }
        guard DurationParser.parse(imageTimeout) != nil else { throw ValidationError("--image-timeout: \"\(imageTimeout)\" is not a duration (e.g. 10m, 1h, 0)") }
    }

    func run() async throws {
        let root: RegistryLocation
        do {
            root = try RegistryLocation(parsing: destination)
        } catch {
            throw InputError("destination: \(error.message)")
        }
        guard destination.hasPrefix("docker://") else {
            throw InputError("destination \"\(destination)\": this version mirrors registry to registry only; write docker://REGISTRY[/NAMESPACE]")
        }
        let space: Workspace
        do {
            space = try Workspace(parsing: workspace)
        } catch {
            throw InputError(error.description)
        }
        var source = registries.sourceSettings
        var target = registries.destinationSettings
        if let delay = DurationParser.parse(retryDelay), delay > .zero {
            source.retry.baseDelay = delay
            source.retry.multiplier = 1
            target.retry.baseDelay = delay
            target.retry.multiplier = 1
        }
        let timeout = DurationParser.parse(imageTimeout).flatMap { $0 > .zero ? $0 : nil }
        let settings = CopySettings(parallelImages: parallelism.parallelImages, parallelLayers: parallelism.parallelLayers, source: source,
                                    destination: target, credentials: try registries.credentials(), imageTimeout: timeout)
        let json = logFormat == .json
        var events: (@Sendable (CopyEvent) -> Void)?
        if json {
            events = { @Sendable event in JSONEventWriter.write(event) }
        } else if logLevel == .debug || logLevel == .trace {
            // One line per image as it finishes (and per blob at trace), on stderr.
            let blobs = logLevel == .trace
            events = { @Sendable event in
                switch event {
                case .imageFinished(let image):
                    let line = "\(image.status.rawValue) \(image.source) -> \(image.destination)"
                        + (image.error.map { ": \($0)" } ?? "") + "\n"
                    FileHandle.standardError.write(Data(line.utf8))
                case .blobFinished(let digest, let repository, let outcome, let size) where blobs:
                    FileHandle.standardError.write(Data("blob \(digest) \(size) B -> \(repository): \(outcome)\n".utf8))
                default: break
                }
            }
        }
        let keyring: SignatureKeyring?
        do {
            keyring = signatureKeys.isEmpty ? nil : try SignatureKeyring(arguments: signatureKeys)
        } catch {
            throw InputError("--signature-key: \(error.description)")
        }
        let quiet = logLevel == .error
        let workflow = MirrorToMirror(
            options: MirrorOptions(configPath: config, workspace: space, destination: root, dryRun: dryRun,
                                   maxNestedPaths: maxNestedPaths, copy: settings,
                                   releases: ReleaseOptions(updateURL: updateURL, signatureURL: signatureURL, signatureKey: signatureKey,
                                                            ignoreSignatures: ignoreReleaseSignature, explain: explain,
                                                            graphDataURL: graphDataURL, graphBaseImage: graphBaseImage),
                                   attachments: AttachmentOptions(cosignTags: !removeSignatures,
                                                                  referrers: ReferrerSelection(parsing: referrers) ?? .all,
                                                                  policy: SignaturePolicy(rawValue: signaturePolicy) ?? .bestEffort,
                                                                  verifier: keyring),
                                   maxExtractBytes: ByteSize.parse(maxExtractSize) ?? ExtractionBudget.defaultLimit),
            events: events,
            log: { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } })
        let display = ProgressDisplay(progress: workflow.progress, enabled: !json && !dryRun)
        let displayTask = Task { await display.run() }
        // The run in a task of its own, so that a signal can cancel it (see Interruption).
        let work = Task { () async throws -> MirrorOutcome in try await workflow.run() }
        let interruption = Interruption { work.cancel() }
        // The workflow throws only MirrorError.
        let result = await work.result.mapError { $0 as? MirrorError ?? MirrorError(String(describing: $0)) }
        interruption.uninstall()
        displayTask.cancel()
        _ = await displayTask.result
        if let code = interruption.exitCode {
            let line = switch result {
            case .success(let outcome): MirrorReportFormatter.stopped(outcome, signal: interruption.signalName, workspace: space)
            case .failure(let error): "\(interruption.signalName): stopped: \(error.description)\n"
            }
            if json {
                if case .success(let outcome) = result { MirrorReportFormatter.writeJSON(outcome) }
                JSONEventWriter.emit(["event": "interrupted", "signal": interruption.signalName, "message": line])
            } else {
                FileHandle.standardError.write(Data(line.utf8))
            }
            throw ExitCode(code)
        }
        let outcome: MirrorOutcome
        switch result {
        case .success(let value): outcome = value
        case .failure(let error):
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        if json {
            MirrorReportFormatter.writeJSON(outcome)
        } else {
            print(MirrorReportFormatter.summary(outcome, workspace: space), terminator: "")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

/// Durations as oc-mirror's flags write them: `0`, `500ms`, `30s`, `10m`, `1h`, `1h30m`.
enum DurationParser {
    static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var total = Duration.zero
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isNumber || character == "." {
                number.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let value = Double(number) else { return nil }
            let unit: Duration
            if rest.hasPrefix("ms") { unit = .milliseconds(1); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("s") { unit = .seconds(1); rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { unit = .seconds(60); rest = rest.dropFirst() }
            else if rest.hasPrefix("h") { unit = .seconds(3600); rest = rest.dropFirst() }
            else { return nil }
            total += unit * value
            number = ""
        }
        return number.isEmpty ? total : nil
    }
}
