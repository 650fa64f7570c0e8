import OCI

/// `additionalImages:`, `blockedImages:` and `samples:`.
extension ConfigurationReader {
    /// An `additionalImages` entry: read, skipped, or nil having reported an error.
    enum AdditionalImageEntry {
        case image(AdditionalImage)
        case skipped(SkippedImage)
    }

    /// Wrong types and unknown keys are errors (the file's structure); a missing or unparsable
    /// `name` and an invalid `targetRepo` or `targetTag` only skip this image, with a warning at
    /// each problem, as oc-mirror's collector skips it and mirrors the rest.
    func additionalImage(_ node: YAMLNode, at path: FieldPath) -> AdditionalImageEntry? {
        // An error in the entry (an unknown key such as 'nme:') explains the rest; no skip then.
        let errorsBefore = errors.count
        guard let fields = fields(node, at: path, known: ["name", "targetRepo", "targetTag", "platforms"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "REGISTRY/PATH:TAG")'")
        else { return nil }
        let name = string(fields, "name")
        let targetRepo = string(fields, "targetRepo")
        let targetTag = string(fields, "targetTag")
        let platforms = platformFilters(fields, "platforms")
        guard errors.count == errorsBefore, !fields.isPlaceholder("name") else { return nil }

        var reasons: [String] = []
        func skip(_ key: String, _ message: String, hint: String? = nil) {
            let mark = marks[fields.path.key(key)] ?? fields.mark
            warning(fields.path.key(key), at: mark, "\(message); this image is skipped",
                    hint: hint ?? "fix the entry to mirror it; the rest of the configuration is mirrored")
            reasons.append("\(key): \(message)")
        }
        var reference: ImageReference?
        if let name, !name.isEmpty {
            reference = normalizedReference(name, at: fields.path.key("name"),
                                            mark: marks[fields.path.key("name")] ?? fields.mark) { message in skip("name", message) }
        } else if name == nil {
            reasons.append("name: required field is missing")
            warning(fields.path.key("name"), at: fields.mark, "required field is missing; this image is skipped",
                    hint: "add 'name: REGISTRY/PATH:TAG'")
        } else {
            skip("name", "must not be empty", hint: "write 'name: REGISTRY/PATH:TAG'")
        }
        if let targetRepo, let problem = DestinationName.pathProblem(targetRepo) {
            skip("targetRepo", "invalid targetRepo '\(targetRepo)': \(problem)")
        }
        if let targetTag, let problem = DestinationName.tagProblem(targetTag) {
            skip("targetTag", "invalid targetTag '\(targetTag)': \(problem)")
        }
        guard reasons.isEmpty, let name, let reference else {
            return .skipped(SkippedImage(name: name ?? "", path: path, mark: node.mark, reasons: reasons))
        }
        return .image(AdditionalImage(name: name, reference: reference, targetRepo: targetRepo, targetTag: targetTag,
                                      platforms: platforms, mark: node.mark))
    }

    /// A blocked image's `name` must compile as an RE2 regular expression (oc-mirror's syntax);
    /// what RE2 refuses (backreferences, lookaround, possessive quantifiers) is an error here too,
    /// at the value's FILE:LINE:COLUMN, naming the construct and its character in the pattern.
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
                       "invalid regular expression '\(pattern)': \(error.message)", hint: error.hint)
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
