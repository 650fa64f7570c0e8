/// One problem in a configuration file, printed as `FILE:LINE:COLUMN: path.to.field: message`,
/// then `  hint: …` on its own line when there is a hint.
///
/// The path is left out (`FILE:LINE:COLUMN: message`) for problems that belong to no field,
/// such as a YAML syntax error.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public var mark: SourceMark
    /// Which field it is about.
    public var path: FieldPath
    /// What is wrong, quoting the offending value.
    public var message: String
    /// What to do about it, when that is not obvious from the message.
    public var hint: String?

    /// Creates a diagnostic.
    public init(mark: SourceMark, path: FieldPath, message: String, hint: String? = nil) {
        self.mark = mark
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// The first line: `FILE:LINE:COLUMN: path: message`.
    public var summary: String {
        path.isRoot ? "\(mark): \(message)" : "\(mark): \(path): \(message)"
    }

    /// The summary, and the hint on a second line.
    public var description: String {
        guard let hint else { return summary }
        return "\(summary)\n  hint: \(hint)"
    }
}

extension Array where Element == Diagnostic {
    /// Sorted by position; problems at the same position keep the order they were found in.
    func sortedByPosition() -> [Diagnostic] {
        enumerated()
            .sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }
            .map(\.element)
    }
}
