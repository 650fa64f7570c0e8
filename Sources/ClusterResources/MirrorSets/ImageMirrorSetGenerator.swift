import OCI

/// Builds the ImageDigestMirrorSet and ImageTagMirrorSet objects for the images that landed in
/// the mirror (spec §6.1), deterministically.
///
/// Which set (``kinds(for:)``):
/// - IDMS: images whose source has a digest (`@sha256:…`, alone or with a tag), and release
///   payloads even when given by tag (CLID-205: clusters pull payloads by digest).
/// - ITMS: images whose source is not digest-only — by tag, and by tag+digest too. This is the
///   spec's rule word for word; a tag+digest image thus gets both, which is right for a node:
///   such a reference is pulled by its digest, and the tag form needs the tag rule.
///
/// Which scope (``scopes(for:)``):
/// - namespace scope when the destination's path ends with the source's path, compared by whole
///   components (`ns/ubi8/ubi` ends with `ubi8/ubi`; `ns/xubi8/ubi` does not): the last component
///   is dropped on both sides, `registry.redhat.io/ubi8` → `mirror:5000/ns/ubi8`, so one rule
///   covers the namespace. oc-mirror compares raw strings; whole components give the same rules
///   for every destination oc-mirror's naming produces and never map `ubi8` onto `xubi8`.
/// - repository scope (full names) otherwise, always when `forceRepositoryScope` is set
///   (`--max-nested-paths > 0` flattens paths, so namespaces no longer line up), and when the
///   source has a single path component (`docker.io/busybox`): dropping it would leave a bare
///   registry. The API and CRI-O accept a registry as a source, but that rule would send every
///   image of docker.io to the mirror — a surprising blast radius for one mirrored image, and a
///   rule that shadows nothing we know of. oc-mirror writes the bare registry; Ferry does not.
///
/// Then, unlike oc-mirror:
/// - the output does not depend on input order: rules sorted by source, mirrors sorted and
///   deduplicated per source, objects in category order (release, operator, generic), one per
///   category present, named `idms-<category>-0` / `itms-<category>-0`;
/// - no timestamps: the only annotation is `createdBy`;
/// - rules that a node would shadow are repaired. A node uses only the longest matching source
///   for both kinds (see ``MirrorRules``), so a repository-scope rule in one set can hide a
///   namespace rule of the other set or of another category (an operator's related image in
///   `quay.io/openshift-release-dev/ocp-v4.0-art-dev` next to the release's rule for that
///   repository). After building the rules, every image is replayed; one whose destination is
///   not among the mirrors a node would try gets a repository-scope rule of its own, and this
///   repeats until every image resolves. Inputs without such conflicts are unaffected.
public struct ImageMirrorSetGenerator: Hashable, Sendable {
    /// Use repository scope for every rule (`--max-nested-paths > 0`).
    public var forceRepositoryScope: Bool
    /// The `createdBy` annotation; no annotations at all when empty.
    public var createdBy: String

    /// Creates a generator.
    /// - Parameters:
    ///   - forceRepositoryScope: full repository names on both sides of every rule.
    ///   - createdBy: the value of the one annotation, `createdBy`.
    public init(forceRepositoryScope: Bool = false, createdBy: String = "ferry") {
        self.forceRepositoryScope = forceRepositoryScope
        self.createdBy = createdBy
    }

    /// The sets an image's rule goes into, digest first.
    public static func kinds(for image: MirroredImage) -> [MirrorSetKind] {
        let source = image.source
        var kinds: [MirrorSetKind] = []
        if source.digest != nil || image.isReleasePayload { kinds.append(.digest) }
        let digestOnly = source.digest != nil && source.tag == nil
        if !digestOnly { kinds.append(.tag) }
        return kinds
    }

    /// The source and mirror scope of an image's rule (see the type's documentation).
    public func scopes(for image: MirroredImage) -> (source: ImageScope, mirror: ImageScope) {
        let source = ImageScope(image.source.repository)
        let mirror = ImageScope(image.destination.repository)
        guard !forceRepositoryScope else { return (source, mirror) }
        let sourceComponents = source.path.split(separator: "/")
        let mirrorComponents = mirror.path.split(separator: "/")
        guard mirrorComponents.count >= sourceComponents.count,
              mirrorComponents.suffix(sourceComponents.count).elementsEqual(sourceComponents),
              let sourceNamespace = source.namespace, let mirrorNamespace = mirror.namespace
        else { return (source, mirror) }
        return (sourceNamespace, mirrorNamespace)
    }

    /// The IDMS and ITMS objects for `images`; the same for the same images in any order.
    public func mirrorSets(for images: [MirroredImage]) -> ImageMirrorSets {
        let images = Set(images)
        var table = RuleTable()
        for image in images {
            let (source, mirror) = scopes(for: image)
            for kind in Self.kinds(for: image) {
                table.insert(source: source, mirror: mirror, kind: kind, category: image.category)
            }
        }
        repairShadowedRules(in: &table, for: images)
        return ImageMirrorSets(digestSets: table.objects(.digest, createdBy: createdBy),
                               tagSets: table.objects(.tag, createdBy: createdBy))
    }

    /// Gives every image whose destination a node would not try a repository-scope rule, until
    /// none is left. Each pass only adds rules, and only from a finite set, so it ends; an
    /// exact-repository rule is the longest possible match, so an image fixed stays fixed.
    private func repairShadowedRules(in table: inout RuleTable, for images: Set<MirroredImage>) {
        while true {
            let rules = MirrorRules(table.objects(.digest, createdBy: "") + table.objects(.tag, createdBy: ""))
            var added = false
            for image in images {
                let destination = image.destination.repository
                for kind in Self.kinds(for: image)
                where !rules.mirrorRepositories(for: image.source.repository, kind: kind).contains(destination) {
                    added = table.insert(source: ImageScope(image.source.repository), mirror: ImageScope(destination),
                                         kind: kind, category: image.category) || added
                }
            }
            if !added { return }
        }
    }
}

/// Rules being collected: kind → category → source → mirrors.
private struct RuleTable {
    private var rules: [MirrorSetKind: [MirrorCategory: [ImageScope: Set<ImageScope>]]] = [:]

    /// Adds one mirror for a source; false when it was there already.
    @discardableResult
    mutating func insert(source: ImageScope, mirror: ImageScope, kind: MirrorSetKind, category: MirrorCategory) -> Bool {
        rules[kind, default: [:]][category, default: [:]][source, default: []].insert(mirror).inserted
    }

    /// One object per category present, in category order, rules sorted by source, mirrors sorted.
    func objects(_ kind: MirrorSetKind, createdBy: String) -> [ImageMirrorSet] {
        let byCategory = rules[kind] ?? [:]
        return MirrorCategory.allCases.compactMap { category in
            guard let bySource = byCategory[category], !bySource.isEmpty else { return nil }
            let sorted = bySource.keys.sorted().map { ImageMirrorRule(source: $0, mirrors: bySource[$0]!.sorted()) }
            return ImageMirrorSet(kind: kind, name: "\(kind.namePrefix)-\(category.rawValue)-0",
                                  annotations: createdBy.isEmpty ? [:] : ["createdBy": createdBy],
                                  rules: sorted)
        }
    }
}
