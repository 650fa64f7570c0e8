/// The path of a field in a configuration, as a person reads it:
/// `mirror.operators[0].packages[1].channels[0].minVersion`. Empty for the document itself.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The dotted text.
    public let description: String

    /// The document itself.
    public static let root = FieldPath("")

    /// A path from its text.
    public init(_ text: String) {
        description = text
    }

    /// A path written as a literal, `"mirror.operators[0]"`.
    public init(stringLiteral value: String) {
        description = value
    }

    /// Whether this is the document itself.
    public var isRoot: Bool { description.isEmpty }

    /// The path of the field `key` of this mapping.
    public func key(_ key: String) -> FieldPath {
        FieldPath(isRoot ? key : "\(description).\(key)")
    }

    /// The path of item `index` of this list.
    public func index(_ index: Int) -> FieldPath {
        FieldPath("\(description)[\(index)]")
    }
}
