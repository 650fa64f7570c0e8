import OCI

/// What a cluster node makes of IDMS/ITMS objects: for an image reference, the mirror locations
/// CRI-O would try, in order, before the source itself.
///
/// The semantics are those of the Machine Config Operator and containers-registries.conf(5):
/// - every object's rules are merged by `source` into one registry entry; IDMS mirrors are marked
///   `pull-from-mirror = "digest-only"`, ITMS mirrors `"tag-only"`;
/// - a reference matches an entry whose source is its repository, or a path prefix of it ending
///   at `/`, or its registry; of those, only the **longest** (most specific) one counts;
/// - from that one entry, a reference with a digest (`@sha256:…`, with or without a tag) uses
///   the digest mirrors and a reference without one the tag mirrors; each mirror replaces the
///   matched prefix, the rest of the path and the tag/digest are kept.
///
/// Note the second point: a longer source shadows a shorter one for both kinds, so an ITMS rule
/// for `quay.io/ns/app` leaves digest pulls of `quay.io/ns/app` with no mirror even when an
/// IDMS rule covers `quay.io/ns`. ``ImageMirrorSetGenerator`` avoids writing such sets; this
/// replay is how that is checked.
/// Sources: openshift/runtime-utils `pkg/registries` `EditRegistriesConfig`;
/// containers/image `pkg/sysregistriesv2` `FindRegistry`, `PullSourcesFromReference`.
/// Not modelled: wildcard sources (`*.example.com`, never generated) and `mirrorSourcePolicy`.
public struct MirrorRules: Hashable, Sendable {
    /// One registries.conf entry: the merged mirrors of every rule with the same source.
    private struct Entry: Hashable, Sendable {
        var digestMirrors: [ImageScope] = []
        var tagMirrors: [ImageScope] = []

        mutating func add(_ mirrors: [ImageScope], kind: MirrorSetKind) {
            for mirror in mirrors {
                switch kind {
                case .digest where !digestMirrors.contains(mirror): digestMirrors.append(mirror)
                case .tag where !tagMirrors.contains(mirror): tagMirrors.append(mirror)
                default: break
                }
            }
        }

        func mirrors(_ kind: MirrorSetKind) -> [ImageScope] {
            kind == .digest ? digestMirrors : tagMirrors
        }
    }

    private var entries: [ImageScope: Entry] = [:]

    /// The rules of `sets`, IDMS and ITMS together, as a node merges them. Mirrors of one source
    /// keep the order of the objects and rules they come from, without repeats.
    public init(_ sets: [ImageMirrorSet]) {
        for set in sets {
            for rule in set.rules {
                entries[rule.source, default: Entry()].add(rule.mirrors, kind: set.kind)
            }
        }
    }

    /// The one source whose rules apply to `repository`: the longest that contains it.
    public func governingSource(for repository: RepositoryName) -> ImageScope? {
        var path = Substring(repository.path)
        while true {
            let scope = ImageScope(registry: repository.registry, path: String(path))
            if entries[scope] != nil { return scope }
            guard let slash = path.lastIndex(of: "/") else { break }
            path = path[..<slash]
        }
        let registry = ImageScope(registry: repository.registry, path: "")
        return entries[registry] != nil ? registry : nil
    }

    /// The repositories a pull of `repository` through rules of `kind` would try, in order;
    /// empty when no rule applies (the node goes to the source).
    public func mirrorRepositories(for repository: RepositoryName, kind: MirrorSetKind) -> [RepositoryName] {
        guard let source = governingSource(for: repository), let entry = entries[source] else { return [] }
        var repositories: [RepositoryName] = []
        for mirror in entry.mirrors(kind) {
            if let moved = mirror.substituting(source, in: repository), !repositories.contains(moved) {
                repositories.append(moved)
            }
        }
        return repositories
    }

    /// The references a node would try for `reference` before its source, in order: digest
    /// rules when it has a digest, tag rules otherwise; tag and digest are kept as written.
    public func mirrors(for reference: ImageReference) -> [ImageReference] {
        let kind: MirrorSetKind = reference.digest != nil ? .digest : .tag
        return mirrorRepositories(for: reference.repository, kind: kind).map {
            ImageReference(repository: $0, tag: reference.tag, digest: reference.digest)
        }
    }
}
