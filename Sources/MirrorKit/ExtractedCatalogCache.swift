import Foundation
import OCI
import Planning
import Workspace

/// The extraction of one catalog digest kept in the workspace, so that a later run reads the
/// catalog from there instead of downloading its layers again: the files in
/// `operator-catalogs/<catalog>/<digest prefix>/catalog-config/` and their record
/// `catalog-config.json`, which holds each file's size and sha256 as written.
///
/// A kept extraction is used only when every recorded file is there with its size and digest
/// and no other file is: a truncated, garbled, missing or added file makes it `damaged`, and the
/// caller extracts again from the image (saying so once). A record without digests (written by
/// an earlier Ferry) or of another digest is simply not used.
struct ExtractedCatalogCache {
    /// `catalog-config/`.
    var directory: URL
    /// `catalog-config.json`, relative to the workspace.
    var recordPath: String
    var workspace: Workspace

    /// One extracted file: its path below `catalog-config/`, size and digest.
    struct File: Codable, Equatable {
        var path: String
        var size: Int64
        var digest: String
    }

    /// `catalog-config.json`.
    struct Record: Codable {
        var catalogDigest: String
        var configsPath: String
        /// Files written, relative to `catalog-config/`.
        var files: [String]
        var notes: [String]
        /// Each file's size and digest as written; nil in records of an earlier Ferry.
        var contents: [File]?
    }

    enum Lookup {
        /// Nothing usable kept (no record, another digest, a record without digests).
        case none
        case kept(Record)
        /// What is wrong with the kept extraction, for a person (`foo/catalog.json: digest differs`).
        case damaged(String)
    }

    /// The kept extraction of `digest`, checked file by file.
    func lookup(_ digest: Digest) -> Lookup {
        let manager = FileManager.default
        guard let data = manager.contents(atPath: workspace.url(recordPath).path) else { return .none }
        guard let record = try? JSONDecoder().decode(Record.self, from: data) else {
            return .damaged("its record \((recordPath as NSString).lastPathComponent) cannot be read")
        }
        guard record.catalogDigest == digest.description, !record.files.isEmpty, let contents = record.contents,
              Set(contents.map(\.path)) == Set(record.files) else { return .none }
        var problems: [String] = []
        for file in contents {
            let path = directory.appendingPathComponent(file.path).path
            guard let size = ((try? manager.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value else {
                problems.append("\(file.path): missing")
                continue
            }
            guard size == file.size else {
                problems.append("\(file.path): \(size) bytes instead of \(file.size)")
                continue
            }
            guard let found = DigestHasher.digest(ofFileAt: path, algorithm: .sha256, maxBytes: file.size),
                  found.digest.description == file.digest else {
                problems.append("\(file.path): digest differs")
                continue
            }
        }
        let recorded = Set(record.files)
        for extra in Self.regularFiles(under: directory) where !recorded.contains(extra) {
            problems.append("\(extra): not part of the extraction")
        }
        guard let first = problems.first else { return .kept(record) }
        return .damaged(problems.count == 1 ? first : "\(first), and \(problems.count - 1) more")
    }

    /// Removes the kept extraction (record first: an interrupted removal leaves nothing that looks kept).
    func discard() {
        try? FileManager.default.removeItem(at: workspace.url(recordPath))
        try? FileManager.default.removeItem(at: directory)
    }

    /// Records an extraction just written: each file's size and digest, read back from disk.
    func keep(catalogDigest: Digest, configsPath: String, files: [String], notes: [String]) throws -> Record {
        var contents: [File] = []
        for file in files {
            let path = directory.appendingPathComponent(file).path
            guard let found = DigestHasher.digest(ofFileAt: path, algorithm: .sha256) else {
                throw PlanningError("cannot read \(path) back after extracting it")
            }
            contents.append(File(path: file, size: found.size, digest: found.digest.description))
        }
        let record = Record(catalogDigest: catalogDigest.description, configsPath: configsPath, files: files,
                            notes: notes, contents: contents)
        try workspace.write(Workspace.jsonFile(record), to: recordPath)
        return record
    }

    /// Paths of the regular files (and anything else that is not a directory) below `directory`.
    static func regularFiles(under directory: URL) -> [String] {
        let root = directory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if (enumerator.fileAttributes?[.type] as? FileAttributeType) != .typeDirectory { found.append(relative) }
        }
        return found.sorted()
    }
}
