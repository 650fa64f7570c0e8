import CArchive
import Foundation
import OCI
import RegistryLab

/// The files of a root filesystem after applying image layers bottom-up, honouring OCI whiteouts
/// (`.wh.<name>` deletes a path, `.wh..wh..opq` empties a directory), read with libarchive.
struct LayeredFiles {
    private(set) var files: [String: Data] = [:]
    private(set) var directories: Set<String> = []

    /// Applies one `tar` or `tar+gzip` layer on top of what is there.
    mutating func apply(layer: [UInt8]) throws {
        for entry in try LabTar.entries(layer) {
            let name = (entry.path as NSString).lastPathComponent
            let parent = (entry.path as NSString).deletingLastPathComponent
            func join(_ child: String) -> String { parent.isEmpty ? child : "\(parent)/\(child)" }
            if name == ".wh..wh..opq" {
                files = files.filter { !$0.key.hasPrefix(parent + "/") }
                directories = directories.filter { !$0.hasPrefix(parent + "/") }
            } else if name.hasPrefix(".wh.") {
                let hidden = join(String(name.dropFirst(4)))
                files = files.filter { $0.key != hidden && !$0.key.hasPrefix(hidden + "/") }
                directories = directories.filter { $0 != hidden && !$0.hasPrefix(hidden + "/") }
            } else if entry.isDirectory {
                directories.insert(entry.path)
            } else {
                files[entry.path] = entry.contents
            }
        }
    }

    subscript(path: String) -> Data? { files[path] }
}

/// Reading tar streams (optionally gzip-compressed) from memory with libarchive.
enum LabTar {
    struct Entry {
        /// Without a leading `./` or a trailing `/`.
        var path: String
        var isDirectory: Bool
        var contents: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func entries(_ bytes: [UInt8]) throws -> [Entry] {
        guard let archive = archive_read_new() else { throw Failure(description: "archive_read_new failed") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        return try bytes.withUnsafeBytes { buffer -> [Entry] in
            guard archive_read_open_memory(archive, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
                throw Failure(description: "open: \(message(archive))")
            }
            var result: [Entry] = []
            var header: OpaquePointer?
            while true {
                let status = archive_read_next_header(archive, &header)
                if status == ARCHIVE_EOF { return result }
                guard status == ARCHIVE_OK, let header else { throw Failure(description: "header: \(message(archive))") }
                var path = archive_entry_pathname(header).map { String(cString: $0) } ?? ""
                while path.hasPrefix("./") { path.removeFirst(2) }
                while path.hasSuffix("/") { path.removeLast() }
                var contents = Data()
                var chunk = [UInt8](repeating: 0, count: 64 << 10)
                while true {
                    let count = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                    if count == 0 { break }
                    guard count > 0 else { throw Failure(description: "data of \(path): \(message(archive))") }
                    contents.append(contentsOf: chunk[0..<count])
                }
                result.append(Entry(path: path, isDirectory: archive_entry_filetype(header) == CARCHIVE_AE_IFDIR,
                                    contents: contents))
            }
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}

/// Plain-HTTP reads from a lab registry, bypassing Ferry's client so the test sees what is stored.
enum LabRegistryReader {
    static func blob(_ digest: Digest, repository: String, registry: LabRegistry) throws -> [UInt8] {
        let response = try RawHTTP.request("GET", "\(registry.baseURL)/v2/\(repository)/blobs/\(digest)")
        guard response.status == 200 else {
            throw RawHTTP.Failure(description: "GET blob \(digest) in \(repository): \(response.status) \(response.text)")
        }
        return response.body
    }

    static func manifest(_ reference: String, repository: String, registry: LabRegistry) throws -> RawResponse {
        try RawHTTP.request("GET", "\(registry.baseURL)/v2/\(repository)/manifests/\(reference)", headers: [
            "Accept": "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, "
                + "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json",
        ])
    }

    /// The files of an image manifest's layers applied in order.
    static func files(of manifest: [UInt8], repository: String, registry: LabRegistry) throws -> LayeredFiles {
        let document = try ManifestDocument(bytes: Data(manifest))
        guard let image = document.image else { throw RawHTTP.Failure(description: "not an image manifest") }
        var files = LayeredFiles()
        for layer in image.layers {
            try files.apply(layer: try blob(layer.digest, repository: repository, registry: registry))
        }
        return files
    }
}

/// A JSON object from bytes, for assertions.
func jsonObject(_ data: some DataProtocol) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
        throw RawHTTP.Failure(description: "not a JSON object: \(String(decoding: Data(data), as: UTF8.self))")
    }
    return object
}
