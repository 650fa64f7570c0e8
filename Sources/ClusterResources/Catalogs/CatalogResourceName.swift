import OCI

/// The object name shared by a catalog's CatalogSource and ClusterCatalog (spec §6.2): the last
/// path component of the destination, then a suffix from its tag (first 12 characters, anything
/// outside `[a-z0-9-]` made `-`), or the first 12 hex of its digest, or `0`; e.g.
/// `redhat-operator-index-v4-18` for `…/redhat/redhat-operator-index:v4.18`.
public enum CatalogResourceName {
    public static func base(for catalog: ImageReference) -> String {
        let repository = catalog.repository.path.split(separator: "/").last.map(String.init) ?? "catalog"
        let suffix: String
        if let tag = catalog.tag {
            suffix = String(tag.prefix(12).lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
        } else if let digest = catalog.digest {
            suffix = String(digest.encoded.prefix(12))
        } else {
            suffix = "0"
        }
        var name = "\(repository)-\(suffix)".lowercased().replacingOccurrences(of: ".", with: "-")
            .replacingOccurrences(of: "_", with: "-")
        // A DNS-1035 label: at most 63 characters (with the cs-/cc- prefix), no leading or trailing "-".
        if name.count > 60 { name = String(name.prefix(60)) }
        while name.hasSuffix("-") { name.removeLast() }
        return name
    }
}
