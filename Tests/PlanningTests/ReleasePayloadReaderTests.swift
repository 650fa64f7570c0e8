import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// `ReleasePayloadReader` on real payload images in a lab registry.
@Suite(.serialized) struct ReleasePayloadReaderTests {
    func withUpstream(_ body: (OpenShiftUpstream, ReleasePayloadReader) async throws -> Void) async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let reader = ReleasePayloadReader(client: RegistryClient(registry: registry.host),
                                                  scratchDirectory: lab.root.appendingPathComponent("scratch"))
                try await body(upstream, reader)
            }
        }
    }

    @Test func readsTheComponentsOfEveryArchitecture() async throws {
        try await withUpstream { upstream, reader in
            for release in upstream.releases where release.architecture != .multi {
                let manifests = try await reader.read(release.payloadByDigest, architecture: release.architecture.rawValue)
                #expect(manifests.version == release.version)
                #expect(Dictionary(uniqueKeysWithValues: manifests.components.map { ($0.name, $0.image.digest!) }) == release.components,
                        "\(release)")
                #expect(manifests.components.allSatisfy { $0.image.repository == release.componentRepository })
                #expect(manifests.releaseMetadata.map { String(decoding: $0, as: UTF8.self).contains(release.version) } == true)
                #expect(manifests.bootImages != nil)
            }
        }
    }

    @Test func aMultiArchitecturePayloadIsReadThroughItsIndex() async throws {
        try await withUpstream { upstream, reader in
            let multi = try #require(upstream.releases.first { $0.architecture == .multi })
            let manifests = try await reader.read(multi.payloadByDigest)
            #expect(manifests.version == multi.version)
            #expect(!manifests.components.isEmpty)
        }
    }

    @Test func aPayloadWithoutImageReferencesIsAClearError() async throws {
        try await withUpstream { upstream, reader in
            for broken in [upstream.brokenPayload, upstream.whitedOutPayload] {
                // The second has one in a lower layer, deleted by a whiteout on top: still none.
                await #expect {
                    try await reader.read(broken.payload)
                } throws: { error in
                    "\(error)".contains("no release-manifests/image-references in the image; is it an OpenShift release payload?")
                }
            }
        }
    }

    @Test func scratchFilesAreRemoved() async throws {
        try await withUpstream { upstream, reader in
            let release = try #require(upstream.release("4.18.2"))
            _ = try await reader.read(release.payload)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: reader.scratchDirectory.path)) ?? []
            #expect(left.isEmpty)
        }
    }
}
