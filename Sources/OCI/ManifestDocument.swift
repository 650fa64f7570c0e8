import Foundation

/// A manifest as read from a registry: the exact bytes, their digest, and the parsed form.
///
/// The bytes are kept and pushed as they are: re-encoding JSON (key order, spacing, escapes)
/// changes the digest, and every reference to the manifest is by that digest.
public struct ManifestDocument: Sendable, Hashable {
    /// The parsed manifest.
    public enum Content: Sendable, Hashable {
        /// An OCI image manifest or Docker schema 2 manifest.
        case image(ImageManifest)
        /// An OCI index or Docker manifest list.
        case index(ImageIndex)
    }

    /// The manifest exactly as received.
    public let bytes: Data
    /// The digest of ``bytes``.
    public let digest: Digest
    /// The effective media type (see ``init(bytes:declaredMediaType:expectedDigest:)``).
    public let mediaType: MediaType
    /// The parsed manifest.
    public let content: Content

    /// Parses and checks a manifest.
    ///
    /// The media type is the JSON's own `mediaType` field if present; else `declaredMediaType`
    /// (the HTTP `Content-Type`) if that names a manifest type; else it is inferred from the
    /// fields: `manifests` means an OCI index, `config` an OCI image manifest. A declared type
    /// that is no manifest type (`application/json`, `text/plain` from some servers) is ignored
    /// rather than trusted.
    ///
    /// - Parameters:
    ///   - bytes: the manifest as received.
    ///   - declaredMediaType: the media type the registry announced, if any.
    ///   - expectedDigest: the digest the manifest must have; the bytes are hashed with its algorithm.
    /// - Throws: `.digestMismatch` naming both digests; `.unsupportedManifest` for Docker schema 1
    ///   and unknown manifest media types; `.invalidManifest` for bad JSON, missing or mistyped
    ///   fields, and `schemaVersion` other than 2.
    public init(bytes: Data, declaredMediaType: MediaType? = nil, expectedDigest: Digest? = nil) throws(OCIError) {
        // The digest first: if the bytes are not the expected ones, nothing else about them matters.
        let digest = Digest.compute(expectedDigest?.algorithm ?? .sha256, bytes)
        if let expectedDigest, expectedDigest != digest {
            throw OCIError(.digestMismatch, "manifest digest mismatch: expected \(expectedDigest), got \(digest) for \(bytes.count) bytes; the registry served different content than the reference names")
        }

        let decoder = JSONDecoder()
        let probe: Probe
        do {
            probe = try decoder.decode(Probe.self, from: bytes)
        } catch {
            throw OCIError(.invalidManifest, "invalid manifest \(digest) (\(bytes.count) bytes, starting \(quoted(Self.preview(bytes)))): \(Self.explain(error)); expected a JSON object with schemaVersion 2")
        }

        let mediaType: MediaType
        if let embedded = probe.mediaType {
            mediaType = embedded
        } else if let declaredMediaType, declaredMediaType.isManifest || declaredMediaType.isSchema1 {
            mediaType = declaredMediaType
        } else if probe.hasManifests {
            mediaType = .ociImageIndex
        } else if probe.hasConfig {
            mediaType = .ociImageManifest
        } else if probe.schemaVersion == 1 {
            mediaType = .dockerManifestSchema1
        } else {
            let declared = declaredMediaType.map { " (declared as \(quoted($0.rawValue)))" } ?? ""
            throw OCIError(.invalidManifest, "invalid manifest \(digest)\(declared): no \"mediaType\", and neither \"manifests\" (an index) nor \"config\" (an image manifest)")
        }

        if mediaType.isSchema1 || probe.schemaVersion == 1 {
            throw OCIError(.unsupportedManifest, "unsupported manifest \(digest): Docker schema 1 (\(mediaType)) is deprecated and not supported; convert the image upstream to Docker schema 2 or OCI (for example pull and push it again with a current client)")
        }
        guard let schemaVersion = probe.schemaVersion else {
            throw OCIError(.invalidManifest, "invalid manifest \(digest): missing field \"schemaVersion\"; expected 2")
        }
        guard schemaVersion == 2 else {
            throw OCIError(.invalidManifest, "invalid manifest \(digest): schemaVersion \(schemaVersion); expected 2")
        }

        guard mediaType.isManifest else {
            throw OCIError(.unsupportedManifest, "unsupported manifest \(digest): media type \(quoted(mediaType.rawValue)) is not an image manifest or index; expected one of \(MediaType.manifestAcceptList.map(\.rawValue).joined(separator: ", "))")
        }
        let content: Content
        do {
            content = mediaType.isIndex
                ? .index(try decoder.decode(ImageIndex.self, from: bytes))
                : .image(try decoder.decode(ImageManifest.self, from: bytes))
        } catch {
            throw OCIError(.invalidManifest, "invalid manifest \(digest) (\(mediaType)): \(Self.explain(error))")
        }

        self.bytes = bytes
        self.digest = digest
        self.mediaType = mediaType
        self.content = content
    }

    /// Encodes `content` (sorted keys, so the same value gives the same bytes) and parses the
    /// result; for building manifests, for example test images.
    public init(encoding content: Content) throws(OCIError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: Data
        do {
            switch content {
            case .image(let manifest): bytes = try encoder.encode(manifest)
            case .index(let index): bytes = try encoder.encode(index)
            }
        } catch {
            throw OCIError(.invalidManifest, "cannot encode manifest: \(error)")
        }
        try self.init(bytes: bytes)
    }

    /// A descriptor of this manifest: its media type, digest and size.
    public var descriptor: Descriptor {
        Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// The blobs an image manifest references, config first then layers; empty for an index.
    public var blobs: [Descriptor] {
        switch content {
        case .image(let manifest): [manifest.config] + manifest.layers
        case .index: []
        }
    }

    /// The manifests an index lists; empty for an image manifest.
    public var children: [Descriptor] {
        switch content {
        case .image: []
        case .index(let index): index.manifests
        }
    }

    /// The image manifest, if this is one.
    public var image: ImageManifest? {
        if case .image(let manifest) = content { manifest } else { nil }
    }

    /// The index, if this is one.
    public var index: ImageIndex? {
        if case .index(let index) = content { index } else { nil }
    }

    /// The fields needed to decide how to read the rest.
    private struct Probe: Decodable {
        var schemaVersion: Int?
        var mediaType: MediaType?
        var hasManifests: Bool
        var hasConfig: Bool

        private enum CodingKeys: String, CodingKey {
            case schemaVersion, mediaType, manifests, config
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion)
            mediaType = try container.decodeIfPresent(MediaType.self, forKey: .mediaType)
            hasManifests = container.contains(.manifests)
            hasConfig = container.contains(.config)
        }
    }

    /// Turns a decoding error into a short phrase naming the field, e.g. `layers[0].digest`.
    private static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(quoted(path(context.codingPath + [key])))"
        case .valueNotFound(_, let context):
            return "field \(quoted(path(context.codingPath))) is null"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return "not a JSON object"
            }
            return "field \(quoted(path(context.codingPath))) has the wrong type (expected \(typeName(type)))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "not valid JSON"
            }
            return "field \(quoted(path(context.codingPath))): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The start of a body that is not JSON, such as an HTML error page from a proxy.
    private static func preview(_ bytes: Data) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is MediaType.Type, is Digest.Type: "a string"
        case is Int.Type, is Int64.Type: "a number"
        default: "\(type)"
        }
    }
}
