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

    /// An error listing `diagnostics`, which are sorted here.
    public init(file: String, diagnostics: [Diagnostic]) {
        kind = .invalidConfiguration
        self.file = file
        self.diagnostics = diagnostics.sortedByPosition()
        let count = diagnostics.count
        message = "\(file): \(count) problem\(count == 1 ? "" : "s") in the image set configuration"
    }

    /// An error for a file that could not be read.
    public init(unreadableFile file: String, reason: String) {
        kind = .unreadableFile
        self.file = file
        diagnostics = []
        message = "cannot read image set configuration '\(file)': \(reason)"
    }

    /// One diagnostic per line (with its hint), or the read failure.
    public var description: String {
        switch kind {
        case .unreadableFile: message
        case .invalidConfiguration: diagnostics.map(\.description).joined(separator: "\n")
        }
    }
}
