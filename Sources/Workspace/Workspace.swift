import Foundation

/// The `working-dir/` of a run (spec §3.1, where it applies to Ferry): generated cluster
/// resources, dry-run reports, logs and the record of the last successful run. Every file is
/// written atomically (a temporary file renamed into place), so an interrupted run leaves the
/// previous version, never half a file. `workspace-format.md` documents the layout.
public struct Workspace: Sendable {
    /// The `working-dir` directory itself.
    public let root: URL

    public static let clusterResources = "cluster-resources"
    public static let dryRun = "dry-run"
    public static let logs = "logs"
    public static let runs = "runs"

    /// `file://DIR` (`--workspace`): the workspace is `DIR/working-dir`, unless DIR already ends
    /// in `working-dir` (as oc-mirror does).
    public init(parsing argument: String) throws(WorkspaceError) {
        guard argument.hasPrefix("file://") else {
            throw WorkspaceError("--workspace must start with file://, got \"\(argument)\"",
                                 hint: "for example --workspace file:///var/lib/ferry")
        }
        let path = String(argument.dropFirst("file://".count))
        guard !path.isEmpty else {
            throw WorkspaceError("--workspace file:// names no directory", hint: "for example --workspace file:///var/lib/ferry")
        }
        let directory = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        self.init(root: directory.lastPathComponent == "working-dir"
            ? directory : directory.appendingPathComponent("working-dir", isDirectory: true))
    }

    public init(root: URL) {
        self.root = root
    }

    public func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// Creates the directories a run writes into.
    public func prepare() throws(WorkspaceError) {
        for directory in [Self.clusterResources, Self.dryRun, Self.logs, Self.runs] {
            do {
                try FileManager.default.createDirectory(at: url(directory), withIntermediateDirectories: true)
            } catch {
                throw WorkspaceError("cannot create \(url(directory).path): \(error.localizedDescription)",
                                     hint: "check that the workspace directory is writable")
            }
        }
    }

    /// Writes one file atomically.
    public func write(_ data: Data, to relativePath: String) throws(WorkspaceError) {
        let target = url(relativePath)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target, options: .atomic)
        } catch {
            throw WorkspaceError("cannot write \(target.path): \(error.localizedDescription)",
                                 hint: "check free space and permissions of the workspace")
        }
    }

    /// A workspace JSON file's bytes: pretty, keys sorted, slashes as they are, a final newline
    /// (readable, and the same bytes for the same value).
    public static func jsonFile(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data()) + Data("\n".utf8)
    }

    public func write(_ text: String, to relativePath: String) throws(WorkspaceError) {
        try write(Data(text.utf8), to: relativePath)
    }

    /// Replaces a whole directory with exactly `files` (name → content): the new set is written
    /// beside it, then swapped in, so readers never see a mix of two runs.
    public func replaceDirectory(_ relativePath: String, with files: [String: Data]) throws(WorkspaceError) {
        let target = url(relativePath)
        let staging = root.appendingPathComponent(".\(relativePath.replacingOccurrences(of: "/", with: "_")).new")
        let retired = root.appendingPathComponent(".\(relativePath.replacingOccurrences(of: "/", with: "_")).old")
        let manager = FileManager.default
        do {
            try? manager.removeItem(at: staging)
            try? manager.removeItem(at: retired)
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for (name, data) in files.sorted(by: { $0.key < $1.key }) {
                let file = staging.appendingPathComponent(name)
                try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: file)
            }
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if manager.fileExists(atPath: target.path) { try manager.moveItem(at: target, to: retired) }
            try manager.moveItem(at: staging, to: target)
            try? manager.removeItem(at: retired)
        } catch {
            throw WorkspaceError("cannot replace \(target.path): \(error.localizedDescription)",
                                 hint: "check free space and permissions of the workspace")
        }
    }

    // MARK: The record of the last successful run

    public static let lastRunPath = "\(runs)/last-success.json"

    /// The record of the last run that ended without a failed image, if any.
    public func lastRun() throws(WorkspaceError) -> RunRecord? {
        let file = url(Self.lastRunPath)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(RunRecord.self, from: data)
        } catch {
            throw WorkspaceError("cannot read \(file.path): \(error)",
                                 hint: "the file is damaged; delete it and the next dry-run compares against nothing")
        }
    }

    public func saveRun(_ record: RunRecord) throws(WorkspaceError) {
        try write(record.encoded(), to: Self.lastRunPath)
    }

    /// A timestamp for log file names, `yyyyMMdd_HHmmss` in UTC, as oc-mirror names its logs.
    public static func logStamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        return formatter.string(from: date)
    }

    /// The stamp for this run's files in `logs/` (`ferry-<stamp>.log`, `mirroring_errors_<stamp>.txt`,
    /// `cluster-resources-<stamp>/`): `logStamp`, with `_2`, `_3`… when an earlier run of the same
    /// second left files under it, so no run's log replaces another's.
    public func newLogStamp(_ date: Date = Date()) -> String {
        let base = Self.logStamp(date)
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: url(Self.logs).path)) ?? [])
        func taken(_ stamp: String) -> Bool {
            ["ferry-\(stamp).log", "mirroring_errors_\(stamp).txt", "cluster-resources-\(stamp)"].contains(where: names.contains)
        }
        var stamp = base
        var suffix = 1
        while taken(stamp) {
            suffix += 1
            stamp = "\(base)_\(suffix)"
        }
        return stamp
    }
}

/// A workspace problem, with what to do about it.
public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.map { "\(message)\n  hint: \($0)" } ?? message }
}
