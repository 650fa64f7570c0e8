import ClusterResources
import OCI
import Testing

/// Exact file contents for each situation of spec §6.1. A golden is the whole file, so a
/// changed key order, quote, indent or marker fails here.
@Suite struct MirrorSetGoldenTests {
    @Test func genericImageByTagGoesToITMSOnly() throws {
        let images = [landed("registry.redhat.io/ubi8/ubi:8.9", "mirror.example:5000/ns/ubi8/ubi:8.9")]
        #expect(try generatedText(.digest, images) == nil)
        #expect(try generatedText(.tag, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - mirror.example:5000/ns/ubi8
                source: registry.redhat.io/ubi8

            """)
    }

    @Test func genericImageByDigestGoesToIDMSOnly() throws {
        let images = [landed("registry.redhat.io/ubi9/ubi-minimal@sha256:\(hex("5"))",
                             "mirror.example:5000/ns/ubi9/ubi-minimal:sha256-\(hex("5"))")]
        #expect(try generatedText(.tag, images) == nil)
        #expect(try generatedText(.digest, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-generic-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/ubi9
                source: registry.redhat.io/ubi9

            """)
    }

    /// "ITMS gets images whose origin is not digest-only": tag+digest goes to both.
    @Test func tagPlusDigestGoesToBoth() throws {
        let images = [landed("quay.io/app/server:v1@sha256:\(hex("6"))", "mirror.example:5000/ns/app/server:v1")]
        let body = """
            metadata:
              annotations:
                createdBy: ferry
              name: KIND-generic-0
            spec:
              KEY:
              - mirrors:
                - mirror.example:5000/ns/app
                source: quay.io/app

            """
        #expect(try generatedText(.digest, images) == "---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\n"
            + body.replacing("KIND", with: "idms").replacing("KEY", with: "imageDigestMirrors"))
        #expect(try generatedText(.tag, images) == "---\napiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\n"
            + body.replacing("KIND", with: "itms").replacing("KEY", with: "imageTagMirrors"))
    }

    /// The payload by tag is in the IDMS too (CLID-205); components by digest only there.
    @Test func releasePayloadByTagAndComponentsByDigest() throws {
        let images = Array(mixedImages.prefix(3))
        #expect(try generatedText(.digest, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-release-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift/release-images
                source: quay.io/openshift-release-dev/ocp-release
              - mirrors:
                - mirror.example:5000/ns/openshift/release
                source: quay.io/openshift-release-dev/ocp-v4.0-art-dev

            """)
        #expect(try generatedText(.tag, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-release-0
            spec:
              imageTagMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift/release-images
                source: quay.io/openshift-release-dev/ocp-release

            """)
    }

    @Test func operatorImages() throws {
        let images = [
            landed("registry.redhat.io/rhel9/postgresql-15@sha256:\(hex("4"))",
                   "mirror.example:5000/ns/rhel9/postgresql-15:sha256-\(hex("4"))", .operator),
            landed("registry.redhat.io/openshift4/ose-kube-rbac-proxy@sha256:\(hex("3"))",
                   "mirror.example:5000/ns/openshift4/ose-kube-rbac-proxy:sha256-\(hex("3"))", .operator),
            landed("registry.redhat.io/advanced-cluster-management/acm-operator-bundle@sha256:\(hex("8"))",
                   "mirror.example:5000/ns/advanced-cluster-management/acm-operator-bundle:sha256-\(hex("8"))", .operator),
        ]
        #expect(try generatedText(.tag, images) == nil)
        #expect(try generatedText(.digest, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-operator-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/advanced-cluster-management
                source: registry.redhat.io/advanced-cluster-management
              - mirrors:
                - mirror.example:5000/ns/openshift4
                source: registry.redhat.io/openshift4
              - mirrors:
                - mirror.example:5000/ns/rhel9
                source: registry.redhat.io/rhel9

            """)
    }

    /// One object per category present, in the order release, operator, generic.
    @Test func allCategoriesInOneFile() throws {
        #expect(try generatedText(.digest, mixedImages) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-release-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift/release-images
                source: quay.io/openshift-release-dev/ocp-release
              - mirrors:
                - mirror.example:5000/ns/openshift/release
                source: quay.io/openshift-release-dev/ocp-v4.0-art-dev
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-operator-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift4
                source: registry.redhat.io/openshift4
              - mirrors:
                - mirror.example:5000/ns/rhel9
                source: registry.redhat.io/rhel9
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-generic-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/app
                source: quay.io/app
              - mirrors:
                - mirror.example:5000/ns/ubi9
                source: registry.redhat.io/ubi9

            """)
        #expect(try generatedText(.tag, mixedImages) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-release-0
            spec:
              imageTagMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift/release-images
                source: quay.io/openshift-release-dev/ocp-release
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - mirror.example:5000/ns/busybox
                source: docker.io/busybox
              - mirrors:
                - mirror.example:5000/ns/app
                source: quay.io/app
              - mirrors:
                - mirror.example:5000/custom/tool
                source: quay.io/team/tool
              - mirrors:
                - mirror.example:5000/ns/ubi8
                source: registry.redhat.io/ubi8

            """)
    }

    static let ubiPair = [
        landed("registry.redhat.io/ubi8/ubi:8.9", "10.0.0.1:5000/ns/ubi8/ubi:8.9"),
        landed("registry.redhat.io/ubi8/ubi-minimal:8.9", "10.0.0.1:5000/ns/ubi8/ubi-minimal:8.9"),
    ]

    @Test func namespaceScopeSharesOneRule() throws {
        #expect(try generatedText(.tag, Self.ubiPair) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - 10.0.0.1:5000/ns/ubi8
                source: registry.redhat.io/ubi8

            """)
    }

    @Test func forceRepositoryScopeWritesFullNames() throws {
        let generator = ImageMirrorSetGenerator(forceRepositoryScope: true)
        #expect(try generatedText(.tag, Self.ubiPair, generator: generator) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - 10.0.0.1:5000/ns/ubi8/ubi
                source: registry.redhat.io/ubi8/ubi
              - mirrors:
                - 10.0.0.1:5000/ns/ubi8/ubi-minimal
                source: registry.redhat.io/ubi8/ubi-minimal

            """)
    }

    /// Repeated images, images sharing a namespace rule, and one source with two mirrors
    /// (sorted) all fold into one rule.
    @Test func mirrorsAreDeduplicatedPerSource() throws {
        let images = [
            landed("quay.io/app/a:1", "mirror.example:5000/ns/app/a:1"),
            landed("quay.io/app/b:2", "mirror.example:5000/ns/app/b:2"),
            landed("quay.io/app/a:1", "mirror.example:5000/ns/app/a:1"),
            landed("quay.io/app/c:3", "m2.example/app/c:3"),
        ]
        #expect(try generatedText(.tag, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - m2.example/app
                - mirror.example:5000/ns/app
                source: quay.io/app

            """)
    }

    /// `docker.io/busybox` has no namespace to drop to: repository scope, never a bare registry.
    @Test func singleComponentSourceKeepsRepositoryScope() throws {
        let images = [
            landed("docker.io/library/nginx:1.25", "mirror.example:5000/ns/library/nginx:1.25"),
            landed("docker.io/busybox:1.36", "mirror.example:5000/ns/busybox:1.36"),
        ]
        #expect(try generatedText(.tag, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: itms-generic-0
            spec:
              imageTagMirrors:
              - mirrors:
                - mirror.example:5000/ns/busybox
                source: docker.io/busybox
              - mirrors:
                - mirror.example:5000/ns/library
                source: docker.io/library

            """)
    }

    /// An operator's related image in the release's component repository: the release's
    /// repository rule would shadow the operator's namespace rule on a node, so the operator
    /// image gets a repository rule of its own.
    @Test func shadowedNamespaceRuleGetsARepositoryRule() throws {
        let images = [
            mixedImages[1],
            landed("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:\(hex("7"))",
                   "mirror.example:5000/ns/openshift-release-dev/ocp-v4.0-art-dev:sha256-\(hex("7"))", .operator),
        ]
        #expect(try generatedText(.digest, images) == """
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-release-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift/release
                source: quay.io/openshift-release-dev/ocp-v4.0-art-dev
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              annotations:
                createdBy: ferry
              name: idms-operator-0
            spec:
              imageDigestMirrors:
              - mirrors:
                - mirror.example:5000/ns/openshift-release-dev
                source: quay.io/openshift-release-dev
              - mirrors:
                - mirror.example:5000/ns/openshift-release-dev/ocp-v4.0-art-dev
                source: quay.io/openshift-release-dev/ocp-v4.0-art-dev

            """)
    }

    @Test(arguments: [
        ("ferry", "  annotations:\n    createdBy: ferry\n  name: itms-generic-0\n"),
        ("ferry 1.2.0", "  annotations:\n    createdBy: ferry 1.2.0\n  name: itms-generic-0\n"),
        ("true", "  annotations:\n    createdBy: \"true\"\n  name: itms-generic-0\n"),
        ("", "  name: itms-generic-0\n"),
    ])
    func createdByAnnotation(value: String, metadata: String) throws {
        let generator = ImageMirrorSetGenerator(createdBy: value)
        let text = try #require(try generatedText(.tag, Array(Self.ubiPair.prefix(1)), generator: generator))
        #expect(text.contains("metadata:\n" + metadata + "spec:\n"))
        #expect(!text.contains("createdAt"))
    }

    @Test func nothingMirroredWritesNoFiles() throws {
        #expect(try ImageMirrorSetGenerator().mirrorSets(for: []).files().isEmpty)
    }

    @Test func fileNames() throws {
        let names = try ImageMirrorSetGenerator().mirrorSets(for: mixedImages).files().map(\.name)
        #expect(names == ["idms-oc-mirror.yaml", "itms-oc-mirror.yaml"])
    }
}
