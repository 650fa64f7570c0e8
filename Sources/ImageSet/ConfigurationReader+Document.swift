/// The top of the document: `kind`, `apiVersion`, `archiveSize`, and `mirror:` or `delete:`.
extension ConfigurationReader {
    /// The `apiVersion`s oc-mirror documents; others load with a warning (oc-mirror checks only `kind`).
    static let knownAPIVersions = ["mirror.openshift.io/v2alpha1", "mirror.openshift.io/v1alpha2"]

    static let retiredTopLevelKeys = [
        "storageConfig": "oc-mirror v1's storageConfig is gone; v2 keeps its state in the working directory, so remove it",
    ]

    func imageSetConfiguration(_ root: YAMLNode?) -> ImageSetConfiguration? {
        guard let fields = document(root, kind: ImageSetConfiguration.kind, otherKind: DeleteImageSetConfiguration.kind,
                                    section: "mirror", forbiddenSection: "delete",
                                    known: ["kind", "apiVersion", "archiveSize", "mirror"])
        else { return nil }
        let apiVersion = self.apiVersion(fields)
        let archiveSize = integer(fields, "archiveSize")
        if let archiveSize, archiveSize < 0, let value = node(fields, "archiveSize") {
            error(fields.path.key("archiveSize"), at: value.mark, "must not be negative (it is a size in GiB; 0 means the default, 500)")
        }
        let mirror = content(fields, "mirror", allowsBlockedImages: true)
        return mirror.map { ImageSetConfiguration(apiVersion: apiVersion, archiveSize: archiveSize, mirror: $0) }
    }

    func deleteImageSetConfiguration(_ root: YAMLNode?) -> DeleteImageSetConfiguration? {
        guard let fields = document(root, kind: DeleteImageSetConfiguration.kind, otherKind: ImageSetConfiguration.kind,
                                    section: "delete", forbiddenSection: "mirror",
                                    known: ["kind", "apiVersion", "delete"])
        else { return nil }
        let apiVersion = self.apiVersion(fields)
        let delete = content(fields, "delete", allowsBlockedImages: false)
        return delete.map { DeleteImageSetConfiguration(apiVersion: apiVersion, delete: $0) }
    }

    /// Checks the root and its `kind`, and that `section` is there and `forbiddenSection` is not.
    /// - Returns: the top-level fields, or nil when the body should not be read: no mapping at
    ///   the root, or the kind of the other configuration (whose body would only add noise).
    private func document(_ root: YAMLNode?, kind: String, otherKind: String, section: String, forbiddenSection: String,
                          known: [String]) -> Fields? {
        // A document of nothing but comments or '---' is a null scalar: empty too.
        guard let root, !(root.isNull && root.scalar?.value.isEmpty == true) else {
            error(.root, at: SourceMark(file: file, line: 1, column: 1),
                  "empty document; an image set configuration starts with 'kind: \(kind)'",
                  hint: laterDocuments.first.map {
                      "only the first YAML document is read (as oc-mirror reads it), and it is empty; "
                          + "remove the empty document before line \($0.line)"
                  })
            return nil
        }
        guard case .mapping = root.content else {
            error(.root, at: root.mark, "expected a mapping with 'kind: \(kind)' at the top, got \(root.kindDescription)")
            return nil
        }
        // The forbidden section gets its own message rather than "unknown field".
        var allowed = known
        allowed.append(forbiddenSection)
        // oc-mirror looks these three up in a map before decoding, so only this spelling counts.
        guard let fields = fields(root, at: .root, known: allowed, retired: Self.retiredTopLevelKeys,
                                  exactCase: ["kind", section, forbiddenSection]) else { return nil }

        if let written = requiredString(fields, "kind", hint: "add 'kind: \(kind)' at the top"),
           let kindMark = marks["kind"] {
            if written == otherKind {
                error("kind", at: kindMark, "expected '\(kind)', got '\(written)'",
                      hint: kind == ImageSetConfiguration.kind
                          ? "a DeleteImageSetConfiguration describes what to delete, and Ferry has no delete command yet "
                            + "(oc-mirror's is `oc-mirror delete --v2`); give Ferry an ImageSetConfiguration to mirror"
                          : "an ImageSetConfiguration describes what to mirror; a delete needs a DeleteImageSetConfiguration")
                return nil
            }
            if written != kind {
                error("kind", at: kindMark, "expected '\(kind)', got '\(written)'" + Suggestion.phrase(for: written, among: [kind]))
            }
        }
        return checkSections(fields, section: section, forbiddenSection: forbiddenSection, kind: kind)
    }

    private func checkSections(_ fields: Fields, section: String, forbiddenSection: String, kind: String) -> Fields {
        if !fields.contains(section) {
            missing(fields, section, hint: "\(article(kind)) \(kind) lists its content under '\(section):'")
        }
        if let keyMark = fields.keyMarks[forbiddenSection] {
            error(FieldPath(forbiddenSection), at: keyMark, "not allowed in \(article(kind)) \(kind)",
                  hint: forbiddenSection == "delete"
                      ? "deletions are described by a DeleteImageSetConfiguration, in a file of their own"
                      : "a DeleteImageSetConfiguration lists what to delete under 'delete:'")
        }
        return fields
    }

    private func article(_ kind: String) -> String {
        kind.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
    }

    private func apiVersion(_ fields: Fields) -> String? {
        guard let text = string(fields, "apiVersion") else { return nil }
        if !Self.knownAPIVersions.contains(text), let value = node(fields, "apiVersion") {
            warning("apiVersion", at: value.mark, "unknown apiVersion '\(text)'; reading the file as mirror.openshift.io/v2alpha1"
                    + Suggestion.phrase(for: text, among: Self.knownAPIVersions))
        }
        return text
    }

    /// The body of `mirror:` or `delete:`; nil only when it is not a mapping.
    private func content(_ fields: Fields, _ key: String, allowsBlockedImages: Bool) -> ImageSetContent? {
        guard fields.contains(key) else { return nil }
        let path = fields.path.key(key)
        let node = node(fields, key) ?? YAMLNode(.scalar(YAMLScalar("")), mark: fields.mark)
        var known = ["platform", "operators", "additionalImages", "helm", "samples"]
        if allowsBlockedImages { known.append("blockedImages") }
        let retired = allowsBlockedImages ? [:] : [
            "blockedImages": "a DeleteImageSetConfiguration has no blockedImages; leave the images out instead",
        ]
        guard let body = self.fields(node, at: path, known: known, retired: retired) else { return nil }

        let platform = self.node(body, "platform")
            .flatMap { self.fields($0, at: path.key("platform"),
                                   known: ["graph", "channels", "architectures", "platforms", "release", "kubeVirtContainer"]) }
            .map(releaseSelection) ?? ReleaseSelection()
        let operators = list(body, "operators", hint: "write '- catalog: REGISTRY/PATH:TAG'") { node, path in
            operatorCatalog(node, at: path)
        }
        let additionalEntries = list(body, "additionalImages", hint: "write '- name: REGISTRY/PATH:TAG'") { node, path in
            additionalImage(node, at: path)
        }
        let additionalImages = additionalEntries.compactMap { if case .image(let image) = $0 { image } else { nil } }
        let skippedImages = additionalEntries.compactMap { if case .skipped(let skipped) = $0 { skipped } else { nil } }
        let blockedImages = list(body, "blockedImages", hint: "write '- name: PATTERN'") { node, path in
            blockedImage(node, at: path)
        }
        let helm = self.node(body, "helm")
            .flatMap { self.fields($0, at: path.key("helm"), known: ["repositories", "local"]) }
            .map(helmContent) ?? HelmContent()
        let samples = list(body, "samples") { node, path in sampleImage(node, at: path) }

        let content = ImageSetContent(platform: platform, operators: operators, additionalImages: additionalImages,
                                      blockedImages: blockedImages, helm: helm, samples: samples, skippedImages: skippedImages)
        if content.isEmpty, errors.isEmpty {
            warning(path, at: node.mark, "selects nothing: no platform channels or release, operators, images or charts"
                    + (skippedImages.isEmpty ? "" : " (\(skippedImages.count) additional image(s) skipped)"))
        }
        return content
    }
}
