/// A configuration that loaded, with the warnings found on the way (an unknown `apiVersion`,
/// a YAML 1.1 boolean such as `yes`). Warnings are diagnostics too, sorted by position.
public struct Loaded<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The configuration.
    public var value: Value
    /// Things worth telling the user that do not stop the run.
    public var warnings: [Diagnostic]

    /// Creates a result; `warnings` are sorted by position here.
    public init(value: Value, warnings: [Diagnostic]) {
        self.value = value
        self.warnings = warnings.sortedByPosition()
    }
}
