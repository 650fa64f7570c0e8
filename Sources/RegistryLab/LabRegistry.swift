#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A running CNCF distribution (`docker-registry`) process started by a `RegistryLab`.
///
/// It listens on 127.0.0.1 only and keeps its blobs in a throwaway directory under the lab's root.
public final class LabRegistry: Sendable {
    /// `127.0.0.1:PORT`.
    public let host: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// `http` or `https`.
    public let scheme: String
    /// How the registry was set up.
    public let options: RegistryOptions
    /// The filesystem storage driver's root directory.
    public let storageDirectory: URL
    /// The process's standard output and error.
    public let logFile: URL
    /// The YAML configuration the process was started with.
    public let configFile: URL
    /// For a TLS registry, the directory holding `ca.crt` for this host — what skopeo's
    /// `--cert-dir`/`--src-cert-dir`/`--dest-cert-dir` expects. Nil without TLS.
    public let certDirectory: URL?
    /// The token server a `.token` registry delegates to; nil otherwise.
    public let tokenServer: TokenServer?
    /// The `service` the registry names in its Bearer challenge (its `host`); nil unless `.token`.
    public let tokenService: String?

    private let process: LabLocked<Process?>
    private let pid: Int32

    /// `scheme://host`.
    public var baseURL: String { "\(scheme)://\(host)" }

    /// The process identifier (still reported after the process has stopped).
    public var processIdentifier: Int32 { pid }

    /// Whether the process is still running.
    public var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

    init(port: UInt16, options: RegistryOptions, storageDirectory: URL, logFile: URL, configFile: URL,
         certDirectory: URL?, tokenServer: TokenServer?, process: Process) {
        self.host = "127.0.0.1:\(port)"
        self.port = Int(port)
        self.scheme = options.tls ? "https" : "http"
        self.options = options
        self.storageDirectory = storageDirectory
        self.logFile = logFile
        self.configFile = configFile
        self.certDirectory = certDirectory
        self.tokenServer = tokenServer
        self.tokenService = tokenServer == nil ? nil : "127.0.0.1:\(port)"
        self.pid = process.processIdentifier
        self.process = LabLocked(process)
    }

    /// Sends SIGTERM and waits for the process to exit, escalating to SIGKILL after 5 s. Idempotent.
    public func stop() {
        beginStop()
        finishStop()
    }

    /// The first half of `stop()`, so the lab can signal all its registries before waiting for any.
    func beginStop() {
        process.withLock { process in
            if let process, process.isRunning { process.terminate() }
        }
    }

    func finishStop() {
        guard let process = process.withLock({ process -> Process? in
            defer { process = nil }
            return process
        }) else { return }
        Self.terminate(process)
        if let tokenService { tokenServer?.unregister(service: tokenService) }
    }

    static func terminate(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline {
            usleep(10_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    // MARK: - Launching

    /// What happened while waiting for a freshly launched registry.
    enum StartOutcome {
        case ready
        /// Another process took the port between our probe and the registry's bind: try another port.
        case portTaken
    }

    /// Launches `docker-registry serve CONFIG` with output going to `logFile`.
    static func launch(configFile: URL, logFile: URL) throws -> Process {
        let executable: URL
        if let override = ProcessInfo.processInfo.environment["REGISTRYLAB_REGISTRY_BINARY"], !override.isEmpty {
            executable = URL(fileURLWithPath: override)
        } else {
            executable = try LabTools.find("docker-registry")
        }
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw LabError.unsupported("cannot create \(logFile.path)")
        }
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", configFile.path]
        // REGISTRY_* variables override the configuration file; none from the caller's environment may leak in.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("REGISTRY_") }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try LabTools.start(process)
        return process
    }

    /// Polls until the registry answers HTTP on `port` (up to 60 s: a loaded 2-core CI machine
    /// running many tests at once can be slow). Throws with the log's tail if it exits or times out.
    ///
    /// The polling runs on a thread of its own, not the cooperative pool: with 2 pool threads busy with
    /// other tests' seeding, a task sleeping between probes could wake only after the deadline and
    /// report a healthy registry as dead. For the same reason the last probe happens after the
    /// deadline has passed, never instead of it.
    static func waitUntilReady(_ process: Process, port: UInt16, logFile: URL) async throws -> StartOutcome {
        let cancelled = LabLocked(false)
        let outcome = try await withTaskCancellationHandler {
            try await LabTools.offCooperativePool {
                try pollUntilReady(process, port: port, logFile: logFile, timeout: 60,
                                   isCancelled: { cancelled.withLock { $0 } })
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
        guard let outcome else { throw CancellationError() }
        return outcome
    }

    /// The blocking poll behind `waitUntilReady`; nil when cancelled, after stopping the process.
    static func pollUntilReady(_ process: Process, port: UInt16, logFile: URL, timeout: TimeInterval,
                               isCancelled: () -> Bool) throws -> StartOutcome? {
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        var probes = 0
        var lastProbe = "none"
        while true {
            let pastDeadline = Date() >= deadline
            if !process.isRunning {
                let tail = logTail(logFile)
                if tail.contains("address already in use") { return .portTaken }
                throw LabError.registryDidNotStart(
                    reason: "the process exited with status \(process.terminationStatus)", logTail: tail)
            }
            probes += 1
            switch Loopback.probeHTTP(port: port) {
            case .answered:
                // Something answered; make sure it is our process and not whoever else holds the port.
                switch listeningSocket(port: port, belongsTo: process.processIdentifier) {
                case true?, nil: return .ready
                case false?: lastProbe = "answered by another process"  // Ours fails to bind and exits; retried above.
                }
            case .failed(let what):
                lastProbe = what
            }
            if pastDeadline { break }
            if isCancelled() {
                terminate(process)
                return nil
            }
            usleep(40_000)
        }
        terminate(process)
        let waited = Int(Date().timeIntervalSince(started))
        throw LabError.registryDidNotStart(
            reason: "no answer from this registry on 127.0.0.1:\(port) within \(waited) s (process \(process.processIdentifier) "
                + "running; \(probes) probes, the last: \(lastProbe))",
            logTail: logTail(logFile))
    }

    /// The last lines of a log, for error messages.
    static func logTail(_ file: URL, lines: Int = 30) -> String {
        guard let data = try? Data(contentsOf: file) else { return "(no log)" }
        let text = String(decoding: data.suffix(16 * 1024), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Linux's table of IPv4 TCP sockets, `/proc/net/tcp`, whole; nil without /proc.
    ///
    /// Read to the end: procfs files report size 0, and Foundation's `String(contentsOfFile:)`
    /// then stops after the first 4 KiB, which misses the registry's line once a loaded test run
    /// has a few dozen sockets open (the registry then seemed never to start).
    static func tcpTable() -> String? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return nil }
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Whether the socket listening on 127.0.0.1:`port` is one of `pid`'s descriptors, from Linux's /proc.
    /// Nil when that cannot be told (no /proc).
    static func listeningSocket(port: UInt16, belongsTo pid: Int32) -> Bool? {
        guard let table = tcpTable() else { return nil }
        let local = "0100007F:" + String(format: "%04X", port)
        var inodes: Set<String> = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // sl, local_address, rem_address, st (0A = LISTEN), …, inode is the tenth field.
            if fields.count > 9, fields[1] == local, fields[3] == "0A" {
                inodes.insert("socket:[\(fields[9])]")
            }
        }
        guard !inodes.isEmpty else { return false }
        let fdDirectory = "/proc/\(pid)/fd"
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { return nil }
        for descriptor in descriptors {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(descriptor)"),
               inodes.contains(target) {
                return true
            }
        }
        return false
    }
}
