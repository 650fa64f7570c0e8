extension Platform {
    /// Whether a platform filter (`platforms:` of an ImageSetConfiguration) keeps this platform:
    /// os and architecture must be equal, and the variant too when the filter names one.
    /// A nil filter keeps everything.
    public func isSelected(by filter: [Platform]?) -> Bool {
        guard let filter else { return true }
        return filter.contains { wanted in
            wanted.os == os && wanted.architecture == architecture
                && (wanted.variant == nil || wanted.variant == variant)
        }
    }
}

extension ManifestDocument {
    /// The children of an index that a platform filter keeps (every child without a filter;
    /// an image manifest has none). Nil when the filter keeps none of them, for the caller to
    /// report with its own context.
    public func children(selectedBy filter: [Platform]?) -> [Descriptor]? {
        guard let filter, !children.isEmpty else { return children }
        let kept = children.filter { $0.platform?.isSelected(by: filter) ?? false }
        return kept.isEmpty ? nil : kept
    }
}
