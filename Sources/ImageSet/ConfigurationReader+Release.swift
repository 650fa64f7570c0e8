import OCI

/// The `platform:` section and the `platforms:` filters used throughout.
extension ConfigurationReader {
    func releaseSelection(_ fields: Fields) -> ReleaseSelection {
        ReleaseSelection(
            graph: bool(fields, "graph"),
            channels: list(fields, "channels", hint: "write one '- name: CHANNEL' entry per channel") { node, path in
                releaseChannel(node, at: path)
            },
            architectures: list(fields, "architectures", hint: "write a list: [amd64]") { node, path in
                architecture(node, at: path)
            },
            platforms: platformFilters(fields, "platforms"),
            release: releaseImage(fields),
            kubeVirtContainer: bool(fields, "kubeVirtContainer")
        )
    }

    private func releaseChannel(_ node: YAMLNode, at path: FieldPath) -> ReleaseChannel? {
        guard let fields = fields(node, at: path,
                                  known: ["name", "type", "minVersion", "maxVersion", "shortestPath", "full"],
                                  scalarHint: "write '- name: \(node.scalar?.value ?? "stable-4.18")'")
        else { return nil }
        // A missing name or bad type is reported; the entry stays for the validator.
        return ReleaseChannel(
            name: requiredString(fields, "name") ?? "",
            type: channelProduct(fields) ?? .ocp,
            minVersion: version(fields, "minVersion"),
            maxVersion: version(fields, "maxVersion"),
            shortestPath: bool(fields, "shortestPath"),
            full: bool(fields, "full"),
            mark: node.mark
        )
    }

    /// `type`: ocp or okd. oc-mirror maps any other text to ocp; here it is an error.
    private func channelProduct(_ fields: Fields) -> ReleaseChannel.Product? {
        guard let text = string(fields, "type"), let value = node(fields, "type") else { return .ocp }
        if let product = ReleaseChannel.Product(rawValue: text) { return product }
        let names = ReleaseChannel.Product.allCases.map(\.rawValue)
        error(fields.path.key("type"), at: value.mark,
              "unknown channel type '\(text)' (expected ocp or okd)" + Suggestion.phrase(for: text, among: names),
              hint: "oc-mirror silently reads an unknown type as ocp")
        return nil
    }

    private func architecture(_ node: YAMLNode, at path: FieldPath) -> ReleaseArchitecture? {
        guard let scalar = node.scalar, !node.isNull else {
            error(path, at: node.mark, "expected an architecture name, got \(node.kindDescription)")
            return nil
        }
        if let architecture = ReleaseArchitecture(rawValue: scalar.value) { return architecture }
        // Names from uname and RPM, which releases do not use.
        let aliases = ["x86_64": "amd64", "aarch64": "arm64", "ppc64": "ppc64le", "s390": "s390x"]
        let names = ReleaseArchitecture.allCases.map(\.rawValue)
        let suggestion = aliases[scalar.value].map { "; did you mean '\($0)'?" }
            ?? Suggestion.phrase(for: scalar.value, among: names)
        error(path, at: node.mark,
              "unknown architecture '\(scalar.value)' (expected amd64, arm64, ppc64le, s390x or multi)" + suggestion)
        return nil
    }

    private func releaseImage(_ fields: Fields) -> ReleaseImage? {
        guard let text = string(fields, "release"), let value = node(fields, "release") else { return nil }
        guard let reference = imageReference(text, at: fields.path.key("release"), mark: value.mark) else { return nil }
        return ReleaseImage(text: text, reference: reference, mark: value.mark)
    }

    /// Parses an image reference as oc-mirror's `ParseRef` (optional `docker://`, tag or digest
    /// required), reporting the reason when it does not parse.
    func imageReference(_ text: String, at path: FieldPath, mark: SourceMark) -> ImageReference? {
        do {
            return try ImageReference(parsing: text)
        } catch {
            self.error(path, at: mark, error.message)
            return nil
        }
    }

    /// A `platforms:` list of `{os, architecture}`, both required.
    func platformFilters(_ fields: Fields, _ key: String) -> [PlatformFilter] {
        list(fields, key, hint: "write [{os: linux, architecture: amd64}]") { node, path in
            let example = node.scalar.flatMap { try? Platform(parsing: $0.value) }
                .map { "{os: \($0.os), architecture: \($0.architecture)}" } ?? "{os: linux, architecture: amd64}"
            guard let entry = self.fields(node, at: path, known: ["os", "architecture"], scalarHint: "write \(example)")
            else { return nil }
            let os = requiredString(entry, "os")
            let architecture = requiredString(entry, "architecture")
            guard let os, let architecture else { return nil }
            return PlatformFilter(os: os, architecture: architecture, mark: node.mark)
        }
    }
}
