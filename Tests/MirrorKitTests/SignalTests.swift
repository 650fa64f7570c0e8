import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import RegistryLab
import Testing
import Workspace

/// SIGINT and SIGTERM sent to the `ferry` binary while a blob drips from the upstream: the run
/// stops within seconds, says in one line what landed and what did not, writes its log, leaves
/// the workspace as after a failed run, and exits 130 / 143. A second signal exits at once.
///
/// Without the handling the process dies silently on the signal (terminationReason
/// `.uncaughtSignal`, no log); without cancellation reaching the transfers it runs until the
/// suite's time limit.
@Suite("Signals", .timeLimit(.minutes(2)))
struct SignalTests {
    /// Starts `ferry` with `arguments`, waits until the drip has begun, sends `signals` (each
    /// right after the other) and waits for the process to end.
    func run(_ arguments: [String], dripping: DrippingUpstream, signals: [Int32],
             until started: (DrippingUpstream) -> Bool = { $0.dripStarted }) async throws -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ferryBinary)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try LabProcess.start(process)
        // Read on a thread of its own: a blocked read must not hold a cooperative thread.
        let stderr = Task { try await LabProcess.blocking { errors.fileHandleForReading.readDataToEndOfFile() } }
        var waited = 0
        while !started(dripping) && process.isRunning && waited < 300 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        #expect(started(dripping), "the run never reached the dripping response; the test proves nothing")
        // Let the images that do not need the dripping blob land first.
        try await Task.sleep(for: .seconds(1))
        #expect(process.isRunning, "the run ended before the signal; the test proves nothing")
        for signal in signals { kill(process.processIdentifier, signal) }
        try await LabProcess.blocking { process.waitUntilExit() }
        let text = String(decoding: try await stderr.value, as: UTF8.self)
        return (process.terminationStatus, process.terminationReason, text)
    }

    @Test("SIGTERM stops ferry -c: one-line summary, the run's log, no run record, exit 143")
    func sigtermStopsAMirrorRun() async throws {
        try await MirrorLab.with { lab in
            let dripping = try DrippingUpstream(lab)
            let config = try dripping.writeConfig("signal.yaml")
            let workspace = lab.workspace("signal")
            let started = ContinuousClock.now
            let result = try await run(["-c", config, "--workspace", "file://\(workspace.root.deletingLastPathComponent().path)",
                                        "--parallel-images", "2", "docker://\(lab.mirror.host)/mirror"],
                                       dripping: dripping, signals: [SIGTERM])
            // Minutes would mean the transfers ignored the stop; seconds are the design.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(result.reason == .exit, "ferry died of the signal instead of stopping: \(result.stderr)")
            #expect(result.status == 143, "\(result.stderr)")
            let summary = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("SIGTERM: stopped:") },
                                       "\(result.stderr)")
            #expect(summary.contains("of 7 image(s) landed"), "\(summary)")
            #expect(summary.contains("interrupted"), "\(summary)")
            #expect(summary.contains("log: \(workspace.root.path)/logs/ferry-"), "\(summary)")

            let logs = try FileManager.default.contentsOfDirectory(atPath: workspace.url("logs").path)
            let log = try #require(logs.first { $0.hasPrefix("ferry-") && $0.hasSuffix(".log") })
            let text = try #require(read(workspace, "logs/\(log)"))
            #expect(text.hasPrefix("interrupted: the run was stopped before it finished"), "\(text)")
            #expect(text.contains(Copier.interruptedError), "\(text)")
            // As after any failed run: no record of success, cluster-resources/ not written.
            #expect(!FileManager.default.fileExists(atPath: workspace.url(Workspace.lastRunPath).path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url(Workspace.clusterResources).path).isEmpty)
            // Nothing that needs the dripping blob was committed.
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/mirror/ubi9/ubi-minimal:9.4") == nil)
            #expect(try await RegistryClient(registry: lab.mirror.host).blobExists(dripping.victim, in: "mirror/ubi9/ubi-minimal") == false)
        }
    }

    @Test("SIGINT during a dry-run leaves dry-run/ as it was and exits 130")
    func sigintStopsADryRun() async throws {
        try await MirrorLab.with { lab in
            let dripping = try DrippingUpstream(lab)
            // The dry-run reads manifests, not layers: those drip here.
            dripping.proxy.add(FaultRule(method: "GET", pathContains: "/manifests/", times: 1_000,
                                         action: .dripResponseBody(afterBytes: 10, interval: .milliseconds(300))))
            let config = try dripping.writeConfig("signal.yaml")
            let workspace = lab.workspace("signal")
            try workspace.prepare()
            try workspace.write("an earlier plan\n", to: "\(Workspace.dryRun)/mapping.txt")
            let result = try await run(["-c", config, "--workspace", "file://\(workspace.root.deletingLastPathComponent().path)",
                                        "--dry-run", "docker://\(lab.mirror.host)/mirror"],
                                       dripping: dripping, signals: [SIGINT],
                                       until: { $0.proxy.requests().contains { $0.method == "GET" && $0.path.contains("/manifests/") } })
            #expect(result.reason == .exit, "\(result.stderr)")
            #expect(result.status == 130, "\(result.stderr)")
            #expect(result.stderr.contains("SIGINT: stopped: the plan was not complete; dry-run/ left as it was"), "\(result.stderr)")
            // Cancelled lookups are not reported as images without signatures.
            #expect(!result.stderr.contains("no usable sigstore signature"), "\(result.stderr)")
            #expect(read(workspace, "\(Workspace.dryRun)/mapping.txt") == "an earlier plan\n")
        }
    }

    @Test("SIGINT stops ferry copy with a one-line summary and exit 130")
    func sigintStopsACopy() async throws {
        try await MirrorLab.with { lab in
            let dripping = try DrippingUpstream(lab)
            let list = lab.lab.root.appendingPathComponent("signal-list.txt")
            try dripping.sources.map { "\($0)\n" }.joined().write(to: list, atomically: true, encoding: .utf8)
            let result = try await run(["copy", "--from-list", list.path, "docker://\(lab.mirror.host)/copy"],
                                       dripping: dripping, signals: [SIGINT])
            #expect(result.reason == .exit, "ferry died of the signal instead of stopping: \(result.stderr)")
            #expect(result.status == 130, "\(result.stderr)")
            let summary = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("SIGINT: stopped:") },
                                       "\(result.stderr)")
            // The five images that need the dripping layer cannot have landed; the summary's count
            // is what the mirror holds.
            let counts = try #require(summary.firstMatch(of: /(\d+) of 7 image\(s\) landed .* (\d+) did not \((\d+) interrupted, 0 failed\)/),
                                      "\(summary)")
            let landed = Int(counts.1)!
            #expect(landed <= 2 && landed + Int(counts.2)! == 7 && Int(counts.3)! == 7 - landed, "\(summary)")
            let root = try RegistryLocation(parsing: "\(lab.mirror.host)/copy")
            var held = 0
            for image in lab.seeded where try await lab.mirrorDigest(root.destination(for: image.reference).description) != nil {
                held += 1
            }
            #expect(held == landed, "\(summary)")
            #expect(!result.stderr.contains("FAILED"), "a stop is one line, not a failure per image: \(result.stderr)")
        }
    }

    /// Two different signals: both are delivered (two of one kind sent together may merge into one).
    @Test("a second signal exits at once")
    func aSecondSignalExitsAtOnce() async throws {
        try await MirrorLab.with { lab in
            let dripping = try DrippingUpstream(lab)
            let list = lab.lab.root.appendingPathComponent("signal-list.txt")
            try dripping.sources.map { "\($0)\n" }.joined().write(to: list, atomically: true, encoding: .utf8)
            let result = try await run(["copy", "--from-list", list.path, "docker://\(lab.mirror.host)/copy"],
                                       dripping: dripping, signals: [SIGINT, SIGTERM])
            #expect(result.reason == .exit, "\(result.stderr)")
            #expect(result.status == 130 || result.status == 143, "\(result.stderr)")
            #expect(result.stderr.contains("a second signal: exiting now"), "\(result.stderr)")
            #expect(!result.stderr.contains(": stopped:"), "the second signal waited for the clean stop: \(result.stderr)")
        }
    }
}
