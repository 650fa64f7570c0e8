import Distribution
import Foundation
import OCI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Extracts the file-based catalog of a catalog image (spec §5.1) into a directory, safely:
/// the directory comes from the image's `operators.operatorframework.io.index.configs.v1` label
/// (without it `/configs`, where opm puts catalogs, is tried with a note; neither is an error,
/// not "extract everything" as in oc-mirror); layers are applied as a
/// container runtime would (`LayerStack`: upper layers win, whiteouts and opaque directories
/// hide lower content), read from the top down so that nothing hidden is ever written; only regular files
/// and directories below the label's directory are written, with every path checked to stay
/// inside the target (no `..`, no absolute paths, no links followed or created).
///
/// Within a layer the last entry of a path wins, as with tar (a stale copy before the real
/// one is replaced). Files are streamed to disk, never held whole in memory, and all that one
/// extraction writes is bounded by `maxExtractBytes` (`--max-extract-size`, 1 GiB): the byte
/// that would go past it is refused, not written, with an error naming the image and layer.
public struct CatalogImageReader: Sendable {
    public static let configsLabel = "operators.operatorframework.io.index.configs.v1"
    /// One catalog file may not be larger than this (the parser streams it; this bounds the disk).
    public static let maxFileBytes: Int64 = 512 << 20

    public let scratchDirectory: URL
    /// What one extraction may write in all (``ExtractionBudget``).
    public let maxExtractBytes: Int64

    public init(scratchDirectory: URL, maxExtractBytes: Int64 = ExtractionBudget.defaultLimit) {
        self.scratchDirectory = scratchDirectory
        self.maxExtractBytes = maxExtractBytes
    }

    public struct Extracted: Sendable {
        /// The catalog directory inside the image (`configs`).
        public var configsPath: String
        /// Files written, relative to the target directory.
        public var files: [String]
        /// Entries left out (links, devices, unsafe names), for the log.
        public var skipped: [String]
        /// Things a person should know (the label was missing and /configs was used).
        public var notes: [String]
    }

    /// - Parameter target: the directory receiving the catalog's files (created; must be empty or absent).
    public func extract(_ catalog: ImageSource, into target: URL) async throws -> Extracted {
        // Catalog content is the same for every platform; take linux/amd64, else the first.
        let manifest = try await catalog.platformImage().manifest
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        let labels = try await catalog.labels(of: manifest, scratch: scratchDirectory)
        // Without the label, /configs (where opm puts catalogs) is tried, with a note; an image
        // with neither is not a file-based catalog.
        let labelled = labels[Self.configsLabel].flatMap { $0.isEmpty ? nil : $0 }
        let label = labelled ?? "/configs"
        let configs = Self.normalized(label)
        guard !configs.isEmpty, Self.isSafe(configs) else {
            throw PlanningError("\(catalog): the \(Self.configsLabel) label \"\(label)\" is not a usable directory")
        }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)

        var written = Set<String>()
        var skipped: [String] = []
        var notes: [String] = []
        let manager = FileManager.default
        /// Removes what an earlier entry of the same layer put at `destination` (the last entry wins).
        func replaceEarlier(_ destination: URL, _ relative: String, keepDirectory: Bool) throws {
            var status = stat()
            guard lstat(destination.path, &status) == 0 else { return }
            if status.st_mode & S_IFMT == S_IFDIR {
                if keepDirectory { return }
                written = written.filter { !$0.hasPrefix(relative + "/") }
            }
            try manager.removeItem(at: destination)
            written.remove(relative)
        }
        let layers = LayerStack(source: catalog, scratchDirectory: scratchDirectory, budget: ExtractionBudget(limit: maxExtractBytes))
        // Once an upper layer hid the whole catalog directory, nothing below it matters.
        try await layers.forEachVisibleEntry(of: manifest, done: { $0.hides(configs) }) { entry in
            let path = entry.path
            guard path.hasPrefix(configs + "/") else { return true }
            guard Self.isSafe(path) else {
                skipped.append("\(path) (unsafe name)")
                return true
            }
            let relative = String(path.dropFirst(configs.count + 1))
            let destination = target.appendingPathComponent(relative)
            // A path no file system takes (a 5,000-byte name, 2,000 folders) is refused by name and limit.
            if let problem = EntryPathLimits.problem(entry: path, destination: destination.path) {
                throw LayerArchiveError("\(EntryPathLimits.shortened(path)): \(problem)"
                                        + "\n  hint: no real catalog holds such a path; the catalog image is damaged or hostile",
                                        entryRefused: true)
            }
            try Self.onDisk(path) {
                switch entry.type {
                case .directory:
                    try replaceEarlier(destination, relative, keepDirectory: true)
                    try manager.createDirectory(at: destination, withIntermediateDirectories: true)
                case .file:
                    try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                    guard !Self.hasLink(in: destination.deletingLastPathComponent(), under: target) else {
                        skipped.append("\(path) (below a link)")
                        return
                    }
                    try replaceEarlier(destination, relative, keepDirectory: false)
                    try entry.write(to: destination, limit: Self.maxFileBytes)
                    written.insert(relative)
                case .link, .other:
                    if !Self.hasLink(in: destination.deletingLastPathComponent(), under: target) {
                        try replaceEarlier(destination, relative, keepDirectory: false)
                    }
                    skipped.append("\(path) (not a regular file)")
                }
            }
            return true
        }
        if labelled == nil {
            guard !written.isEmpty else {
                throw PlanningError("\(catalog): the image has no \(Self.configsLabel) label and no /configs directory, "
                    + "so it is not a file-based catalog"
                    + "\n  hint: SQLite-based catalogs (OpenShift 4.10 and older) are not supported; use a file-based catalog image")
            }
            notes.append("the catalog image has no \(Self.configsLabel) label; its file-based catalog was read from /configs")
        }
        guard !written.isEmpty else {
            throw PlanningError("\(catalog): no file under /\(configs) in the image (the \(Self.configsLabel) label names it)")
        }
        return Extracted(configsPath: configs, files: written.sorted(),
                         skipped: skipped, notes: notes)
    }

    /// Runs the file system steps of the entry `path`; a failure is reported by the entry and
    /// the system's reason (`File name too long`), not Foundation's error text.
    static func onDisk(_ path: String, _ steps: () throws -> Void) throws {
        do {
            try steps()
        } catch let error as LayerArchiveError {
            throw error
        } catch {
            let cocoa = error as NSError
            let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
                ?? (cocoa.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(cocoa.code))) : "the file system refused it")
            throw LayerArchiveError("\(EntryPathLimits.shortened(path)): cannot write it: \(reason)", entryRefused: true)
        }
    }

    /// `/configs/` → `configs`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// No `..` or `.` component, nothing absolute, no NUL: the path stays inside its root.
    static func isSafe(_ path: String) -> Bool {
        !path.hasPrefix("/") && !path.contains("\0")
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Whether any directory between `root` and `directory` is a symbolic link (a file written
    /// there could land outside the root).
    static func hasLink(in directory: URL, under root: URL) -> Bool {
        var current = directory.standardizedFileURL
        let top = root.standardizedFileURL.path
        while current.path.count > top.count {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: current.path)) != nil { return true }
            current = current.deletingLastPathComponent()
        }
        return false
    }
}
