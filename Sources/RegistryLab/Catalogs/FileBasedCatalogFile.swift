import Foundation

/// One package's `configs/<package>/catalog.json` (spec §5.2): a stream of JSON blobs, as
/// `opm render` writes them — `olm.package`, the `olm.channel`s, the `olm.bundle`s, then an
/// `olm.deprecations` blob and a blob of a schema OLM does not know, where the package has them.
enum FileBasedCatalogFile {
    /// The schema of the note blob: unknown to OLM, carried along by `declcfg` as "others".
    static let noteSchema = "lab.ferry.io/catalog-note"

    /// `configs/foo/catalog.json`.
    static func path(package: String) -> String { "configs/\(package)/catalog.json" }

    /// - Parameters:
    ///   - bundles: every bundle the package's channels list, by name.
    ///   - definitions: their descriptions, by name (for properties).
    static func render(_ package: OperatorCatalogSet.Package, bundles: [String: OperatorBundle],
                       definitions: [String: OperatorCatalogSet.Bundle]) throws -> Data {
        var blobs: [[String: Any]] = [packageBlob(package)]
        blobs += package.channels.map { channelBlob($0, package: package.name) }
        let listed = try package.bundleNames.map { name -> (OperatorBundle, OperatorCatalogSet.Bundle) in
            guard let bundle = bundles[name], let definition = definitions[name] else {
                throw LabError.unsupported("package \(package.name) lists \(name), which the catalog set does not define")
            }
            return (bundle, definition)
        }
        for (bundle, definition) in listed.sorted(by: { SemanticVersion.less($0.0.version, $1.0.version) }) {
            blobs.append(bundleBlob(bundle, definition))
        }
        if !package.deprecations.isEmpty {
            blobs.append(deprecationsBlob(package))
        }
        if let note = package.note {
            blobs.append(["schema": noteSchema, "package": package.name, "text": note])
        }
        var stream = Data()
        for blob in blobs {
            stream += try JSONSerialization.data(withJSONObject: blob, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            stream += Data("\n".utf8)
        }
        return stream
    }

    static func packageBlob(_ package: OperatorCatalogSet.Package) -> [String: Any] {
        let icon = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg>"#
        return [
            "schema": "olm.package",
            "name": package.name,
            "defaultChannel": package.defaultChannel,
            "description": "\(ClusterServiceVersionFile.displayName(package: package.name)), from the Ferry lab.",
            "icon": ["base64data": Data(icon.utf8).base64EncodedString(), "mediatype": "image/svg+xml"],
        ]
    }

    static func channelBlob(_ channel: OperatorChannel, package: String) -> [String: Any] {
        [
            "schema": "olm.channel",
            "package": package,
            "name": channel.name,
            "entries": channel.entries.map { entry -> [String: Any] in
                var item: [String: Any] = ["name": entry.name]
                if let replaces = entry.replaces { item["replaces"] = replaces }
                if !entry.skips.isEmpty { item["skips"] = entry.skips }
                if let skipRange = entry.skipRange { item["skipRange"] = skipRange }
                return item
            },
        ]
    }

    static func bundleBlob(_ bundle: OperatorBundle, _ definition: OperatorCatalogSet.Bundle) -> [String: Any] {
        let resource = ClusterServiceVersionFile.OwnedResource(package: bundle.package)
        var properties: [[String: Any]] = [
            ["type": "olm.gvk", "value": ["group": ClusterServiceVersionFile.OwnedResource.group, "kind": resource.kind,
                                          "version": ClusterServiceVersionFile.OwnedResource.version]],
            ["type": "olm.package", "value": ["packageName": bundle.package, "version": bundle.version]],
        ]
        for (package, range) in definition.requiredPackages.sorted(by: { $0.key < $1.key }) {
            properties.append(["type": "olm.package.required", "value": ["packageName": package, "versionRange": range]])
        }
        let manager = bundle.relatedImages.first { $0.name == "manager" }?.image ?? ""
        properties.append(["type": "olm.csv.metadata", "value": [
            "annotations": ["capabilities": "Basic Install", "containerImage": manager],
            "description": "The \(resource.kind) operator of the Ferry lab, version \(bundle.version).",
            "displayName": ClusterServiceVersionFile.displayName(package: bundle.package),
            "keywords": [bundle.package, "ferry-lab"],
            "provider": ["name": "Ferry Lab"],
        ] as [String: Any]])
        return [
            "schema": "olm.bundle",
            "package": bundle.package,
            "name": bundle.name,
            "image": bundle.image.description,
            "properties": properties,
            "relatedImages": bundle.relatedImages.map { ["name": $0.name, "image": $0.image] },
        ]
    }

    static func deprecationsBlob(_ package: OperatorCatalogSet.Package) -> [String: Any] {
        [
            "schema": "olm.deprecations",
            "package": package.name,
            "entries": package.deprecations.map { deprecation -> [String: Any] in
                let reference: [String: Any] = switch deprecation.target {
                case .package: ["schema": "olm.package"]
                case .channel(let name): ["schema": "olm.channel", "name": name]
                case .bundle(let name): ["schema": "olm.bundle", "name": name]
                }
                return ["reference": reference, "message": deprecation.message]
            },
        ]
    }
}
