import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("OpenShift upstream in a lab registry")
struct OpenShiftUpstreamTests {
    @Test("seeding pushes payload tags, multi indexes, component and KubeVirt images by digest")
    func seeding() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let client = ImageSeeder(registry: registry, lab: lab).client
                #expect(upstream.releases.count == 15)
                for release in upstream.releases + [upstream.brokenPayload, upstream.whitedOutPayload] {
                    #expect(release.payload.repository.registry == registry.host)
                    #expect(try await client.manifestDigest(release.payload) == release.payloadDigest, "\(release.payload)")
                    #expect(try await client.manifestDigest(release.payloadByDigest) == release.payloadDigest)
                    for name in release.components.keys.sorted() {
                        let component = try #require(release.componentReference(name))
                        #expect(try await client.manifestDigest(component) == release.components[name], "\(name) of \(release)")
                    }
                    for coreOS in release.kubevirt.keys.sorted() {
                        let kubevirt = try #require(release.kubevirtReference(coreOS))
                        let document = try await client.fetchManifest(kubevirt)
                        #expect(document.image != nil)
                    }
                }

                let multi = try #require(upstream.release("4.18.3", .multi))
                let index = try await client.fetchManifest(multi.payload)
                #expect(index.mediaType == .dockerManifestList)
                #expect(index.digest == multi.payloadDigest)
                #expect(index.children.map(\.digest) == [upstream.release("4.18.3", .amd64)!.payloadDigest,
                                                         upstream.release("4.18.3", .arm64)!.payloadDigest])
                #expect(index.children.map { $0.platform?.architecture } == ["amd64", "arm64"])
                #expect(upstream.release("4.17.5", .multi) == nil)
                #expect(upstream.releases(inChannel: "stable-4.18", architecture: .arm64).map(\.version) == ["4.18.1", "4.18.2", "4.18.3"])

                // Payloads are tagged; components carry no tags (references name them by digest). Beside
                // both, only the tags of cosign signatures, attestations and referrers.
                let payloadTags = try RawHTTP.request("GET", "\(registry.baseURL)/v2/openshift-release-dev/ocp-release/tags/list")
                let tags = try #require(try jsonObject(payloadTags.body)["tags"] as? [String])
                let sigstoreTags = upstream.supplyChain.tags
                #expect(Set(tags) == Set((upstream.releases + [upstream.brokenPayload, upstream.whitedOutPayload]).map(\.tag))
                    .union(sigstoreTags["openshift-release-dev/ocp-release"] ?? []))
                let componentTags = try RawHTTP.request("GET", "\(registry.baseURL)/v2/openshift-release-dev/ocp-v4.0-art-dev/tags/list")
                let listed = componentTags.status == 200 ? (try jsonObject(componentTags.body)["tags"] as? [String] ?? []) : []
                #expect(Set(listed) == sigstoreTags["openshift-release-dev/ocp-v4.0-art-dev"] ?? [],
                        "\(componentTags.status) \(componentTags.text)")
                #expect(listed.allSatisfy { $0.hasPrefix("sha256-") })

                // An independent client copies a multi-arch payload and a component, checking every digest.
                let policy = lab.root.appendingPathComponent("policy.json")
                try Data(#"{"default":[{"type":"insecureAcceptAnything"}]}"#.utf8).write(to: policy)
                for (index, reference) in [multi.payload, try #require(multi.componentReference("hyperkube"))].enumerated() {
                    let copied = try await runTool("skopeo", ["--policy", policy.path, "copy", "--all", "--quiet", "--src-tls-verify=false",
                                                        "docker://\(reference)", "oci:\(lab.root.path)/skopeo-\(index):copy"])
                    #expect(copied.status == 0, "\(reference): \(copied.error)")
                }
            }
        }
    }

    @Test("image-references, release-metadata and the KubeVirt image read back from the pushed payload layers")
    func payloadFromRegistry() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let repository = "openshift-release-dev/ocp-release"
                for release in upstream.releases where release.architecture != .multi {
                    let manifest = try LabRegistryReader.manifest(release.tag, repository: repository, registry: registry)
                    #expect(manifest.status == 200)
                    let files = try LabRegistryReader.files(of: manifest.body, repository: repository, registry: registry)
                    let stream = try jsonObject(try #require(files["release-manifests/image-references"]))
                    #expect(stream["kind"] as? String == "ImageStream")
                    #expect(stream["apiVersion"] as? String == "image.openshift.io/v1")
                    #expect((stream["metadata"] as? [String: Any])?["name"] as? String == release.version)
                    let tags = try #require((stream["spec"] as? [String: Any])?["tags"] as? [[String: Any]])
                    var components: [String: String] = [:]
                    for tag in tags {
                        components[tag["name"] as? String ?? "?"] = (tag["from"] as? [String: Any])?["name"] as? String
                    }
                    #expect(components == release.components.mapValues { "\(release.componentRepository)@\($0)" })

                    let metadata = try jsonObject(try #require(files["release-manifests/release-metadata"]))
                    #expect(metadata["version"] as? String == release.version)
                    #expect(metadata["previous"] as? [String] == upstream.releaseSet.previous(of: release.version))

                    let bootImages = String(decoding: try #require(files["release-manifests/0000_50_installer_coreos-bootimages.yaml"]),
                                            as: UTF8.self)
                    let streamJSON = try #require(bootImages.components(separatedBy: "stream: |\n").last)
                    let architectures = try #require(try jsonObject(Data(streamJSON.utf8))["architectures"] as? [String: Any])
                    let coreOS = try #require(release.architecture.coreOSName)
                    let images = (architectures[coreOS] as? [String: Any])?["images"] as? [String: Any]
                    let digestReference = (images?["kubevirt"] as? [String: Any])?["digest-ref"] as? String
                    #expect(digestReference == release.kubevirtReference()?.description)
                    // The KubeVirt image it names is in the registry.
                    let kubevirt = try #require(release.kubevirtDigest)
                    #expect(try LabRegistryReader.manifest(kubevirt.description, repository: "openshift-release-dev/ocp-v4.0-art-dev",
                                                           registry: registry).status == 200)
                    #expect(files["release-manifests/0000_90_lab_obsolete-dashboard_configmap.yaml"] == nil)
                }

                for broken in [upstream.brokenPayload, upstream.whitedOutPayload] {
                    let manifest = try LabRegistryReader.manifest(broken.tag, repository: repository, registry: registry)
                    let files = try LabRegistryReader.files(of: manifest.body, repository: repository, registry: registry)
                    #expect(files["release-manifests/image-references"] == nil, "\(broken.tag)")
                    #expect(files["release-manifests/release-metadata"] != nil)
                }
            }
        }
    }

    @Test("the upstream's graph URL answers over HTTP with the seeded payload digests")
    func graphEndToEnd() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                #expect(upstream.graphURL.hasSuffix("/api/upgrades_info/v1/graph"))
                let url = upstream.graphURL(channel: "stable-4.18", architecture: "multi", version: "4.18.1")
                let response = try RawHTTP.request("GET", url, headers: ["Accept": "application/json"])
                #expect(response.status == 200)
                let nodes = try #require(try jsonObject(response.body)["nodes"] as? [[String: Any]])
                let payloads = Set(nodes.compactMap { $0["payload"] as? String })
                #expect(payloads == Set(upstream.releases(inChannel: "stable-4.18", architecture: .multi).map(\.payloadByDigest.description)))
                let request = try #require(upstream.requests().last)
                #expect(request.query["version"] == "4.18.1")

                let graphData = try RawHTTP.request("GET", upstream.graphDataURL)
                #expect(graphData.status == 200)
                #expect(Data(graphData.body) == upstream.graphData)
            }
        }
    }
}
