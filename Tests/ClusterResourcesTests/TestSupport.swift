import ClusterResources
import OCI
import Testing

/// A reference from text; a typo in a test table fails the test that uses it.
func ref(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ImageReference {
    do {
        return try ImageReference(parsing: text)
    } catch {
        Issue.record("bad reference in test: \(error)", sourceLocation: sourceLocation)
        return ImageReference(repository: try! RepositoryName(registry: "invalid.example", path: "invalid"), tag: "x", digest: nil)
    }
}

/// A repository name from text.
func repo(_ text: String) -> RepositoryName {
    ref(text + ":t").repository
}

/// A scope from text.
func scope(_ text: String) -> ImageScope {
    try! ImageScope(parsing: text)
}

/// A landed image.
func landed(_ source: String, _ destination: String, _ category: MirrorCategory = .generic,
            payload: Bool = false) -> MirroredImage {
    MirroredImage(source: ref(source), destination: ref(destination), category: category, isReleasePayload: payload)
}

/// sha256 digests for tables: `hex("a")` is 64 × "a".
func hex(_ character: Character) -> String {
    String(repeating: character, count: 64)
}

/// Reproducible shuffles: SplitMix64.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The file contents of `kind` for `images`, nil when no file would be written.
func generatedText(_ kind: MirrorSetKind, _ images: [MirroredImage],
                   generator: ImageMirrorSetGenerator = ImageMirrorSetGenerator()) throws -> String? {
    try generator.mirrorSets(for: images).file(kind)?.contents
}

/// Images of every kind the generator sees, used by the replay and determinism tests.
let mixedImages: [MirroredImage] = [
    landed("quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64",
           "mirror.example:5000/ns/openshift/release-images:4.15.0-x86_64", .release, payload: true),
    landed("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:\(hex("1"))",
           "mirror.example:5000/ns/openshift/release:4.15.0-x86_64-etcd", .release),
    landed("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:\(hex("2"))",
           "mirror.example:5000/ns/openshift/release:4.15.0-x86_64-kube-apiserver", .release),
    landed("registry.redhat.io/openshift4/ose-kube-rbac-proxy@sha256:\(hex("3"))",
           "mirror.example:5000/ns/openshift4/ose-kube-rbac-proxy:sha256-\(hex("3"))", .operator),
    landed("registry.redhat.io/rhel9/postgresql-15@sha256:\(hex("4"))",
           "mirror.example:5000/ns/rhel9/postgresql-15:sha256-\(hex("4"))", .operator),
    landed("registry.redhat.io/ubi8/ubi:8.9", "mirror.example:5000/ns/ubi8/ubi:8.9"),
    landed("registry.redhat.io/ubi9/ubi-minimal@sha256:\(hex("5"))",
           "mirror.example:5000/ns/ubi9/ubi-minimal:sha256-\(hex("5"))"),
    landed("quay.io/app/server:v1@sha256:\(hex("6"))", "mirror.example:5000/ns/app/server:v1"),
    landed("docker.io/busybox:1.36", "mirror.example:5000/ns/busybox:1.36"),
    landed("quay.io/team/tool:2.0", "mirror.example:5000/custom/tool:2.0"),
]
