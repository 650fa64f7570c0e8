import Foundation

/// A YAML value as Kubernetes objects use it: JSON-like, string keys only.
///
/// Mappings are dictionaries because sigs.k8s.io/yaml (which `oc` and oc-mirror use) always
/// writes keys sorted; ``YAMLWriter`` sorts them the same way (``MappingKeyOrder``), so the order
/// they were built in cannot leak into a file.
public indirect enum YAMLNode: Hashable, Sendable {
    /// A string; written plain when YAML allows and it reads back as a string, quoted otherwise.
    case string(String)
    /// An integer, written plain.
    case integer(Int)
    /// `true` or `false`, written plain.
    case boolean(Bool)
    /// `null`.
    case null
    /// A block sequence (`[]` when empty).
    case sequence([YAMLNode])
    /// A block mapping (`{}` when empty), keys sorted on output.
    case mapping([String: YAMLNode])
}

extension YAMLNode {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The items, if this is a sequence.
    public var sequenceValue: [YAMLNode]? {
        if case .sequence(let items) = self { items } else { nil }
    }

    /// The entries, if this is a mapping.
    public var mappingValue: [String: YAMLNode]? {
        if case .mapping(let entries) = self { entries } else { nil }
    }

    /// A short name of the node's type, for error messages ("expected a mapping, found a string").
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .null: "null"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}

extension YAMLNode {
    /// The same value for `JSONSerialization` (a cluster resource written as JSON too).
    public var jsonObject: Any {
        switch self {
        case .string(let value): value
        case .integer(let value): value
        case .boolean(let value): value
        case .null: NSNull()
        case .sequence(let items): items.map(\.jsonObject)
        case .mapping(let entries): entries.mapValues(\.jsonObject)
        }
    }
}
