#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs the command-line helpers the lab relies on (openssl, htpasswd) and finds executables.
///
/// These run briefly and print little, so their output is simply collected in memory.
enum LabTools {
    /// The absolute path of `name` on `PATH` (or `name` itself if it already contains a slash).
    static func find(_ name: String) throws -> URL {
        if name.contains("/") {
            return URL(fileURLWithPath: name)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw LabError.toolNotFound(name)
    }

    /// Starts `process` with no signal blocked in the child.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and the threads Swift
    /// concurrency, GCD and the test runner use block SIGTERM and SIGINT: started from them, a
    /// program that does not unblock them itself (openssl, sleep, a Swift tool like `ferry`)
    /// ignores `terminate()`, so a timeout could not stop it.
    static func start(_ process: Process) throws {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    /// Runs blocking work (a tool and its wait, a readiness poll) on a thread of its own, so it
    /// never holds one of the few threads of Swift's cooperative pool: on a 2-core machine two
    /// such waits would stall every other test (registries would seem not to start). Not GCD's
    /// global queue either: on Linux it grows slowly when its threads block, and dozens of tests
    /// wait at once.
    static func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `tool` with `arguments`; returns its standard output, throws with stderr on failure.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let output = try LabProcess.runBlocking(try find(tool).path, arguments)
        guard output.status == 0 else {
            throw LabError.toolFailed(command: ([tool] + arguments).joined(separator: " "), status: output.status,
                                      output: String(decoding: output.stderr, as: UTF8.self)
                                          .trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return output.stdout
    }
}
