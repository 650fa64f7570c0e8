import CArchive
import Foundation
import OCI

/// Layers of several files and directories (release manifests, the graph-data tarball), written
/// as ustar with libarchive and gzip-compressed like every lab layer.
///
/// Deterministic: entries keep the order given, owner root:root, modes 0755/0644, mtime 0, so the
/// same entries always give the same bytes and digest.
enum TarLayer {
    struct Entry: Sendable {
        enum Kind: Sendable {
            case directory
            case file(Data)
        }

        var path: String
        var kind: Kind

        static func directory(_ path: String) -> Entry { Entry(path: path, kind: .directory) }
        static func file(_ path: String, _ contents: Data) -> Entry { Entry(path: path, kind: .file(contents)) }
        static func file(_ path: String, _ text: String) -> Entry { Entry(path: path, kind: .file(Data(text.utf8))) }

        /// An OCI whiteout: an empty `.wh.<name>` next to the path it deletes from lower layers.
        static func whiteout(of path: String) -> Entry {
            let parent = (path as NSString).deletingLastPathComponent
            let name = ".wh." + (path as NSString).lastPathComponent
            return Entry(path: parent.isEmpty ? name : "\(parent)/\(name)", kind: .file(Data()))
        }
    }

    /// The uncompressed tar of `entries`.
    static func tarball(_ entries: [Entry]) throws -> Data {
        guard let archive = archive_write_new() else { throw LabError.archive("libarchive: archive_write_new failed") }
        defer { archive_write_free(archive) }
        func check(_ status: Int32, _ what: String) throws {
            if status < ARCHIVE_OK {
                let message = archive_error_string(archive).map { String(cString: $0) } ?? "error \(status)"
                throw LabError.archive("libarchive \(what): \(message)")
            }
        }
        try check(archive_write_set_format_ustar(archive), "ustar format")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "block size")
        // A header per entry, contents padded to 512, two zero blocks at the end.
        let capacity = entries.reduce(1024) { total, entry in
            guard case .file(let data) = entry.kind else { return total + 512 }
            return total + 512 + (data.count + 511) / 512 * 512
        } + 10_240
        var output = Data(count: capacity)
        var used = 0
        try output.withUnsafeMutableBytes { buffer in
            try check(archive_write_open_memory(archive, buffer.baseAddress, buffer.count, &used), "open")
            for entry in entries {
                guard let header = archive_entry_new() else { throw LabError.archive("libarchive: archive_entry_new failed") }
                defer { archive_entry_free(header) }
                archive_entry_set_pathname(header, entry.path)
                archive_entry_set_uid(header, 0)
                archive_entry_set_gid(header, 0)
                archive_entry_set_mtime(header, 0, 0)
                switch entry.kind {
                case .directory:
                    archive_entry_set_filetype(header, CARCHIVE_AE_IFDIR)
                    archive_entry_set_perm(header, 0o755)
                    archive_entry_set_size(header, 0)
                    try check(archive_write_header(archive, header), "header of \(entry.path)")
                case .file(let contents):
                    archive_entry_set_filetype(header, CARCHIVE_AE_IFREG)
                    archive_entry_set_perm(header, 0o644)
                    archive_entry_set_size(header, la_int64_t(contents.count))
                    try check(archive_write_header(archive, header), "header of \(entry.path)")
                    try contents.withUnsafeBytes { source in
                        var offset = 0
                        while offset < source.count {
                            let written = archive_write_data(archive, source.baseAddress! + offset, source.count - offset)
                            guard written > 0 else { throw LabError.archive("write of \(entry.path) made no progress") }
                            offset += written
                        }
                    }
                }
            }
            try check(archive_write_close(archive), "close")
        }
        return output.prefix(used)
    }

    /// The `tar+gzip` layer of `entries` and its diff ID.
    static func make(_ entries: [Entry]) throws -> LayerArchive.Layer {
        let tar = try tarball(entries)
        return LayerArchive.Layer(compressed: try LayerArchive.gzip(tar), diffID: Digest.sha256(tar))
    }
}
