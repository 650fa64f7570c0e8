import OCI
import Testing

struct RegistryLocationTests {
    @Test(arguments: [
        ("docker://mirror.example.com:5000", "mirror.example.com:5000", nil),
        ("docker://mirror.example.com:5000/ocp", "mirror.example.com:5000", "ocp"),
        ("mirror.example.com/ocp/4.18", "mirror.example.com", "ocp/4.18"),
        ("docker://localhost:5000/a/b/c/", "localhost:5000", "a/b/c"),
        ("localhost", "localhost", nil),
        ("docker://[::1]:5000/mirror", "[::1]:5000", "mirror"),
        ("docker://Mirror.Example.COM/ns", "mirror.example.com", "ns"),
    ] as [(String, String, String?)])
    func parses(text: String, registry: String, namespace: String?) throws {
        let location = try RegistryLocation(parsing: text)
        #expect(location.registry == registry)
        #expect(location.namespace == namespace)
        #expect(location.description == registry + (namespace.map { "/" + $0 } ?? ""))
    }

    @Test(arguments: [
        ("docker://mirror:5000/ocp:4.18", "takes no tag"),
        ("docker://mirror.example.com/ocp/app:v1", "takes no tag"),
        ("mirror.example.com/ocp@sha256:" + Fixture.hexA, "takes no digest"),
        ("docker://library", "not a registry host"),
        ("docker://quay.io/Upper", "uppercase"),
        ("docker://quay.io//ns", "empty path component"),
        ("docker://", "empty registry host"),
        ("oci:///tmp/layout", "unsupported transport"),
        ("file://out", "unsupported transport"),
    ])
    func rejects(text: String, fragment: String) {
        let error = #expect(throws: OCIError.self) { try RegistryLocation(parsing: text) }
        #expect(error?.kind == .invalidReference)
        #expect(error?.message.contains("\"\(text)\"") == true, "message quotes the input: \(error?.message ?? "")")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }

    static let digest = "sha256:" + Fixture.hexA

    @Test(arguments: [
        // tag: kept; source host dropped, path kept.
        ("docker://mirror:5000", "quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64",
         "mirror:5000/openshift-release-dev/ocp-release:4.18.1-x86_64", "4.18.1-x86_64", nil),
        ("docker://mirror:5000/ocp", "quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64",
         "mirror:5000/ocp/openshift-release-dev/ocp-release:4.18.1-x86_64", "4.18.1-x86_64", nil),
        ("docker://mirror:5000/a/b", "registry.example.com/x/y/z:v1",
         "mirror:5000/a/b/x/y/z:v1", "v1", nil),
        // digest only: tag sha256-<hex>, as oc-mirror names it.
        ("docker://mirror:5000", "registry.redhat.io/ubi8/ubi@" + digest,
         "mirror:5000/ubi8/ubi:sha256-" + Fixture.hexA, "sha256-" + Fixture.hexA, nil),
        ("docker://mirror:5000/ns", "registry.redhat.io/ubi8/ubi@" + digest,
         "mirror:5000/ns/ubi8/ubi:sha256-" + Fixture.hexA, "sha256-" + Fixture.hexA, nil),
        // tag + digest: both kept.
        ("docker://mirror:5000", "quay.io/org/app:v2@" + digest,
         "mirror:5000/org/app:v2@" + digest, "v2", digest),
        ("docker://mirror:5000/ns/sub", "quay.io/org/app:v2@" + digest,
         "mirror:5000/ns/sub/org/app:v2@" + digest, "v2", digest),
    ] as [(String, String, String, String, String?)])
    func destination(location: String, source: String, expected: String, tag: String, digest: String?) throws {
        let destination = try RegistryLocation(parsing: location).destination(for: ImageReference(parsing: source))
        #expect(destination.description == expected)
        #expect(destination.tag == tag)
        #expect(destination.digest?.description == digest)
        #expect(try ImageReference(parsing: destination.description) == destination)
    }

    @Test
    func sha512DigestOnlySourceGetsAValidTag() throws {
        let source = try ImageReference(parsing: "quay.io/org/app@" + Fixture.sha512ABC)
        let destination = try RegistryLocation(parsing: "mirror:5000").destination(for: source)
        let tag = try #require(destination.tag)
        #expect(tag.count == 127)
        #expect(tag.hasPrefix("sha512-ddaf35a1"))
        // Still a legal tag: the reference parses back.
        #expect(try ImageReference(parsing: destination.description) == destination)
    }
}
