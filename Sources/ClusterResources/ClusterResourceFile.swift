/// One file of `working-dir/cluster-resources/`: its name and exact contents.
///
/// Generators return files instead of writing them, so they stay pure (and testable byte for
/// byte); the caller writes them, atomically, where the workspace says.
public struct ClusterResourceFile: Hashable, Sendable {
    /// The file name, without a directory: `idms-oc-mirror.yaml`.
    public let name: String
    /// The file's text.
    public let contents: String

    /// Creates a file from its name and text.
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }

    /// The contents as UTF-8 bytes, as they go to disk.
    public var bytes: [UInt8] { Array(contents.utf8) }
}
