import OCI

/// What the synthetic operator-catalog upstream holds: operator bundles with their operand images,
/// and catalog images whose file-based catalogs (spec §5) list them.
///
/// A value, so tests can reason about what a filter should keep (channels, heads, version
/// ranges) without reading the catalogs. `standard` is the set `OperatorCatalogUpstream` seeds by
/// default. Repositories are paths under the upstream registry host.
public struct OperatorCatalogSet: Sendable {
    /// An image a bundle's ClusterServiceVersion names.
    public struct Operand: Sendable, Hashable {
        /// Where the CSV names the image.
        public enum Placement: Sendable, Hashable {
            /// The image of the deployment's `manager` container: the operator itself. Pushed as a
            /// Docker manifest list (linux/amd64, linux/arm64), as Red Hat's operator images are.
            case managerContainer
            /// An init container of the deployment (single linux/amd64 OCI image).
            case initContainer
            /// The value of a `RELATED_IMAGE_<NAME>` env of the manager container: an image the
            /// operator deploys (single linux/amd64 OCI image).
            case relatedImageEnv
        }

        /// Whether the bundle's `relatedImages` lists the image.
        public enum Declaration: Sendable, Hashable {
            /// In the CSV's `spec.relatedImages` and the catalog's `relatedImages`, by digest.
            case declared
            /// Only in a `RELATED_IMAGE_` env: in neither `relatedImages` list, so a mirror that
            /// trusts the catalog misses it (`relatedImageEnv` only).
            case csvEnvOnly
            /// Declared, but as a repository with neither tag nor digest, which oc-mirror cannot
            /// parse (spec §5.4). The image exists as `:latest`, so a tool that assumes an implicit
            /// `latest` would wrongly succeed.
            case withoutTagOrDigest
        }

        /// `agent`: the `relatedImages[].name` and the env `RELATED_IMAGE_AGENT`.
        public var name: String
        /// `foo/foo-agent-rhel9`.
        public var repository: String
        /// Operands naming the same repository and revision are the same image, byte for byte.
        public var revision: String
        public var placement: Placement
        public var declaration: Declaration

        public init(name: String, repository: String, revision: String, placement: Placement,
                    declaration: Declaration = .declared) {
            self.name = name
            self.repository = repository
            self.revision = revision
            self.placement = placement
            self.declaration = declaration
        }

        /// `RELATED_IMAGE_AGENT`.
        public var environmentName: String {
            "RELATED_IMAGE_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// One operator bundle: a version of a package and the images its CSV names.
    public struct Bundle: Sendable, Hashable {
        public var package: String
        /// Strict semver: `0.3.2`.
        public var version: String
        public var operands: [Operand]
        /// `olm.package.required` properties: package name → version range. oc-mirror does not
        /// resolve dependencies (spec §5.3), so a mirror must not follow them.
        public var requiredPackages: [String: String]

        public init(package: String, version: String, operands: [Operand], requiredPackages: [String: String] = [:]) {
            self.package = package
            self.version = version
            self.operands = operands
            self.requiredPackages = requiredPackages
        }

        /// `foo.v0.3.2`.
        public var name: String { "\(package).v\(version)" }
        /// `foo/foo-operator-bundle`.
        public var repository: String { "\(package)/\(package)-operator-bundle" }
    }

    /// An `olm.deprecations` entry.
    public struct Deprecation: Sendable, Hashable {
        public enum Target: Sendable, Hashable {
            case package
            case channel(String)
            case bundle(String)
        }

        public var target: Target
        public var message: String

        public init(_ target: Target, message: String) {
            self.target = target
            self.message = message
        }
    }

    /// A package as one catalog file lists it: `configs/<name>/catalog.json`.
    public struct Package: Sendable, Hashable {
        public var name: String
        public var defaultChannel: String
        public var channels: [OperatorChannel]
        /// Written as one `olm.deprecations` blob when not empty.
        public var deprecations: [Deprecation]
        /// Written as a blob of a schema OLM does not know (`lab.ferry.io/catalog-note`), which a
        /// filter must carry along with its package.
        public var note: String?

        public init(name: String, defaultChannel: String, channels: [OperatorChannel], deprecations: [Deprecation] = [],
                    note: String? = nil) {
            self.name = name
            self.defaultChannel = defaultChannel
            self.channels = channels
            self.deprecations = deprecations
            self.note = note
        }

        public func channel(_ name: String) -> OperatorChannel? {
            channels.first { $0.name == name }
        }

        /// Every bundle some channel lists, in first-seen order.
        public var bundleNames: [String] {
            var seen = Set<String>()
            return channels.flatMap(\.bundleNames).filter { seen.insert($0).inserted }
        }
    }

    /// How a catalog image is packaged.
    public enum Packaging: Sendable, Hashable {
        /// An OCI image index with one OCI image per platform (the configs layers are shared).
        case ociIndex(platforms: [Platform])
        /// A single Docker schema 2 image.
        case dockerImage(platform: Platform)

        public var platforms: [Platform] {
            switch self {
            case .ociIndex(let platforms): platforms
            case .dockerImage(let platform): [platform]
            }
        }
    }

    /// One catalog image. Its layers: an opm base; `configs/<package>/catalog.json` for every
    /// package (superseded copies where given, removed packages too) with an opm `/tmp/cache` stub;
    /// then, if anything is superseded or removed, a top layer with the final copies and a
    /// whiteout (`configs/.wh.<package>`) per removed package. Only layers applied in order give
    /// `packages`.
    public struct Catalog: Sendable, Hashable {
        /// `redhat/redhat-operator-index`.
        public var repository: String
        /// `v4.18`.
        public var tag: String
        public var packaging: Packaging
        /// What the catalog serves once its layers are applied.
        public var packages: [Package]
        /// Older copies of some of `packages` (same names), in the lower configs layer only.
        public var supersededPackages: [Package]
        /// Packages in the lower configs layer that the top layer deletes.
        public var removedPackages: [Package]

        public init(repository: String, tag: String, packaging: Packaging, packages: [Package],
                    supersededPackages: [Package] = [], removedPackages: [Package] = []) {
            self.repository = repository
            self.tag = tag
            self.packaging = packaging
            self.packages = packages
            self.supersededPackages = supersededPackages
            self.removedPackages = removedPackages
        }

        /// Whether the image has a top layer over the configs layer.
        public var hasOverrideLayer: Bool { !supersededPackages.isEmpty || !removedPackages.isEmpty }
    }

    /// Every bundle any catalog lists (each needs an entry here).
    public var bundles: [Bundle]
    public var catalogs: [Catalog]
    /// Whether every bundle image gets a cosign signature (`sha256-<hex>.sig`).
    public var sigstoreSignsBundles: Bool
    /// Packages whose operator images (`managerContainer` operands, manifest lists) are cosign-signed,
    /// the list's digest being the one signed; other operands stay unsigned.
    public var sigstoreSignedOperatorPackages: [String]
    /// An operand (matched by repository and revision) that carries an SBOM and an in-toto
    /// attestation as OCI referrers, and a cosign attestation (`.att`).
    public var referrerOperand: Operand?

    /// With the signing parameters left at their defaults, nothing gets a cosign signature or referrer.
    public init(bundles: [Bundle], catalogs: [Catalog], sigstoreSignsBundles: Bool = false,
                sigstoreSignedOperatorPackages: [String] = [], referrerOperand: Operand? = nil) {
        self.bundles = bundles
        self.catalogs = catalogs
        self.sigstoreSignsBundles = sigstoreSignsBundles
        self.sigstoreSignedOperatorPackages = sigstoreSignedOperatorPackages
        self.referrerOperand = referrerOperand
    }

    /// The bundle named `foo.v0.3.2`.
    public func bundle(_ name: String) -> Bundle? {
        bundles.first { $0.name == name }
    }
}
