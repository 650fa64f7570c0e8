/// A catalog that could not be read: which file, where in it, which package or bundle when the
/// problem is about one, and what is wrong.
public struct CatalogLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The directory or a file could not be read.
        case unreadable
        /// Not JSON or YAML: a syntax error.
        case syntax
        /// Valid JSON or YAML that is not a valid blob: a missing schema, package or name, a
        /// field of the wrong type.
        case invalidBlob
        /// A package, channel or bundle defined twice.
        case duplicate
        /// One object (a JSON object, a YAML document) larger than the limit of one catalog object.
        case tooLarge
    }

    public var kind: Kind
    /// The file, relative to the catalog root (the root itself for `unreadable` directories).
    public var file: String
    /// Where in the file: the byte offset (JSON) or the line (YAML) of the problem.
    public var position: BlobSource.Position?
    /// `package "etcd", bundle "etcd.v0.9.4"`, when known.
    public var subject: String?
    public var message: String

    public init(_ kind: Kind, file: String, position: BlobSource.Position? = nil, subject: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.position = position
        self.subject = subject
        self.message = message
    }

    /// `etcd/catalog.json at byte 1234: package "etcd", bundle "etcd.v0.9.4": relatedImages[1].image: expected a string, found a number`.
    public var description: String {
        var text = position.map { BlobSource(file: file, position: $0).description } ?? file
        if let subject { text += ": \(subject)" }
        return text + ": " + message
    }
}
