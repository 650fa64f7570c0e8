import ImageSet
import OCI
import Testing

/// Image names without a registry host (`hello-world:latest`, `library/nginx:1.25`) are Docker
/// Hub's, as containers/image reads them, with a warning naming what they are read as.
struct ShortImageNameTests {
    @Test func additionalImagesCatalogsAndReleasesAreCompletedWithAWarning() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    release: myorg/release:4.18.1",
            "  operators:",
            "  - catalog: redhat-operator-index:v4.18",
            "    full: true",
            "  additionalImages:",
            "  - name: hello-world:latest",
            "  - name: library/nginx:1.25",
            "  - name: docker://bitnami/redis:7",
            "  - name: docker.io/busybox:1",
            "  - name: index.docker.io/bitnami/redis:8",
            "  - name: quay.io/ok/app:1"
        ), fileName: testFile)
        let mirror = loaded.value.mirror
        #expect(mirror.platform.release?.reference.description == "docker.io/myorg/release:4.18.1")
        #expect(mirror.operators.first?.location == .registry(try ImageReference(parsing: "docker.io/library/redhat-operator-index:v4.18")))
        #expect(mirror.additionalImages.map(\.reference.description) == [
            "docker.io/library/hello-world:latest", "docker.io/library/nginx:1.25", "docker.io/bitnami/redis:7",
            "docker.io/library/busybox:1", "docker.io/bitnami/redis:8", "quay.io/ok/app:1",
        ])
        // The name as written is kept (logs and reports quote it).
        #expect(mirror.additionalImages[0].name == "hello-world:latest")
        let noHost = "it names no registry host, so it is Docker Hub's, as containers/image (oc-mirror's copy library) reads it"
        #expect(loaded.warnings.map(\.summary) == [
            "isc.yaml:4:14: mirror.platform.release: 'myorg/release:4.18.1' is read as 'docker.io/myorg/release:4.18.1': \(noHost)",
            "isc.yaml:6:14: mirror.operators[0].catalog: 'redhat-operator-index:v4.18' is read as 'docker.io/library/redhat-operator-index:v4.18': \(noHost)",
            "isc.yaml:9:11: mirror.additionalImages[0].name: 'hello-world:latest' is read as 'docker.io/library/hello-world:latest': \(noHost)",
            "isc.yaml:10:11: mirror.additionalImages[1].name: 'library/nginx:1.25' is read as 'docker.io/library/nginx:1.25': \(noHost)",
            "isc.yaml:11:11: mirror.additionalImages[2].name: 'docker://bitnami/redis:7' is read as 'docker.io/bitnami/redis:7': \(noHost)",
            "isc.yaml:12:11: mirror.additionalImages[3].name: 'docker.io/busybox:1' is read as 'docker.io/library/busybox:1': Docker Hub keeps its official images under library/",
            "isc.yaml:13:11: mirror.additionalImages[4].name: 'index.docker.io/bitnami/redis:8' is read as 'docker.io/bitnami/redis:8': index.docker.io is Docker Hub's old name",
        ], "\(loaded.warnings.map(\.summary))")
        #expect(loaded.warnings[2].hint == "write 'docker.io/library/hello-world:latest' to say so")
    }

    @Test func aShortNameWithoutTagIsStillRefused() throws {
        // No implicit :latest, as oc-mirror: the additional image is skipped, the catalog an error.
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: nginx",
            "  - name: quay.io/ok/app:1"
        ), fileName: testFile)
        #expect(loaded.value.mirror.skippedImages.map(\.name) == ["nginx"])
        #expect(iscProblems(yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: redhat-operator-index",
            "    full: true"
        )) == [
            "isc.yaml:4:14: mirror.operators[0].catalog: invalid image reference \"redhat-operator-index\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
        ])
    }

    @Test func blockedPatternsWrittenWithTheShortNameStillMatch() throws {
        // Patterns are matched, unanchored, against the completed name (and the destination).
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: 'nginx:1.25'}]",
            "  blockedImages: [{name: 'nginx:1\\.25'}, {name: '^docker\\.io/library/'}]"
        ), fileName: testFile)
        let image = loaded.value.mirror.additionalImages[0].reference.description
        #expect(loaded.value.mirror.blockedImages.allSatisfy { $0.blocks(image) })
    }
}
