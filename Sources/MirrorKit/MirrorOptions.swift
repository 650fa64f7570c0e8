import Copying
import Distribution
import OCI
import Workspace

/// Everything a mirror-to-mirror run needs, as the command line gives it.
public struct MirrorOptions: Sendable {
    /// The ImageSetConfiguration file.
    public var configPath: String
    public var workspace: Workspace
    /// `docker://REGISTRY[/NAMESPACE]`.
    public var destination: RegistryLocation
    /// Read and compare, push nothing (`--dry-run`).
    public var dryRun: Bool
    /// `--max-nested-paths` (0: paths as they are).
    public var maxNestedPaths: Int
    public var copy: CopySettings

    public init(configPath: String, workspace: Workspace, destination: RegistryLocation, dryRun: Bool = false,
                maxNestedPaths: Int = 0, copy: CopySettings = CopySettings()) {
        self.configPath = configPath
        self.workspace = workspace
        self.destination = destination
        self.dryRun = dryRun
        self.maxNestedPaths = maxNestedPaths
        self.copy = copy
    }
}
