import ArgumentParser

@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Mirror container images and OpenShift content into a disconnected registry.",
        version: "0.1.0",
        subcommands: [MirrorCommand.self, CopyCommand.self],
        defaultSubcommand: MirrorCommand.self
    )
}
