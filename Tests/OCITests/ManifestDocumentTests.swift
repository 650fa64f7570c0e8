import Foundation
import OCI
import Testing

struct ManifestDocumentTests {
    struct Parsed: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        var declared: MediaType?
        let mediaType: MediaType
        /// `sha256sum` of the exact fixture bytes; nil where only self-consistency is checked.
        var pinnedDigest: String?
        let blobs: [String]
        let children: [String]
        var testDescription: String { name }
    }

    static let a = "sha256:" + Fixture.hexA
    static let b = "sha256:" + Fixture.hexB
    static let c = "sha256:" + Fixture.hexC
    static let d = "sha256:" + Fixture.hexD

    static let parsed: [Parsed] = [
        Parsed(name: "OCI manifest", json: Fixture.ociManifest, mediaType: .ociImageManifest,
               pinnedDigest: "sha256:fab8b6448087f18f3d2a8394455151d9fb8a28637ec26f262d2d1ebfc189167e",
               blobs: [a, b, c], children: []),
        Parsed(name: "Docker schema 2", json: Fixture.dockerManifest, declared: .dockerManifest, mediaType: .dockerManifest,
               pinnedDigest: "sha256:d4f6f78cdee1ce1ea8f55587168291ad0c836a01497859b8ee4e2d19f9516fcc",
               blobs: [a, b, c], children: []),
        Parsed(name: "OCI index", json: Fixture.ociIndex, mediaType: .ociImageIndex,
               pinnedDigest: "sha256:9c7a098d5b39e18d729c82d0c36ad949ad8fc922e27eaef713144569a0f65329",
               blobs: [], children: [a, b, c]),
        Parsed(name: "Docker manifest list", json: Fixture.dockerManifestList, mediaType: .dockerManifestList,
               pinnedDigest: "sha256:2475846692c2176dfb4ff136190aa34586154d2990ed94d0dc7ced6d370baad8",
               blobs: [], children: [d, a]),
        Parsed(name: "OCI artifact", json: Fixture.artifactManifest, mediaType: .ociImageManifest,
               pinnedDigest: "sha256:bbcaa97e0da84b3d4124ecf37946f697aaff78d55f511658103c7f842e8168d0",
               blobs: [Fixture.sha256EmptyJSON, d], children: []),
        // Embedded mediaType wins over the declared one.
        Parsed(name: "embedded beats declared", json: Fixture.ociIndex, declared: .dockerManifestList,
               mediaType: .ociImageIndex, blobs: [], children: [a, b, c]),
        // No embedded mediaType: the declared one (Content-Type, parameters stripped) is used.
        Parsed(name: "declared Docker manifest", json: Fixture.bareManifest,
               declared: MediaType(contentType: "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"),
               mediaType: .dockerManifest, blobs: [a], children: []),
        Parsed(name: "declared Docker list", json: Fixture.bareIndex, declared: .dockerManifestList,
               mediaType: .dockerManifestList, blobs: [], children: [a]),
        // Neither: inferred from the fields; a non-manifest declared type is ignored.
        Parsed(name: "inferred manifest", json: Fixture.bareManifest, mediaType: .ociImageManifest, blobs: [a], children: []),
        Parsed(name: "inferred index", json: Fixture.bareIndex, declared: "application/json",
               mediaType: .ociImageIndex, blobs: [], children: [a]),
    ]

    @Test(arguments: parsed)
    func parsesAndKeepsTheExactBytes(_ c: Parsed) throws {
        let bytes = c.json.bytes
        let document = try ManifestDocument(bytes: bytes, declaredMediaType: c.declared)
        #expect(document.bytes == bytes)
        #expect(document.digest == Digest.sha256(bytes))
        if let pinned = c.pinnedDigest {
            #expect(document.digest.description == pinned)
        }
        #expect(document.mediaType == c.mediaType)
        #expect(document.blobs.map(\.digest.description) == c.blobs)
        #expect(document.children.map(\.digest.description) == c.children)
        #expect(document.descriptor == Descriptor(mediaType: c.mediaType, digest: document.digest, size: Int64(bytes.count)))
        switch document.content {
        case .image: #expect(c.mediaType.isImageManifest && document.image != nil && document.index == nil)
        case .index: #expect(c.mediaType.isIndex && document.index != nil && document.image == nil)
        }
    }

    @Test
    func whitespaceIsPartOfTheDigest() throws {
        let pretty = try ManifestDocument(bytes: Fixture.ociManifest.bytes)
        let compact = try ManifestDocument(bytes: Data(Fixture.ociManifest.filter { !$0.isNewline }.utf8))
        let spaced = try ManifestDocument(bytes: (Fixture.ociManifest + "\n").bytes)
        #expect(pretty.content == compact.content)
        #expect(pretty.content == spaced.content)
        #expect(Set([pretty.digest, compact.digest, spaced.digest]).count == 3)
        #expect(spaced.descriptor.size == pretty.descriptor.size + 1)
    }

    @Test
    func ociManifestFields() throws {
        let manifest = try #require(try ManifestDocument(bytes: Fixture.ociManifest.bytes).image)
        #expect(manifest.schemaVersion == 2)
        #expect(manifest.mediaType == .ociImageManifest)
        #expect(manifest.config == Descriptor(mediaType: .ociImageConfig, digest: Fixture.digest(Self.a), size: 1469))
        #expect(manifest.layers.map(\.mediaType) == [.ociLayerGzip, .ociLayerZstd])
        #expect(manifest.layers.map(\.size) == [3_370_706, 42])
        #expect(manifest.layers[1].annotations == ["org.opencontainers.image.title": "extra"])
        #expect(manifest.annotations == ["org.opencontainers.image.created": "2024-01-01T00:00:00Z"])
        #expect(manifest.subject == nil)
    }

    @Test
    func dockerForeignLayerKeepsItsURLs() throws {
        let document = try ManifestDocument(bytes: Fixture.dockerManifest.bytes)
        let foreign = try #require(document.blobs.last)
        #expect(foreign.mediaType.isNonDistributable)
        #expect(foreign.urls?.count == 1)
        #expect(document.blobs.filter { !$0.mediaType.isNonDistributable }.count == 2)
    }

    @Test
    func indexPlatforms() throws {
        let oci = try ManifestDocument(bytes: Fixture.ociIndex.bytes)
        #expect(oci.children.map { $0.platform?.description } == ["linux/amd64", "linux/arm64/v8", "windows/amd64"])
        #expect(oci.children[2].platform?.osVersion == "10.0.17763.1040")
        #expect(oci.children[2].platform?.osFeatures == ["win32k"])
        let docker = try ManifestDocument(bytes: Fixture.dockerManifestList.bytes)
        #expect(docker.children.map { $0.platform?.description } == ["linux/ppc64le", "linux/s390x"])
        #expect(docker.children.allSatisfy { $0.mediaType == .dockerManifest })
    }

    @Test
    func artifactFields() throws {
        let manifest = try #require(try ManifestDocument(bytes: Fixture.artifactManifest.bytes).image)
        #expect(manifest.artifactType == "application/vnd.example.signature.v1")
        #expect(manifest.config.mediaType == .ociEmpty)
        #expect(manifest.subject?.digest.description == Self.a)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        var declared: MediaType?
        let kind: OCIError.Kind
        let fragment: String
        var testDescription: String { name }
    }

    static let layer = #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\#(Fixture.hexB)","size":1}"#
    static let config = #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\#(Fixture.hexA)","size":1}"#

    static let rejected: [Rejected] = [
        Rejected(name: "schema 1", json: Fixture.schema1, kind: .unsupportedManifest, fragment: "schema 1"),
        Rejected(name: "schema 1 signed, declared", json: Fixture.schema1, declared: .dockerManifestSchema1Signed,
                 kind: .unsupportedManifest, fragment: "convert the image upstream"),
        Rejected(name: "schema 1 declared as schema 2", json: Fixture.schema1, declared: .dockerManifest,
                 kind: .unsupportedManifest, fragment: "schema 1"),
        Rejected(name: "schema 1 media type embedded",
                 json: #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+json"}"#,
                 kind: .unsupportedManifest, fragment: "schema 1"),
        Rejected(name: "garbage", json: "this is not json", kind: .invalidManifest, fragment: "not valid JSON"),
        Rejected(name: "empty", json: "", kind: .invalidManifest, fragment: "not valid JSON"),
        Rejected(name: "HTML error page", json: "<html>\n<body>502 Bad Gateway</body>\n</html>", kind: .invalidManifest,
                 fragment: "starting \"<html> <body>502 Bad Gateway"),
        Rejected(name: "truncated", json: String(Fixture.ociManifest.dropLast(3)), kind: .invalidManifest, fragment: "not valid JSON"),
        Rejected(name: "array", json: "[]", kind: .invalidManifest, fragment: "not a JSON object"),
        Rejected(name: "schemaVersion 3",
                 json: #"{"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":[]}"#,
                 kind: .invalidManifest, fragment: "schemaVersion 3; expected 2"),
        Rejected(name: "schemaVersion missing",
                 json: #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":[]}"#,
                 kind: .invalidManifest, fragment: "missing field \"schemaVersion\""),
        Rejected(name: "schemaVersion a string",
                 json: #"{"schemaVersion":"2","config":\#(config),"layers":[]}"#,
                 kind: .invalidManifest, fragment: "\"schemaVersion\" has the wrong type"),
        Rejected(name: "config missing",
                 json: #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[\#(layer)]}"#,
                 kind: .invalidManifest, fragment: "missing field \"config\""),
        Rejected(name: "layers missing", json: #"{"schemaVersion":2,"config":\#(config)}"#,
                 kind: .invalidManifest, fragment: "missing field \"layers\""),
        Rejected(name: "manifests missing from a declared index", json: #"{"schemaVersion":2,"config":\#(config),"layers":[]}"#,
                 declared: .ociImageIndex, kind: .invalidManifest, fragment: "missing field \"manifests\""),
        Rejected(name: "bad layer digest",
                 json: #"{"schemaVersion":2,"config":\#(config),"layers":[{"mediaType":"x","digest":"sha256:ABC","size":1}]}"#,
                 kind: .invalidManifest, fragment: "\"layers[0].digest\""),
        Rejected(name: "negative size",
                 json: #"{"schemaVersion":2,"config":\#(config),"layers":[\#(layer),{"mediaType":"x","digest":"sha256:\#(Fixture.hexC)","size":-1}]}"#,
                 kind: .invalidManifest, fragment: "\"layers[1].size\""),
        Rejected(name: "size a string",
                 json: #"{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:\#(Fixture.hexA)","size":"1"},"layers":[]}"#,
                 kind: .invalidManifest, fragment: "\"config.size\" has the wrong type"),
        Rejected(name: "index entry without digest",
                 json: #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1}]}"#,
                 kind: .invalidManifest, fragment: "missing field \"manifests[0].digest\""),
        Rejected(name: "unknown manifest media type",
                 json: #"{"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json","blobs":[]}"#,
                 kind: .unsupportedManifest, fragment: "\"application/vnd.oci.artifact.manifest.v1+json\" is not an image manifest or index"),
        Rejected(name: "nothing to go by", json: #"{"schemaVersion":2}"#, declared: "text/plain",
                 kind: .invalidManifest, fragment: "neither \"manifests\""),
    ]

    @Test(arguments: rejected)
    func rejects(_ c: Rejected) {
        let bytes = c.json.bytes
        let error = #expect(throws: OCIError.self) { try ManifestDocument(bytes: bytes, declaredMediaType: c.declared) }
        #expect(error?.kind == c.kind)
        #expect(error?.message.contains(c.fragment) == true, "\(error?.message ?? "") lacks \(c.fragment)")
        // The message names the manifest by its digest, so a log line leads back to the bytes.
        #expect(error?.message.contains(Digest.sha256(bytes).description) == true)
    }

    @Test
    func digestMismatchNamesBothDigests() {
        let bytes = Fixture.ociManifest.bytes
        let wrong = Fixture.digest("sha256:" + Fixture.hexD)
        let error = #expect(throws: OCIError.self) { try ManifestDocument(bytes: bytes, expectedDigest: wrong) }
        #expect(error?.kind == .digestMismatch)
        #expect(error?.message.contains(wrong.description) == true)
        #expect(error?.message.contains("sha256:fab8b6448087f18f3d2a8394455151d9fb8a28637ec26f262d2d1ebfc189167e") == true)
    }

    @Test
    func digestMismatchComesBeforeParsing() {
        let error = #expect(throws: OCIError.self) {
            try ManifestDocument(bytes: "garbage".bytes, expectedDigest: Fixture.digest("sha256:" + Fixture.hexA))
        }
        #expect(error?.kind == .digestMismatch)
    }

    @Test(arguments: Digest.Algorithm.allCases)
    func expectedDigestSetsTheAlgorithm(algorithm: Digest.Algorithm) throws {
        let bytes = Fixture.ociIndex.bytes
        let expected = Digest.compute(algorithm, bytes)
        let document = try ManifestDocument(bytes: bytes, expectedDigest: expected)
        #expect(document.digest == expected)
        #expect(document.digest.algorithm == algorithm)
    }

    @Test
    func encodingRoundTrips() throws {
        let manifest = ImageManifest(
            config: Descriptor(mediaType: .ociImageConfig, digest: Fixture.digest(Self.a), size: 2),
            layers: [Descriptor(mediaType: .ociLayerGzip, digest: Fixture.digest(Self.b), size: 10,
                                annotations: ["k": "v"])]
        )
        let document = try ManifestDocument(encoding: .image(manifest))
        #expect(document.content == .image(manifest))
        #expect(document.mediaType == .ociImageManifest)
        #expect(document.digest == Digest.sha256(document.bytes))
        let json = String(decoding: document.bytes, as: UTF8.self)
        // Absent optionals are left out, not written as null; slashes are not escaped.
        #expect(!json.contains("null"))
        #expect(!json.contains("urls"))
        #expect(json.contains("\"application/vnd.oci.image.config.v1+json\""))
        // Same value, same bytes.
        #expect(try ManifestDocument(encoding: .image(manifest)).bytes == document.bytes)

        let index = ImageIndex(manifests: [document.descriptor.withPlatform(Platform(os: "linux", architecture: "amd64"))])
        let indexDocument = try ManifestDocument(encoding: .index(index))
        #expect(indexDocument.content == .index(index))
        #expect(indexDocument.children.first?.digest == document.digest)
    }
}

extension Descriptor {
    fileprivate func withPlatform(_ platform: Platform) -> Descriptor {
        var copy = self
        copy.platform = platform
        return copy
    }
}
