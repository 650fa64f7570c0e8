import OCI

/// What an IDMS/ITMS `source` or `mirrors` entry names: a whole registry (`quay.io`), a
/// namespace (`quay.io/openshift-release-dev`) or a repository
/// (`quay.io/openshift-release-dev/ocp-release`).
///
/// A scope contains a repository when it is the repository itself or a path prefix of it ending
/// at a `/` (containers-registries.conf prefix matching): `quay.io/ns` contains `quay.io/ns/app`
/// but not `quay.io/nsx/app`.
public struct ImageScope: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The registry host, lowercased: `quay.io`, `mirror.example:5000`.
    public let registry: String
    /// The path under the registry; empty for the whole registry.
    public let path: String

    /// The scope of exactly `repository`.
    public init(_ repository: RepositoryName) {
        self.registry = repository.registry
        self.path = repository.path
    }

    /// Parses `registry[/path]`, validating both parts as image references are validated.
    /// - Throws: `.invalidDocument` quoting `text` when it is not a registry or repository name
    ///   (a tag, a digest, a transport prefix or a bad character).
    public init(parsing text: String) throws(ClusterResourcesError) {
        let location: RegistryLocation
        do throws(OCIError) {
            guard !text.contains("://"), !text.hasSuffix("/") else {
                throw OCIError(.invalidReference, "expected REGISTRY[/PATH] without a transport or trailing \"/\"")
            }
            location = try RegistryLocation(parsing: text)
        } catch {
            throw ClusterResourcesError(.invalidDocument, "invalid mirror scope \"\(text)\": \(error.message)")
        }
        self.registry = location.registry
        self.path = location.namespace ?? ""
    }

    /// `registry` or `registry/path`.
    public var description: String {
        path.isEmpty ? registry : "\(registry)/\(path)"
    }

    /// The enclosing namespace: the scope without its last path component; nil when that would
    /// leave only the registry (see ``ImageMirrorSetGenerator`` for why a bare registry is never
    /// generated).
    public var namespace: ImageScope? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return ImageScope(registry: registry, path: String(path[..<slash]))
    }

    /// True when `repository` is in this scope.
    public func contains(_ repository: RepositoryName) -> Bool {
        guard repository.registry == registry else { return false }
        if path.isEmpty { return true }
        return repository.path == path || repository.path.hasPrefix(path + "/")
    }

    /// `repository`, which must be in `source`, moved into this scope: the matched prefix is
    /// replaced and the rest of the path kept, as a node rewrites a pull. Nil when `repository`
    /// is not in `source`, or the result is not a repository (a bare-registry mirror for an exact
    /// match).
    public func substituting(_ source: ImageScope, in repository: RepositoryName) -> RepositoryName? {
        guard source.contains(repository) else { return nil }
        var rest = Substring(repository.path)
        if !source.path.isEmpty {
            rest = rest.dropFirst(source.path.count)
            if rest.first == "/" { rest = rest.dropFirst() }
        }
        let newPath = [Substring(path), rest].filter { !$0.isEmpty }.joined(separator: "/")
        return try? RepositoryName(registry: registry, path: newPath)
    }

    /// Orders by the written form, so files list sources and mirrors alphabetically.
    public static func < (lhs: ImageScope, rhs: ImageScope) -> Bool {
        lhs.description < rhs.description
    }

    /// For parts already validated (a prefix of a valid repository name).
    init(registry: String, path: String) {
        self.registry = registry
        self.path = path
    }
}
