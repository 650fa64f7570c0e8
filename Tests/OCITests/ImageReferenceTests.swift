import OCI
import Testing

struct ImageReferenceTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let input: String
        let registry: String
        let path: String
        var tag: String?
        var digest: String?
        /// The description after parsing; nil when it is the input itself.
        var canonical: String?
        var testDescription: String { input }
    }

    static let digestA = "sha256:" + Fixture.hexA
    static let longTag = "v" + String(repeating: "1", count: 127)

    static let valid: [Valid] = [
        Valid(input: "docker://quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64", registry: "quay.io",
              path: "openshift-release-dev/ocp-release", tag: "4.18.1-x86_64",
              canonical: "quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64"),
        Valid(input: "quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64", registry: "quay.io",
              path: "openshift-release-dev/ocp-release", tag: "4.18.1-x86_64"),
        Valid(input: "docker.io/library/nginx:1.25", registry: "docker.io", path: "library/nginx", tag: "1.25"),
        Valid(input: "localhost/app:1", registry: "localhost", path: "app", tag: "1"),
        Valid(input: "localhost:5000/app:latest", registry: "localhost:5000", path: "app", tag: "latest"),
        Valid(input: "127.0.0.1:5000/ns/app@" + digestA, registry: "127.0.0.1:5000", path: "ns/app", digest: digestA),
        Valid(input: "[::1]:5000/app:v1", registry: "[::1]:5000", path: "app", tag: "v1"),
        Valid(input: "[fe80::1]/app:v1", registry: "[fe80::1]", path: "app", tag: "v1"),
        Valid(input: "registry.example.com/a/b/c/d:v1", registry: "registry.example.com", path: "a/b/c/d", tag: "v1"),
        Valid(input: "quay.io:443/a:_x", registry: "quay.io:443", path: "a", tag: "_x"),
        Valid(input: "quay.io/a/b:tag@" + digestA, registry: "quay.io", path: "a/b", tag: "tag", digest: digestA),
        Valid(input: "docker://registry.redhat.io/ubi8/ubi@" + Fixture.sha512ABC, registry: "registry.redhat.io",
              path: "ubi8/ubi", digest: Fixture.sha512ABC, canonical: "registry.redhat.io/ubi8/ubi@" + Fixture.sha512ABC),
        Valid(input: "Quay.IO/org/app:V1.0", registry: "quay.io", path: "org/app", tag: "V1.0", canonical: "quay.io/org/app:V1.0"),
        Valid(input: "my-registry.local/a.b_c__d---e/f-g:1", registry: "my-registry.local", path: "a.b_c__d---e/f-g", tag: "1"),
        Valid(input: "quay.io/app:" + longTag, registry: "quay.io", path: "app", tag: longTag),
        Valid(input: "quay.io/0/9:0", registry: "quay.io", path: "0/9", tag: "0"),
    ]

    @Test(arguments: valid)
    func parses(_ c: Valid) throws {
        let ref = try ImageReference(parsing: c.input)
        #expect(ref.repository.registry == c.registry)
        #expect(ref.repository.path == c.path)
        #expect(ref.tag == c.tag)
        #expect(ref.digest?.description == c.digest)
        #expect(ref.description == (c.canonical ?? c.input))
        #expect(ref.repository.description == "\(c.registry)/\(c.path)")
        // The description parses back to the same reference.
        #expect(try ImageReference(parsing: ref.description) == ref)
    }

    static let invalid: [(input: String, fragment: String)] = [
        ("quay.io/app", "no tag or digest"),
        ("docker://quay.io/org/app", "no implicit :latest"),
        ("library/nginx:1.25", "write the registry host first"),
        ("nginx:1.25", "write the registry host first"),
        ("nginx", "REGISTRY/REPOSITORY"),
        ("", "REGISTRY/REPOSITORY"),
        ("docker://", "REGISTRY/REPOSITORY"),
        ("quay.io/Org/app:1", "uppercase"),
        ("quay.io/org/App@" + digestA, "uppercase"),
        ("quay.io/a//b:1", "empty path component"),
        ("quay.io/app/:1", "empty path component"),
        ("quay.io//app:1", "empty path component"),
        ("quay.io/:1", "missing repository path"),
        ("quay.io/", "missing repository path"),
        ("quay.io/app:" + longTag + "x", "129 characters"),
        ("quay.io/app:bad!tag", "invalid tag \"bad!tag\""),
        ("quay.io/app:.hidden", "invalid tag"),
        ("quay.io/app:-x", "invalid tag"),
        ("quay.io/app:", "empty tag"),
        ("quay.io/app:1:2", "invalid tag \"1:2\""),
        ("quay.io/-app:1", "invalid path component \"-app\""),
        ("quay.io/a___b:1", "invalid path component"),
        ("quay.io/a..b:1", "invalid path component"),
        ("quay.io/a.:1", "invalid path component"),
        ("quay.io/a b:1", "invalid path component"),
        ("quay.io/app@sha256:abc", "expected sha256:<64"),
        ("quay.io/app@SHA256:" + Fixture.hexA, "unsupported algorithm"),
        ("quay.io/app:tag@", "missing \":\""),
        ("quay.io/app@" + digestA + "@" + digestA, "non-hex"),
        ("oci://foo/bar:1", "unsupported transport \"oci://\""),
        ("docker://docker://quay.io/a:1", "unsupported transport"),
        ("localhost:99999/app:1", "invalid port \"99999\""),
        ("localhost:/app:1", "invalid port"),
        ("quay..io/app:1", "invalid name"),
        ("-quay.io/app:1", "invalid name"),
        ("quay_io.com/app:1", "invalid name"),
        ("[::1/app:1", "no closing \"]\""),
        ("[zz::1]:5000/app:1", "invalid IPv6"),
        ("[::1]x/app:1", "text after"),
    ]

    @Test(arguments: invalid)
    func rejects(input: String, fragment: String) {
        let error = #expect(throws: OCIError.self) { try ImageReference(parsing: input) }
        #expect(error?.kind == .invalidReference)
        #expect(error?.message.contains("\"\(input)\"") == true, "message quotes the input: \(error?.message ?? "")")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }

    @Test(arguments: [
        ("quay.io/a:v1", "v1"),
        ("quay.io/a@" + digestA, digestA),
        ("quay.io/a:v1@" + digestA, digestA),
    ])
    func identifierPrefersTheDigest(input: String, identifier: String) throws {
        #expect(try ImageReference(parsing: input).identifier == identifier)
    }

    @Test
    func withDigestAndWithTagReturnCopies() throws {
        let ref = try ImageReference(parsing: "quay.io/a/b:v1")
        let pinned = ref.withDigest(Fixture.digest(Self.digestA))
        #expect(pinned.description == "quay.io/a/b:v1@" + Self.digestA)
        #expect(ref.digest == nil)
        #expect(pinned.withTag(nil).description == "quay.io/a/b@" + Self.digestA)
        #expect(pinned.withTag("v2").description == "quay.io/a/b:v2@" + Self.digestA)
        #expect(ref.withTag(nil).identifier == "")
    }

    @Test
    func memberwiseInitializerComposes() throws {
        let repository = try RepositoryName(registry: "Mirror.Example.com:5000", path: "ocp/release")
        let ref = ImageReference(repository: repository, tag: "4.18.1", digest: nil)
        #expect(repository.registry == "mirror.example.com:5000")
        #expect(ref.description == "mirror.example.com:5000/ocp/release:4.18.1")
        #expect(try ImageReference(parsing: ref.description) == ref)
    }

    @Test(arguments: [
        ("library", "app", "invalid registry \"library\""),
        ("quay.io", "App", "invalid repository path \"App\""),
        ("quay.io", "", "missing repository path"),
        ("quay.io", "a//b", "empty path component"),
        ("", "app", "empty registry host"),
        ("quay.io:x", "app", "invalid port"),
    ])
    func repositoryNameValidatesBothParts(registry: String, path: String, fragment: String) {
        let error = #expect(throws: OCIError.self) { try RepositoryName(registry: registry, path: path) }
        #expect(error?.kind == .invalidReference)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }

    @Test
    func repositoryNamesSortByRegistryThenPath() throws {
        let names = try [("quay.io", "b"), ("docker.io", "z"), ("quay.io", "a/c"), ("quay.io", "a")]
            .map { try RepositoryName(registry: $0.0, path: $0.1) }
        #expect(names.sorted().map(\.description) == ["docker.io/z", "quay.io/a", "quay.io/a/c", "quay.io/b"])
    }

    @Test
    func scopeNamesThePathOnly() throws {
        let name = try RepositoryName(registry: "quay.io", path: "ns/app")
        #expect(name.scope("pull,push") == "repository:ns/app:pull,push")
    }
}
