import ArgumentParser
import Distribution

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

    func validate() throws {
        guard (1...20).contains(retryTimes) else { throw ValidationError("--retry-times must be between 1 and 20") }
    }

    var sourceSettings: RegistrySettings {
        RegistrySettings(tlsVerify: sourceTLSVerify, certDirectory: sourceCertDirectory, retry: RetryPolicy(maxAttempts: retryTimes))
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
