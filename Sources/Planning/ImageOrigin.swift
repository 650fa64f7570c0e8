/// Why an image is in the plan. The raw values are the names oc-mirror uses in its logs and
/// delete lists; the order is oc-mirror's copy priority (spec §2.3: release content first,
/// catalogs last).
public enum ImageOrigin: String, Sendable, Codable, CaseIterable, Comparable {
    case releaseContent
    case kubeVirt
    case release
    case graph
    case operatorRelatedImage
    case additional = "generic"
    case helm
    case operatorBundle
    case operatorCatalog

    public static func < (lhs: ImageOrigin, rhs: ImageOrigin) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The exit-code bit of a failure of this kind (spec §2.9: 2 release, 4 operator,
    /// 8 additional images, 16 helm).
    public var exitCodeBit: Int32 {
        switch self {
        case .releaseContent, .kubeVirt, .release, .graph: 2
        case .operatorRelatedImage, .operatorBundle, .operatorCatalog: 4
        case .additional: 8
        case .helm: 16
        }
    }

    /// How a person reads it in a report.
    public var displayName: String {
        switch self {
        case .releaseContent: "release component"
        case .kubeVirt: "KubeVirt container"
        case .release: "release payload"
        case .graph: "graph image"
        case .operatorRelatedImage: "operator related image"
        case .additional: "additional image"
        case .helm: "helm image"
        case .operatorBundle: "operator bundle"
        case .operatorCatalog: "operator catalog"
        }
    }
}
