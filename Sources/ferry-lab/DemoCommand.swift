import ArgumentParser
import Distribution
import Foundation
import OCI
import RegistryLab

/// The README's demo: two lab registries, a seeded upstream (images and a synthetic OpenShift
/// release set with its update graph and signatures), then the oc-mirror workflow with
/// `ferry -c` on `imageset-configs/demo.yaml`: a dry-run, the mirror run, a second dry-run that
/// finds nothing left to move, the generated cluster resources, and a digest check of what landed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start an upstream and a mirror registry, seed the upstream, mirror it with `ferry -c`.")

    @Option(help: "The ImageSetConfiguration template (${UPSTREAM} and ${DIGEST repo:tag} are filled in).")
    var config = "imageset-configs/demo.yaml"

    @Option(help: "Keep the lab (registries' storage, workspace) in this directory instead of a temporary one.")
    var root: String?

    func run() async throws {
        let ferry = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("ferry").path
        guard FileManager.default.isExecutableFile(atPath: ferry) else {
            throw ValidationError("cannot find the ferry binary next to ferry-lab (\(ferry)); build both with `swift build`")
        }
        guard let template = FileManager.default.contents(atPath: config).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw ValidationError("cannot read \(config); run the demo from the repository root")
        }
        let lab = try RegistryLab(root: root.map { URL(fileURLWithPath: $0) })
        defer { lab.shutdown() }
        let upstream = try await lab.startRegistry()
        let mirror = try await lab.startRegistry()
        print("upstream registry: \(upstream.baseURL)\nmirror registry:   \(mirror.baseURL)")

        let images = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo)
        print("seeded \(images.count) images into the upstream")
        // A synthetic OpenShift upstream in the same registry: update graph, payloads, signatures.
        let openshift = try await OpenShiftUpstream.start(lab: lab, registry: upstream)
        defer { openshift.stop() }
        print("seeded \(openshift.releases.count) OpenShift release payloads; update graph at \(openshift.graphURL)")
        let catalogs = try await OperatorCatalogUpstream.seed(lab: lab, registry: upstream)
        print("seeded \(catalogs.catalogs.count) operator catalogs with \(catalogs.bundles.count) bundles")
        let configPath = lab.root.appendingPathComponent("imageset-config.yaml").path
        try ConfigTemplate.render(template, upstream: upstream.host, seeded: images)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let workspace = "file://\(lab.root.appendingPathComponent("workspace").path)"
        let destination = "docker://\(mirror.host)/mirror"
        let common = ["-c", configPath, "--workspace", workspace, destination,
                      "--update-url", openshift.graphURL, "--release-signature-url", openshift.signatureBaseURL,
                      "--release-signature-key", openshift.publicKeyPath.path,
                      "--graph-data-url", openshift.graphDataURL, "--graph-base-image", "\(upstream.host)/ubi9/ubi-minimal:9.4"]

        for (title, arguments) in [("dry run: what would move into the empty mirror", ["--dry-run"]),
                                   ("mirror", []),
                                   ("dry run again: nothing left to move", ["--dry-run"])] {
            print("\n== \(title)\n$ ferry \((common + arguments).joined(separator: " "))")
            let status = try run(ferry, common + arguments)
            guard status == 0 else { throw ExitCode(status) }
        }

        // Read back every image of the plan on both sides: the mirror must carry the digest the
        // dry-run planned, and for an image copied as it is that is the upstream digest. (A
        // rebuilt catalog is a new image by design: its digest is the one the dry-run built.)
        let planFile = lab.root.appendingPathComponent("workspace/working-dir/dry-run/plan.json")
        struct Plan: Decodable {
            struct Entry: Decodable {
                struct Image: Decodable {
                    var source: String; var destination: String; var origin: String
                    /// Set for a signature, attestation, SBOM or referrer found beside an image.
                    var attachment: Attachment?
                    struct Attachment: Decodable { var kind: String }
                }
                var image: Image
                var digest: String?
            }
            var images: [Entry]
        }
        let plan = try JSONDecoder().decode(Plan.self, from: Data(contentsOf: planFile))
        let source = RegistryClient(registry: upstream.host)
        let target = RegistryClient(registry: mirror.host)
        var rebuilt = 0
        var attachments = 0
        for entry in plan.images {
            if entry.image.attachment != nil { attachments += 1 }
            let from = try ImageReference(parsing: entry.image.source)
            let to = try ImageReference(parsing: entry.image.destination)
            let planned = entry.digest.flatMap(Digest.init)
            let upstreamDigest = try await source.manifestDigest(from)
            let found = try await target.manifestDigest(to.tag != nil ? ImageReference(repository: to.repository, tag: to.tag, digest: nil) : to)
            guard let planned, found == planned else {
                throw ValidationError("\(to) carries \(found?.description ?? "nothing"), not the planned \(entry.digest ?? "?")")
            }
            if entry.image.origin == "operatorCatalog" && upstreamDigest != planned {
                rebuilt += 1
            } else if upstreamDigest != planned {
                throw ValidationError("\(to) carries \(planned), not the upstream \(upstreamDigest?.description ?? "nothing")")
            }
        }
        let planned = plan.images.count - attachments
        print("\nverified: all \(planned) mirrored images and \(attachments) signatures and referrers carry their planned digests "
            + "(\(plan.images.count - rebuilt) the upstream digest, \(rebuilt) rebuilt catalog\(rebuilt == 1 ? "" : "s"))")

        let resources = lab.root.appendingPathComponent("workspace/working-dir/cluster-resources")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: resources.path)) ?? []).sorted() {
            print("\n== cluster-resources/\(name)")
            print(String(decoding: FileManager.default.contents(atPath: resources.appendingPathComponent(name).path) ?? Data(),
                         as: UTF8.self), terminator: "")
        }
        print("\n(the lab's files, the workspace included, are under \(lab.root.path)\(root == nil ? " until the demo ends" : ""))")
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        fflush(nil)   // our lines first: the child writes to the same stdout
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try LabProcess.start(process)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
