import Foundation
import ImageSet
import OCI
import Testing

/// Files that must load: the spec §1.4 examples verbatim, an older-style file, a delete file.
struct ValidConfigurationTests {
    func load(_ text: String) throws(ImageSetError) -> Loaded<ImageSetConfiguration> {
        try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: testFile)
    }

    func mark(_ line: Int, _ column: Int) -> SourceMark {
        SourceMark(file: testFile, line: line, column: column)
    }

    static let typical = """
        kind: ImageSetConfiguration
        apiVersion: mirror.openshift.io/v2alpha1
        mirror:
          platform:
            channels:
            - name: stable-4.18
              minVersion: 4.18.1
              maxVersion: 4.18.1
            graph: true
          operators:
            - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.18
              packages:
               - name: aws-load-balancer-operator
               - name: 3scale-operator
          additionalImages:
           - name: registry.redhat.io/ubi9/ubi:latest
          helm:
            repositories:
              - name: cosigned
                url: https://sigstore.github.io/helm-charts
                charts:
                  - name: cosigned
                    version: 0.1.23
            local:
             - name: my-local-chart
               path: /path/to/local/chart

        """

    @Test func loadsTheTypicalExample() throws {
        let loaded = try load(Self.typical)
        #expect(loaded.warnings == [])
        let config = loaded.value
        #expect(config.apiVersion == "mirror.openshift.io/v2alpha1")
        #expect(config.archiveSize == nil)
        let v4_18_1 = SemanticVersion(major: 4, minor: 18, patch: 1)
        #expect(config.mirror.platform == ReleaseSelection(
            graph: true,
            channels: [ReleaseChannel(name: "stable-4.18", minVersion: v4_18_1, maxVersion: v4_18_1, mark: mark(6, 7))]
        ))
        let catalog = try #require(config.mirror.operators.first)
        #expect(config.mirror.operators.count == 1)
        #expect(catalog.catalog == "registry.redhat.io/redhat/redhat-operator-index:v4.18")
        #expect(catalog.location == .registry(try ImageReference(parsing: catalog.catalog)))
        #expect(catalog.mark == mark(11, 7))
        #expect(catalog.full == false)
        #expect(catalog.packages == [
            OperatorPackage(name: "aws-load-balancer-operator", mark: mark(13, 10)),
            OperatorPackage(name: "3scale-operator", mark: mark(14, 10)),
        ])
        #expect(catalog.uniqueName == "registry.redhat.io/redhat/redhat-operator-index:v4.18")
        let image = try #require(config.mirror.additionalImages.first)
        #expect(image.reference.description == "registry.redhat.io/ubi9/ubi:latest")
        #expect(image.mark == mark(16, 6))
        #expect(config.mirror.blockedImages == [])
        #expect(config.mirror.helm == HelmContent(
            repositories: [HelmRepository(name: "cosigned", url: "https://sigstore.github.io/helm-charts",
                                          charts: [HelmChart(name: "cosigned", version: "0.1.23", mark: mark(22, 13))],
                                          mark: mark(19, 9))],
            local: [HelmChart(name: "my-local-chart", path: "/path/to/local/chart", mark: mark(25, 8))]
        ))
    }

    static let versionRange = """
        kind: ImageSetConfiguration
        apiVersion: mirror.openshift.io/v2alpha1
        mirror:
          operators:
            - catalog: quay.io/oc-mirror/oc-mirror-dev:test-catalog-latest
              packages:
              - name: foo
                defaultChannel: beta
                channels:
                - name: beta
                  minVersion: '0.2.0'
                  maxVersion: '0.3.1'

        """

    @Test func loadsTheVersionRangeExample() throws {
        let loaded = try load(Self.versionRange)
        #expect(loaded.warnings == [])
        let package = try #require(loaded.value.mirror.operators.first?.packages.first)
        #expect(package == OperatorPackage(
            name: "foo",
            channels: [PackageChannel(name: "beta", minVersion: VersionBound(SemanticVersion(major: 0, minor: 2, patch: 0)),
                                      maxVersion: VersionBound(SemanticVersion(major: 0, minor: 3, patch: 1)), mark: mark(10, 11))],
            defaultChannel: "beta",
            mark: mark(7, 9)
        ))
    }

    static let sparse = """
        kind: ImageSetConfiguration
        apiVersion: mirror.openshift.io/v2alpha1
        mirror:
          platform:
            graph: false
            release: quay.io/oc-mirror/release/test-release-index-multi:v0.0.1
            platforms:
              - {os: linux, architecture: amd64}
              - {os: linux, architecture: arm64}
          additionalImages:
            - name: quay.io/rh_ee_aguidi/multi-platform-container:latest
              platforms: [{os: linux, architecture: amd64}]

        """

    @Test func loadsTheSparseExample() throws {
        let loaded = try load(Self.sparse)
        #expect(loaded.warnings == [])
        let platform = loaded.value.mirror.platform
        #expect(platform.graph == false)
        #expect(platform.release?.reference.description == "quay.io/oc-mirror/release/test-release-index-multi:v0.0.1")
        #expect(platform.release?.mark == mark(6, 14))
        #expect(platform.platforms == [
            PlatformFilter(os: "linux", architecture: "amd64", mark: mark(8, 9)),
            PlatformFilter(os: "linux", architecture: "arm64", mark: mark(9, 9)),
        ])
        #expect(platform.platforms.selection == [Platform(os: "linux", architecture: "amd64"),
                                                  Platform(os: "linux", architecture: "arm64")])
        #expect(platform.architectures == [])
        let image = try #require(loaded.value.mirror.additionalImages.first)
        #expect(image.platforms == [PlatformFilter(os: "linux", architecture: "amd64", mark: mark(12, 19))])
    }

    /// An older documentation-style file: v1alpha2, `type: ocp`, architectures, `helm: {}`.
    static let v1alpha2Style = """
        kind: ImageSetConfiguration
        apiVersion: mirror.openshift.io/v1alpha2
        archiveSize: 4
        mirror:
          platform:
            architectures:
            - amd64
            - multi
            channels:
            - name: stable-4.14
              type: ocp
              shortestPath: true
            - name: okd-4.14
              type: okd
              full: True
          operators:
          - catalog: docker://registry.redhat.io/redhat/redhat-operator-index:v4.14
            targetCatalog: my-org/redhat-operators
            targetTag: v4.14-mirror
            packages:
            - name: serverless-operator
              channels:
              - name: stable
          - catalog: oci:///home/user/catalogs/community
            full: true
          additionalImages:
          - name: registry.redhat.io/ubi8/ubi@sha256:0000000000000000000000000000000000000000000000000000000000000000
            targetRepo: base/ubi
            targetTag: "8"
          blockedImages:
          - name: ".*/alpine.*"
          - name: ^registry\\.example\\.com/(dev|test)/
          samples:
          - name: ruby
          helm: {}

        """

    @Test func loadsAnOlderStyleFile() throws {
        let loaded = try load(Self.v1alpha2Style)
        #expect(loaded.warnings == [])
        let config = loaded.value
        #expect(config.apiVersion == "mirror.openshift.io/v1alpha2")
        #expect(config.archiveSize == 4)
        #expect(config.mirror.platform.architectures == [.amd64, .multi])
        #expect(config.mirror.platform.channels.map(\.type) == [.ocp, .okd])
        #expect(config.mirror.platform.channels.map(\.shortestPath) == [true, false])
        #expect(config.mirror.platform.channels.map(\.full) == [false, true])
        let operators = config.mirror.operators
        #expect(operators.map(\.uniqueName) == ["registry.redhat.io/my-org/redhat-operators:v4.14-mirror",
                                                "oci:///home/user/catalogs/community"])
        #expect(operators[1].location == .ociLayout(path: "/home/user/catalogs/community"))
        #expect(operators[1].full)
        let image = try #require(config.mirror.additionalImages.first)
        #expect(image.reference.digest?.encoded == String(repeating: "0", count: 64))
        #expect(image.reference.tag == nil)
        #expect(image.targetRepo == "base/ubi")
        #expect(image.targetTag == "8")
        #expect(config.mirror.blockedImages.map(\.pattern) == [".*/alpine.*", #"^registry\.example\.com/(dev|test)/"#])
        #expect(config.mirror.blockedImages[0].blocks("docker.io/library/alpine:3"))
        #expect(!config.mirror.blockedImages[0].blocks("quay.io/app/base:1"))
        #expect(config.mirror.blockedImages[1].blocks("registry.example.com/dev/app:1"))
        #expect(config.mirror.samples == [SampleImage(name: "ruby", mark: mark(34, 5))])
        #expect(config.mirror.helm == HelmContent())
    }

    static let delete = """
        kind: DeleteImageSetConfiguration
        apiVersion: mirror.openshift.io/v2alpha1
        delete:
          platform:
            channels:
            - name: stable-4.18
              minVersion: 4.18.1
              maxVersion: 4.18.1
            graph: true
          operators:
            - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.18
              packages:
               - name: aws-load-balancer-operator
          additionalImages:
           - name: registry.redhat.io/ubi9/ubi:latest

        """

    @Test func loadsADeleteConfigurationWithDefaultArchitecture() throws {
        let loaded = try ImageSetLoader.loadDeleteImageSetConfiguration(yaml: Self.delete, fileName: testFile)
        #expect(loaded.warnings == [])
        #expect(loaded.value.delete.platform.architectures == [.amd64], "oc-mirror CompleteDelete fills amd64")
        #expect(loaded.value.delete.operators.map(\.packages.count) == [1])
        #expect(loaded.value.delete.additionalImages.map(\.reference.description) == ["registry.redhat.io/ubi9/ubi:latest"])
    }

    @Test func leavesDeleteArchitecturesAloneWithPlatforms() throws {
        let text = yaml(
            "kind: DeleteImageSetConfiguration",
            "delete:",
            "  platform:",
            "    channels: [{name: stable-4.18}]",
            "    platforms: [{os: linux, architecture: arm64}]"
        )
        let loaded = try ImageSetLoader.loadDeleteImageSetConfiguration(yaml: text, fileName: testFile)
        #expect(loaded.value.delete.platform.architectures == [])
    }

    @Test func anIdenticalBodyLoadsAsBothKinds() throws {
        let body = Self.delete.replacingOccurrences(of: "DeleteImageSetConfiguration", with: "ImageSetConfiguration")
            .replacingOccurrences(of: "\ndelete:", with: "\nmirror:")
        let mirror = try load(body).value.mirror
        var delete = try ImageSetLoader.loadDeleteImageSetConfiguration(yaml: Self.delete, fileName: testFile).value.delete
        delete.platform.architectures = []
        #expect(mirror == delete)
    }

    // MARK: Warnings

    @Test(arguments: [
        (yaml("kind: ImageSetConfiguration", "apiVersion: mirror.openshift.io/v2alpha2", "mirror:",
              "  additionalImages: [{name: quay.io/a/b:1}]"),
         ["isc.yaml:2:13: apiVersion: unknown apiVersion 'mirror.openshift.io/v2alpha2'; reading the file as "
             + "mirror.openshift.io/v2alpha1; did you mean 'mirror.openshift.io/v2alpha1'?"]),
        (yaml("kind: ImageSetConfiguration", "mirror:", "  operators:", "  - catalog: quay.io/a/b:1", "    full: yes",
              "    skipDependencies: off"),
         ["isc.yaml:5:11: mirror.operators[0].full: 'yes' is read as true (a YAML 1.1 boolean)",
          "isc.yaml:6:23: mirror.operators[0].skipDependencies: 'off' is read as false (a YAML 1.1 boolean)"]),
        (yaml("kind: ImageSetConfiguration", "mirror: {}"),
         ["isc.yaml:2:9: mirror: selects nothing: no platform channels or release, operators, images or charts"]),
    ])
    func warns(_ text: String, _ expected: [String]) throws {
        #expect(try load(text).warnings.map(\.summary) == expected)
    }

    @Test func readsYAML11BooleansAsOcMirrorDoes() throws {
        let text = yaml("kind: ImageSetConfiguration", "mirror:", "  operators:", "  - catalog: quay.io/a/b:1",
                        "    full: yes", "    skipDependencies: on")
        let catalog = try #require(try load(text).value.mirror.operators.first)
        #expect(catalog.full == true)
        #expect(catalog.skipDependencies == true)
    }
}
