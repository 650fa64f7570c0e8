import CArchive
import Foundation
import OCI

/// Real layer blobs for the lab: a tar stream holding one file, gzip-compressed with libarchive,
/// so that other tools (skopeo, container runtimes) see ordinary `tar+gzip` layers and keep their
/// digests. Deterministic: fixed names, modes and times, no gzip timestamp.
enum LayerArchive {
    struct Layer {
        /// The `tar+gzip` blob.
        var compressed: Data
        /// SHA-256 of the uncompressed tar: the config's `rootfs.diff_ids` entry.
        var diffID: Digest
    }

    /// A layer whose single file `path` holds `size` pseudo-random bytes from `seed`.
    static func make(path: String, size: Int, seed: UInt64) throws -> Layer {
        let tar = tarball(path: path, size: size, seed: seed)
        return Layer(compressed: try gzip(tar), diffID: Digest.sha256(tar))
    }

    /// A ustar stream with one regular file, written directly: header, content, padding, and
    /// the two zero blocks that end an archive.
    static func tarball(path: String, size: Int, seed: UInt64) -> Data {
        let padded = (size + 511) / 512 * 512
        var tar = Data(count: 512 + padded + 1024)
        tar.withUnsafeMutableBytes { raw in
            func put(_ text: String, at offset: Int, width: Int) {
                for (i, byte) in text.utf8.prefix(width).enumerated() { raw[offset + i] = byte }
            }
            func octal(_ value: Int, at offset: Int, width: Int) {
                put(String(String(value, radix: 8).suffix(width - 1)).leftPadded(to: width - 1), at: offset, width: width - 1)
            }
            put(path, at: 0, width: 100)
            octal(0o644, at: 100, width: 8)        // mode
            octal(0, at: 108, width: 8)            // uid
            octal(0, at: 116, width: 8)            // gid
            octal(size, at: 124, width: 12)        // size
            octal(0, at: 136, width: 12)           // mtime: fixed, for reproducible blobs
            put("        ", at: 148, width: 8)     // checksum field counts as spaces while summing
            put("0", at: 156, width: 1)            // regular file
            put("ustar\u{0}00", at: 257, width: 8)
            let checksum = raw[0..<512].reduce(0) { $0 + Int($1) }
            put(String(String(checksum, radix: 8)).leftPadded(to: 6) + "\u{0} ", at: 148, width: 8)
            SyntheticContent.fill(UnsafeMutableRawBufferPointer(rebasing: raw[512..<(512 + size)]), seed: seed)
        }
        return tar
    }

    /// gzip with no timestamp, at level 0 (stored blocks): still a valid gzip stream that every
    /// tool reads as such, and the lab's random content would not compress anyway; deflating it
    /// at level 1 made seeding the benchmark set take a minute instead of seconds.
    static func gzip(_ input: Data) throws -> Data {
        guard let archive = archive_write_new() else { throw LabError.archive("libarchive: archive_write_new failed") }
        defer { archive_write_free(archive) }
        func check(_ status: Int32, _ what: String) throws {
            if status < ARCHIVE_OK {
                let message = archive_error_string(archive).map { String(cString: $0) } ?? "error \(status)"
                throw LabError.archive("libarchive \(what): \(message)")
            }
        }
        try check(archive_write_add_filter_gzip(archive), "gzip filter")
        try check(archive_write_set_format_raw(archive), "raw format")
        try check(archive_write_set_options(archive, "gzip:compression-level=0,gzip:!timestamp"), "gzip options")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "block size")
        // Random content does not compress: the output is the input plus deflate's framing.
        var output = Data(count: input.count + input.count / 100 + 65_536)
        var used = 0
        try output.withUnsafeMutableBytes { buffer in
            try check(archive_write_open_memory(archive, buffer.baseAddress, buffer.count, &used), "open")
            guard let entry = archive_entry_new() else { throw LabError.archive("libarchive: archive_entry_new failed") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname(entry, "layer.tar")
            archive_entry_set_filetype(entry, CARCHIVE_AE_IFREG)
            archive_entry_set_size(entry, la_int64_t(input.count))
            try check(archive_write_header(archive, entry), "header")
            try input.withUnsafeBytes { source in
                var offset = 0
                while offset < source.count {
                    let written = archive_write_data(archive, source.baseAddress! + offset, source.count - offset)
                    guard written > 0 else {
                        throw LabError.archive("write: " + (archive_error_string(archive).map { String(cString: $0) } ?? "no progress"))
                    }
                    offset += written
                }
            }
            try check(archive_write_close(archive), "close")
        }
        return output.prefix(used)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
