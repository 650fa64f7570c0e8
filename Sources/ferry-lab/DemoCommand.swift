import ArgumentParser
import Distribution
import Foundation
import OCI
import RegistryLab

/// The README's demo: two lab registries, a seeded upstream, `ferry copy` of all of it, the
/// summary, a no-op re-run, and a check that every manifest digest matches.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start an upstream and a mirror registry, seed the upstream, mirror it with `ferry copy`.")

    @Option(help: "demo (a few MiB) or bench (about 1.4 GiB).") var dataset: DatasetName = .demo

    func run() async throws {
        let ferry = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("ferry").path
        guard FileManager.default.isExecutableFile(atPath: ferry) else {
            throw ValidationError("cannot find the ferry binary next to ferry-lab (\(ferry)); build both with `swift build`")
        }
        let lab = try RegistryLab()
        defer { lab.shutdown() }
        let upstream = try await lab.startRegistry()
        let mirror = try await lab.startRegistry()
        print("upstream registry: \(upstream.baseURL)\nmirror registry:   \(mirror.baseURL)")

        let images = try await ImageSeeder(registry: upstream, lab: lab).seed(dataset.images)
        let bytes = images.reduce(Int64(0)) { $0 + $1.bytes }
        print("seeded \(images.count) images (\(bytes >> 10) KiB of blobs) into the upstream")
        let list = lab.root.appendingPathComponent("images.txt").path
        try images.map { "\($0.reference)\n" }.joined().write(toFile: list, atomically: true, encoding: .utf8)

        let destination = "docker://\(mirror.host)/mirror"
        for pass in ["first run", "second run (nothing left to move)"] {
            print("\n$ ferry copy --from-list images.txt \(destination)   # \(pass)")
            let status = try run(ferry, ["copy", "--from-list", list, destination])
            guard status == 0 else { throw ExitCode(status) }
        }

        // Read back every manifest digest at the mirror.
        let client = RegistryClient(registry: mirror.host)
        let location = try RegistryLocation(parsing: "\(mirror.host)/mirror")
        var matched = 0
        for image in images {
            let copied = location.destination(for: image.reference)
            guard try await client.manifestDigest(copied) == image.digest else {
                throw ValidationError("\(copied) does not carry \(image.digest)")
            }
            matched += 1
        }
        print("\nverified: \(matched) of \(images.count) mirrored manifests carry the upstream digests")
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        fflush(nil)   // our lines first: the child writes to the same stdout
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
