/// The two kinds of mirror set a cluster reads (config.openshift.io/v1).
public enum MirrorSetKind: String, CaseIterable, Hashable, Sendable {
    /// ImageDigestMirrorSet: rules for images pulled by digest.
    case digest
    /// ImageTagMirrorSet: rules for images pulled by tag.
    case tag

    /// The object's `kind`.
    public var kindName: String {
        switch self {
        case .digest: "ImageDigestMirrorSet"
        case .tag: "ImageTagMirrorSet"
        }
    }

    /// The key of the rule list under `spec`.
    public var rulesKey: String {
        switch self {
        case .digest: "imageDigestMirrors"
        case .tag: "imageTagMirrors"
        }
    }

    /// The object name prefix, `idms` or `itms`.
    public var namePrefix: String {
        switch self {
        case .digest: "idms"
        case .tag: "itms"
        }
    }

    /// The file oc-mirror writes these objects to: `idms-oc-mirror.yaml`, `itms-oc-mirror.yaml`.
    public var fileName: String { "\(namePrefix)-oc-mirror.yaml" }
}

/// One rule: pulls of anything in `source` may be served from each of `mirrors`, tried in order.
public struct ImageMirrorRule: Hashable, Sendable {
    /// The registry, namespace or repository the rule applies to.
    public var source: ImageScope
    /// Where to look instead; the part of a repository below `source` is appended.
    public var mirrors: [ImageScope]

    /// Creates a rule.
    public init(source: ImageScope, mirrors: [ImageScope]) {
        self.source = source
        self.mirrors = mirrors
    }
}

/// An ImageDigestMirrorSet or ImageTagMirrorSet object.
///
/// Source: openshift/api `config/v1` `types_image_digest_mirrors.go`, `types_image_tag_mirrors.go`
/// (only the fields Ferry writes: no `mirrorSourcePolicy`).
public struct ImageMirrorSet: Hashable, Sendable {
    /// `config.openshift.io/v1`.
    public static let apiVersion = "config.openshift.io/v1"

    /// Digest or tag set.
    public var kind: MirrorSetKind
    /// `metadata.name`, such as `idms-release-0`.
    public var name: String
    /// `metadata.annotations`; omitted from the YAML when empty.
    public var annotations: [String: String]
    /// `spec.imageDigestMirrors` / `spec.imageTagMirrors`.
    public var rules: [ImageMirrorRule]

    /// Creates an object.
    public init(kind: MirrorSetKind, name: String, annotations: [String: String] = [:], rules: [ImageMirrorRule]) {
        self.kind = kind
        self.name = name
        self.annotations = annotations
        self.rules = rules
    }
}
