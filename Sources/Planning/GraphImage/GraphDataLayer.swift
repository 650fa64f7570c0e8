import CArchive
import Foundation
import OCI

/// The graph-data layer of the graph image (spec §4.7): the content of the update service's
/// graph-data tarball under `/var/lib/cincinnati-graph-data/`, owned by root, files 0644 and
/// directories 0755, every timestamp 0 — so the same graph data always gives the same layer.
struct GraphDataLayer {
    static let root = "var/lib/cincinnati-graph-data"

    /// The gzip-compressed layer and the digest of its uncompressed tar (the image config's diff ID).
    var compressed: Data
    var diffID: Digest

    /// Graph data is a few megabytes; more than this is refused.
    static let maxBytes = 512 << 20

    init(graphData tarball: URL) throws(LayerArchiveError) {
        // Collect the entries first (files in memory, bounded), then write them re-rooted.
        var entries: [(path: String, contents: Data?)] = []
        var total = 0
        do {
            try LayerArchiveReader(path: tarball.path).forEachEntry { entry in
                guard !entry.path.isEmpty, !entry.path.split(separator: "/").contains("..") else { return true }
                switch entry.type {
                case .directory: entries.append((entry.path, nil))
                case .file:
                    let data = try entry.contents(limit: Self.maxBytes)
                    total += data.count
                    guard total <= Self.maxBytes else { throw LayerArchiveError("the graph data is larger than \(Self.maxBytes) bytes") }
                    entries.append((entry.path, data))
                case .link, .other: break   // the graph data is plain files
                }
                return true
            }
        } catch let error as LayerArchiveError {
            throw error
        } catch {
            throw LayerArchiveError("\(error)")
        }
        guard entries.contains(where: { $0.contents != nil }) else {
            throw LayerArchiveError("the graph-data archive holds no files")
        }
        var directories = ["var", "var/lib", Self.root]
        for (path, contents) in entries where contents == nil { directories.append("\(Self.root)/\(path)") }
        let files = entries.compactMap { entry in entry.contents.map { ("\(Self.root)/\(entry.path)", $0) } }
        let tar = try Self.tar(directories: directories, files: files)
        diffID = Digest.sha256(tar)
        compressed = try Self.gzip(tar)
    }

    private static func tar(directories: [String], files: [(String, Data)]) throws(LayerArchiveError) -> Data {
        try write(format: { archive_write_set_format_pax_restricted($0) }, filter: nil) { (archive) throws(LayerArchiveError) in
            var seen = Set<String>()
            for directory in directories where seen.insert(directory).inserted {
                try header(archive, path: directory, type: CARCHIVE_AE_IFDIR, mode: 0o755, size: 0)
            }
            for (path, data) in files.sorted(by: { $0.0 < $1.0 }) {
                try header(archive, path: path, type: CARCHIVE_AE_IFREG, mode: 0o644, size: data.count)
                let written = data.withUnsafeBytes { bytes in
                    bytes.count == 0 || archive_write_data(archive, bytes.baseAddress, bytes.count) == bytes.count
                }
                guard written else { throw LayerArchiveError("cannot write \(path) into the graph-data layer") }
            }
        }
    }

    /// gzip without a timestamp or file name, so the bytes depend on the content only.
    private static func gzip(_ data: Data) throws(LayerArchiveError) -> Data {
        try write(format: { archive_write_set_format_raw($0) }, filter: "gzip:!timestamp") { (archive) throws(LayerArchiveError) in
            try header(archive, path: "layer.tar", type: CARCHIVE_AE_IFREG, mode: 0o644, size: data.count)
            let written = data.withUnsafeBytes { bytes in
                archive_write_data(archive, bytes.baseAddress, bytes.count) == bytes.count
            }
            guard written else { throw LayerArchiveError("cannot compress the graph-data layer") }
        }
    }

    private static func header(_ archive: OpaquePointer, path: String, type: UInt32, mode: UInt32, size: Int) throws(LayerArchiveError) {
        guard let entry = archive_entry_new() else { throw LayerArchiveError("libarchive: archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, path)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(mode))
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        archive_entry_set_uname(entry, "root")
        archive_entry_set_gname(entry, "root")
        archive_entry_set_mtime(entry, 0, 0)
        archive_entry_set_size(entry, la_int64_t(size))
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw LayerArchiveError("libarchive: \(archive_error_string(archive).map { String(cString: $0) } ?? "header of \(path)")")
        }
    }

    /// Runs `body` against a libarchive writer into memory and returns what it wrote.
    private static func write(format: (OpaquePointer) -> Int32, filter: String?,
                              _ body: (OpaquePointer) throws(LayerArchiveError) -> Void) throws(LayerArchiveError) -> Data {
        guard let archive = archive_write_new() else { throw LayerArchiveError("libarchive: archive_write_new failed") }
        defer { archive_write_free(archive) }
        guard format(archive) == ARCHIVE_OK else { throw LayerArchiveError("libarchive: cannot set the format") }
        if let filter {
            guard archive_write_add_filter_gzip(archive) == ARCHIVE_OK,
                  archive_write_set_options(archive, filter) == ARCHIVE_OK else {
                throw LayerArchiveError("libarchive: cannot set up gzip")
            }
        }
        archive_write_set_bytes_in_last_block(archive, 1)
        // The output grows through a callback, so no size has to be guessed.
        final class Sink { var data = Data() }
        let sink = Sink()
        let opened = archive_write_open2(archive, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, context, buffer, length in
            guard let context, let buffer else { return -1 }
            Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue().data.append(buffer.assumingMemoryBound(to: UInt8.self), count: length)
            return la_ssize_t(length)
        }, nil, nil)
        guard opened == ARCHIVE_OK else { throw LayerArchiveError("libarchive: cannot open the writer") }
        try body(archive)
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw LayerArchiveError("libarchive: \(archive_error_string(archive).map { String(cString: $0) } ?? "close failed")")
        }
        return withExtendedLifetime(sink) { sink.data }
    }
}
