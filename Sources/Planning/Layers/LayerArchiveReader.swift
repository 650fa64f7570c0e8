import CArchive
import Foundation

/// Reads the entries of an image layer file (tar, gzip- or zstd-compressed or not) with
/// libarchive, one at a time, without unpacking anything to disk: the caller sees each entry's
/// normalized path and type and may ask for its content (bounded).
public struct LayerArchiveReader: Sendable {
    public enum EntryType: Sendable { case file, directory, link, other }

    public struct Entry {
        /// The path without a leading "./" or "/".
        public let path: String
        public let type: EntryType
        public let size: Int64
        fileprivate let archive: OpaquePointer

        /// The entry's bytes; refused past `limit` (a layer must not make us buffer gigabytes).
        public func contents(limit: Int = 64 << 20) throws(LayerArchiveError) -> Data {
            guard size <= Int64(limit) else {
                throw LayerArchiveError("\(path) is \(size) bytes, more than the \(limit) expected")
            }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if count == 0 { break }
                guard count > 0 else {
                    throw LayerArchiveError("\(path): \(archive_error_string(archive).map { String(cString: $0) } ?? "read error")")
                }
                data.append(contentsOf: buffer[0..<count])
                guard data.count <= limit else { throw LayerArchiveError("\(path) is larger than \(limit) bytes") }
            }
            return data
        }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` for each entry in order; `body` returns false to stop early.
    public func forEachEntry(_ body: (Entry) throws -> Bool) throws {
        guard let archive = archive_read_new() else { throw LayerArchiveError("libarchive: archive_read_new failed") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        guard archive_read_open_filename(archive, path, 64 << 10) == ARCHIVE_OK else {
            throw LayerArchiveError("cannot read the layer: \(archive_error_string(archive).map { String(cString: $0) } ?? "unknown error")")
        }
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw LayerArchiveError("corrupt layer: \(archive_error_string(archive).map { String(cString: $0) } ?? "unknown error")")
            }
            let raw = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let type: EntryType
            switch archive_entry_filetype(entry) {
            case CARCHIVE_AE_IFREG: type = archive_entry_hardlink(entry) == nil ? .file : .link
            case CARCHIVE_AE_IFDIR: type = .directory
            case CARCHIVE_AE_IFLNK: type = .link
            default: type = .other
            }
            let item = Entry(path: Self.normalized(raw), type: type, size: archive_entry_size(entry), archive: archive)
            guard try body(item) else { return }
        }
    }

    /// `./a/b/` and `/a/b` both become `a/b`.
    static func normalized(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}

public struct LayerArchiveError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
