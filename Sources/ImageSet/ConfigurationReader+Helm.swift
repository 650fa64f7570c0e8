/// The `helm:` section.
extension ConfigurationReader {
    func helmContent(_ fields: Fields) -> HelmContent {
        HelmContent(
            repositories: list(fields, "repositories") { node, path in helmRepository(node, at: path) },
            local: list(fields, "local") { node, path in helmChart(node, at: path, isLocal: true) }
        )
    }

    private func helmRepository(_ node: YAMLNode, at path: FieldPath) -> HelmRepository? {
        guard let fields = fields(node, at: path, known: ["name", "url", "charts"]) else { return nil }
        let name = requiredString(fields, "name")
        let url = requiredString(fields, "url")
        let charts = list(fields, "charts", hint: "write one '- name: CHART' entry per chart") { node, path in
            helmChart(node, at: path, isLocal: false)
        }
        guard let name, let url else { return nil }
        return HelmRepository(name: name, url: url, charts: charts, mark: node.mark)
    }

    /// A chart; a local one (`helm.local`) needs its `path`.
    private func helmChart(_ node: YAMLNode, at path: FieldPath, isLocal: Bool) -> HelmChart? {
        guard let fields = fields(node, at: path, known: ["name", "version", "path", "imagePaths", "platforms"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "CHART")'")
        else { return nil }
        let name = requiredString(fields, "name")
        let version = string(fields, "version")
        let chartPath = isLocal ? requiredString(fields, "path", hint: "a local chart is read from this directory or archive")
                                : string(fields, "path")
        let imagePaths = strings(fields, "imagePaths")
        let platforms = platformFilters(fields, "platforms")
        guard let name else { return nil }
        return HelmChart(name: name, version: version, path: chartPath, imagePaths: imagePaths,
                         platforms: platforms, mark: node.mark)
    }
}
