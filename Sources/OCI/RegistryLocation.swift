/// A mirror destination root, `registry[/namespace]`, as given by `docker://REGISTRY[/NAMESPACE]`.
public struct RegistryLocation: Hashable, Sendable, CustomStringConvertible {
    /// The registry host, lowercased.
    public let registry: String
    /// The namespace path under the registry, possibly several components; nil for the root.
    public let namespace: String?

    /// Parses `[docker://]registry[/namespace]`; one trailing "/" is tolerated.
    /// - Throws: `.invalidReference` quoting `text`, including when it carries a tag or digest.
    public init(parsing text: String) throws(OCIError) {
        func failure(_ problem: String) -> OCIError {
            OCIError(.invalidReference, "invalid destination \(quoted(text)): \(problem)")
        }
        let (stripped, transportProblem) = ReferenceGrammar.stripTransport(text)
        if let transportProblem { throw failure(transportProblem) }
        var rest = stripped
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("@") else {
            throw failure("a destination takes no digest; expected REGISTRY[/NAMESPACE], e.g. docker://mirror.example.com:5000/ocp")
        }
        let host: Substring
        var namespace: Substring?
        if let slash = rest.firstIndex(of: "/") {
            host = rest[..<slash]
            namespace = rest[rest.index(after: slash)...]
        } else {
            host = rest
        }
        if let namespace, namespace.contains(":") {
            throw failure("a destination takes no tag; expected REGISTRY[/NAMESPACE], e.g. docker://mirror.example.com:5000/ocp")
        }
        if let problem = ReferenceGrammar.hostProblem(host) {
            throw failure(problem)
        }
        if let namespace, let problem = ReferenceGrammar.pathProblem(namespace) {
            throw failure(problem)
        }
        self.registry = host.lowercased()
        self.namespace = namespace.map(String.init)
    }

    /// `"registry"` or `"registry/namespace"`.
    public var description: String {
        namespace.map { "\(registry)/\($0)" } ?? registry
    }

    /// The mirror destination of `source` (oc-mirror spec §9.2, §9.3): the source registry host
    /// is dropped and its path kept under `registry/namespace`. A tag is kept; a digest-only
    /// source gets the tag `sha256-<hex>`, as oc-mirror names it (and no digest, so the reference
    /// names what a cluster pulls by tag); a tag+digest source keeps both, so the copy can be
    /// checked against the digest and still be pushed under the tag.
    public func destination(for source: ImageReference) -> ImageReference {
        let path = namespace.map { "\($0)/\(source.repository.path)" } ?? source.repository.path
        let repository = RepositoryName(checkedRegistry: registry, path: path)
        if let tag = source.tag {
            return ImageReference(repository: repository, tag: tag, digest: source.digest)
        }
        guard let digest = source.digest else {
            return ImageReference(repository: repository, tag: nil, digest: nil)
        }
        var tag = "\(digest.algorithm.rawValue)-\(digest.encoded)"
        // sha512 would give 135 characters, past the 128 a tag may have; oc-mirror's release
        // code truncates long tags to 127 the same way.
        if tag.count > 128 { tag = String(tag.prefix(127)) }
        return ImageReference(repository: repository, tag: tag, digest: nil)
    }
}
