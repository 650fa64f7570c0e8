import Foundation
import OCI

/// An OCI image layout on disk (`oci:///path`, spec §1.2 catalogs): `oci-layout`, `index.json`
/// and `blobs/<algorithm>/<hex>`. Reads manifests and blobs with their digests checked — the
/// first part of mirroring catalogs given as layouts.
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
        let entries = try references()
        let chosen: Descriptor
        if let tag {
            guard let entry = entries.first(where: { $0.name == tag }) else {
                throw PlanningError("\(root.path): no image tagged \(tag) in index.json (it has \(entries.compactMap(\.name).joined(separator: ", ")))")
            }
            chosen = entry.descriptor
        } else {
            guard entries.count == 1, let only = entries.first else {
                throw PlanningError("\(root.path): index.json lists \(entries.count) images; name one with :TAG")
            }
            chosen = only.descriptor
        }
        return try manifest(chosen.digest)
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

    /// A small blob's bytes (manifests, configs), checked against its digest.
    public func blob(_ digest: Digest, limit: Int) throws(PlanningError) -> Data {
        let file = path(of: digest)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let size = attributes[.size] as? Int else {
            throw PlanningError("\(root.path): blob \(digest) is missing from the layout")
        }
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
