import OCI
import Testing

/// `ImageReference.parse(normalizing:)`: Docker Hub's short names completed as containers/image's
/// `ParseNormalizedNamed` does, while the strict parser keeps refusing them.
struct ImageReferenceNormalizingTests {
    static let digestA = "sha256:" + Fixture.hexA

    @Test(arguments: [
        // One segment: docker.io and library/.
        ("hello-world:latest", "docker.io/library/hello-world:latest"),
        ("docker://nginx:1.25", "docker.io/library/nginx:1.25"),
        ("nginx@" + digestA, "docker.io/library/nginx@" + digestA),
        ("nginx:1.25@" + digestA, "docker.io/library/nginx:1.25@" + digestA),
        // A first segment without "." or ":" and not localhost is a Docker Hub namespace.
        ("library/nginx:1.25", "docker.io/library/nginx:1.25"),
        ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
        ("a/b/c:1", "docker.io/a/b/c:1"),
        // With no "/", a colon starts the tag, not a port.
        ("registry:5000", "docker.io/library/registry:5000"),
        // Docker Hub named without library/, or by its legacy name.
        ("docker.io/nginx:1.25", "docker.io/library/nginx:1.25"),
        ("index.docker.io/nginx:1.25", "docker.io/library/nginx:1.25"),
        ("index.docker.io/bitnami/redis:7", "docker.io/bitnami/redis:7"),
    ])
    func completesShortNames(input: String, expected: String) throws {
        let (reference, wasNormalized) = try ImageReference.parse(normalizing: input)
        #expect(reference.description == expected)
        #expect(wasNormalized)
        // The strict parser still refuses the short form (it reads the first segment as a host).
        if !input.hasPrefix("docker.io/"), !input.hasPrefix("index.docker.io/") {
            #expect(throws: OCIError.self) { try ImageReference(parsing: input) }
        }
    }

    @Test(arguments: [
        "quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64",
        "docker://registry.redhat.io/ubi9/ubi:latest",
        "docker.io/library/nginx:1.25",
        "docker.io/bitnami/redis:7",
        "localhost/app:1",
        "localhost:5000/app@" + digestA,
        "mirror:5000/ns/app:1",
        "[::1]:5000/app:v1",
        "quay.io/app:v1@" + digestA,
    ])
    func leavesQualifiedNamesAsTheStrictParserReadsThem(input: String) throws {
        let (reference, wasNormalized) = try ImageReference.parse(normalizing: input)
        #expect(!wasNormalized)
        #expect(reference == (try ImageReference(parsing: input)))
    }

    @Test(arguments: [
        ("nginx", "no tag or digest"),
        ("library/nginx", "no tag or digest"),
        ("Nginx:1", "uppercase"),
        ("MyOrg/app:1", "uppercase"),
        ("nginx:bad!tag", "invalid tag"),
        ("oci://nginx:1", "unsupported transport"),
        ("", "missing repository path"),
        ("docker.io/:1", "missing repository path"),
    ])
    func stillRefusesWhatContainersImageRefuses(input: String, fragment: String) {
        let error = #expect(throws: OCIError.self) { try ImageReference.parse(normalizing: input) }
        #expect(error?.kind == .invalidReference)
        // The message quotes what was written, not the completed name.
        #expect(error?.message.contains("\"\(input)\"") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }
}
