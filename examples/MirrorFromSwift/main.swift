// Ferry as a library: a dry-run of an ImageSetConfiguration, then a copy of one image, from
// Swift code. Build and run from the repository root:
//
//   swift run ferry-example CONFIG.yaml docker://REGISTRY[/NAMESPACE] [SOURCE-IMAGE]
//
// The workspace goes to a temporary directory; registries are reached with the usual auth
// files (REGISTRY_AUTH_FILE, ~/.docker/config.json, ...).
import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Workspace

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: ferry-example CONFIG.yaml docker://REGISTRY[/NAMESPACE] [SOURCE-IMAGE]\n".utf8))
    exit(64)
}
let configPath = arguments[arguments.startIndex]
let destination = try RegistryLocation(parsing: arguments[arguments.startIndex + 1])
let loopback = destination.registry.hasPrefix("127.0.0.1") || destination.registry.hasPrefix("localhost")
let settings = CopySettings(destination: RegistrySettings(tlsVerify: !loopback), credentials: try CredentialStore.load(authFile: nil))

// 1. What would mirroring this configuration move? (MirrorKit, the front door.)
let workspace = Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("ferry-example/working-dir"))
let options = MirrorOptions(configPath: configPath, workspace: workspace, destination: destination, dryRun: true, copy: settings)
do {
    let outcome = try await MirrorToMirror(options: options, log: { print($0) }).run()
    if let summary = outcome.plan?.summary {
        print("\(summary.imagesToMirror) of \(summary.images) images to mirror, \(summary.bytesToUpload) bytes to upload")
    }
    print("reports in \(workspace.url(Workspace.dryRun).path)")
} catch {
    print("error: \(error)")
    exit(error.exitCode)
}

// 2. Copy one image with the engine directly (Copying), digests preserved.
if arguments.count >= 3 {
    let source = try ImageReference(parsing: arguments[arguments.startIndex + 2])
    let task = CopyTask(source: source, destination: destination.destination(for: source))
    let report = await Copier(settings: settings).run([task])
    for image in report.images {
        print("\(image.status.rawValue): \(image.source) -> \(image.destination) \(image.error ?? "")")
    }
}
