/// Where a blob was read: the file (relative to the catalog root) and, in it, the byte offset
/// of the blob's `{` (JSON) or the line of its YAML document.
public struct BlobSource: Sendable, Hashable, CustomStringConvertible {
    /// A position in a file.
    public enum Position: Sendable, Hashable {
        /// 0-based byte offset in a JSON file.
        case byteOffset(Int)
        /// 1-based line (and column, when known) in a YAML file.
        case line(Int, column: Int? = nil)
    }

    /// The path below the catalog root, e.g. `etcd/catalog.json`.
    public var file: String
    public var position: Position

    public init(file: String, position: Position) {
        self.file = file
        self.position = position
    }

    /// `etcd/catalog.json at byte 1234` or `etcd/catalog.yaml:12`.
    public var description: String {
        switch position {
        case .byteOffset(let offset): "\(file) at byte \(offset)"
        case .line(let line, let column?): "\(file):\(line):\(column)"
        case .line(let line, nil): "\(file):\(line)"
        }
    }
}

/// One object of a file-based catalog (a "meta" in operator-registry's words), kept as the JSON
/// bytes it was read as, so that writing the catalog back reproduces it unchanged.
///
/// Blobs read from YAML are converted to compact JSON once, when read: their `bytes` are that
/// JSON. A blob the filter changes (a channel losing entries, a package with a new default
/// channel, pruned deprecations) gets new bytes with only that field's value replaced.
public struct CatalogBlob: Sendable, Hashable {
    /// `olm.package`, `olm.channel`, `olm.bundle`, `olm.deprecations` or any other schema.
    public var schema: String
    /// The package the blob belongs to: the `name` of an `olm.package`, else its `package`
    /// field (empty when it has none).
    public var package: String
    /// The `name` field, if any (empty otherwise).
    public var name: String
    /// The JSON text of the blob, exactly as read (or as edited by the filter).
    public var bytes: ArraySlice<UInt8>
    /// Where it was read.
    public var source: BlobSource

    public init(schema: String, package: String, name: String, bytes: ArraySlice<UInt8>, source: BlobSource) {
        self.schema = schema
        self.package = package
        self.name = name
        self.bytes = bytes
        self.source = source
    }

    /// The JSON text as a string (for tests and messages; catalogs are UTF-8).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The schema names the model types (operator-registry `declcfg`).
public enum CatalogSchema {
    public static let package = "olm.package"
    public static let channel = "olm.channel"
    public static let bundle = "olm.bundle"
    public static let deprecations = "olm.deprecations"
}
