import Distribution
import Foundation
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
/// - Cosign signatures and referrers as the set says (`supplyChain`; none with `signing: false`):
///   `sha256-<hex>.sig` beside signed bundles and operator images, a `.att` and the referrers'
///   fallback tag `sha256-<hex>` beside one operand.
///
/// No process is started, so nothing needs stopping. Deterministic for a given registry host:
/// operand digests never change; bundle and catalog digests change with the host (they name it).
/// Cosign signatures are not deterministic (fresh keys per seeding, randomised ECDSA); the
/// referrers are, for a given subject.
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
    /// The cosign signatures, attestations and referrers pushed beside the images.
    public let supplyChain: SupplyChainArtifacts
    /// The trusted cosign public key (`cosign.pub`, PEM) that every `.sig` verifies with.
    public var cosignPublicKeyPath: URL { cosign.publicKeyPath }
    /// A second cosign public key: only signatures set with `setSigstoreFault(.otherKey, …)` verify with it.
    public var cosignOtherPublicKeyPath: URL { cosign.otherPublicKeyPath }
    private let cosign: CosignSigner
    private let client: RegistryClient

    /// The registry host that all image references name.
    public var upstreamHost: String { registry.host }

    /// Builds the set's images in memory and pushes them: image manifests, then indexes, then
    /// cosign signatures and referrers. Takes about a second.
    /// - Parameter signing: false pushes no cosign signatures or referrers (keys are made anyway).
    /// - Throws: `LabError.unsupported` for a set without an under-declared operand or a broken
    ///   related image (the properties above would be empty), or one naming undefined bundles;
    ///   registry errors from pushing.
    public static func seed(lab: RegistryLab, registry: LabRegistry, catalogSet: OperatorCatalogSet = .standard,
                            signing: Bool = true) async throws -> OperatorCatalogUpstream {
        let host = registry.host
        let content = try await LabTools.offCooperativePool { try OperatorCatalogContent.build(catalogSet, host: host) }
        let client = ImageSeeder(registry: registry, lab: lab).client
        let pusher = BuiltImagePusher(client: client)
        try await pusher.push(content.images)
        try await pusher.push(content.indexes)
        // A directory per seeding: seeding twice into one registry must not overwrite the first keys.
        let cosign = try CosignSigner(directory: lab.root.appendingPathComponent(
            "operator-catalogs-\(registry.port)/cosign-\(UUID().uuidString.prefix(8).lowercased())"))
        let supplyChain = signing
            ? try await OperatorCatalogSupplyChain.seed(content, set: catalogSet, signer: cosign, client: client)
            : SupplyChainArtifacts()
        return try OperatorCatalogUpstream(catalogSet: catalogSet, registry: registry, content: content, cosign: cosign,
                                           client: client, supplyChain: supplyChain)
    }

    init(catalogSet: OperatorCatalogSet, registry: LabRegistry, content: OperatorCatalogContent, cosign: CosignSigner,
         client: RegistryClient, supplyChain: SupplyChainArtifacts) throws {
        self.catalogSet = catalogSet
        self.registry = registry
        self.cosign = cosign
        self.client = client
        self.supplyChain = supplyChain
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

    /// Replaces the `.sig` of a cosign-signed image with the wrong signature `fault` describes
    /// (nil pushes the good one back).
    /// - Returns: what the tag now holds.
    /// - Throws: `LabError.unsupported` for a digest the lab did not cosign-sign; registry errors.
    @discardableResult
    public func setSigstoreFault(_ fault: CosignSignatureFault?, for digest: Digest) async throws -> CosignSignature {
        guard let good = supplyChain.signature(for: digest) else {
            throw LabError.unsupported("no cosign signature to replace for \(digest)")
        }
        return try await cosign.replace(good, of: digest, with: fault, client: client)
    }

    /// A bundle by name (`foo.v0.3.2`), whatever catalog lists it.
    public func bundle(named name: String) -> OperatorBundle? {
        bundles.first { $0.name == name }
    }
}
