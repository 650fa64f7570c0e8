/// Where something was written: `file:line:column`, both numbers 1-based, as editors count them.
///
/// Kept on the configuration values that later steps report about (an additional image that
/// does not exist, a package missing from its catalog), so their errors point into the file.
public struct SourceMark: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The file name as the user gave it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    /// Creates a mark.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `"file:line:column"`.
    public var description: String { "\(file):\(line):\(column)" }

    /// `"line:column"`, for pointing elsewhere in the same file ("first at 3:5").
    public var lineAndColumn: String { "\(line):\(column)" }

    /// Orders by file, then position.
    public static func < (lhs: SourceMark, rhs: SourceMark) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
