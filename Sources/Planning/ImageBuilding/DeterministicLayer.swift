import CArchive
import Foundation
import OCI

/// An image layer built from files in memory, deterministically: sorted entries, owned by root,
/// files 0644 and directories 0755, every timestamp 0, gzip without a timestamp or name — the
/// same content always gives the same digest (a rebuilt catalog or graph image is reused as is).
public struct DeterministicLayer: Sendable {
    /// The gzip-compressed layer.
    public var compressed: Data
    /// The digest of the uncompressed tar: the image config's diff ID.
    public var diffID: Digest

    /// - Parameters:
    ///   - directories: directory entries (parents are not added implicitly).
    ///   - files: path → content.
    ///   - whiteouts: paths to hide from lower layers (written as `.wh.<name>` entries).
    public init(directories: [String], files: [(String, Data)], whiteouts: [String] = []) throws(LayerArchiveError) {
        var names = files
        for path in whiteouts {
            let parent = (path as NSString).deletingLastPathComponent
            let name = ".wh." + (path as NSString).lastPathComponent
            names.append((parent.isEmpty ? name : "\(parent)/\(name)", Data()))
        }
        let tar = try Self.tar(directories: directories, files: names)
        diffID = Digest.sha256(tar)
        compressed = try Self.gzip(tar)
    }

    /// The media type of such a layer in a Docker or an OCI image.
    public static func mediaType(docker: Bool) -> MediaType { docker ? .dockerLayerGzip : .ociLayerGzip }

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
                guard written else { throw LayerArchiveError("cannot write \(path) into the layer") }
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
