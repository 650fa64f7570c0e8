import Foundation

/// Runs a program to completion for tests and tools around the lab (skopeo, gpgv, openssl, the
/// built `ferry`), reading both pipes while it runs so a chatty program cannot block.
public enum LabProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
    }

    /// Runs `program` (an absolute path, or a name found on PATH), waiting on a thread of its own: a
    /// blocked wait must not hold one of the cooperative pool's threads (2 on a 2-core machine),
    /// or every other test's registry seems not to start.
    /// - Parameters:
    ///   - input: bytes for its standard input.
    ///   - timeout: seconds after which it is terminated.
    public static func run(_ program: String, _ arguments: [String], input: [UInt8] = [],
                           environment: [String: String]? = nil, timeout: TimeInterval? = nil) async throws -> Output {
        try await LabTools.offCooperativePool {
            try runBlocking(program, arguments, input: input, environment: environment, timeout: timeout)
        }
    }

    /// Starts `process` with no signal blocked in the child, so `terminate()` reaches it (see
    /// `LabTools.start`). For callers that drive a `Process` themselves.
    public static func start(_ process: Process) throws {
        try LabTools.start(process)
    }

    /// Runs blocking `body` (reading a child's pipe as it writes, say) on a thread of its own and awaits
    /// it, so the wait does not hold one of the cooperative pool's threads.
    public static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await LabTools.offCooperativePool(body)
    }

    /// `run` in place, for short programs called from synchronous code.
    public static func runBlocking(_ program: String, _ arguments: [String], input: [UInt8] = [],
                                   environment: [String: String]? = nil, timeout: TimeInterval? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try LabTools.start(process)
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        let errorData = LabLocked(Data())
        let errorDone = DispatchSemaphore(value: 0)
        let errorHandle = stderr.fileHandleForReading
        Thread.detachNewThread {
            let data = errorHandle.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorDone.signal()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        errorDone.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Output(status: process.terminationStatus, stdout: output, stderr: errorData.withLock { $0 })
    }

    /// A product built next to the running test bundle or tool (`ferry`, `ferry-lab`).
    public static func builtProduct(_ name: String) -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/\(name)"
    }
}
