import ArgumentParser
import Foundation
import RegistryLab

@main
struct FerryLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-lab",
        abstract: "Local registries with a synthetic upstream, for the demo, tests and benchmarks.",
        subcommands: [DemoCommand.self, ServeCommand.self, RegistryCommand.self]
    )
}

/// Which seeded set an upstream gets.
enum DatasetName: String, ExpressibleByArgument, CaseIterable {
    case demo, bench
    case huge = "1gib"

    var images: [SeedImage] {
        switch self {
        case .demo: LabDataset.demo
        case .bench: LabDataset.bench
        case .huge: LabDataset.oneGiBLayer
        }
    }
}

/// Runs until SIGINT or SIGTERM, then shuts the lab down.
func serveUntilSignalled(_ lab: RegistryLab) async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    let sources = [SIGINT, SIGTERM].map { number in
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { continuation.yield() }
        source.resume()
        return source
    }
    for await _ in stream { break }
    sources.forEach { $0.cancel() }
    lab.shutdown()
}

/// Writes `KEY=value` lines for shell scripts to source.
func writeInfo(_ values: KeyValuePairs<String, String>, to path: String) throws {
    let text = values.map { "\($0.key)=\($0.value)\n" }.joined()
    let temporary = path + ".tmp"
    try text.write(toFile: temporary, atomically: false, encoding: .utf8)
    _ = rename(temporary, path)   // appears whole: scripts poll for it
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start an upstream registry seeded with a dataset and keep it running.",
        discussion: "Writes UPSTREAM=<host:port> and LIST=<file with one image reference per line> to --info once ready.")

    @Option(help: "demo, bench or 1gib.") var dataset: DatasetName = .demo
    @Option(help: "Where to write the KEY=value description.") var info: String
    @Option(help: "Directory for the lab's registries (default: a temporary one).") var root: String?

    func run() async throws {
        let lab = try RegistryLab(root: root.map { URL(fileURLWithPath: $0) })
        let upstream = try await lab.startRegistry()
        let images = try await ImageSeeder(registry: upstream, lab: lab).seed(dataset.images)
        let list = URL(fileURLWithPath: info).deletingLastPathComponent().appendingPathComponent("images-\(dataset.rawValue).txt").path
        try images.map { "\($0.reference)\n" }.joined().write(toFile: list, atomically: true, encoding: .utf8)
        try writeInfo(["UPSTREAM": upstream.host, "LIST": list, "IMAGES": "\(images.count)",
                       "BYTES": "\(images.reduce(0) { $0 + $1.bytes })"], to: info)
        await serveUntilSignalled(lab)
    }
}

struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Start one empty registry and keep it running.",
        discussion: "Writes HOST=<host:port> and STORAGE=<dir> to --info once ready.")

    @Option(help: "Where to write the KEY=value description.") var info: String
    @Option(help: "Directory for the registry (default: a temporary one).") var root: String?

    func run() async throws {
        let lab = try RegistryLab(root: root.map { URL(fileURLWithPath: $0) })
        let registry = try await lab.startRegistry()
        try writeInfo(["HOST": registry.host, "STORAGE": registry.storageDirectory.path, "PID": "\(registry.processIdentifier)"], to: info)
        await serveUntilSignalled(lab)
    }
}
