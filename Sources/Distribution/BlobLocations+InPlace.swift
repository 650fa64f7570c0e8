import OCI
import Synchronization

extension BlobLocations {
    /// The blobs of images a destination registry holds already, as locations in their
    /// repositories: a manifest the registry accepted proves that its repository holds every blob
    /// it names. Each image (`repository@digest`) is read from the destination, with the index
    /// children the repository has; one that cannot be read adds nothing (the caller then errs
    /// toward an upload, never a mount that is not there).
    ///
    /// The dry-run (`PlanResolver`) and the real run (`Copier`) both use it for the images of the
    /// plan found in place, so that a blob a mirror got from `ferry copy` or an interrupted run
    /// is mounted, not uploaded again, and both count it the same way.
    public static func held(by images: [ImageReference], destinations: RegistryClientPool,
                            parallelism: Int = 8) async -> BlobLocations {
        let found = Mutex(BlobLocations())
        var seen = Set<String>()
        var level = images.filter { $0.digest != nil && seen.insert($0.description).inserted }
        while !level.isEmpty {
            let next = Mutex<[ImageReference]>([])
            try? await forEachConcurrently(level, limit: parallelism) { reference in
                guard let document = try? await destinations.client(for: reference.repository.registry).fetchManifest(reference) else {
                    return
                }
                found.withLock { locations in
                    for blob in document.blobs where !blob.mediaType.isNonDistributable {
                        locations.add(blob.digest, registry: reference.repository.registry, repository: reference.repository.path)
                    }
                }
                let children = document.children.map { ImageReference(repository: reference.repository, tag: nil, digest: $0.digest) }
                next.withLock { $0 += children }
            }
            level = next.withLock { $0 }.filter { seen.insert($0.description).inserted }
        }
        return found.withLock { $0 }
    }
}
