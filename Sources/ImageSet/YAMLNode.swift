/// A YAML node with the position it was written at: what libyaml read, before any meaning is
/// given to it. Aliases are already replaced by the node their anchor names.
public struct YAMLNode: Hashable, Sendable {
    /// What the node holds.
    public indirect enum Content: Hashable, Sendable {
        /// A scalar: its text, how it was written, and its tag if one was given.
        case scalar(YAMLScalar)
        /// A mapping, keys in the order written. Keys are unique (duplicates are rejected).
        case mapping([YAMLMappingEntry])
        /// A sequence.
        case sequence([YAMLNode])
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts (for a block mapping, its first key).
    public var mark: SourceMark

    /// Creates a node.
    public init(_ content: Content, mark: SourceMark) {
        self.content = content
        self.mark = mark
    }

    /// The scalar, if this is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// Whether this is a null: `~`, `null`, an empty value, or the `!!null` tag.
    public var isNull: Bool { scalar?.isNull ?? false }

    /// The node at a path of mapping keys, if every step is a mapping that has the key.
    public func value(at keys: [String]) -> YAMLNode? {
        var node: YAMLNode? = self
        for key in keys {
            guard case .mapping(let entries)? = node?.content else { return nil }
            node = entries.first { $0.key.scalar?.value == key }?.value
        }
        return node
    }

    /// The items of a sequence; nil for a mapping or a scalar.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// A scalar's text.
    public var text: String? { scalar?.value }

    /// Whether this stands in for a node whose problem is already reported.
    var isPlaceholder: Bool { scalar?.tag == YAMLScalar.placeholderTag }

    /// Names the kind of node for an error message: "a mapping", "a list", "null", or the scalar
    /// with its type ("the string 'x'", "the boolean true", "the number 12").
    public var kindDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.kindDescription
        }
    }
}

/// One `key: value` pair of a mapping.
public struct YAMLMappingEntry: Hashable, Sendable {
    /// The key; always a scalar.
    public var key: YAMLNode
    /// The value.
    public var value: YAMLNode

    /// Creates an entry.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key's text.
    public var name: String { key.scalar?.value ?? "" }
}

/// A scalar's text and how it was written. Only plain scalars are read as booleans, numbers or
/// null (as in YAML 1.1 and Go's yaml→json); quoted and block scalars are always strings.
public struct YAMLScalar: Hashable, Sendable {
    /// How a scalar was written.
    public enum Style: Hashable, Sendable {
        case plain
        case singleQuoted
        case doubleQuoted
        /// `|`
        case literal
        /// `>`
        case folded
    }

    /// The text, with escapes and folding already applied.
    public var value: String
    /// How it was written.
    public var style: Style
    /// The resolved tag (`tag:yaml.org,2002:str` for `!!str`), if one was written.
    public var tag: String?

    /// Creates a scalar.
    public init(_ value: String, style: Style = .plain, tag: String? = nil) {
        self.value = value
        self.style = style
        self.tag = tag
    }

    static let stringTag = "tag:yaml.org,2002:str"
    static let nullTag = "tag:yaml.org,2002:null"
    /// Marks the stand-in for a node that could not be read (an unknown alias), whose problem
    /// is already reported: readers skip it silently rather than report it again.
    static let placeholderTag = "tag:ferry,placeholder"

    /// A stand-in for a node that could not be read.
    static let placeholder = YAMLScalar("", tag: placeholderTag)

    /// Whether only the text counts, whatever it looks like: quoted, block, or tagged `!!str`.
    public var isString: Bool { style != .plain || tag == Self.stringTag }

    /// Whether this is a null: an untagged plain `~`, `null`, `Null`, `NULL` or nothing, or `!!null`.
    public var isNull: Bool {
        if tag == Self.nullTag { return true }
        return !isString && ["", "~", "null", "Null", "NULL"].contains(value)
    }

    /// Names the scalar with the type a plain scalar resolves to, for error messages.
    public var kindDescription: String {
        if isNull { return "null" }
        if isString { return "the string '\(value)'" }
        if YAMLBoolean(plain: value) != nil { return "the boolean \(value)" }
        if Int64(value) != nil || Double(value) != nil { return "the number \(value)" }
        return "the string '\(value)'"
    }
}

/// The booleans Go's yaml→json (YAML 1.1) accepts in a plain scalar, and which of them a YAML
/// 1.2 reader would also take; the others get a warning.
struct YAMLBoolean {
    let value: Bool
    /// `true`/`false` in any of the three cases; the YAML 1.1-only words are `yes`, `on`, `y`….
    let isCore: Bool

    init?(plain text: String) {
        switch text {
        case "true", "True", "TRUE": (value, isCore) = (true, true)
        case "false", "False", "FALSE": (value, isCore) = (false, true)
        case "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": (value, isCore) = (true, false)
        case "no", "No", "NO", "off", "Off", "OFF", "n", "N": (value, isCore) = (false, false)
        default: return nil
        }
    }
}
