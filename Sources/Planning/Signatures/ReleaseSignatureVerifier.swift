import Foundation
import OCI
import Transport

/// Fetches, verifies and caches the signatures of release payloads (spec §4.6, done as oc-mirror
/// should): every `signature-N` of a digest until the store has no more, each verified as an
/// OpenPGP signed message by GnuPG's `gpgv` against the release key, and its
/// `docker-manifest-digest` compared with the payload digest (oc-mirror does not compare).
/// Verified signatures are kept in the workspace (`signatures/sha256-<hex>/signature-N`), so a
/// later run needs no network for them.
public struct ReleaseSignatureVerifier: Sendable {
    /// The signature store, such that `<base>sha256=<hex>/signature-1` is a signature
    /// (`OCP_SIGNATURE_URL`; Red Hat's by default).
    public var baseURL: String
    /// The release key (armored or binary OpenPGP public key) and where it came from.
    public var key: ReleaseVerificationKey
    public var cacheDirectory: URL
    public var tls: TLSSettings

    public static let defaultBaseURL = "https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/"
    /// More than this many signatures of one digest would be unusual; the store is not trusted to end.
    static let maxSignatures = 16

    public init(baseURL: String? = nil, keyPath: String? = nil, cacheDirectory: URL, tls: TLSSettings = TLSSettings(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        var base = baseURL ?? environment["OCP_SIGNATURE_URL"] ?? Self.defaultBaseURL
        if !base.hasSuffix("/") { base += "/" }
        self.baseURL = base
        self.key = ReleaseVerificationKey.resolve(option: keyPath, environment: environment)
        self.cacheDirectory = cacheDirectory
        self.tls = tls
    }

    /// The verified signatures of one payload digest, and what a person should know about them.
    public struct Verified: Sendable {
        /// At least one.
        public var signatures: [ReleaseSignature]
        /// Cached copies that did not verify and were fetched again from the store, one line each.
        public var notes: [String]
    }

    /// The verified signatures of `digest` (at least one), from the cache or the store. A cached
    /// copy that does not verify (damaged in the workspace) is removed, fetched again from the
    /// store and verified, with a note; if the store's copy does not verify either, the error
    /// is the store's.
    /// - Parameter payload: the payload's name, for messages.
    public func signatures(for digest: Digest, payload: String) async throws(ReleaseSignatureError) -> Verified {
        let keyring = try await keyringFile()
        defer { try? FileManager.default.removeItem(atPath: keyring) }
        let directory = cacheDirectory.appendingPathComponent("\(digest.algorithm.rawValue)-\(digest.encoded)")
        var verified: [ReleaseSignature] = []
        var problems: [ReleaseSignatureError] = []
        var notes: [String] = []
        for index in 1...Self.maxSignatures {
            let cached = directory.appendingPathComponent("signature-\(index)")
            // The cached copy's problem, when it did not verify.
            var cacheProblem: ReleaseSignatureError?
            if let raw = FileManager.default.contents(atPath: cached.path) {
                do {
                    verified.append(try await verify(raw, keyring: keyring, digest: digest, index: index, payload: payload))
                    continue
                } catch {
                    try? FileManager.default.removeItem(at: cached)
                    cacheProblem = error
                }
            }
            let fetched: Data?
            do {
                fetched = try await fetch(digest, index: index)
            } catch {
                // The first signatures verified: a store that fails on a later one is not fatal.
                if verified.isEmpty { throw error }
                break
            }
            guard let raw = fetched else {
                if let cacheProblem {
                    // The store no longer has it: the removed copy's problem is all there is to say.
                    problems.append(ReleaseSignatureError(cacheProblem.kind, "the cached copy \(cached.path) was removed: "
                        + "\(cacheProblem.description); the store has no signature-\(index) of \(digest) (\(signatureURL(digest, index: index)))"))
                }
                break
            }
            do {
                let signature = try await verify(raw, keyring: keyring, digest: digest, index: index, payload: payload)
                verified.append(signature)
                try? save(raw, to: cached)
                if cacheProblem != nil {
                    notes.append("\(payload): the cached signature \(cached.path) did not verify (damaged in the workspace); "
                        + "it was fetched again from \(signatureURL(digest, index: index)) and verified")
                }
            } catch {
                problems.append(error)
            }
        }
        if verified.isEmpty {
            if problems.isEmpty {
                throw ReleaseSignatureError(.missing, "\(payload): no signature for \(digest) at \(baseURL)\n  hint: check "
                    + "OCP_SIGNATURE_URL and the proxy settings; --ignore-release-signature mirrors it unsigned (clusters will refuse to upgrade to it)")
            }
            throw ReleaseSignatureError(problems.contains { $0.kind == .wrongDigest } ? .wrongDigest : .invalid,
                                        problems.map(\.description).joined(separator: "\n"))
        }
        return Verified(signatures: verified, notes: notes)
    }

    /// `<base>sha256=<hex>/signature-N`.
    func signatureURL(_ digest: Digest, index: Int) -> String {
        "\(baseURL)\(digest.algorithm.rawValue)=\(digest.encoded)/signature-\(index)"
    }

    /// nil when the store has no such signature (404), the bytes otherwise.
    private func fetch(_ digest: Digest, index: Int) async throws(ReleaseSignatureError) -> Data? {
        let url = signatureURL(digest, index: index)
        var request = HTTPRequest(.get, url, tls: tls, maxResponseBytes: 1 << 20)
        request.timeout = .seconds(60)
        do {
            let response = try await CurlEngine.shared.perform(request)
            if response.status == 404 || response.status == 403 { return nil }
            guard response.isSuccess else {
                throw ReleaseSignatureError(.unavailable, "\(url): the signature store answered HTTP \(response.status)")
            }
            return response.body
        } catch let error as ReleaseSignatureError {
            throw error
        } catch {
            throw ReleaseSignatureError(.unavailable, "\(url): \(error)\n  hint: check the network and proxy settings, or OCP_SIGNATURE_URL")
        }
    }

    /// Checks the OpenPGP signature with gpgv and reads the signed simple-signing JSON.
    func verify(_ raw: Data, keyring: String, digest: Digest, index: Int, payload: String) async throws(ReleaseSignatureError) -> ReleaseSignature {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-sig-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("signature")
        let output = scratch.appendingPathComponent("content")
        do { try raw.write(to: input) } catch {
            throw ReleaseSignatureError(.unavailable, "cannot write a scratch file: \(error)")
        }
        let result = await GnuPG.run("gpgv", ["--keyring", keyring, "--output", output.path, input.path])
        guard result.status == 0, let content = FileManager.default.contents(atPath: output.path) else {
            throw ReleaseSignatureError(.invalid, "\(payload): signature-\(index) of \(digest) does not verify against \(key): "
                + result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        struct SimpleSigning: Decodable {
            struct Critical: Decodable {
                struct Image: Decodable {
                    var digest: String
                    enum CodingKeys: String, CodingKey { case digest = "docker-manifest-digest" }
                }
                struct Identity: Decodable {
                    var reference: String
                    enum CodingKeys: String, CodingKey { case reference = "docker-reference" }
                }
                var image: Image
                var identity: Identity
            }
            var critical: Critical
        }
        guard let body = try? JSONDecoder().decode(SimpleSigning.self, from: content) else {
            throw ReleaseSignatureError(.invalid, "\(payload): signature-\(index) of \(digest) holds no simple-signing document")
        }
        guard body.critical.image.digest == digest.description else {
            throw ReleaseSignatureError(.wrongDigest, "\(payload): signature-\(index) of \(digest) names \(body.critical.image.digest) "
                + "instead\n  hint: the store serves a signature of another image; do not mirror this release until it is fixed")
        }
        return ReleaseSignature(digest: digest, dockerReference: body.critical.identity.reference, index: index, raw: raw)
    }

    /// gpgv wants a binary keyring: an armored key is converted with `gpg --dearmor`.
    private func keyringFile() async throws(ReleaseSignatureError) -> String {
        let key = try self.key.contents()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-keyring-\(UUID().uuidString).gpg").path
        guard key.starts(with: Data("-----BEGIN".utf8)) else {
            do { try key.write(to: URL(fileURLWithPath: target)) } catch {
                throw ReleaseSignatureError(.noKey, "cannot copy the key \(self.key): \(error)")
            }
            return target
        }
        let armored = target + ".asc"
        defer { try? FileManager.default.removeItem(atPath: armored) }
        do { try key.write(to: URL(fileURLWithPath: armored)) } catch {
            throw ReleaseSignatureError(.noKey, "cannot copy the key \(self.key): \(error)")
        }
        let result = await GnuPG.run("gpg", ["--batch", "--yes", "--dearmor", "--output", target, armored])
        guard result.status == 0 else {
            throw ReleaseSignatureError(.noKey, "cannot read the key \(self.key): \(result.output)")
        }
        return target
    }

    private func save(_ raw: Data, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try raw.write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}

/// Runs GnuPG tools with a throwaway home, so the user's keyrings and agent are never touched.
enum GnuPG {
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs on a GCD thread: waiting for a process must not hold one of the few threads of
    /// Swift's cooperative pool (the rest of the run would stall behind it).
    static func run(_ tool: String, _ arguments: [String]) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: runBlocking(tool, arguments)) }
        }
    }

    private static func runBlocking(_ tool: String, _ arguments: [String]) -> Result {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-gnupg-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "--homedir", home.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            return Result(status: 127, output: "cannot run \(tool): \(error) (install the Debian package gpgv / gnupg)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
