import OCI

/// Where an image lands in the mirror (spec §9.2–9.4): the source path under the destination
/// root, or `targetRepo` instead of it; the source tag, `sha256-<hex>` for a digest-only source,
/// or `targetTag`; and, with `--max-nested-paths N`, at most N path components.
public struct DestinationNaming: Sendable {
    public var root: RegistryLocation
    /// 0 leaves paths as they are.
    public var maxNestedPaths: Int

    public init(root: RegistryLocation, maxNestedPaths: Int = 0) {
        self.root = root
        self.maxNestedPaths = maxNestedPaths
    }

    /// - Throws: when `targetRepo` or `targetTag` make no valid name (they are checked when the
    ///   configuration loads, so this names the image for the rare case that slips through).
    public func destination(for source: ImageReference, targetRepo: String? = nil,
                            targetTag: String? = nil) throws(OCIError) -> ImageReference {
        var destination = root.destination(for: source)
        if let targetRepo {
            let path = root.namespace.map { "\($0)/\(targetRepo)" } ?? targetRepo
            destination.repository = try RepositoryName(registry: root.registry, path: path)
        }
        if let targetTag {
            // The tag names the copy; a digest-only source has none, a tag+digest source keeps its digest check.
            destination = ImageReference(repository: destination.repository, tag: targetTag,
                                         digest: source.tag != nil ? source.digest : nil)
        }
        destination.repository = try folded(destination.repository)
        return destination
    }

    /// A destination for an image that has no registry name (an `oci://` catalog): `path` under
    /// the destination root, with `tag`.
    public func destination(path: String, tag: String) throws(OCIError) -> ImageReference {
        let full = root.namespace.map { "\($0)/\(path)" } ?? path
        let repository = try folded(try RepositoryName(registry: root.registry, path: full))
        return ImageReference(repository: repository, tag: tag, digest: nil)
    }

    /// `--max-nested-paths`: paths with more components keep the first N-1 and join the rest
    /// with "-" (`ns/openshift/release` with N=2 becomes `ns/openshift-release`).
    public func folded(_ repository: RepositoryName) throws(OCIError) -> RepositoryName {
        let components = repository.path.split(separator: "/")
        guard maxNestedPaths > 0, components.count > maxNestedPaths else { return repository }
        let kept = components.prefix(maxNestedPaths - 1)
        let joined = components.dropFirst(maxNestedPaths - 1).joined(separator: "-")
        return try RepositoryName(registry: repository.registry, path: (kept + [Substring(joined)]).joined(separator: "/"))
    }
}
