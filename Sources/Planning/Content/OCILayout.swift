import Foundation
import OCI

/// An OCI image layout on disk (`oci:///path`, spec §1.2 catalogs): `oci-layout`, `index.json`
/// and `blobs/<algorithm>/<hex>`. Reads manifests and blobs with their digests checked. Catalogs
/// given as layouts are read through it (`ImageSource.layout`).
public struct OCILayout: Sendable {
    public let root: URL

    /// - Throws: when `root` holds no `oci-layout` file of version 1.0.0.
    public init(path: String) throws(PlanningError) {
        let root = URL(fileURLWithPath: path, isDirectory: true)
        let marker = root.appendingPathComponent("oci-layout")
        guard let data = FileManager.default.contents(atPath: marker.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["imageLayoutVersion"] as? String == "1.0.0" else {
            throw PlanningError("\(path) is not an OCI image layout (no oci-layout file of version 1.0.0)")
        }
        self.root = root
    }

    /// The manifests `index.json` lists, with their `org.opencontainers.image.ref.name` when given.
    public func references() throws(PlanningError) -> [(name: String?, descriptor: Descriptor)] {
        let file = root.appendingPathComponent("index.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PlanningError("\(root.path): no index.json")
        }
        do {
            let index = try ManifestDocument(bytes: data, declaredMediaType: .ociImageIndex)
            return (index.index?.manifests ?? []).map { ($0.annotations?["org.opencontainers.image.ref.name"], $0) }
        } catch {
            throw PlanningError("\(file.path): \(error.description)")
        }
    }

    /// The manifest a tag (`ref.name`) names, or the only one when no tag is given.
    public func manifest(tag: String?) throws(PlanningError) -> ManifestDocument {
        try manifest(try entry(tag: tag).digest)
    }

    /// The `index.json` entry a tag (`ref.name`) names, or the only one when no tag is given.
    public func entry(tag: String?) throws(PlanningError) -> Descriptor {
        let entries = try references()
        if let tag {
            guard let entry = entries.first(where: { $0.name == tag }) else {
                throw PlanningError("\(root.path): no image tagged \(tag) in index.json (it has \(entries.compactMap(\.name).joined(separator: ", ")))")
            }
            return entry.descriptor
        }
        guard !entries.isEmpty else { throw PlanningError("\(root.path): index.json lists no image") }
        guard entries.count == 1, let only = entries.first else {
            let names = entries.compactMap(\.name)
            throw PlanningError("\(root.path): index.json lists \(entries.count) images, so which one is meant is not clear"
                + (names.isEmpty ? "" : "\n  hint: name one by its tag, e.g. oci://\(root.path):\(names[0]) (tags: \(names.joined(separator: ", ")))"))
        }
        return only.descriptor
    }

    /// Opens `oci://PATH` or `oci://PATH:NAME`: a path that is a layout as written is taken whole,
    /// else the first `:` after which what precedes is a layout splits it (a `ref.name` may hold
    /// `:` and `/` itself, as skopeo's `repo/name:tag` names do).
    public static func open(_ written: String) throws(PlanningError) -> (layout: OCILayout, tag: String?) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: written, isDirectory: &isDirectory), isDirectory.boolValue {
            return (try OCILayout(path: written), nil)
        }
        for colon in written.indices where written[colon] == ":" && colon != written.startIndex {
            let path = String(written[..<colon])
            let tag = String(written[written.index(after: colon)...])
            guard !tag.isEmpty, FileManager.default.fileExists(atPath: path + "/oci-layout") else { continue }
            return (try OCILayout(path: path), tag)
        }
        guard FileManager.default.fileExists(atPath: written) else {
            throw PlanningError("\(written): no such directory"
                + (written.hasPrefix("/") ? "" : " (a relative oci:// path is taken from the current directory, \(FileManager.default.currentDirectoryPath))"))
        }
        return (try OCILayout(path: written), nil)
    }

    /// A manifest by digest, checked.
    public func manifest(_ digest: Digest) throws(PlanningError) -> ManifestDocument {
        let data = try blob(digest, limit: 8 << 20)
        do {
            return try ManifestDocument(bytes: data, expectedDigest: digest)
        } catch {
            throw PlanningError("\(root.path): manifest \(digest): \(error.description)")
        }
    }

    /// The path of a blob in the layout.
    public func path(of digest: Digest) -> URL {
        root.appendingPathComponent("blobs/\(digest.algorithm.rawValue)/\(digest.encoded)")
    }

    /// The size of a blob that is a regular file (a symbolic link to one is followed); a
    /// device, FIFO or directory in its place is refused, since reading it may never end.
    private func regularFileSize(_ digest: Digest) throws(PlanningError) -> Int64 {
        var info = stat()
        guard stat(path(of: digest).path, &info) == 0 else {
            throw PlanningError("\(root.path): blob \(digest) is missing from the layout")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw PlanningError("\(root.path): blob \(digest) is not a regular file (the layout is damaged)")
        }
        return Int64(info.st_size)
    }

    /// The path of a blob, after checking its size and digest by reading it through (layers
    /// are streamed, never held whole).
    public func verifiedFile(_ blob: Descriptor) throws(PlanningError) -> URL {
        let file = path(of: blob.digest)
        let onDisk = try regularFileSize(blob.digest)
        guard onDisk == blob.size else {
            throw PlanningError("\(root.path): blob \(blob.digest) is \(onDisk) bytes, its descriptor says \(blob.size) "
                + "(the layout is damaged or incomplete)")
        }
        guard let (digest, size) = DigestHasher.digest(ofFileAt: file.path, algorithm: blob.digest.algorithm, maxBytes: blob.size) else {
            throw PlanningError("\(root.path): blob \(blob.digest) cannot be read")
        }
        guard size == blob.size, digest == blob.digest else {
            throw PlanningError("\(root.path): blob \(blob.digest) does not match its descriptor (\(size) bytes, expected \(blob.size); "
                + "the layout is damaged or incomplete)")
        }
        return file
    }

    /// A small blob's bytes (manifests, configs), checked against its digest.
    public func blob(_ digest: Digest, limit: Int) throws(PlanningError) -> Data {
        let file = path(of: digest)
        let size = try regularFileSize(digest)
        guard size <= limit else { throw PlanningError("\(root.path): blob \(digest) is \(size) bytes, more than \(limit)") }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PlanningError("\(root.path): blob \(digest) cannot be read")
        }
        var hasher = DigestHasher(digest.algorithm)
        hasher.update(data)
        guard hasher.finalize() == digest else {
            throw PlanningError("\(root.path): blob \(digest) does not match its digest (the layout is damaged)")
        }
        return data
    }
}
