/// The one error type of the OCI value model: a kind to match on, and a message for a person.
///
/// Messages quote the offending input and say what was expected, because these errors reach the
/// user unchanged (a bad image reference in a config file, a corrupt manifest from a registry).
public struct OCIError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for code that reacts differently to each.
    public enum Kind: String, Sendable {
        case invalidDigest
        case invalidReference
        case invalidMediaType
        case invalidManifest
        case digestMismatch
        case invalidPlatform
        case unsupportedManifest
    }

    /// What went wrong.
    public let kind: Kind
    /// Names the offending input and says what is expected.
    public let message: String

    /// Creates an error of `kind` with a message for a person.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Quotes user input in an error message, so empty strings and spaces stay visible.
func quoted(_ text: some StringProtocol) -> String {
    "\"\(text)\""
}
