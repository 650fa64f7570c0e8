/// The object as YAML, both ways.
extension ImageMirrorSet {
    /// The object as a YAML tree (keys sort themselves when written).
    public var yamlNode: YAMLNode {
        var metadata: [String: YAMLNode] = ["name": .string(name)]
        if !annotations.isEmpty {
            metadata["annotations"] = .mapping(annotations.mapValues { .string($0) })
        }
        let rules = rules.map { rule -> YAMLNode in
            .mapping([
                "mirrors": .sequence(rule.mirrors.map { .string($0.description) }),
                "source": .string(rule.source.description),
            ])
        }
        return .mapping([
            "apiVersion": .string(Self.apiVersion),
            "kind": .string(kind.kindName),
            "metadata": .mapping(metadata),
            "spec": .mapping([kind.rulesKey: .sequence(rules)]),
        ])
    }

    /// Reads an object back from a YAML tree, strictly: an unknown key anywhere is an error, so a
    /// file that says more (or other) than we meant does not read back equal.
    /// - Throws: `.invalidDocument` naming the key path at fault.
    public init(yaml node: YAMLNode) throws(ClusterResourcesError) {
        let root = try DocumentReader(node, path: "")
        try root.allowOnly(["apiVersion", "kind", "metadata", "spec"])
        let apiVersion = try root.string("apiVersion")
        guard apiVersion == Self.apiVersion else {
            throw root.failure("apiVersion", "is \"\(apiVersion)\", expected \"\(Self.apiVersion)\"")
        }
        let kindName = try root.string("kind")
        guard let kind = MirrorSetKind.allCases.first(where: { $0.kindName == kindName }) else {
            throw root.failure("kind", "is \"\(kindName)\", expected ImageDigestMirrorSet or ImageTagMirrorSet")
        }

        let metadata = try root.mapping("metadata")
        try metadata.allowOnly(["name", "annotations"])
        var annotations: [String: String] = [:]
        if let reader = try metadata.optionalMapping("annotations") {
            for key in reader.keys { annotations[key] = try reader.string(key) }
        }

        let spec = try root.mapping("spec")
        try spec.allowOnly([kind.rulesKey])
        var rules: [ImageMirrorRule] = []
        for rule in try spec.sequenceOfMappings(kind.rulesKey) {
            try rule.allowOnly(["source", "mirrors"])
            let source = try rule.scope("source")
            let mirrors = try rule.strings("mirrors").map { (text) throws(ClusterResourcesError) in
                try rule.parseScope(text, key: "mirrors")
            }
            rules.append(ImageMirrorRule(source: source, mirrors: mirrors))
        }
        self.init(kind: kind, name: try metadata.string("name"), annotations: annotations, rules: rules)
    }

    /// Every object in a multi-document file such as `idms-oc-mirror.yaml`; empty documents are
    /// skipped.
    /// - Throws: `.yaml` for text libyaml cannot read, `.invalidDocument` for a document that is
    ///   not a mirror set (the message names the document by position).
    public static func objects(inYAML text: String) throws(ClusterResourcesError) -> [ImageMirrorSet] {
        var objects: [ImageMirrorSet] = []
        for (index, document) in try YAMLReader.documents(text).enumerated() where document != .null {
            do throws(ClusterResourcesError) {
                objects.append(try ImageMirrorSet(yaml: document))
            } catch {
                throw ClusterResourcesError(error.kind, "document \(index + 1): \(error.message)")
            }
        }
        return objects
    }
}

/// Typed access to one mapping of a document, with errors that name the key path.
private struct DocumentReader {
    let entries: [String: YAMLNode]
    let path: String

    init(_ node: YAMLNode, path: String) throws(ClusterResourcesError) {
        guard let entries = node.mappingValue else {
            throw ClusterResourcesError(.invalidDocument, "\(path.isEmpty ? "the document" : path) is \(node.typeName), expected a mapping")
        }
        self.entries = entries
        self.path = path
    }

    var keys: [String] { entries.keys.sorted() }

    func allowOnly(_ allowed: Set<String>) throws(ClusterResourcesError) {
        if let unknown = entries.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw failure(unknown, "is not a known field (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(ClusterResourcesError) -> String {
        let node = try required(key)
        guard let text = node.stringValue else { throw failure(key, "is \(node.typeName), expected a string") }
        return text
    }

    func mapping(_ key: String) throws(ClusterResourcesError) -> DocumentReader {
        try DocumentReader(try required(key), path: qualified(key))
    }

    func optionalMapping(_ key: String) throws(ClusterResourcesError) -> DocumentReader? {
        guard let node = entries[key] else { return nil }
        return try DocumentReader(node, path: qualified(key))
    }

    func sequenceOfMappings(_ key: String) throws(ClusterResourcesError) -> [DocumentReader] {
        let node = try required(key)
        guard let items = node.sequenceValue else { throw failure(key, "is \(node.typeName), expected a sequence") }
        var readers: [DocumentReader] = []
        for (index, item) in items.enumerated() {
            readers.append(try DocumentReader(item, path: "\(qualified(key))[\(index)]"))
        }
        return readers
    }

    func strings(_ key: String) throws(ClusterResourcesError) -> [String] {
        let node = try required(key)
        guard let items = node.sequenceValue else { throw failure(key, "is \(node.typeName), expected a sequence") }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else { throw failure("\(key)[\(index)]", "is \(item.typeName), expected a string") }
            texts.append(text)
        }
        return texts
    }

    func scope(_ key: String) throws(ClusterResourcesError) -> ImageScope {
        try parseScope(try string(key), key: key)
    }

    func parseScope(_ text: String, key: String) throws(ClusterResourcesError) -> ImageScope {
        do throws(ClusterResourcesError) {
            return try ImageScope(parsing: text)
        } catch {
            throw failure(key, error.message)
        }
    }

    func failure(_ key: String, _ problem: String) -> ClusterResourcesError {
        ClusterResourcesError(.invalidDocument, "\(qualified(key)) \(problem)")
    }

    private func required(_ key: String) throws(ClusterResourcesError) -> YAMLNode {
        guard let node = entries[key] else { throw failure(key, "is missing") }
        return node
    }

    private func qualified(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
