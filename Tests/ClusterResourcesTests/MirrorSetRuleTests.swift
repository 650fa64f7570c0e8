import ClusterResources
import OCI
import Testing

/// The two rules of spec §6.1 as tables: which set, which scope.
@Suite struct MirrorSetRuleTests {
    @Test(arguments: [
        ("quay.io/app/a:1", false, [MirrorSetKind.tag]),
        ("quay.io/app/a@sha256:\(hex("a"))", false, [.digest]),
        ("quay.io/app/a:1@sha256:\(hex("a"))", false, [.digest, .tag]),
        ("quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64", true, [.digest, .tag]),
        ("quay.io/openshift-release-dev/ocp-release@sha256:\(hex("a"))", true, [.digest]),
    ])
    func setMembership(source: String, payload: Bool, expected: [MirrorSetKind]) {
        let image = landed(source, "mirror.example/ns/app/a:1", .release, payload: payload)
        #expect(ImageMirrorSetGenerator.kinds(for: image) == expected)
    }

    @Test(arguments: [
        // destination ends with the source path: namespace scope
        ("registry.redhat.io/ubi8/ubi:1", "mirror.example:5000/ns/ubi8/ubi:1", false,
         "registry.redhat.io/ubi8", "mirror.example:5000/ns/ubi8"),
        ("registry.redhat.io/ubi8/ubi:1", "mirror.example:5000/ubi8/ubi:1", false,
         "registry.redhat.io/ubi8", "mirror.example:5000/ubi8"),
        ("quay.io/a/b/c:1", "mirror.example/x/a/b/c:1", false, "quay.io/a/b", "mirror.example/x/a/b"),
        // forced (--max-nested-paths)
        ("registry.redhat.io/ubi8/ubi:1", "mirror.example:5000/ns/ubi8/ubi:1", true,
         "registry.redhat.io/ubi8/ubi", "mirror.example:5000/ns/ubi8/ubi"),
        // renamed (targetRepo) or flattened: repository scope
        ("quay.io/team/tool:1", "mirror.example/custom/tool:1", false, "quay.io/team/tool", "mirror.example/custom/tool"),
        ("quay.io/openshift/release:1", "mirror.example/ns/openshift-release:1", false,
         "quay.io/openshift/release", "mirror.example/ns/openshift-release"),
        // a string suffix that is not a component suffix
        ("quay.io/ubi8/ubi:1", "mirror.example/ns/xubi8/ubi:1", false, "quay.io/ubi8/ubi", "mirror.example/ns/xubi8/ubi"),
        // a single component: never a bare registry
        ("docker.io/busybox:1", "mirror.example/ns/busybox:1", false, "docker.io/busybox", "mirror.example/ns/busybox"),
        ("docker.io/busybox:1", "mirror.example/busybox:1", false, "docker.io/busybox", "mirror.example/busybox"),
    ])
    func scopeRule(source: String, destination: String, force: Bool, expectedSource: String, expectedMirror: String) {
        let generator = ImageMirrorSetGenerator(forceRepositoryScope: force)
        let (sourceScope, mirrorScope) = generator.scopes(for: landed(source, destination))
        #expect(sourceScope.description == expectedSource)
        #expect(mirrorScope.description == expectedMirror)
    }

    @Test(arguments: [
        ("quay.io", "quay.io/a/b", true),
        ("quay.io/a", "quay.io/a/b", true),
        ("quay.io/a/b", "quay.io/a/b", true),
        ("quay.io/a", "quay.io/ab/c", false),
        ("quay.io/a/b/c", "quay.io/a/b", false),
        ("quay.io", "quay.io:443/a", false),
        ("mirror.example:5000/ns", "mirror.example:5000/ns/x", true),
    ])
    func scopeContainment(scopeText: String, repository: String, expected: Bool) {
        #expect(scope(scopeText).contains(repo(repository)) == expected)
    }

    @Test(arguments: ["", "quay.io/", "docker://quay.io/a", "quay.io/a:tag", "quay.io/a@sha256:\(hex("a"))", "Quay_io/a", "quay.io/A"])
    func invalidScopesAreRejected(text: String) {
        #expect(throws: ClusterResourcesError.self) { try ImageScope(parsing: text) }
    }
}
