/// Docker Hub's short names, read as containers/image reads them (`reference.ParseNormalizedNamed`,
/// `SplitDockerDomain` in `docker/reference/normalize.go`): what oc-mirror's copies pull when a
/// configuration names `nginx:1.25`.
extension ImageReference {
    /// Parses `text` as ``init(parsing:)`` does, after completing a name without a registry host:
    ///
    /// - the first path segment is the host only when it contains "." or ":" or is `localhost`;
    ///   otherwise the host is `docker.io` and the whole name is the path
    ///   (`library/nginx:1.25` → `docker.io/library/nginx:1.25`);
    /// - `index.docker.io` is `docker.io`;
    /// - on `docker.io`, a one-segment path gets `library/` (`nginx:1.25` → `docker.io/library/nginx:1.25`).
    ///
    /// A tag or a digest is still required (no implicit `latest`).
    /// - Returns: the reference, and whether it differs from what `text` spells out (so the caller
    ///   can say what it was read as).
    /// - Throws: `.invalidReference` quoting `text`.
    public static func parse(normalizing text: String) throws(OCIError) -> (reference: ImageReference, wasNormalized: Bool) {
        try parse(text, normalizing: true)
    }
}

extension ReferenceGrammar {
    static let dockerHub = "docker.io"
    static let legacyDockerHub = "index.docker.io"
    static let officialRepositoryPrefix = "library/"

    /// Splits `name` (no transport, no digest; a tag may follow) into host and the rest as
    /// containers/image's `SplitDockerDomain` does, before `library/` is added.
    static func splitDockerDomain(_ name: Substring) -> (host: Substring, rest: Substring, defaulted: Bool) {
        guard let slash = name.firstIndex(of: "/"), looksLikeHost(name[..<slash]) else {
            return (Substring(dockerHub), name, true)
        }
        let host = name[..<slash]
        let rest = name[name.index(after: slash)...]
        if host.lowercased() == legacyDockerHub { return (Substring(dockerHub), rest, true) }
        return (host, rest, false)
    }
}
