import OCI

/// Repositories of destination registries believed to hold blobs, learned from an earlier run
/// (the workspace's run record). Used to mount a blob instead of uploading it again; a hint is
/// never trusted as proof: a mount the registry refuses falls back to an upload.
public struct BlobLocations: Sendable {
    private var repositories: [String: [Digest: [String]]] = [:]

    public init() {}

    public mutating func add(_ digest: Digest, registry: String, repository: String) {
        var known = repositories[registry, default: [:]][digest, default: []]
        guard !known.contains(repository) else { return }
        known.append(repository)
        repositories[registry, default: [:]][digest] = known
    }

    /// Repositories of `registry` believed to hold `digest`, other than `excluding`.
    public func repositories(holding digest: Digest, registry: String, excluding: String) -> [String] {
        (repositories[registry]?[digest] ?? []).filter { $0 != excluding }
    }
}
