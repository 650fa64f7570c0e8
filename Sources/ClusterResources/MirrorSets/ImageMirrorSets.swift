/// The generated IDMS and ITMS objects, and their files.
public struct ImageMirrorSets: Hashable, Sendable {
    /// The ImageDigestMirrorSet objects, in category order; empty when no image needs one.
    public var digestSets: [ImageMirrorSet]
    /// The ImageTagMirrorSet objects, in category order; empty when no image needs one.
    public var tagSets: [ImageMirrorSet]

    /// Wraps objects already built.
    public init(digestSets: [ImageMirrorSet], tagSets: [ImageMirrorSet]) {
        self.digestSets = digestSets
        self.tagSets = tagSets
    }

    /// Reads the objects back from the text of `idms-oc-mirror.yaml` and `itms-oc-mirror.yaml`
    /// (nil for a file that was not written).
    /// - Throws: `.yaml` or `.invalidDocument` for text that does not read back as mirror sets,
    ///   including an ITMS in the IDMS file and the reverse.
    public init(idmsYAML: String?, itmsYAML: String?) throws(ClusterResourcesError) {
        self.digestSets = try Self.objects(idmsYAML, kind: .digest)
        self.tagSets = try Self.objects(itmsYAML, kind: .tag)
    }

    /// The objects of `kind`.
    public func sets(_ kind: MirrorSetKind) -> [ImageMirrorSet] {
        kind == .digest ? digestSets : tagSets
    }

    /// What a node makes of all these objects together.
    public var rules: MirrorRules { MirrorRules(digestSets + tagSets) }

    /// The file for `kind`: every object as its own document, each preceded by `---`; nil when
    /// there is no object of that kind (then no file is written).
    /// - Throws: `.yaml` if libyaml refuses to write (not expected for valid strings).
    public func file(_ kind: MirrorSetKind) throws(ClusterResourcesError) -> ClusterResourceFile? {
        let objects = sets(kind)
        guard !objects.isEmpty else { return nil }
        return ClusterResourceFile(name: kind.fileName, contents: try YAMLWriter.write(objects.map(\.yamlNode)))
    }

    /// The files to write: `idms-oc-mirror.yaml` and/or `itms-oc-mirror.yaml`, those that have
    /// objects.
    public func files() throws(ClusterResourcesError) -> [ClusterResourceFile] {
        var files: [ClusterResourceFile] = []
        for kind in MirrorSetKind.allCases {
            if let file = try file(kind) { files.append(file) }
        }
        return files
    }

    private static func objects(_ text: String?, kind: MirrorSetKind) throws(ClusterResourcesError) -> [ImageMirrorSet] {
        guard let text else { return [] }
        let objects = try ImageMirrorSet.objects(inYAML: text)
        if let stray = objects.first(where: { $0.kind != kind }) {
            throw ClusterResourcesError(.invalidDocument, "\(kind.fileName): \(stray.name) is an \(stray.kind.kindName), expected only \(kind.kindName) objects")
        }
        return objects
    }
}
