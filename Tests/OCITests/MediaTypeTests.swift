import Foundation
import OCI
import Testing

struct MediaTypeTests {
    @Test(arguments: [
        ("application/vnd.oci.image.manifest.v1+json; charset=utf-8", "application/vnd.oci.image.manifest.v1+json"),
        ("application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.v2+json"),
        ("  Application/VND.OCI.Image.Index.v1+JSON ;charset=UTF-8", "application/vnd.oci.image.index.v1+json"),
        ("application/json;", "application/json"),
        ("\tapplication/octet-stream\t", "application/octet-stream"),
        ("", ""),
    ])
    func contentTypeDropsParameters(header: String, expected: String) {
        #expect(MediaType(contentType: header).rawValue == expected)
    }

    @Test
    func contentTypeOfAManifestIsAManifest() {
        #expect(MediaType(contentType: "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8") == .dockerManifestList)
        #expect(MediaType(contentType: "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8").isIndex)
    }

    @Test(arguments: [
        (MediaType.ociImageManifest, "application/vnd.oci.image.manifest.v1+json"),
        (.ociImageIndex, "application/vnd.oci.image.index.v1+json"),
        (.dockerManifest, "application/vnd.docker.distribution.manifest.v2+json"),
        (.dockerManifestList, "application/vnd.docker.distribution.manifest.list.v2+json"),
        (.dockerManifestSchema1, "application/vnd.docker.distribution.manifest.v1+json"),
        (.dockerManifestSchema1Signed, "application/vnd.docker.distribution.manifest.v1+prettyjws"),
        (.ociImageConfig, "application/vnd.oci.image.config.v1+json"),
        (.dockerImageConfig, "application/vnd.docker.container.image.v1+json"),
        (.ociLayer, "application/vnd.oci.image.layer.v1.tar"),
        (.ociLayerGzip, "application/vnd.oci.image.layer.v1.tar+gzip"),
        (.ociLayerZstd, "application/vnd.oci.image.layer.v1.tar+zstd"),
        (.dockerLayerGzip, "application/vnd.docker.image.rootfs.diff.tar.gzip"),
        (.dockerForeignLayerGzip, "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"),
        (.ociNonDistributableLayer, "application/vnd.oci.image.layer.nondistributable.v1.tar"),
        (.ociNonDistributableLayerGzip, "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"),
        (.ociNonDistributableLayerZstd, "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"),
        (.ociEmpty, "application/vnd.oci.empty.v1+json"),
    ])
    func constantsHaveTheRegisteredStrings(type: MediaType, raw: String) {
        #expect(type.rawValue == raw)
        #expect(type.description == raw)
        #expect(MediaType(rawValue: raw) == type)
    }

    struct PredicateCase: Sendable, CustomTestStringConvertible {
        let type: MediaType
        let index: Bool
        let image: Bool
        let nonDistributable: Bool
        var testDescription: String { type.rawValue }
    }

    @Test(arguments: [
        PredicateCase(type: .ociImageIndex, index: true, image: false, nonDistributable: false),
        PredicateCase(type: .dockerManifestList, index: true, image: false, nonDistributable: false),
        PredicateCase(type: .ociImageManifest, index: false, image: true, nonDistributable: false),
        PredicateCase(type: .dockerManifest, index: false, image: true, nonDistributable: false),
        PredicateCase(type: .dockerManifestSchema1, index: false, image: false, nonDistributable: false),
        PredicateCase(type: .dockerManifestSchema1Signed, index: false, image: false, nonDistributable: false),
        PredicateCase(type: .ociImageConfig, index: false, image: false, nonDistributable: false),
        PredicateCase(type: .ociLayerGzip, index: false, image: false, nonDistributable: false),
        PredicateCase(type: .dockerLayerGzip, index: false, image: false, nonDistributable: false),
        PredicateCase(type: .dockerForeignLayerGzip, index: false, image: false, nonDistributable: true),
        PredicateCase(type: .ociNonDistributableLayer, index: false, image: false, nonDistributable: true),
        PredicateCase(type: .ociNonDistributableLayerGzip, index: false, image: false, nonDistributable: true),
        PredicateCase(type: .ociNonDistributableLayerZstd, index: false, image: false, nonDistributable: true),
        PredicateCase(type: "application/vnd.oci.artifact.manifest.v1+json", index: false, image: false, nonDistributable: false),
        PredicateCase(type: "application/json", index: false, image: false, nonDistributable: false),
    ])
    func predicates(_ c: PredicateCase) {
        #expect(c.type.isIndex == c.index)
        #expect(c.type.isImageManifest == c.image)
        #expect(c.type.isManifest == (c.index || c.image))
        #expect(c.type.isNonDistributable == c.nonDistributable)
    }

    @Test
    func schema1Predicate() {
        #expect(MediaType.dockerManifestSchema1.isSchema1)
        #expect(MediaType.dockerManifestSchema1Signed.isSchema1)
        #expect(!MediaType.dockerManifest.isSchema1)
    }

    @Test
    func acceptListIsIndexFirstThenManifests() {
        #expect(MediaType.manifestAcceptList.map(\.rawValue) == [
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        ])
    }

    @Test
    func codesAsAPlainString() throws {
        let json = try JSONEncoder().encode([MediaType.ociLayerZstd, "application/x-custom"])
        #expect(String(decoding: json, as: UTF8.self) == #"["application\/vnd.oci.image.layer.v1.tar+zstd","application\/x-custom"]"#)
        #expect(try JSONDecoder().decode([MediaType].self, from: json) == [.ociLayerZstd, "application/x-custom"])
    }
}
