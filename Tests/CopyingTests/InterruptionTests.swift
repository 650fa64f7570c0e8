import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("Interrupted copies")
struct InterruptionTests {
    @Test("a copy killed with SIGKILL halfway, run again, completes and moves only what was missing")
    func resumeAfterKill() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: upstream, lab: lab).seed((0..<10).map { i in
                SeedImage(repository: "kill/app-\(i)", tag: "v1",
                          layers: [.shared("kill-base", size: 1 << 20), .unique(size: 3 << 20), .unique(size: 2 << 20)])
            })
            let list = lab.root.appendingPathComponent("kill-list.txt")
            try images.map { "\($0.reference)\n" }.joined().write(to: list, atomically: true, encoding: .utf8)
            let arguments = ["copy", "--from-list", list.path, "--log-format", "json", "--parallel-images", "1",
                             "--parallel-layers", "1", "docker://\(mirror.host)/m"]

            // First run: killed once three images are done.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ferryBinary)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try LabProcess.start(process)
            // Reading the pipe blocks until ferry writes; that wait must not hold a cooperative thread.
            let killedMidway = try await LabProcess.blocking {
                var buffered = ""
                var imagesDone = 0
                while imagesDone < 3 {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    buffered += String(decoding: chunk, as: UTF8.self)
                    imagesDone = buffered.components(separatedBy: "\"event\":\"image\"").count - 1
                }
                let running = process.isRunning
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return running
            }
            #expect(killedMidway, "the first run finished before it could be killed; the test proves nothing")
            #expect(process.terminationReason == .uncaughtSignal)

            // What the mirror holds after the kill.
            let client = RegistryClient(registry: mirror.host)
            let location = try RegistryLocation(parsing: "\(mirror.host)/m")
            var presentBefore = Set<String>()
            var completeBefore = Set<String>()
            for image in images {
                let destination = location.destination(for: image.reference)
                for blob in image.blobs where try await client.blobExists(blob, in: destination.repository.path) {
                    presentBefore.insert("\(destination.repository.path)|\(blob)")
                }
                if try await client.manifestDigest(destination) == image.digest { completeBefore.insert(destination.description) }
            }
            #expect(completeBefore.count >= 3 && completeBefore.count < images.count)

            // Second run: completes; nothing that was there moves again.
            let rerun = try await runTool(ferryBinary, arguments)
            var uploadedAgain: [String] = []
            var skippedImages = Set<String>()
            for line in rerun.stdout.split(separator: UInt8(ascii: "\n")) {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                if event["event"] as? String == "blob", event["action"] as? String == "uploaded" {
                    let repository = (event["repository"] as! String).split(separator: "/", maxSplits: 1)[1]
                    uploadedAgain.append("\(repository)|\(event["digest"] as! String)")
                }
                if event["event"] as? String == "image", event["status"] as? String == "skipped" {
                    skippedImages.insert(event["destination"] as! String)
                }
                if event["event"] as? String == "summary" { #expect(event["failed"] as? Int == 0) }
            }
            #expect(!uploadedAgain.isEmpty)
            #expect(Set(uploadedAgain).isDisjoint(with: presentBefore), "re-sent blobs that were already there")
            #expect(skippedImages == completeBefore)
            for image in images {
                #expect(try await skopeoManifestDigest(location.destination(for: image.reference).description) == image.digest)
            }
        }
    }
}
