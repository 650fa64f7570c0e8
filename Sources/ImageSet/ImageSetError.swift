/// Why an image set configuration could not be loaded: the file could not be read, or it holds
/// problems, all of which are listed (sorted by position) so they can be fixed in one go.
public struct ImageSetError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for code that reacts differently to each.
    public enum Kind: String, Sendable {
        /// The file is missing, a directory, or unreadable; ``message`` says which.
        case unreadableFile
        /// The file was read and holds at least one problem; see ``diagnostics``.
        case invalidConfiguration
    }

    /// What went wrong.
    public let kind: Kind
    /// The file as the user named it.
    public let file: String
    /// Every problem found, sorted by position; empty for ``Kind/unreadableFile``.
    public let diagnostics: [Diagnostic]
    /// For ``Kind/unreadableFile``: names the path and the reason.
    public let message: String
    /// The warnings found on the way (an image that would be skipped…), sorted by position, so
    /// one pass over the file fixes everything.
    public let warnings: [Diagnostic]

    /// An error listing `diagnostics` and `warnings`, which are sorted here.
    public init(file: String, diagnostics: [Diagnostic], warnings: [Diagnostic] = []) {
        kind = .invalidConfiguration
        self.file = file
        self.diagnostics = diagnostics.sortedByPosition()
        self.warnings = warnings.sortedByPosition()
        let count = diagnostics.count
        message = "\(file): \(count) problem\(count == 1 ? "" : "s") in the image set configuration"
    }

    /// An error for a file that could not be read.
    public init(unreadableFile file: String, reason: String) {
        kind = .unreadableFile
        self.file = file
        diagnostics = []
        warnings = []
        message = "cannot read image set configuration '\(file)': \(reason)"
    }

    /// One diagnostic per line (with its hint), warnings among them by position as
    /// `warning: FILE:LINE:COLUMN: …`, or the read failure.
    public var description: String {
        switch kind {
        case .unreadableFile: message
        case .invalidConfiguration:
            (diagnostics.map { ($0, "") } + warnings.map { ($0, "warning: ") })
                .enumerated()
                .sorted { ($0.element.0.mark, $0.offset) < ($1.element.0.mark, $1.offset) }
                .map { $0.element.1 + $0.element.0.description }
                .joined(separator: "\n")
        }
    }
}
