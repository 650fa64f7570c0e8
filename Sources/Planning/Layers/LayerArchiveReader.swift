import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

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
        /// What every byte read out of the layer is counted against, when set.
        fileprivate let budget: ExtractionBudget?

        /// The entry's bytes; refused past `limit` (a layer must not make us buffer gigabytes)
        /// and past the extraction budget.
        public func contents(limit: Int = 64 << 20) throws(LayerArchiveError) -> Data {
            guard size <= Int64(limit) else {
                throw LayerArchiveError("\(path) is \(size) bytes, more than the \(limit) expected")
            }
            try budget?.check(path: path, upcoming: size)
            var data = Data()
            try stream { chunk throws(LayerArchiveError) in
                guard data.count + chunk.count <= limit else { throw LayerArchiveError("\(path) is larger than \(limit) bytes") }
                data.append(contentsOf: chunk)
            }
            return data
        }

        /// Streams the entry's bytes into a new file at `destination` (replacing a regular file
        /// there, never following a symbolic link), 64 KiB at a time: nothing is held whole in
        /// memory, and no byte past `limit` or past the extraction budget is written.
        public func write(to destination: URL, limit: Int64 = .max) throws(LayerArchiveError) {
            guard size <= limit else {
                throw LayerArchiveError("\(path) is \(size) bytes, more than the \(limit) expected")
            }
            try budget?.check(path: path, upcoming: size)
            let descriptor = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw LayerArchiveError("\(path): cannot create \(destination.path): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var total: Int64 = 0
            try stream { chunk throws(LayerArchiveError) in
                total += Int64(chunk.count)
                guard total <= limit else { throw LayerArchiveError("\(path) is larger than \(limit) bytes") }
                var offset = 0
                while offset < chunk.count {
                    let written = systemWrite(descriptor, chunk.baseAddress! + offset, chunk.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw LayerArchiveError("\(path): cannot write \(destination.path): \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
        }

        /// Hands the entry's bytes to `body` chunk by chunk, each counted against the budget
        /// before `body` sees it.
        private func stream(_ body: (UnsafeRawBufferPointer) throws(LayerArchiveError) -> Void) throws(LayerArchiveError) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
                if count == 0 { return }
                guard count > 0 else {
                    throw LayerArchiveError("\(path): \(archive_error_string(archive).map { String(cString: $0) } ?? "read error")")
                }
                try budget?.take(count, path: path)
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` for each entry in order; `body` returns false to stop early. Content read
    /// from the entries is counted against `budget` when one is given.
    public func forEachEntry(budget: ExtractionBudget? = nil, _ body: (Entry) throws -> Bool) throws {
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
            let item = Entry(path: Self.normalized(raw), type: type, size: archive_entry_size(entry),
                             archive: archive, budget: budget)
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
    /// The extraction budget (``ExtractionBudget``) refused the content.
    public var isBudgetExceeded: Bool
    /// One entry was refused (``EntryPathLimits``, or it could not be written): the message
    /// names the entry; the caller adds the image and the layer.
    public var isEntryRefused: Bool

    public init(_ description: String, budgetExceeded: Bool = false, entryRefused: Bool = false) {
        self.description = description
        self.isBudgetExceeded = budgetExceeded
        self.isEntryRefused = entryRefused
    }
}

/// What a layer entry's path may be to be written to disk: each name at most 255 bytes and the
/// whole path on disk at most 4095 (Linux's `NAME_MAX` and `PATH_MAX`, past which the system
/// refuses it), and at most 64 directories deep (real catalogs are three or four). A path past
/// them is refused with a message naming the entry (shortened) and the limit, never the
/// system's own error text.
public enum EntryPathLimits {
    public static let maxNameBytes = 255
    public static let maxPathBytes = 4095
    public static let maxDepth = 64

    /// What is wrong with writing the entry `path` at `destination` (its full path on disk), or nil.
    public static func problem(entry path: String, destination: String) -> String? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        if components.count > maxDepth {
            return "it is \(components.count) levels deep, more than the \(maxDepth) an extracted path may be"
        }
        if let long = components.first(where: { $0.utf8.count > maxNameBytes }) {
            return "it has a name of \(long.utf8.count) bytes, more than the \(maxNameBytes) a file name may have"
        }
        if destination.utf8.count > maxPathBytes {
            return "its path on disk would be \(destination.utf8.count) bytes, more than the \(maxPathBytes) a path may have"
        }
        return nil
    }

    /// `path` for messages: whole up to 100 bytes, else its start and end around `…`, with its length.
    public static func shortened(_ path: String) -> String {
        let count = path.utf8.count
        guard count > 100 else { return path }
        let scalars = path.unicodeScalars
        var text = String(String.UnicodeScalarView(scalars.prefix(48)))
        text += "…" + String(String.UnicodeScalarView(scalars.suffix(40)))
        return text + " (\(count) bytes)"
    }
}

/// The bytes one extraction (a catalog image's configs, a release payload's manifests) may
/// read out of its layers, over all its layers and files: a small layer can inflate to
/// gigabytes, so what streams out is counted and refused past the limit before it is written.
public final class ExtractionBudget {
    /// 1 GiB: several times the configs directory of the largest real operator index.
    public static let defaultLimit: Int64 = 1 << 30
    /// The command-line setting that raises or lowers the limit, for messages.
    public static let setting = "--max-extract-size"

    public let limit: Int64
    public private(set) var used: Int64 = 0

    public init(limit: Int64 = ExtractionBudget.defaultLimit) {
        self.limit = limit
    }

    /// Refuses an entry whose declared size alone would take the total past the limit, before
    /// any of it is written.
    func check(path: String, upcoming: Int64) throws(LayerArchiveError) {
        guard upcoming <= limit - used else { throw exceeded(path) }
    }

    /// Counts `count` bytes about to be written; throws, without counting them, past the limit.
    func take(_ count: Int, path: String) throws(LayerArchiveError) {
        guard Int64(count) <= limit - used else { throw exceeded(path) }
        used += Int64(count)
    }

    private func exceeded(_ path: String) -> LayerArchiveError {
        LayerArchiveError("\(path) would take what one extraction writes past \(ByteSize.format(limit)), "
                          + "the limit set by \(Self.setting) (default \(ByteSize.format(Self.defaultLimit)))",
                          budgetExceeded: true)
    }
}

/// Byte sizes as settings write them: `1GiB`, `512MiB`, `64KiB`, `1G`, `2GB`, `1048576`.
public enum ByteSize {
    /// Binary units for `K`, `Ki`, `KiB` (and M, G, T); decimal for `KB`, `MB`, `GB`, `TB`.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Int64
        switch unit {
        case "", "b": scale = 1
        case "k", "ki", "kib": scale = 1 << 10
        case "m", "mi", "mib": scale = 1 << 20
        case "g", "gi", "gib": scale = 1 << 30
        case "t", "ti", "tib": scale = 1 << 40
        case "kb": scale = 1_000
        case "mb": scale = 1_000_000
        case "gb": scale = 1_000_000_000
        case "tb": scale = 1_000_000_000_000
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }

    /// `1 GiB`, `512 MiB`, `1536 KiB`, `1000 bytes`: the largest binary unit that divides it.
    public static func format(_ bytes: Int64) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes > 0 && bytes % (1 << Int64(shift)) == 0 {
            return "\(bytes >> Int64(shift)) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
