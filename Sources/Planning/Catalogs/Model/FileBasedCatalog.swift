import Foundation

/// A file-based catalog (FBC): the packages, channels and bundles of an operator catalog image,
/// as read from its `configs` directory. Every blob keeps the bytes it was read as.
///
/// Source: operator-registry `alpha/declcfg` (`LoadFS`, `DeclarativeConfig`); spec §5.1–5.2.
public struct FileBasedCatalog: Sendable, Hashable {
    /// By package name.
    public var packages: [String: CatalogPackage]
    /// Blobs of other schemas that name no package; kept in every filtered catalog, as
    /// oc-mirror does.
    public var unattached: [CatalogBlob]

    /// An empty catalog.
    public init() {
        packages = [:]
        unattached = []
    }

    /// The largest single catalog object read by default: far above any real bundle (the
    /// largest, with their CRDs and CSV inline, are a few MiB), low enough that a hostile file
    /// cannot take the memory.
    public static let defaultMaxObjectBytes = 128 << 20

    /// Reads the catalog under `directory` (every file below it; see ``CatalogDirectoryReader``).
    /// - Parameter maxObjectBytes: the largest single catalog object (JSON object or YAML
    ///   document) accepted; default 128 MiB.
    /// - Throws: ``CatalogLoadError`` naming the file, the byte offset (JSON) or line (YAML),
    ///   and the package or bundle at fault.
    /// Files are read one at a time and parsed as a stream (``CatalogFileParser``): memory holds
    /// the blobs read so far and one object being read, never a whole file; each blob keeps a
    /// copy of its own bytes.
    public static func load(from directory: URL, maxObjectBytes: Int = defaultMaxObjectBytes) throws(CatalogLoadError) -> FileBasedCatalog {
        var catalog = FileBasedCatalog()
        let buffer = CatalogReadBuffer()
        try CatalogDirectoryReader.forEachOpenFile(under: directory) { path, descriptor throws(CatalogLoadError) in
            try CatalogFileParser.forEachBlob(in: .descriptor(descriptor), file: path, maxObjectBytes: maxObjectBytes,
                                              buffer: buffer) { blob throws(CatalogLoadError) in
                try catalog.add(blob)
            }
        }
        return catalog
    }

    /// Builds a catalog from files already in memory (the order of `files` does not matter for
    /// the content, only for which of two duplicates is reported first).
    /// - Throws: ``CatalogLoadError``, as ``load(from:)``.
    public init(files: [CatalogFile]) throws(CatalogLoadError) {
        self.init()
        for file in files {
            for blob in try CatalogFileParser.blobs(in: file.bytes, file: file.path) {
                try add(blob)
            }
        }
    }

    /// Package names, sorted.
    public var packageNames: [String] { packages.keys.sorted() }

    /// Number of bundles over all packages.
    public var bundleCount: Int { packages.values.reduce(0) { $0 + $1.bundles.count } }

    /// Number of channels over all packages.
    public var channelCount: Int { packages.values.reduce(0) { $0 + $1.channels.count } }

    /// Files blobs into their package; a second package, channel or bundle of the same name is
    /// an error (operator-registry refuses it when it builds its model).
    mutating func add(_ decoded: DecodedBlob) throws(CatalogLoadError) {
        let blob = decoded.blob
        func duplicate(_ what: String, first: CatalogBlob) -> CatalogLoadError {
            CatalogLoadError(.duplicate, file: blob.source.file, position: blob.source.position, subject: "package \(quoted(blob.package))",
                             message: "\(what) is defined twice (first at \(first.source))")
        }
        if case .other(let other) = decoded, other.package.isEmpty {
            unattached.append(other)
            return
        }
        var package = packages[blob.package] ?? CatalogPackage(name: blob.package)
        switch decoded {
        case .package(let value):
            if let first = package.package { throw duplicate("the olm.package blob", first: first.blob) }
            package.package = value
        case .channel(let value):
            if let first = package.channels[value.name] { throw duplicate("channel \(quoted(value.name))", first: first.blob) }
            package.channels[value.name] = value
        case .bundle(let value):
            if let first = package.bundles[value.name] { throw duplicate("bundle \(quoted(value.name))", first: first.blob) }
            package.bundles[value.name] = value
        case .deprecations(let value):
            package.deprecations.append(value)
        case .other(let value):
            package.others.append(value)
        }
        packages[blob.package] = package
    }
}
