/// The one error type of the cluster-resource generators: a kind to match on, and a message for a
/// person.
///
/// Messages name the document, key or value at fault and say what was expected, because they
/// reach the user unchanged (a mirror set file that does not read back, a YAML syntax error).
public struct ClusterResourcesError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for code that reacts differently to each.
    public enum Kind: String, Sendable {
        /// libyaml refused to write or read the text (its own problem text is in the message).
        case yaml
        /// The YAML is well formed but does not describe the expected object.
        case invalidDocument
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
