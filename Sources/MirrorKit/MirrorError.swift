/// A problem that stops a run before anything is copied: a bad configuration, an unusable
/// workspace, a section this version cannot mirror yet. Its text says what to do.
public struct MirrorError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The exit code (spec §2.9 bits: 1 generic, 2 release, 4 operator, 8 additional, 16 helm).
    public var exitCode: Int32

    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
