import MirrorKit
import OCI
import RegistryLab
import Synchronization
import Testing

/// A cross-channel path with a step that has no update, through the lab's update service:
/// `candidate-4.18` lists 4.17.8 and 4.18.3 but no update between them.
@Suite(.serialized) struct ReleaseCrossChannelMirrorTests {
    @Test func aStepWithNoUpdateIsNamedAndBothChannelsAreMirrored() async throws {
        try await ReleaseMirrorTests.with { lab in
            let config = try lab.config("""
                  platform:
                    channels:
                    - name: stable-4.17
                    - name: candidate-4.18
                """, name: "isc-cross-channel-gap.yaml")
            let lines = Mutex<[String]>([])
            let (run, workspace) = try await lab.run(config, log: { line in lines.withLock { $0.append(line) } })

            // oc-mirror's outcome: each channel's head, and the run succeeds.
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.collectionFailures.isEmpty, "\(run.collectionFailures)")
            for version in ["4.17.8", "4.18.3"] {
                let release = try #require(lab.upstream.release(version))
                #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)")
                    == release.payloadDigest, "\(version)")
            }
            // The releases a path through stable-4.18 would need are not invented.
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:4.18.2-x86_64") == nil)

            // The run summary names the step and gives a hint.
            let warnings = lines.withLock { $0 }.filter { $0.hasPrefix("warning: cross-channel upgrade path") }
            #expect(warnings.count == 1, "\(lines.withLock { $0 })")
            #expect(warnings.first?.contains("stable-4.17 → candidate-4.18 (amd64) has no update from 4.17.8 (stable-4.17) "
                + "to 4.18.3 in candidate-4.18") == true, "\(warnings)")
            #expect(warnings.first?.contains("\n  hint: the update service has no update out of 4.17.8 in candidate-4.18 yet")
                == true, "\(warnings)")
            // release-selection.txt says it too.
            let selection = try #require(read(workspace, "hold-release/release-selection.txt"))
            #expect(selection.contains("  note: no update from 4.17.8 (stable-4.17) to 4.18.3 in candidate-4.18, not even "
                + "through a conditional edge: the path ends without this step"), "\(selection)")
            #expect(selection.contains("warning: cross-channel upgrade path stable-4.17 → candidate-4.18 (amd64) has no update"))
        }
    }
}
