/// A repository on a registry: `registry/path`, such as `quay.io/openshift-release-dev/ocp-release`.
public struct RepositoryName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The registry host as written, lowercased: `quay.io`, `127.0.0.1:5000`, `[::1]:5000`.
    public let registry: String
    /// The repository path, such as `openshift-release-dev/ocp-release`.
    public let path: String

    /// Creates a repository name, validating both parts.
    /// - Throws: `.invalidReference` quoting the part that is wrong.
    public init(registry: String, path: String) throws(OCIError) {
        if let problem = ReferenceGrammar.hostProblem(registry) {
            throw OCIError(.invalidReference, "invalid registry \(quoted(registry)): \(problem)")
        }
        if let problem = ReferenceGrammar.nameLengthProblem(host: registry, path: path) {
            throw OCIError(.invalidReference, "invalid repository path \(quoted(path.prefix(64) + (path.count > 64 ? "…" : ""))): \(problem)")
        }
        if let problem = ReferenceGrammar.pathProblem(path) {
            throw OCIError(.invalidReference, "invalid repository path \(quoted(path)): \(problem)")
        }
        self.init(checkedRegistry: registry.lowercased(), path: path)
    }

    /// For parts that were validated already.
    init(checkedRegistry registry: String, path: String) {
        self.registry = registry
        self.path = path
    }

    /// `"registry/path"`.
    public var description: String { "\(registry)/\(path)" }

    /// The token scope for `actions` on this repository, e.g. `repository:ns/app:pull,push`
    /// (distribution token auth); the registry is not part of it.
    public func scope(_ actions: String) -> String {
        "repository:\(path):\(actions)"
    }

    public static func < (lhs: RepositoryName, rhs: RepositoryName) -> Bool {
        (lhs.registry, lhs.path) < (rhs.registry, rhs.path)
    }
}

/// An image reference: `registry/path:tag`, `registry/path@digest` or `registry/path:tag@digest`.
///
/// ``init(parsing:)`` is strict: an optional `docker://` prefix is dropped; the first path
/// segment is always the registry host (no docker.io default), so it must contain "." or ":" or
/// be `localhost`; a tag or a digest is required (no implicit `latest`).
/// ``parse(normalizing:)`` also takes Docker Hub's short names (`nginx:1.25`), as containers/image
/// reads them.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// Where the image lives.
    public var repository: RepositoryName
    /// The tag, if any.
    public var tag: String?
    /// The manifest digest, if any.
    public var digest: Digest?

    /// Creates a reference from parts; the tag is not validated here.
    public init(repository: RepositoryName, tag: String?, digest: Digest?) {
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses `[docker://]registry/path[:tag][@digest]`.
    /// - Throws: `.invalidReference` quoting `text` and saying what to write instead.
    public init(parsing text: String) throws(OCIError) {
        self = try Self.parse(text, normalizing: false).reference
    }

    /// The parser behind ``init(parsing:)`` and ``parse(normalizing:)``; with `normalizing`, a name
    /// without a registry host is completed as containers/image does, and `wasNormalized` says so.
    static func parse(_ text: String, normalizing: Bool) throws(OCIError) -> (reference: ImageReference, wasNormalized: Bool) {
        func failure(_ problem: String) -> OCIError {
            // A reference megabytes long is named by its start: the message stays readable.
            let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
            return OCIError(.invalidReference, "invalid image reference \(quoted(shown)): \(problem)")
        }
        let (rest, transportProblem) = ReferenceGrammar.stripTransport(text)
        if let transportProblem { throw failure(transportProblem) }

        var name = rest
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            name = rest[..<at]
            do throws(OCIError) {
                digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
            } catch {
                throw failure(error.message)
            }
        }

        var host: Substring
        var path: Substring
        var wasNormalized = false
        if normalizing {
            (host, path, wasNormalized) = ReferenceGrammar.splitDockerDomain(name)
        } else {
            guard let slash = name.firstIndex(of: "/") else {
                throw failure("expected REGISTRY/REPOSITORY[:TAG][@DIGEST]; \(ReferenceGrammar.hostHint)")
            }
            host = name[..<slash]
            path = name[name.index(after: slash)...]
        }
        var tag: Substring?
        // A tag can only follow the last "/": colons before it belong to the host.
        let lastComponentStart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let colon = path[lastComponentStart...].firstIndex(of: ":") {
            tag = path[path.index(after: colon)...]
            path = path[..<colon]
        }
        // Docker Hub keeps its official images under library/ (containers/image adds it).
        if normalizing, host.lowercased() == ReferenceGrammar.dockerHub, !path.isEmpty, !path.contains("/") {
            path = Substring(ReferenceGrammar.officialRepositoryPrefix + path)
            wasNormalized = true
        }

        if let problem = ReferenceGrammar.hostProblem(host) { throw failure(problem) }
        if let problem = ReferenceGrammar.nameLengthProblem(host: host, path: path) { throw failure(problem) }
        if let problem = ReferenceGrammar.pathProblem(path) { throw failure(problem) }
        if let tag, let problem = ReferenceGrammar.tagProblem(tag) { throw failure(problem) }
        guard tag != nil || digest != nil else {
            throw failure("no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST")
        }

        let reference = ImageReference(
            repository: RepositoryName(checkedRegistry: host.lowercased(), path: String(path)),
            tag: tag.map(String.init),
            digest: digest
        )
        return (reference, wasNormalized)
    }

    /// `"registry/path:tag"`, `"registry/path@sha256:…"` or `"registry/path:tag@sha256:…"`.
    public var description: String {
        var text = repository.description
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// What goes in `/v2/<path>/manifests/<identifier>`: the digest if there is one, else the tag.
    /// Empty only for a reference built with neither.
    public var identifier: String {
        digest?.description ?? tag ?? ""
    }

    /// A copy with `digest` set, keeping the tag.
    public func withDigest(_ d: Digest) -> ImageReference {
        var copy = self
        copy.digest = d
        return copy
    }

    /// A copy with the tag replaced (or removed with nil), keeping the digest.
    public func withTag(_ t: String?) -> ImageReference {
        var copy = self
        copy.tag = t
        return copy
    }
}
