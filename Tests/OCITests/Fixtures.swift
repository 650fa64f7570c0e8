import Foundation
import OCI

/// Known digests and manifest JSON used across the tests.
///
/// The manifests are written with uneven spacing on purpose: a parser that re-encoded them would
/// produce a different digest, and the pinned digests (from `sha256sum` of these exact bytes) catch it.
enum Fixture {
    static let sha256Empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let sha256ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    static let sha512ABC = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    static let sha256EmptyJSON = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    static let hexA = String(repeating: "a", count: 64)
    static let hexB = String(repeating: "b", count: 64)
    static let hexC = String(repeating: "c", count: 64)
    static let hexD = String(repeating: "d", count: 64)

    static func digest(_ text: String) -> Digest {
        // Fixture digests are valid by construction; a typo should fail loudly here.
        try! Digest(parsing: text)
    }

    static let ociManifest = #"""
    {
      "schemaVersion": 2,
      "mediaType":   "application/vnd.oci.image.manifest.v1+json",
      "config": {
        "mediaType": "application/vnd.oci.image.config.v1+json",
        "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "size": 1469
      },
      "layers": [
        {
          "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
          "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
          "size": 3370706
        },
        {
          "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
          "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
          "size": 42,
          "annotations": { "org.opencontainers.image.title": "extra" }
        }
      ],
      "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}
    }
    """#

    static let dockerManifest = #"""
    {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","size":1048576,"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","urls":["https://mcr.microsoft.com/v2/windows/blobs/sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"]}]}
    """#

    static let ociIndex = #"""
    {
      "schemaVersion": 2,
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "manifests": [
        {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "size": 7143,
          "platform": { "architecture": "amd64", "os": "linux" }
        },
        {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
          "size": 7682,
          "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" }
        },
        {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
          "size": 1024,
          "platform": { "architecture": "amd64", "os": "windows", "os.version": "10.0.17763.1040", "os.features": ["win32k"] }
        }
      ]
    }
    """#

    static let dockerManifestList = #"""
    {
       "schemaVersion": 2,
       "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
       "manifests": [
          {
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "size": 7143,
             "digest": "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
             "platform": {
                "architecture": "ppc64le",
                "os": "linux"
             }
          },
          {
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "size": 7682,
             "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             "platform": {
                "architecture": "s390x",
                "os": "linux",
                "features": [ "sse4" ]
             }
          }
       ]
    }
    """#

    /// An OCI manifest without its own mediaType: the type must come from elsewhere.
    static let bareManifest = #"""
    {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},"layers":[]}
    """#

    /// An OCI index without its own mediaType.
    static let bareIndex = #"""
    {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":500}]}
    """#

    /// An OCI 1.1 artifact (a signature-like referrer) with artifactType and subject.
    static let artifactManifest = #"""
    {
      "schemaVersion": 2,
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "artifactType": "application/vnd.example.signature.v1",
      "config": { "mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 },
      "layers": [ { "mediaType": "application/vnd.example.signature.v1", "digest": "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "size": 10 } ],
      "subject": { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "size": 7143 }
    }
    """#

    static let schema1 = #"""
    {
       "name": "library/hello-world",
       "tag": "latest",
       "architecture": "amd64",
       "fsLayers": [ { "blobSum": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } ],
       "history": [ { "v1Compatibility": "{}" } ],
       "schemaVersion": 1
    }
    """#
}

extension String {
    var bytes: Data { Data(utf8) }
}
