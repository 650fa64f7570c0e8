import Foundation
import OCI

/// Every image of the synthetic operator-catalog upstream for one registry host: operand images,
/// bundle images and catalog images, with what they make up.
///
/// Built without a registry, so digests are known before pushing, and the same set and host give
/// the same bytes. The host matters for bundles and catalogs (CSVs and FBC name
/// `<host>/…@sha256:…`), not for operand images.
struct OperatorCatalogContent: Sendable {
    /// Image manifests (operands, bundles, catalog platforms): pushed first.
    var images: [BuiltImage] = []
    /// Indexes over some of `images`: pushed after them.
    var indexes: [BuiltImage] = []
    /// Every bundle, in catalog-set order.
    var bundles: [OperatorBundle] = []
    /// Every catalog, in catalog-set order.
    var catalogs: [OperatorCatalog] = []

    static func build(_ set: OperatorCatalogSet, host: String) throws -> OperatorCatalogContent {
        var builder = Builder(host: host, set: set)
        return try builder.build()
    }
}

extension OperatorCatalogContent {
    /// The platforms of operator (manager) images.
    static let operatorPlatforms = [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64")]
    /// The platform of bundle images (built `FROM scratch`) and of single-platform operands.
    static let defaultPlatform = Platform(os: "linux", architecture: "amd64")

    private struct Builder {
        let host: String
        let set: OperatorCatalogSet
        var content = OperatorCatalogContent()
        /// Operand images already built, by repository, revision and tagging: one image per key.
        var builtOperands: [String: Digest] = [:]
        var baseLayers: [String: LayerArchive.Layer] = [:]

        init(host: String, set: OperatorCatalogSet) {
            self.host = host
            self.set = set
        }

        mutating func build() throws -> OperatorCatalogContent {
            var bundles: [String: OperatorBundle] = [:]
            for definition in set.bundles {
                let bundle = try bundleImage(definition)
                bundles[bundle.name] = bundle
                content.bundles.append(bundle)
            }
            let definitions = Dictionary(set.bundles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for catalog in set.catalogs {
                content.catalogs.append(try catalogImage(catalog, bundles: bundles, definitions: definitions))
            }
            return content
        }

        func imageReference(_ repository: String, tag: String? = nil, digest: Digest? = nil) throws -> ImageReference {
            ImageReference(repository: try RepositoryName(registry: host, path: repository), tag: tag, digest: digest)
        }

        // MARK: - Operands

        /// The shared bottom layer of every operand image of one platform (cross-repository mounts).
        mutating func baseLayer(_ platform: Platform) throws -> LayerArchive.Layer {
            let key = platform.description
            if let layer = baseLayers[key] { return layer }
            let layer = try LayerArchive.make(path: "usr/lib/ubi9-minimal.bin", size: 32 << 10,
                                              seed: SyntheticContent.seed("ubi9-minimal/\(key)"))
            baseLayers[key] = layer
            return layer
        }

        /// Builds an operand image once; returns how the CSV and catalog name it.
        mutating func operandImage(_ operand: OperatorCatalogSet.Operand) throws -> (text: String, reference: ImageReference?) {
            let tagged = operand.declaration == .withoutTagOrDigest
            let key = "\(operand.repository)@\(operand.revision)\(tagged ? "+latest" : "")"
            let digest: Digest
            if let built = builtOperands[key] {
                digest = built
            } else {
                digest = try buildOperand(operand, tags: tagged ? ["latest"] : [])
                builtOperands[key] = digest
            }
            if tagged { return ("\(host)/\(operand.repository)", nil) }
            let reference = try imageReference(operand.repository, digest: digest)
            return (reference.description, reference)
        }

        mutating func buildOperand(_ operand: OperatorCatalogSet.Operand, tags: [String]) throws -> Digest {
            let binary = String(operand.repository.split(separator: "/").last ?? "operand")
            let containerConfig: [String: Any] = [
                "Entrypoint": ["/usr/bin/\(binary)"],
                "User": "1001",
                "Labels": ["name": operand.repository, "version": operand.revision, "lab.ferry/operand": operand.name],
            ]
            func image(_ platform: Platform, _ flavor: BuiltImage.Flavor, tags: [String]) throws -> BuiltImage {
                let seed = SyntheticContent.seed("operand/\(operand.repository)/\(operand.revision)/\(platform)")
                // 8 to 16 KiB, varying by image, so they are not all alike.
                let layer = try LayerArchive.make(path: "usr/bin/\(binary)", size: (8 + Int(seed % 9)) << 10, seed: seed)
                return try BuiltImage.assemble(repository: operand.repository, flavor: flavor, platform: platform,
                                               layers: [try baseLayer(platform), layer], containerConfig: containerConfig, tags: tags)
            }
            guard operand.placement == .managerContainer else {
                let single = try image(defaultPlatform, .oci, tags: tags)
                content.images.append(single)
                return single.manifest.digest
            }
            let children = try OperatorCatalogContent.operatorPlatforms.map { ($0, try image($0, .docker, tags: [])) }
            content.images += children.map(\.1)
            let list = try BuiltImage.index(repository: operand.repository, flavor: .docker, children: children, tags: tags)
            content.indexes.append(list)
            return list.manifest.digest
        }

        // MARK: - Bundles

        /// The bundle's channels in every catalog copy of its package (its `channels.v1`
        /// annotation), the package's default channel, and its entry there (the CSV's upgrade fields).
        func channelInfo(of bundle: OperatorCatalogSet.Bundle) throws -> (channels: [String], defaultChannel: String,
                                                                            upgrade: OperatorChannel.Entry?) {
            let copies = set.catalogs.flatMap { $0.packages + $0.supersededPackages + $0.removedPackages }
                .filter { $0.name == bundle.package }
            let listing = copies.filter { $0.bundleNames.contains(bundle.name) }
            guard let first = listing.first else {
                throw LabError.unsupported("bundle \(bundle.name) is in no catalog of the set")
            }
            let channels = Set(listing.flatMap { $0.channels.filter { $0.entry(bundle.name) != nil }.map(\.name) }).sorted()
            let preferred = [first.channel(first.defaultChannel)].compactMap { $0 } + first.channels
            let upgrade = preferred.lazy.compactMap { $0.entry(bundle.name) }.first
            return (channels, first.defaultChannel, upgrade)
        }

        mutating func bundleImage(_ definition: OperatorCatalogSet.Bundle) throws -> OperatorBundle {
            var named: [(operand: OperatorCatalogSet.Operand, text: String, reference: ImageReference?)] = []
            for operand in definition.operands {
                let (text, reference) = try operandImage(operand)
                named.append((operand, text, reference))
            }
            let (channels, defaultChannel, upgrade) = try channelInfo(of: definition)
            let csv = ClusterServiceVersionFile.render(bundle: definition, images: named.map(\.text), upgrade: upgrade)
            let manifests = try TarLayer.make([
                .directory("manifests"),
                .file(ClusterServiceVersionFile.path(package: definition.package), csv),
                .file(ClusterServiceVersionFile.crdPath(package: definition.package),
                      ClusterServiceVersionFile.crd(package: definition.package)),
            ])
            let annotations = BundleAnnotationsFile.annotations(package: definition.package, channels: channels,
                                                                defaultChannel: defaultChannel)
            let metadata = try TarLayer.make([
                .directory("metadata"),
                .file(BundleAnnotationsFile.path, BundleAnnotationsFile.render(annotations)),
            ])
            let image = try BuiltImage.assemble(
                repository: definition.repository, flavor: .oci, platform: defaultPlatform, layers: [manifests, metadata],
                containerConfig: ["Labels": BundleAnnotationsFile.labels(annotations, bundle: definition)])
            content.images.append(image)

            let bundleReference = try imageReference(definition.repository, digest: image.manifest.digest)
            let declared = named.filter { $0.operand.declaration != .csvEnvOnly }
            return OperatorBundle(
                name: definition.name, package: definition.package, version: definition.version, image: bundleReference,
                relatedImages: [OperatorRelatedImage(name: "", image: bundleReference.description)]
                    + declared.map { OperatorRelatedImage(name: $0.operand.name, image: $0.text) },
                csvOnlyImages: named.filter { $0.operand.declaration == .csvEnvOnly }.compactMap(\.reference),
                operandImages: named.compactMap(\.reference))
        }

        // MARK: - Catalogs

        /// opm and its health probe: the shared bottom layer of every catalog image of one platform.
        mutating func opmLayer(_ platform: Platform) throws -> LayerArchive.Layer {
            let key = "opm/\(platform)"
            if let layer = baseLayers[key] { return layer }
            let layer = try TarLayer.make([
                .directory("bin"),
                .file("bin/opm", SyntheticContent.bytes(seed: SyntheticContent.seed("opm/\(platform)"), count: 48 << 10)),
                .file("bin/grpc_health_probe", SyntheticContent.bytes(seed: SyntheticContent.seed("grpc-probe/\(platform)"),
                                                                      count: 8 << 10)),
            ])
            baseLayers[key] = layer
            return layer
        }

        mutating func catalogImage(_ catalog: OperatorCatalogSet.Catalog, bundles: [String: OperatorBundle],
                                   definitions: [String: OperatorCatalogSet.Bundle]) throws -> OperatorCatalog {
            func file(_ package: OperatorCatalogSet.Package) throws -> Data {
                try FileBasedCatalogFile.render(package, bundles: bundles, definitions: definitions)
            }
            let superseded = Dictionary(catalog.supersededPackages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let lower = (catalog.packages.map { superseded[$0.name] ?? $0 } + catalog.removedPackages).sorted { $0.name < $1.name }
            var lowerEntries: [TarLayer.Entry] = [.directory("configs")]
            var lowerFiles = Data()
            for package in lower {
                let data = try file(package)
                lowerFiles += data
                lowerEntries += [.directory("configs/\(package.name)"), .file(FileBasedCatalogFile.path(package: package.name), data)]
            }
            // What `opm serve --cache-only` leaves; stale once the top layer changes the FBC, which
            // is why a rebuilt catalog drops `--cache-dir` (spec §5.5).
            lowerEntries += [
                .directory("tmp"), .directory("tmp/cache"),
                .file("tmp/cache/digest", Digest.sha256(lowerFiles).encoded),
                .directory("tmp/cache/cache"),
                .file("tmp/cache/cache/packages.json",
                      try JSONSerialization.data(withJSONObject: lower.map(\.name), options: [.sortedKeys])),
            ]
            var layers = [try TarLayer.make(lowerEntries)]
            if catalog.hasOverrideLayer {
                var top: [TarLayer.Entry] = [.directory("configs")]
                top += catalog.removedPackages.map { .whiteout(of: "configs/\($0.name)") }
                for package in catalog.packages where superseded[package.name] != nil {
                    top += [.directory("configs/\(package.name)"), .file(FileBasedCatalogFile.path(package: package.name), try file(package))]
                }
                layers.append(try TarLayer.make(top))
            }

            let containerConfig: [String: Any] = [
                "Entrypoint": ["/bin/opm"],
                "Cmd": OperatorCatalog.command,
                "User": "1001",
                "WorkingDir": "/",
                "ExposedPorts": ["50051/tcp": [String: Any]()],
                "Labels": [
                    OperatorCatalog.configsLabel: OperatorCatalog.configsDirectory,
                    "com.redhat.index.delivery.version": catalog.tag,
                    "name": catalog.repository,
                    "version": catalog.tag,
                ],
            ]
            let reference = try imageReference(catalog.repository, tag: catalog.tag)
            let root: BuiltImage
            var platformManifests: [Platform: Digest] = [:]
            switch catalog.packaging {
            case .ociIndex(let platforms):
                var children: [(Platform, BuiltImage)] = []
                for platform in platforms {
                    let child = try BuiltImage.assemble(repository: catalog.repository, flavor: .oci, platform: platform,
                                                        layers: [try opmLayer(platform)] + layers, containerConfig: containerConfig)
                    children.append((platform, child))
                    platformManifests[platform] = child.manifest.digest
                }
                content.images += children.map(\.1)
                root = try BuiltImage.index(repository: catalog.repository, flavor: .oci, children: children, tags: [catalog.tag])
                content.indexes.append(root)
            case .dockerImage(let platform):
                root = try BuiltImage.assemble(repository: catalog.repository, flavor: .docker, platform: platform,
                                               layers: [try opmLayer(platform)] + layers, containerConfig: containerConfig,
                                               tags: [catalog.tag])
                platformManifests[platform] = root.manifest.digest
                content.images.append(root)
            }

            let packages = try catalog.packages.map { package in
                OperatorPackage(
                    name: package.name, defaultChannel: package.defaultChannel, channels: package.channels,
                    bundles: try package.bundleNames.map { name in
                        guard let bundle = bundles[name] else { throw LabError.unsupported("no bundle \(name) in the set") }
                        return bundle
                    }.sorted { SemanticVersion.less($0.version, $1.version) },
                    deprecations: package.deprecations)
            }
            let files = try Dictionary(uniqueKeysWithValues: catalog.packages.map {
                (FileBasedCatalogFile.path(package: $0.name), try file($0))
            })
            return OperatorCatalog(
                reference: reference, digest: root.manifest.digest, mediaType: root.manifest.mediaType,
                platformManifests: platformManifests, packages: packages, removedPackages: catalog.removedPackages.map(\.name),
                supersededPackages: catalog.supersededPackages.map(\.name), catalogFiles: files)
        }
    }
}

extension OperatorCatalogSet {
    /// The set's catalogs as they would be seeded for `host` (references, packages, bundles and
    /// `catalogFiles`), built in memory without a registry: for tests that read a catalog's
    /// file-based catalog directly.
    public func catalogs(host: String) throws -> [OperatorCatalog] {
        try OperatorCatalogContent.build(self, host: host).catalogs
    }
}
