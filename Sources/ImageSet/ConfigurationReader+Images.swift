/// `additionalImages:`, `blockedImages:` and `samples:`.
extension ConfigurationReader {
    func additionalImage(_ node: YAMLNode, at path: FieldPath) -> AdditionalImage? {
        guard let fields = fields(node, at: path, known: ["name", "targetRepo", "targetTag", "platforms"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "REGISTRY/PATH:TAG")'")
        else { return nil }
        let name = requiredString(fields, "name")
        let reference = name.flatMap { name in
            imageReference(name, at: fields.path.key("name"), mark: marks[fields.path.key("name")] ?? fields.mark)
        }
        let targetRepo = repositoryPath(fields, "targetRepo")
        let targetTag = tag(fields, "targetTag")
        let platforms = platformFilters(fields, "platforms")
        guard let name, let reference else { return nil }
        return AdditionalImage(name: name, reference: reference, targetRepo: targetRepo, targetTag: targetTag,
                               platforms: platforms, mark: node.mark)
    }

    /// A blocked image's `name` must compile as a regular expression (Swift `Regex` syntax).
    func blockedImage(_ node: YAMLNode, at path: FieldPath) -> BlockedImage? {
        guard let fields = fields(node, at: path, known: ["name"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "PATTERN")'")
        else { return nil }
        guard let pattern = requiredString(fields, "name") else { return nil }
        let entry = BlockedImage(pattern: pattern, mark: node.mark)
        do {
            _ = try entry.makeMatcher()
        } catch {
            self.error(fields.path.key("name"), at: marks[fields.path.key("name")] ?? fields.mark,
                       "invalid regular expression '\(pattern)': \(error)")
            return nil
        }
        return entry
    }

    func sampleImage(_ node: YAMLNode, at path: FieldPath) -> SampleImage? {
        guard let fields = fields(node, at: path, known: ["name"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "NAME")'")
        else { return nil }
        return requiredString(fields, "name").map { SampleImage(name: $0, mark: node.mark) }
    }
}
