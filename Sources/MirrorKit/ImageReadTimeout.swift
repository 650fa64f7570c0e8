import Distribution
import Planning

/// `--image-timeout` for the images read while collecting (a catalog, a bundle, a release
/// payload): reading one, layers included, is given up after it, as the copier gives up an image.
enum ImageReadTimeout {
    /// `operation`, given up after `limit` (nil: none) with an error saying what was being read.
    static func run<T: Sendable>(_ limit: Duration?, reading what: String,
                                 _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withTimeLimit(limit, operation)
        } catch let exceeded as TimeLimitExceeded {
            throw PlanningError("reading \(what) \(exceeded)\n  hint: the registry sends it too slowly; run again, "
                + "or raise --image-timeout")
        }
    }
}
