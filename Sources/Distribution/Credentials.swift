import Foundation
import OCI

/// A username and password for one registry. Its description never shows the password.
public struct Credential: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var password: String
    /// Where it came from (a file path), to name in error messages.
    public var source: String

    public init(username: String, password: String, source: String) {
        self.username = username
        self.password = password
        self.source = source
    }

    public var description: String { "user \"\(username)\" from \(source)" }

    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Credentials from containers-auth.json / Docker config files.
///
/// Lookup order, as containers/image: the `--authfile` file alone when given; else
/// `REGISTRY_AUTH_FILE` alone when set; else `$XDG_RUNTIME_DIR/containers/auth.json`,
/// `~/.config/containers/auth.json`, `~/.docker/config.json`, first match wins. Within a file the
/// most specific key wins: `host/ns/repo`, then `host/ns`, then `host` (a legacy `https://host/v1/`
/// key counts as `host`).
public struct CredentialStore: Sendable {
    struct Entry: Sendable { var key: String; var credential: Credential }

    /// Entries per file, in lookup order.
    let files: [[Entry]]

    /// No credentials at all (anonymous access).
    public static let none = CredentialStore(files: [])

    init(files: [[Entry]]) { self.files = files }

    /// Credentials given directly, keyed like an auth file (`host[:port]` or `host/namespace`).
    public init(_ credentials: [String: Credential]) {
        files = [credentials.sorted { $0.key < $1.key }.map { Entry(key: $0.key, credential: $0.value) }]
    }

    /// Loads the files that apply. A named file that is missing or malformed is an error;
    /// default locations that do not exist are skipped.
    public static func load(authFile: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CredentialStore {
        if let authFile { return CredentialStore(files: [try parse(path: authFile)]) }
        if let path = environment["REGISTRY_AUTH_FILE"], !path.isEmpty {
            return CredentialStore(files: [try parse(path: path)])
        }
        var candidates: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { candidates.append("\(runtime)/containers/auth.json") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        candidates.append("\(home)/.config/containers/auth.json")
        candidates.append("\(home)/.docker/config.json")
        var files: [[Entry]] = []
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            files.append(try parse(path: path))
        }
        return CredentialStore(files: files)
    }

    /// The credential for a repository, or nil for anonymous access.
    public func credential(for repository: RepositoryName) -> Credential? {
        let keys = Self.lookupKeys(registry: repository.registry, path: repository.path)
        for entries in files {
            for key in keys {
                if let hit = entries.first(where: { $0.key == key }) { return hit.credential }
            }
        }
        return nil
    }

    /// The credential for a registry as a whole (for the `/v2/` ping and basic auth).
    public func credential(forRegistry registry: String) -> Credential? {
        let registry = Self.dockerHubAlias(registry)
        for entries in files {
            if let hit = entries.first(where: { $0.key == registry }) { return hit.credential }
        }
        return nil
    }

    static func lookupKeys(registry: String, path: String) -> [String] {
        let registry = dockerHubAlias(registry)
        var keys: [String] = []
        var components = path.split(separator: "/").map(String.init)
        while !components.isEmpty {
            keys.append(registry + "/" + components.joined(separator: "/"))
            components.removeLast()
        }
        keys.append(registry)
        return keys
    }

    private struct File: Decodable {
        struct Auth: Decodable {
            var auth: String?
            var username: String?
            var password: String?
        }
        var auths: [String: Auth]?
    }

    static func parse(path: String) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError(path: path, message: "cannot read the auth file", hint: "check the path given with --authfile or REGISTRY_AUTH_FILE")
        }
        return try parse(data: data, source: path)
    }

    static func parse(data: Data, source: String) throws -> [Entry] {
        let file: File
        let shape = "expected {\"auths\": {\"registry.example.com\": {\"auth\": \"<base64 of user:password>\"}}}"
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch DecodingError.typeMismatch(let type, let context) {
            // Valid JSON of the wrong shape: say where, by key names only (never a value).
            throw CredentialError(path: source, message: "\(Self.keyPath(context.codingPath)) must be \(Self.kind(of: type))", hint: shape)
        } catch {
            throw CredentialError(path: source, message: "not valid JSON", hint: shape)
        }
        var entries: [Entry] = []
        for (rawKey, auth) in (file.auths ?? [:]).sorted(by: { $0.key < $1.key }) {
            let key = normalize(rawKey)
            if let encoded = auth.auth, !encoded.isEmpty {
                guard let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
                      let colon = decoded.firstIndex(of: ":") else {
                    throw CredentialError(path: source, message: "the \"auth\" value for \"\(rawKey)\" is not base64 of user:password",
                                          hint: "regenerate it with `echo -n user:password | base64`")
                }
                entries.append(Entry(key: key, credential: Credential(username: String(decoded[..<colon]),
                                                                      password: String(decoded[decoded.index(after: colon)...]),
                                                                      source: source)))
            } else if let username = auth.username, let password = auth.password {
                entries.append(Entry(key: key, credential: Credential(username: username, password: password, source: source)))
            }
        }
        return entries
    }

    /// `"auths"."quay.io"."auth"`, or `the top level`.
    static func keyPath(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top level" : path.map { "\"\($0.stringValue)\"" }.joined(separator: ".")
    }

    /// `a string`, `an object`, … for the type the decoder wanted.
    static func kind(of type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type is [String: File.Auth].Type || type == File.Auth.self || type == File.self { return "an object" }
        return "\(type)"
    }

    /// `https://host/v1/` (Docker's legacy form) → `host`; trailing slashes dropped.
    static func normalize(_ key: String) -> String {
        var key = key
        for scheme in ["https://", "http://"] where key.hasPrefix(scheme) {
            key.removeFirst(scheme.count)
            if let slash = key.firstIndex(of: "/") { key = String(key[..<slash]) }
        }
        while key.hasSuffix("/") { key.removeLast() }
        if let slash = key.firstIndex(of: "/") {
            return dockerHubAlias(String(key[..<slash])) + key[slash...]
        }
        return dockerHubAlias(key)
    }

    /// Docker Hub goes by several names in auth files (`https://index.docker.io/v1/`, `docker.io`,
    /// `registry-1.docker.io`); they are one registry.
    static func dockerHubAlias(_ registry: String) -> String {
        ["index.docker.io", "registry-1.docker.io"].contains(registry) ? "docker.io" : registry
    }
}

/// An auth file that cannot be used. Names the file, never its secrets.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var hint: String

    public var description: String { "\(path): \(message)\n  hint: \(hint)" }
}
