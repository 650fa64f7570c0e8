/// An `additionalImages` entry left out at load because of a problem in that entry alone (a
/// `name` that is not an image reference, an invalid `targetRepo` or `targetTag`): the rest of
/// the configuration is mirrored, as oc-mirror's collector does ("… : SKIPPING"). The loader also
/// reports it as a warning; the run lists it in `skipped-images.txt`.
public struct SkippedImage: Hashable, Sendable, CustomStringConvertible {
    /// `name` as written; "" when it is missing.
    public var name: String
    /// The entry, e.g. `mirror.additionalImages[2]`.
    public var path: FieldPath
    /// Where the entry was written.
    public var mark: SourceMark
    /// Why it is skipped, one reason per problem (each also a warning at its own position).
    public var reasons: [String]

    /// Creates a record.
    public init(name: String, path: FieldPath, mark: SourceMark, reasons: [String]) {
        self.name = name
        self.path = path
        self.mark = mark
        self.reasons = reasons
    }

    /// `FILE:LINE:COLUMN: path: NAME: reason; reason`.
    public var description: String {
        "\(mark): \(path): \(name.isEmpty ? "(no name)" : name): \(reasons.joined(separator: "; "))"
    }
}
