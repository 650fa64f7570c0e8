import Distribution
import OCI

/// A synthetic operator-catalog upstream in a lab registry: catalog images holding file-based
/// catalogs (spec §5), the bundle images they list and the operand images the bundles name.
///
/// ```swift
/// try await RegistryLab.with { lab in
///     let registry = try await lab.startRegistry()
///     let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
///     let catalog = upstream.catalog("redhat/redhat-operator-index", tag: "v4.18")!
///     let head = catalog.package("foo")!.bundle(named: "foo.v0.3.2")!   // image, relatedImages, csvOnlyImages
/// }
/// ```
///
/// What is pushed (`<upstream>` is the registry's `host`; see `OperatorCatalogSet.standard`):
/// - Operand images by digest only: `<package>/<package>-rhel9-operator` as Docker manifest lists
///   (linux/amd64, linux/arm64), the others as single OCI images; one shared base layer per
///   platform. `baz/baz-exporter-rhel9:latest` is the one tagged operand: the broken related
///   image names that repository with neither tag nor digest.
/// - Bundle images by digest only, `<package>/<package>-operator-bundle` (OCI): a `manifests/`
///   layer (CSV, CRD) and a `metadata/` layer (`annotations.yaml`), labels as real bundles have.
/// - Catalog images by tag: `redhat/redhat-operator-index:v4.18` and `:v4.19` (OCI indexes over
///   linux/amd64 and linux/arm64), `redhat/certified-operator-index:v4.18` (one Docker schema 2
///   image). Layers: opm; `configs/<package>/catalog.json` plus an opm cache stub; on top (where
///   the set says so) replaced catalog files and `configs/.wh.<package>` whiteouts.
///
/// No process is started, so nothing needs stopping. Deterministic for a given registry host:
/// operand digests never change; bundle and catalog digests change with the host (they name it).
public struct OperatorCatalogUpstream: Sendable {
    public let catalogSet: OperatorCatalogSet
    /// The registry holding the images.
    public let registry: LabRegistry
    /// Every catalog, in catalog-set order.
    public let catalogs: [OperatorCatalog]
    /// Every bundle, in catalog-set order (each is the same image in every catalog listing it).
    public let bundles: [OperatorBundle]
    /// Every operand image a CSV names by digest, sorted (the tagged `:latest` one is not here).
    public let operandImages: [ImageReference]
    /// Operand images some CSV names only in a `RELATED_IMAGE_` env, in no `relatedImages` list.
    public let underDeclaredOperands: [ImageReference]
    /// The first of `underDeclaredOperands`: `<upstream>/foo/foo-metrics-rhel9@sha256:…`, named only
    /// in `RELATED_IMAGE_METRICS` of `foo.v0.3.1` and `foo.v0.3.2`.
    public let underDeclaredOperand: ImageReference
    /// The bundles whose CSVs name `underDeclaredOperand` that way.
    public let underDeclaringBundles: [OperatorBundle]
    /// The bundle whose catalog entry lists a related image with neither tag nor digest: `baz.v1.0.0`.
    public let brokenBundle: OperatorBundle
    /// That related image: `exporter` = `<upstream>/baz/baz-exporter-rhel9`.
    public let brokenRelatedImage: OperatorRelatedImage

    /// The registry host that all image references name.
    public var upstreamHost: String { registry.host }

    /// Builds the set's images in memory and pushes them: image manifests, then indexes. Takes
    /// about a second.
    /// - Throws: `LabError.unsupported` for a set without an under-declared operand or a broken
    ///   related image (the properties above would be empty), or one naming undefined bundles;
    ///   registry errors from pushing.
    public static func seed(lab: RegistryLab, registry: LabRegistry,
                            catalogSet: OperatorCatalogSet = .standard) async throws -> OperatorCatalogUpstream {
        let host = registry.host
        let content = try await LabTools.offCooperativePool { try OperatorCatalogContent.build(catalogSet, host: host) }
        let pusher = BuiltImagePusher(client: ImageSeeder(registry: registry, lab: lab).client)
        try await pusher.push(content.images)
        try await pusher.push(content.indexes)
        return try OperatorCatalogUpstream(catalogSet: catalogSet, registry: registry, content: content)
    }

    init(catalogSet: OperatorCatalogSet, registry: LabRegistry, content: OperatorCatalogContent) throws {
        self.catalogSet = catalogSet
        self.registry = registry
        catalogs = content.catalogs
        bundles = content.bundles
        operandImages = Set(content.bundles.flatMap(\.operandImages)).sorted { $0.description < $1.description }
        underDeclaredOperands = Set(content.bundles.flatMap(\.csvOnlyImages)).sorted { $0.description < $1.description }
        guard let underDeclared = underDeclaredOperands.first else {
            throw LabError.unsupported("the catalog set has no operand named only in a CSV's RELATED_IMAGE_ env")
        }
        underDeclaredOperand = underDeclared
        underDeclaringBundles = content.bundles.filter { $0.csvOnlyImages.contains(underDeclared) }
        guard let broken = content.bundles.first(where: { !$0.brokenRelatedImages.isEmpty }) else {
            throw LabError.unsupported("the catalog set has no related image without tag or digest")
        }
        brokenBundle = broken
        brokenRelatedImage = broken.brokenRelatedImages[0]
    }

    /// The catalog `repository:tag` (repository without the host).
    public func catalog(_ repository: String, tag: String) -> OperatorCatalog? {
        catalogs.first { $0.reference.repository.path == repository && $0.reference.tag == tag }
    }

    /// `redhat/redhat-operator-index:<tag>`.
    public func redHatIndex(_ tag: String = "v4.18") -> OperatorCatalog? {
        catalog("redhat/redhat-operator-index", tag: tag)
    }

    /// A bundle by name (`foo.v0.3.2`), whatever catalog lists it.
    public func bundle(named name: String) -> OperatorBundle? {
        bundles.first { $0.name == name }
    }
}
