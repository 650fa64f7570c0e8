import Foundation

extension FileBasedCatalog {
    /// The files of the catalog as `opm` lays out a catalog directory (`declcfg.WriteFS`): one
    /// `<package>/catalog.json` per package, and `catalog.json` at the root for blobs that name
    /// no package. Each file is the package's blobs, each followed by a newline: the
    /// `olm.package`, its channels by name, its bundles by name, blobs of other schemas (by
    /// schema, name, then bytes), then deprecations (by bytes). A blob is written with the bytes
    /// it was read as (or as the filter edited it), so the output depends on the catalog's
    /// content, not on the order of the files it was read from. Sorted by path.
    /// - Throws: ``CatalogWriteError`` for a package name that cannot be a directory name.
    public func catalogFiles() throws(CatalogWriteError) -> [CatalogFile] {
        var files: [CatalogFile] = []
        for name in packageNames {
            guard let package = packages[name] else { continue }
            guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
                throw CatalogWriteError(path: name, message: "the package name \(quoted(name)) cannot be a directory name")
            }
            var blobs: [CatalogBlob] = []
            if let olmPackage = package.package { blobs.append(olmPackage.blob) }
            blobs += package.channels.keys.sorted().compactMap { package.channels[$0]?.blob }
            blobs += package.bundles.keys.sorted().compactMap { package.bundles[$0]?.blob }
            blobs += Self.sortedOthers(package.others)
            blobs += package.deprecations.map(\.blob).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            files.append(CatalogFile(path: "\(name)/catalog.json", bytes: Self.joined(blobs)))
        }
        if !unattached.isEmpty {
            files.append(CatalogFile(path: "catalog.json", bytes: Self.joined(Self.sortedOthers(unattached))))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Writes ``catalogFiles()`` under `directory` (the catalog root, which becomes `/configs`
    /// in a rebuilt catalog image), creating it and the package directories; each file is
    /// written atomically. Files already there with other names are left alone: give it an
    /// empty directory.
    /// - Throws: ``CatalogWriteError`` naming the file that could not be written.
    public func write(to directory: URL) throws(CatalogWriteError) {
        let files = try catalogFiles()
        let manager = FileManager.default
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url, options: .atomic)
            } catch {
                throw CatalogWriteError(path: url.path, message: "cannot write: \(error.localizedDescription)")
            }
        }
    }

    private static func sortedOthers(_ blobs: [CatalogBlob]) -> [CatalogBlob] {
        blobs.sorted { a, b in
            if a.schema != b.schema { return a.schema < b.schema }
            if a.name != b.name { return a.name < b.name }
            return a.bytes.lexicographicallyPrecedes(b.bytes)
        }
    }

    private static func joined(_ blobs: [CatalogBlob]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blobs.reduce(0) { $0 + $1.bytes.count + 1 })
        for blob in blobs {
            bytes.append(contentsOf: blob.bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
