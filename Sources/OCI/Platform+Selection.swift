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
