import ArgumentParser
import Copying
import Foundation
import OCI

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy images between registries, whole graphs with digests preserved.",
        discussion: """
        ferry copy docker://SRC docker://DEST
        ferry copy --from-list images.txt docker://REGISTRY[/NAMESPACE]

        With --from-list, each line names a source image; it lands at REGISTRY/NAMESPACE followed by its \
        path without the source registry (as oc-mirror names mirrors). A source given by digest alone gets \
        the tag sha256-<hex>. Blank lines and lines starting with # are ignored.
        """
    )

    @Option(name: .customLong("from-list"), help: "File with one source image reference per line.")
    var fromList: String?

    @Argument(help: "SRC DEST, or only DEST with --from-list.")
    var references: [String] = []

    @OptionGroup var registries: RegistryOptions

    @OptionGroup var parallelism: ParallelismOptions

    @Option(name: .customLong("log-format"), help: "text (a progress line and a summary) or json (one event per line on stdout).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        if fromList != nil {
            guard references.count == 1 else { throw ValidationError("with --from-list, give exactly one destination: docker://REGISTRY[/NAMESPACE]") }
        } else {
            guard references.count == 2 else { throw ValidationError("give a source and a destination: ferry copy docker://SRC docker://DEST") }
        }
    }

    func run() async throws {
        let tasks = try makeTasks()
        let settings = CopySettings(parallelImages: parallelism.parallelImages, parallelLayers: parallelism.parallelLayers,
                                    source: registries.sourceSettings, destination: registries.destinationSettings,
                                    credentials: try registries.credentials())
        let json = logFormat == .json
        var events: (@Sendable (CopyEvent) -> Void)?
        if json { events = { @Sendable event in JSONEventWriter.write(event) } }
        let copier = Copier(settings: settings, events: events)
        let display = ProgressDisplay(progress: copier.progress, enabled: !json)
        let displayTask = Task { await display.run() }
        // The copy in a task of its own, so that a signal can cancel it (see Interruption).
        let work = Task { await copier.run(tasks) }
        let interruption = Interruption { work.cancel() }
        let report = await work.value
        interruption.uninstall()
        displayTask.cancel()
        _ = await displayTask.result
        if let code = interruption.exitCode {
            let line = ReportFormatter.stopped(report, signal: interruption.signalName)
            if json {
                JSONEventWriter.writeSummary(report)
                JSONEventWriter.emit(["event": "interrupted", "signal": interruption.signalName, "message": line])
            } else {
                FileHandle.standardError.write(Data(line.utf8))
            }
            throw ExitCode(code)
        }
        if json {
            JSONEventWriter.writeSummary(report)
        } else {
            print(ReportFormatter.summary(report), terminator: "")
        }
        if !report.failed.isEmpty { throw ExitCode(1) }
    }

    private func makeTasks() throws -> [CopyTask] {
        if let fromList {
            let root = try parse(references[0], as: "destination") { try RegistryLocation(parsing: $0) }
            return try SourceList.read(path: fromList).map { CopyTask(source: $0, destination: root.destination(for: $0)) }
        }
        let source = try parse(references[0], as: "source") { try ImageReference(parsing: $0) }
        return [CopyTask(source: source, destination: try destination(references[1], for: source))]
    }

    /// A destination with a tag or digest is used as written; without one (`docker://host/repo`)
    /// the image keeps its source tag (or `sha256-<hex>` for a digest-only source).
    private func destination(_ text: String, for source: ImageReference) throws -> ImageReference {
        if let full = try? ImageReference(parsing: text) { return full }
        let location = try parse(text, as: "destination") { try RegistryLocation(parsing: $0) }
        guard let namespace = location.namespace else {
            throw InputError("destination \"\(text)\" names a registry but no repository; write docker://HOST/REPOSITORY[:TAG]")
        }
        let repository = try RepositoryName(registry: location.registry, path: namespace)
        let tag = source.tag ?? source.digest.map { "\($0.algorithm.rawValue)-\($0.encoded)" }
        return ImageReference(repository: repository, tag: tag, digest: source.tag == nil ? nil : source.digest)
    }

    private func parse<T>(_ text: String, as role: String, _ body: (String) throws -> T) throws -> T {
        do {
            return try body(text)
        } catch let error as OCIError {
            throw InputError("\(role): \(error.message)")
        }
    }
}

/// Reads a `--from-list` file: one reference per line, `#` comments, errors with file:line.
enum SourceList {
    static func read(path: String) throws -> [ImageReference] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(path): cannot read the image list")
        }
        var references: [ImageReference] = []
        var problems: [String] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                references.append(try ImageReference(parsing: line))
            } catch {
                problems.append("\(path):\(number + 1): \(error.message)")
            }
        }
        if !problems.isEmpty { throw InputError(problems.joined(separator: "\n")) }
        if references.isEmpty { throw InputError("\(path): the image list is empty") }
        return references
    }
}
