/// The `operators:` section.
extension ConfigurationReader {
    func operatorCatalog(_ node: YAMLNode, at path: FieldPath) -> OperatorCatalog? {
        let known = ["catalog", "targetCatalog", "targetTag", "full", "packages", "skipDependencies",
                     "targetCatalogSourceTemplate", "platforms"]
        let retired = [
            "headsOnly": "oc-mirror v1's headsOnly is gone; v2 mirrors channel heads unless full: true",
            "targetName": "oc-mirror v1's targetName is gone; use targetCatalog",
        ]
        guard let fields = fields(node, at: path, known: known, retired: retired,
                                  scalarHint: "write '- catalog: \(node.scalar?.value ?? "REGISTRY/PATH:TAG")'")
        else { return nil }
        let catalog = requiredString(fields, "catalog")
        // A broken catalog gets a placeholder location, so the validator still checks the
        // packages below it; the load fails on the error already reported.
        let location = catalog.flatMap { catalogLocation($0, fields: fields) } ?? .placeholder
        let targetCatalog = repositoryPath(fields, "targetCatalog")
        let targetTag = tag(fields, "targetTag")
        let full = bool(fields, "full")
        let packages = list(fields, "packages", hint: "write one '- name: PACKAGE' entry per package") { node, path in
            operatorPackage(node, at: path)
        }
        let skipDependencies = bool(fields, "skipDependencies")
        let template = string(fields, "targetCatalogSourceTemplate")
        let platforms = platformFilters(fields, "platforms")
        return OperatorCatalog(catalog: catalog ?? "", location: location, targetCatalog: targetCatalog, targetTag: targetTag,
                               full: full, packages: packages, skipDependencies: skipDependencies,
                               targetCatalogSourceTemplate: template, platforms: platforms, mark: node.mark)
    }

    /// `oci://PATH` / `oci:PATH` is a local layout (oc-mirror tests the `oci:` prefix);
    /// anything else must be an image reference with a tag or digest.
    private func catalogLocation(_ text: String, fields: Fields) -> CatalogLocation? {
        let path = fields.path.key("catalog")
        let mark = marks[path] ?? fields.mark
        if text.hasPrefix("oci:") {
            let layout = text.hasPrefix("oci://") ? text.dropFirst("oci://".count) : text.dropFirst("oci:".count)
            guard !layout.isEmpty else {
                error(path, at: mark, "no path after '\(text)'; expected oci:///absolute/path/to/layout")
                return nil
            }
            return .ociLayout(path: String(layout))
        }
        return imageReference(text, at: path, mark: mark).map(CatalogLocation.registry)
    }

    private func operatorPackage(_ node: YAMLNode, at path: FieldPath) -> OperatorPackage? {
        let retired = [
            "bundles": "oc-mirror v2 selects no single bundles; use minVersion and maxVersion",
            "minBundle": "oc-mirror v2 has no minBundle; use minVersion",
        ]
        guard let fields = fields(node, at: path, known: ["name", "channels", "defaultChannel", "minVersion", "maxVersion"],
                                  retired: retired,
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "PACKAGE")'")
        else { return nil }
        let name = requiredString(fields, "name")
        let channels = list(fields, "channels", hint: "write one '- name: CHANNEL' entry per channel") { node, path in
            packageChannel(node, at: path)
        }
        let defaultChannel = string(fields, "defaultChannel")
        let minVersion = versionBound(fields, "minVersion")
        let maxVersion = versionBound(fields, "maxVersion")
        // A missing name is reported; "" keeps the entry for the validator and is never returned.
        return OperatorPackage(name: name ?? "", channels: channels, defaultChannel: defaultChannel,
                               minVersion: minVersion, maxVersion: maxVersion, mark: node.mark)
    }

    private func packageChannel(_ node: YAMLNode, at path: FieldPath) -> PackageChannel? {
        guard let fields = fields(node, at: path, known: ["name", "minVersion", "maxVersion"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "CHANNEL")'")
        else { return nil }
        let name = requiredString(fields, "name")
        let minVersion = versionBound(fields, "minVersion")
        let maxVersion = versionBound(fields, "maxVersion")
        return PackageChannel(name: name ?? "", minVersion: minVersion, maxVersion: maxVersion, mark: node.mark)
    }

    /// A `minVersion`/`maxVersion` of a package or channel, with how many numbers were written
    /// (`3.12` as a maximum covers every `3.12.x`); nil when absent or reported.
    private func versionBound(_ fields: Fields, _ key: String) -> VersionBound? {
        guard let text = string(fields, key), let value = node(fields, key) else { return nil }
        do {
            return try VersionBound(parsing: text)
        } catch {
            self.error(fields.path.key(key), at: value.mark, error.description)
            return nil
        }
    }

    // MARK: Destination names

    /// A repository path without registry, tag or digest (`targetCatalog`, `targetRepo`):
    /// components `[a-z0-9]+((?:[._]|__|[-]*)[a-z0-9]+)*` joined by "/" (oc-mirror `IsValidPathComponent`).
    func repositoryPath(_ fields: Fields, _ key: String) -> String? {
        guard let text = string(fields, key), let value = node(fields, key) else { return nil }
        if let problem = DestinationName.pathProblem(text) {
            error(fields.path.key(key), at: value.mark, "invalid \(key) '\(text)': \(problem)")
            return nil
        }
        return text
    }

    /// A tag (`targetTag`): `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    func tag(_ fields: Fields, _ key: String) -> String? {
        guard let text = string(fields, key), let value = node(fields, key) else { return nil }
        if let problem = DestinationName.tagProblem(text) {
            error(fields.path.key(key), at: value.mark, "invalid \(key) '\(text)': \(problem)")
            return nil
        }
        return text
    }
}
