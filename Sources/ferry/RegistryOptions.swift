import ArgumentParser
import Distribution
import Foundation
import Planning
import Transport

/// Flags shared by every command that talks to registries (names as skopeo and oc-mirror).
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("authfile"), help: "Auth file with registry credentials (default: REGISTRY_AUTH_FILE, then containers' and Docker's files).")
    var authFile: String?

    @Option(name: .customLong("src-tls-verify"), help: "Verify source TLS certificates; false also allows plain HTTP.")
    var sourceTLSVerify: Bool = true

    @Option(name: .customLong("dest-tls-verify"), help: "Verify destination TLS certificates; false also allows plain HTTP.")
    var destinationTLSVerify: Bool = true

    @Option(name: .customLong("src-cert-dir"), help: "Directory of *.crt CA files trusted for source registries.")
    var sourceCertDirectory: String?

    @Option(name: .customLong("dest-cert-dir"), help: "Directory of *.crt CA files trusted for destination registries.")
    var destinationCertDirectory: String?

    @Option(name: .customLong("retry-times"), help: "Attempts per request before giving up (transient errors only).")
    var retryTimes: Int = 6

    @Option(name: .customLong("min-transfer-rate"), help: ArgumentHelp(
        "A blob download slower than this over 60 s is cut and retried, then its image fails (e.g. 1KiB, 100KiB, 1MiB; 0: only a full stall).",
        valueName: "BYTES-PER-SECOND"))
    var minimumTransferRate: String = "1KiB"

    /// `--min-transfer-rate` read (sizes as `--max-extract-size` reads them): `1KiB` → 1024 B/s
    /// over 60 s, `0` → stalls only; nil when it does not parse.
    var transferRate: TransferRate? {
        guard let bytes = ByteSize.parse(minimumTransferRate), bytes <= Int64(Int32.max) else { return nil }
        return bytes == 0 ? .stall : TransferRate(bytesPerSecond: Int(bytes), windowSeconds: 60)
    }

    func validate() throws {
        guard (1...20).contains(retryTimes) else { throw ValidationError("--retry-times must be between 1 and 20") }
        guard transferRate != nil else {
            throw ValidationError("--min-transfer-rate \"\(minimumTransferRate)\": expected bytes per second such as 1KiB, 512K, 1MiB or 0")
        }
        // A CA directory that is not there would otherwise be ignored, and the run fail later on
        // an untrusted certificate with no word about the flag.
        for (flag, path) in [("--src-cert-dir", sourceCertDirectory), ("--dest-cert-dir", destinationCertDirectory)] {
            guard let path else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(flag) \(path): no such directory")
            }
            guard isDirectory.boolValue else {
                throw ValidationError("\(flag) \(path): not a directory (give the directory that holds the *.crt files)")
            }
        }
    }

    var sourceSettings: RegistrySettings {
        RegistrySettings(tlsVerify: sourceTLSVerify, certDirectory: sourceCertDirectory, retry: RetryPolicy(maxAttempts: retryTimes),
                         minimumTransferRate: transferRate ?? RegistrySettings.defaultMinimumTransferRate)
    }

    var destinationSettings: RegistrySettings {
        RegistrySettings(tlsVerify: destinationTLSVerify, certDirectory: destinationCertDirectory, retry: RetryPolicy(maxAttempts: retryTimes))
    }

    func credentials() throws -> CredentialStore {
        do {
            return try CredentialStore.load(authFile: authFile)
        } catch let error as CredentialError {
            throw InputError(error.description)
        }
    }
}
