import Foundation
import OCI
import Testing
@testable import RegistryLab

@Suite("OpenShift upstream content, built in memory")
struct OpenShiftContentTests {
    static let host = "upstream.lab.invalid:5000"

    static func digests(_ content: OpenShiftContent) -> [String] {
        (content.componentImages + content.payloadImages + content.indexes).map(\.manifest.digest.description)
    }

    @Test("the same release set and host give the same digests, build after build")
    func deterministic() throws {
        let first = try OpenShiftContent.build(.standard, host: Self.host)
        let second = try OpenShiftContent.build(.standard, host: Self.host)
        #expect(Self.digests(first) == Self.digests(second))
        #expect(first.releases == second.releases)
        #expect(first.brokenPayload == second.brokenPayload)
        #expect(first.whitedOutPayload == second.whitedOutPayload)
        // The same layer bytes too, not only the same manifests.
        #expect(first.payloadImages.map(\.blobs) == second.payloadImages.map(\.blobs))
    }

    @Test("component and KubeVirt images do not depend on the registry host; payloads name it, so they do")
    func hostDependence() throws {
        let here = try OpenShiftContent.build(.standard, host: Self.host)
        let there = try OpenShiftContent.build(.standard, host: "127.0.0.1:41000")
        #expect(here.componentImages.map(\.manifest.digest) == there.componentImages.map(\.manifest.digest))
        for (a, b) in zip(here.releases, there.releases) {
            #expect(a.components == b.components)
            #expect(a.kubevirt == b.kubevirt)
            #expect(a.payloadDigest != b.payloadDigest)
        }
    }

    @Test("every release, every architecture: tags, channels, components and KubeVirt images as the set describes")
    func releases() throws {
        let content = try OpenShiftContent.build(.standard, host: Self.host)
        let expected: [(String, OpenShiftArchitecture)] = [
            ("4.17.5", .amd64), ("4.17.8", .amd64),
            ("4.18.1", .amd64), ("4.18.1", .arm64), ("4.18.1", .multi),
            ("4.18.2", .amd64), ("4.18.2", .arm64), ("4.18.2", .multi),
            ("4.18.3", .amd64), ("4.18.3", .arm64), ("4.18.3", .multi),
            ("4.21.0", .amd64), ("4.21.0", .arm64), ("4.21.0", .multi),
            ("4.21.1", .amd64),
        ]
        #expect(content.releases.map { "\($0.version)/\($0.architecture)" } == expected.map { "\($0.0)/\($0.1)" })
        for release in content.releases {
            #expect(release.payload.description == "\(Self.host)/openshift-release-dev/ocp-release:\(release.version)-\(release.architecture.payloadTagSuffix)")
            #expect(release.componentRepository.description == "\(Self.host)/openshift-release-dev/ocp-v4.0-art-dev")
            #expect(release.components.keys.sorted() == ["cli", "cluster-version-operator", "console", "etcd", "hyperkube",
                                                         "machine-config-operator"])
            #expect(release.kubevirt.keys.sorted() == ["aarch64", "s390x", "x86_64"])
            #expect(release.channels == OpenShiftReleaseSet.standard.channels(containing: release.version))
        }
        #expect(content.releases.first { $0.version == "4.17.8" }?.channels == ["stable-4.17", "stable-4.18", "candidate-4.18"])
        let multi = try #require(content.releases.first { $0.version == "4.18.2" && $0.architecture == .multi })
        let amd64 = try #require(content.releases.first { $0.version == "4.18.2" && $0.architecture == .amd64 })
        let arm64 = try #require(content.releases.first { $0.version == "4.18.2" && $0.architecture == .arm64 })
        #expect(multi.children == [.amd64: amd64.payloadDigest, .arm64: arm64.payloadDigest])
        #expect(multi.components == amd64.components)
        #expect(amd64.kubevirtDigest == amd64.kubevirt["x86_64"])
        #expect(arm64.kubevirtDigest == arm64.kubevirt["aarch64"])
        // Component images are pushed by digest only; payloads and indexes by tag.
        #expect(content.componentImages.allSatisfy { $0.tags.isEmpty })
        #expect(content.payloadImages.allSatisfy { $0.tags.count == 1 })
        #expect(content.indexes.map(\.tags) == [["4.18.1-multi"], ["4.18.2-multi"], ["4.18.3-multi"], ["4.21.0-multi"]])
        #expect(content.releases.first { $0.version == "4.21.0" }?.channels == ["stable-4.21"])
    }

    @Test("z-streams share most components byte for byte; a few change; architectures never share")
    func zStreamSharing() throws {
        let content = try OpenShiftContent.build(.standard, host: Self.host)
        func components(_ version: String, _ architecture: OpenShiftArchitecture = .amd64) throws -> [String: Digest] {
            try #require(content.releases.first { $0.version == version && $0.architecture == architecture }).components
        }
        let (r1, r2, r3) = (try components("4.18.1"), try components("4.18.2"), try components("4.18.3"))
        for name in ["cli", "console", "etcd", "machine-config-operator"] { #expect(r1[name] == r2[name], "\(name)") }
        for name in ["cluster-version-operator", "hyperkube"] { #expect(r1[name] != r2[name], "\(name)") }
        for name in ["cli", "etcd"] { #expect(r2[name] == r3[name], "\(name)") }
        for name in ["cluster-version-operator", "console", "hyperkube", "machine-config-operator"] {
            #expect(r2[name] != r3[name], "\(name)")
        }
        let (old5, old8) = (try components("4.17.5"), try components("4.17.8"))
        #expect(old5["etcd"] == old8["etcd"])
        #expect(old5["console"] != old8["console"])
        #expect(Set(old8.values).isDisjoint(with: Set(r1.values)), "a new minor rebuilds everything")
        #expect(Set(try components("4.18.2", .arm64).values).isDisjoint(with: Set(r2.values)))
        // 4.18.1 and 4.18.2 share their RHCOS build, 4.18.3 does not.
        let kubevirt = content.releases.filter { $0.architecture == .amd64 }.map { $0.kubevirt["x86_64"]! }
        #expect(kubevirt[2] == kubevirt[3])
        #expect(kubevirt[3] != kubevirt[4])

        // Every component layer sits on the one base layer of its architecture.
        let amd64Images = content.componentImages.filter {
            (try? JSONSerialization.jsonObject(with: $0.blobs[0]) as? [String: Any])?["architecture"] as? String == "amd64"
                && $0.blobs.count == 3
        }
        #expect(amd64Images.count > 10)
        #expect(Set(amd64Images.map { $0.manifest.image!.layers[0].digest }).count == 1)
    }

    @Test("payload layers: the top image-references overrides a placeholder, a whiteout deletes an obsolete manifest")
    func payloadLayers() throws {
        let content = try OpenShiftContent.build(.standard, host: Self.host)
        let release = try #require(content.releases.first { $0.version == "4.18.2" && $0.architecture == .arm64 })
        let payload = try #require(content.payloadImages.first { $0.manifest.digest == release.payloadDigest })
        #expect(payload.manifest.image?.layers.count == 3)
        #expect(payload.manifest.mediaType == .dockerManifest)

        var files = LayeredFiles()
        let lower = try LabTar.entries([UInt8](payload.blobs[2]))
        #expect(lower.contains { $0.path == "release-manifests/image-references" })
        #expect(lower.contains { $0.path == "release-manifests/0000_90_lab_obsolete-dashboard_configmap.yaml" })
        let top = try LabTar.entries([UInt8](payload.blobs[3])).map(\.path)
        #expect(top == ["release-manifests", "release-manifests/image-references",
                        "release-manifests/.wh.0000_90_lab_obsolete-dashboard_configmap.yaml"])
        for blob in payload.blobs.dropFirst() { try files.apply(layer: [UInt8](blob)) }
        #expect(files["release-manifests/0000_90_lab_obsolete-dashboard_configmap.yaml"] == nil)
        #expect(files["release-manifests/0000_00_cluster-version-operator_00_namespace.yaml"] != nil)
        #expect(files.files.keys.allSatisfy { !$0.contains(".wh.") })

        let stream = try jsonObject(try #require(files["release-manifests/image-references"]))
        #expect((stream["metadata"] as? [String: Any])?["name"] as? String == "4.18.2")
        let tags = try #require((stream["spec"] as? [String: Any])?["tags"] as? [[String: Any]])
        var named: [String: String] = [:]
        for tag in tags {
            let from = try #require(tag["from"] as? [String: Any])
            #expect(from["kind"] as? String == "DockerImage")
            named[try #require(tag["name"] as? String)] = from["name"] as? String
        }
        #expect(named == release.components.mapValues { "\(Self.host)/openshift-release-dev/ocp-v4.0-art-dev@\($0)" })

        // The lower layer's copy is a placeholder with tags, not digests.
        let placeholder = try jsonObject(try #require(lower.first { $0.path == "release-manifests/image-references" }).contents)
        #expect((placeholder["metadata"] as? [String: Any])?["name"] as? String == "4.18.0-0.placeholder")

        let metadata = try jsonObject(try #require(files["release-manifests/release-metadata"]))
        #expect(metadata["kind"] as? String == "cincinnati-metadata-v0")
        #expect(metadata["version"] as? String == "4.18.2")
        #expect(metadata["previous"] as? [String] == ["4.17.8", "4.18.1"])
        #expect((metadata["metadata"] as? [String: Any])?["url"] as? String == "https://access.redhat.com/errata/RHSA-2025:1342")

        let bootImages = String(decoding: try #require(files["release-manifests/0000_50_installer_coreos-bootimages.yaml"]), as: UTF8.self)
        #expect(bootImages.contains("kind: ConfigMap"))
        #expect(bootImages.contains("name: coreos-bootimages"))
        let streamJSON = try #require(bootImages.components(separatedBy: "stream: |\n").last)
        let coreOS = try jsonObject(Data(streamJSON.utf8))
        let architectures = try #require(coreOS["architectures"] as? [String: Any])
        for (name, digest) in release.kubevirt {
            let kubevirt = ((architectures[name] as? [String: Any])?["images"] as? [String: Any])?["kubevirt"] as? [String: Any]
            #expect(kubevirt?["digest-ref"] as? String == "\(Self.host)/openshift-release-dev/ocp-v4.0-art-dev@\(digest)")
        }
    }

    @Test("broken payloads: 4.18.9 has no image-references at all; 4.18.10 has one only below a whiteout")
    func brokenPayloads() throws {
        let content = try OpenShiftContent.build(.standard, host: Self.host)
        for (release, lowerHasReferences) in [(content.brokenPayload, false), (content.whitedOutPayload, true)] {
            let release = try #require(release)
            #expect(release.components.isEmpty && release.channels.isEmpty)
            let payload = try #require(content.payloadImages.first { $0.manifest.digest == release.payloadDigest })
            #expect(payload.tags == ["\(release.version)-x86_64"])
            let lower = try LabTar.entries([UInt8](payload.blobs[2]))
            #expect(lower.contains { $0.path == "release-manifests/image-references" } == lowerHasReferences)
            var files = LayeredFiles()
            for blob in payload.blobs.dropFirst() { try files.apply(layer: [UInt8](blob)) }
            #expect(files["release-manifests/image-references"] == nil)
            #expect(files["release-manifests/release-metadata"] != nil)
        }
        #expect(content.brokenPayload?.version == "4.18.9")
        #expect(content.whitedOutPayload?.version == "4.18.10")
        // Made from 4.18.3, the newest release of their minor, not from a later minor's release.
        let base = try #require(content.releases.first { $0.version == "4.18.3" && $0.architecture == .amd64 })
        #expect(content.brokenPayload?.kubevirt == base.kubevirt)
        #expect(content.whitedOutPayload?.kubevirt == base.kubevirt)
    }

    @Test("the graph-data tarball lays out channels and blocked edges as cincinnati-graph-data does")
    func graphData() throws {
        let entries = try LabTar.entries([UInt8](try GraphDataArchive.make(.standard)))
        #expect(entries.map(\.path) == ["channels", "channels/candidate-4.18.yaml", "channels/stable-4.17.yaml",
                                        "channels/stable-4.18.yaml", "channels/stable-4.21.yaml", "blocked-edges",
                                        "blocked-edges/4.18.3-LabNetworkOperatorRestartLoop.yaml"])
        #expect(String(decoding: entries[1].contents, as: UTF8.self) == "name: candidate-4.18\nversions:\n- 4.17.8\n- 4.18.3\n")
        let channel = String(decoding: entries[3].contents, as: UTF8.self)
        #expect(channel == "name: stable-4.18\nversions:\n- 4.17.8\n- 4.18.1\n- 4.18.2\n- 4.18.3\n")
        #expect(String(decoding: entries[4].contents, as: UTF8.self) == "name: stable-4.21\nversions:\n- 4.21.0\n- 4.21.1\n")
        let blocked = String(decoding: entries[6].contents, as: UTF8.self)
        #expect(blocked.hasPrefix("to: 4.18.3\nfrom: 4\\.18\\.1\n"))
        #expect(blocked.contains("name: LabNetworkOperatorRestartLoop\n"))
        #expect(blocked.contains("- type: PromQL\n  promql:\n    promql: |\n        group(cluster_operator_conditions"))
        #expect(try GraphDataArchive.make(.standard) == GraphDataArchive.make(.standard))
    }
}
