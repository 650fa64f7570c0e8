import OCI
import Planning
import Testing

struct DestinationNamingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var root: String
        var source: String
        var targetRepo: String? = nil
        var targetTag: String? = nil
        var maxNestedPaths = 0
        var expected: String
        var testDescription: String { "\(source) -> \(expected)" }
    }

    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    static let cases: [Case] = [
        // spec §9.2: the source registry host is dropped, the path kept under the root
        Case(root: "mirror.example:5000", source: "registry.redhat.io/ubi9/ubi:latest",
             expected: "mirror.example:5000/ubi9/ubi:latest"),
        Case(root: "mirror.example:5000/ocp", source: "quay.io/a/b/c:1.0", expected: "mirror.example:5000/ocp/a/b/c:1.0"),
        // §9.3: digest-only sources get sha256-<hex>
        Case(root: "m.example", source: "quay.io/a/b@\(digest)", expected: "m.example/a/b:sha256-\(String(repeating: "ab", count: 32))"),
        // tag+digest: pushed under the tag, checked against the digest
        Case(root: "m.example", source: "quay.io/a/b:v1@\(digest)", expected: "m.example/a/b:v1@\(digest)"),
        // targetRepo replaces the path (under the namespace), targetTag the tag
        Case(root: "m.example/ns", source: "quay.io/a/b:v1", targetRepo: "tools/b2", expected: "m.example/ns/tools/b2:v1"),
        Case(root: "m.example", source: "quay.io/a/b:v1", targetTag: "stable", expected: "m.example/a/b:stable"),
        Case(root: "m.example", source: "quay.io/a/b@\(digest)", targetTag: "pinned", expected: "m.example/a/b:pinned"),
        // §9.4 --max-nested-paths: keep N-1 components, join the rest with "-"
        Case(root: "reg.example/ns", source: "quay.io/openshift/release:t", maxNestedPaths: 2, expected: "reg.example/ns/openshift-release:t"),
        Case(root: "reg.example", source: "quay.io/a/b/c/d:t", maxNestedPaths: 3, expected: "reg.example/a/b/c-d:t"),
        Case(root: "reg.example", source: "quay.io/a/b:t", maxNestedPaths: 3, expected: "reg.example/a/b:t"),
    ]

    @Test(arguments: cases)
    func names(_ example: Case) throws {
        let naming = DestinationNaming(root: try RegistryLocation(parsing: "docker://\(example.root)"),
                                       maxNestedPaths: example.maxNestedPaths)
        let destination = try naming.destination(for: try ImageReference(parsing: example.source),
                                                 targetRepo: example.targetRepo, targetTag: example.targetTag)
        #expect(destination.description == example.expected)
    }
}
