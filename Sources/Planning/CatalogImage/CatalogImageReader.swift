import Distribution
import Foundation
import OCI

/// Extracts the file-based catalog of a catalog image (spec §5.1) into a directory, safely:
/// the directory comes from the image's `operators.operatorframework.io.index.configs.v1` label
/// (without it `/configs`, where opm puts catalogs, is tried with a note; neither is an error,
/// not "extract everything" as in oc-mirror); layers are applied as a
/// container runtime would (`LayerStack`: upper layers win, whiteouts and opaque directories
/// hide lower content), read from the top down so that nothing hidden is ever written; only regular files
/// and directories below the label's directory are written, with every path checked to stay
/// inside the target (no `..`, no absolute paths, no links followed or created).
public struct CatalogImageReader: Sendable {
    public static let configsLabel = "operators.operatorframework.io.index.configs.v1"

    public let scratchDirectory: URL

    public init(scratchDirectory: URL) {
        self.scratchDirectory = scratchDirectory
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

        var written: [String] = []
        var skipped: [String] = []
        var notes: [String] = []
        let layers = LayerStack(source: catalog, scratchDirectory: scratchDirectory)
        // Once an upper layer hid the whole catalog directory, nothing below it matters.
        try await layers.forEachVisibleEntry(of: manifest, done: { $0.hidden.contains { configs == $0 || configs.hasPrefix($0 + "/") } }) { entry in
            let path = entry.path
            guard path.hasPrefix(configs + "/") else { return true }
            guard Self.isSafe(path) else {
                skipped.append("\(path) (unsafe name)")
                return true
            }
            let relative = String(path.dropFirst(configs.count + 1))
            let destination = target.appendingPathComponent(relative)
            switch entry.type {
            case .directory:
                try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            case .file:
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard !Self.hasLink(in: destination.deletingLastPathComponent(), under: target) else {
                    skipped.append("\(path) (below a link)")
                    return true
                }
                try entry.contents(limit: 512 << 20).write(to: destination)
                written.append(relative)
            case .link, .other:
                skipped.append("\(path) (not a regular file)")
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
