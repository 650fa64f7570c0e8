import Foundation
@testable import RegistryLab
import Testing

/// How the lab decides that a registry it launched has started.
@Suite("Registry readiness")
struct RegistryReadinessTests {
    /// A running process that never answers HTTP (`sleep 30`), a port nothing listens on, and a log path.
    /// The port stays bound (not listening) by `reservation` so that no other test's registry takes it.
    static func silentProcess() throws -> (process: Process, port: UInt16, logFile: URL, reservation: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        try LabTools.start(process)
        let logFile = scratchDirectory().appendingPathExtension("log")
        let reservation = try Loopback.listen(port: 0, backlog: 0)
        return (process, reservation.port, logFile, reservation.fd)
    }

    /// Launches a plain registry on `port`, its storage, config and log under `directory`.
    static func launchRegistry(port: UInt16, in directory: URL) throws -> (process: Process, logFile: URL) {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("storage"), withIntermediateDirectories: true)
        let config = RegistryConfigFile(port: port, storageDirectory: directory.appendingPathComponent("storage"),
                                        deleteEnabled: false, tls: nil, htpasswdFile: nil)
        let configFile = directory.appendingPathComponent("config.yml")
        try config.yaml.write(to: configFile, atomically: true, encoding: .utf8)
        let logFile = directory.appendingPathComponent("registry.log")
        return (try LabRegistry.launch(configFile: configFile, logFile: logFile), logFile)
    }

    static func scratchDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("readiness-\(UUID().uuidString.prefix(8))")
    }

    @Test("a registry that answers is ready even when the wait only gets to probe after its deadline")
    func probesAfterTheDeadline() async throws {
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A port found free can be taken by another test's socket before the registry binds it
        // (CI saw this); the lab then moves to another port, and so does this test.
        for _ in 0..<5 {
            let port = try Loopback.freePort()
            let (process, logFile) = try Self.launchRegistry(port: port, in: directory)
            defer { LabRegistry.terminate(process) }
            // Let it come up (or fail to bind), then wait with a deadline already behind us: a
            // starved waiter that wakes late must still look once before giving up.
            let start = Date()
            while process.isRunning, LabRegistry.listeningSocket(port: port, belongsTo: process.processIdentifier) == false,
                  Date().timeIntervalSince(start) < 30 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let outcome = try LabRegistry.pollUntilReady(process, port: port, logFile: logFile, timeout: 0, isCancelled: { false })
            if outcome == .portTaken { continue }
            #expect(outcome == .ready)
            return
        }
        Issue.record("five ports in a row were taken before the registry could bind them")
    }

    @Test("a port another socket already listens on is reported as taken, so the lab picks another")
    func aTakenPortIsReported() throws {
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let holder = try Loopback.listen()
        defer { close(holder.fd) }
        let (process, logFile) = try Self.launchRegistry(port: holder.port, in: directory)
        defer { LabRegistry.terminate(process) }
        let outcome = try LabRegistry.pollUntilReady(process, port: holder.port, logFile: logFile, timeout: 30, isCancelled: { false })
        #expect(outcome == .portTaken)
        #expect(!process.isRunning)
    }

    @Test("a registry is recognised as the port's owner when /proc/net/tcp is longer than one page")
    func ownerFoundAmongManySockets() async throws {
        // 300 listening sockets put /proc/net/tcp well past the 4 KiB a naive read returns.
        let crowd = try (0..<300).map { _ in try Loopback.listen() }
        defer { for socket in crowd { close(socket.fd) } }
        let table = try #require(LabRegistry.tcpTable())
        #expect(table.utf8.count > 300 * 100)
        let missing = crowd.filter { !table.contains("0100007F:" + String(format: "%04X", $0.port) + " ") }
        #expect(missing.isEmpty, "\(missing.count) of the 300 listening sockets are not in the table read")
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            #expect(LabRegistry.listeningSocket(port: UInt16(registry.port), belongsTo: registry.processIdentifier) == true)
            #expect(LabRegistry.listeningSocket(port: UInt16(registry.port), belongsTo: getpid()) == false)
        }
    }

    @Test("cancelling the wait ends it with CancellationError (not the 60 s deadline's error) and stops the process")
    func cancellingTheWait() async throws {
        let (process, port, logFile, reservation) = try Self.silentProcess()
        defer { close(reservation) }
        defer { LabRegistry.terminate(process) }
        defer { try? FileManager.default.removeItem(at: logFile) }
        let wait = Task { try await LabRegistry.waitUntilReady(process, port: port, logFile: logFile) }
        try await Task.sleep(for: .milliseconds(300))
        wait.cancel()
        await #expect(throws: CancellationError.self) { try await wait.value }
        #expect(!process.isRunning, "stopped by the cancelled wait, before the defer's terminate")
    }

    @Test("a process that never answers: the error names the port, the probes made and what the last one saw")
    func neverAnswers() throws {
        let (process, port, logFile, reservation) = try Self.silentProcess()
        defer { close(reservation) }
        defer { LabRegistry.terminate(process) }
        defer { try? FileManager.default.removeItem(at: logFile) }
        let error = #expect(throws: LabError.self) {
            try LabRegistry.pollUntilReady(process, port: port, logFile: logFile, timeout: 0.3, isCancelled: { false })
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("no answer from this registry on 127.0.0.1:\(port)"), "\(text)")
        #expect(text.contains("probes, the last: connect to 127.0.0.1:\(port) failed: Connection refused"), "\(text)")
        #expect(!process.isRunning, "the process that never answered is stopped")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM,
                "stopped by SIGTERM (not the SIGKILL 5 s later): the lab's children do not inherit a blocked SIGTERM")
    }
}
