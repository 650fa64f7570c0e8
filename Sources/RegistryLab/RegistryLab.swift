import Foundation

/// Starts real CNCF distribution registries (and the helpers around them) on free loopback ports,
/// each with throwaway storage under one root directory, for tests and demos.
///
/// ```swift
/// let lab = try RegistryLab()
/// defer { lab.shutdown() }
/// let registry = try await lab.startRegistry(.init(tls: true, auth: .token(username: "u", password: "p")))
/// ```
///
/// Layout under `root`: `pki/` (CA, server and token-signing certificates), `certs.d/<host:port>/ca.crt`
/// for every TLS registry, and `registries/registry-N/` with each registry's `config.yml`,
/// `registry.log`, `htpasswd` and `storage/`.
public final class RegistryLab: Sendable {
    /// The directory everything the lab creates lives in.
    public let root: URL
    private let removesRoot: Bool
    private let pki: LabPKI
    private let state = LabLocked(State())

    private struct State {
        var shutDown = false
        var nextIndex = 1
        var registries: [LabRegistry] = []
        var proxies: [FaultProxy] = []
        var tokenServer: TokenServer?
    }

    /// Creates a lab in `root`, or in a fresh temporary directory (removed by `shutdown()`) when nil.
    public init(root: URL? = nil) throws {
        if let root {
            self.root = root.standardizedFileURL
            removesRoot = false
        } else {
            self.root = FileManager.default.temporaryDirectory
                .appendingPathComponent("registrylab-\(UUID().uuidString.prefix(8).lowercased())")
            removesRoot = true
        }
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        pki = try LabPKI(directory: self.root.appendingPathComponent("pki"))
    }

    deinit {
        // A safety net for a forgotten shutdown(): registry processes would otherwise outlive the tests.
        shutdown()
    }

    /// The PEM certificate of the lab's CA, which signs every TLS registry's certificate; the file
    /// exists once the first TLS registry has started.
    public var caCertificate: URL { pki.caCertificate }

    /// The registries started so far (including stopped ones), in start order.
    public var registries: [LabRegistry] { state.withLock { $0.registries } }

    /// Starts a registry and returns once it answers HTTP.
    ///
    /// Throws `LabError.registryDidNotStart` (with the tail of its log) if the process exits or
    /// does not answer within 60 s. A port lost to another process between choosing it and the
    /// registry binding it is retried with a new port.
    public func startRegistry(_ options: RegistryOptions = .init()) async throws -> LabRegistry {
        let index = try state.withLock { state -> Int in
            guard !state.shutDown else { throw LabError.shutDown }
            defer { state.nextIndex += 1 }
            return state.nextIndex
        }
        let directory = root.appendingPathComponent("registries/registry-\(index)")
        let storage = directory.appendingPathComponent("storage")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        let configFile = directory.appendingPathComponent("config.yml")
        let logFile = directory.appendingPathComponent("registry.log")

        // openssl and htpasswd run on a thread of their own: many tests start registries at once, and
        // waiting for a child process must not hold one of the cooperative pool's few threads.
        let pki = self.pki
        let tls = options.tls ? try await LabTools.offCooperativePool { try pki.serverIdentity() } : nil
        var htpasswdFile: URL?
        var tokenServer: TokenServer?
        switch options.auth {
        case .none:
            break
        case .basic(let username, let password):
            let file = directory.appendingPathComponent("htpasswd")
            htpasswdFile = file
            // bcrypt cost 4: distribution checks the hash on every request, and a high cost slows every request.
            try await LabTools.offCooperativePool {
                try LabTools.run("htpasswd", ["-Bbn", "-C", "4", username, password]).write(to: file)
            }
        case .token:
            tokenServer = try await LabTools.offCooperativePool { try self.startTokenServer() }
        }

        for _ in 1...5 {
            let port = try Loopback.freePort()
            let service = "127.0.0.1:\(port)"
            var configuration = RegistryConfigFile(port: port, storageDirectory: storage,
                                                      deleteEnabled: options.deleteEnabled, tls: tls,
                                                      htpasswdFile: htpasswdFile)
            if let tokenServer, let credentials = options.auth.credentials {
                configuration.token = (tokenServer.realm, service, tokenServer.issuer, tokenServer.signingCertificate)
                tokenServer.register(service: service, username: credentials.username, password: credentials.password)
            }
            try configuration.yaml.write(to: configFile, atomically: true, encoding: .utf8)
            let process = try LabRegistry.launch(configFile: configFile, logFile: logFile)
            let outcome: LabRegistry.StartOutcome
            do {
                outcome = try await LabRegistry.waitUntilReady(process, port: port, logFile: logFile)
            } catch {
                tokenServer?.unregister(service: service)
                throw error
            }
            if outcome == .portTaken {
                tokenServer?.unregister(service: service)
                continue
            }
            var certDirectory: URL?
            if options.tls {
                certDirectory = try certsDirectory().appendingPathComponent(service)
                try FileManager.default.createDirectory(at: certDirectory!, withIntermediateDirectories: true)
                let target = certDirectory!.appendingPathComponent("ca.crt")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: caCertificate, to: target)
            }
            let registry = LabRegistry(port: port, options: options, storageDirectory: storage, logFile: logFile,
                                       configFile: configFile, certDirectory: certDirectory,
                                       tokenServer: tokenServer, process: process)
            let accepted = state.withLock { state -> Bool in
                guard !state.shutDown else { return false }
                state.registries.append(registry)
                return true
            }
            guard accepted else {
                // shutdown() ran while this registry was starting; it must not outlive the lab.
                registry.stop()
                throw LabError.shutDown
            }
            return registry
        }
        throw LabError.registryDidNotStart(reason: "five ports in a row were taken by other processes",
                                           logTail: LabRegistry.logTail(logFile))
    }

    /// The lab's token server, started on first use and shared by every `.token` registry.
    @discardableResult
    public func startTokenServer() throws -> TokenServer {
        // The key is made (openssl, once) before taking the lab's lock, which other starts wait on.
        let signer = try pki.tokenSignerIdentity()
        return try state.withLock { state in
            guard !state.shutDown else { throw LabError.shutDown }
            if let server = state.tokenServer { return server }
            let server = try TokenServer(signingKey: signer.key, signingCertificate: signer.certificate)
            state.tokenServer = server
            return server
        }
    }

    /// A directory laid out like `/etc/containers/certs.d`: `<dir>/<host:port>/ca.crt` for every
    /// TLS registry started so far. Point a containers/image client at it with
    /// `registries.conf`-style tooling, or give skopeo the per-host subdirectory
    /// (`LabRegistry.certDirectory`) as `--cert-dir`.
    public func certsDirectory() throws -> URL {
        let directory = root.appendingPathComponent("certs.d")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts a fault-injecting proxy in front of a plain-HTTP registry.
    public func startFaultProxy(upstream: LabRegistry) throws -> FaultProxy {
        try state.withLock { state in
            guard !state.shutDown else { throw LabError.shutDown }
            let proxy = try FaultProxy(upstream: upstream)
            state.proxies.append(proxy)
            return proxy
        }
    }

    /// Stops every proxy, registry and the token server the lab started, then removes a temporary root.
    /// Idempotent; the lab cannot be used afterwards.
    public func shutdown() {
        let (proxies, registries, tokenServer) = state.withLock { state in
            defer {
                state.shutDown = true
                state.proxies = []
                state.tokenServer = nil
            }
            return (state.shutDown ? [] : state.proxies, state.shutDown ? [] : state.registries, state.tokenServer)
        }
        for proxy in proxies { proxy.stop() }
        // Signal every registry first, then wait: they wind down in parallel.
        for registry in registries { registry.beginStop() }
        for registry in registries { registry.finishStop() }
        tokenServer?.stop()
        if removesRoot {
            try? FileManager.default.removeItem(at: root)
        }
    }
}

extension RegistryLab {
    /// Runs `body` with a fresh lab in a temporary directory and always shuts it down, so no
    /// registry outlives its test or demo, whether `body` returns or throws.
    public static func with<T>(_ body: (RegistryLab) async throws -> T) async throws -> T {
        let lab = try RegistryLab()
        do {
            let result = try await body(lab)
            lab.shutdown()
            return result
        } catch {
            lab.shutdown()
            throw error
        }
    }
}
