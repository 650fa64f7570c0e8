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

    /// Parses an image reference (optional `docker://`, tag or digest required), reporting the
    /// reason as an error when it does not parse. A name without a registry host is read as
    /// containers/image reads it, with a warning (see ``normalizedReference(_:at:mark:failure:)``).
    func imageReference(_ text: String, at path: FieldPath, mark: SourceMark) -> ImageReference? {
        normalizedReference(text, at: path, mark: mark) { message in self.error(path, at: mark, message) }
    }

    /// Parses an image reference; `nginx:1.25` and `library/nginx:1.25` are Docker Hub's
    /// (`docker.io/library/nginx:1.25`), as containers/image — which oc-mirror copies with — reads
    /// them; a warning says what the name is read as. `failure` gets the reason it does not parse.
    func normalizedReference(_ text: String, at path: FieldPath, mark: SourceMark,
                             failure: (String) -> Void) -> ImageReference? {
        let reference: ImageReference
        do {
            let parsed = try ImageReference.parse(normalizing: text)
            reference = parsed.reference
            guard parsed.wasNormalized else { return reference }
        } catch {
            failure(error.message)
            return nil
        }
        let written = (text.hasPrefix("docker://") ? String(text.dropFirst("docker://".count)) : text).lowercased()
        let why = if written.hasPrefix("index.docker.io/") {
            "index.docker.io is Docker Hub's old name"
        } else if written.hasPrefix("docker.io/") {
            "Docker Hub keeps its official images under library/"
        } else {
            "it names no registry host, so it is Docker Hub's, as containers/image (oc-mirror's copy library) reads it"
        }
        warning(path, at: mark, "'\(text)' is read as '\(reference)': \(why)",
                hint: "write '\(reference)' to say so")
        return reference
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
