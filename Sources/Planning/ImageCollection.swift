import OCI

/// Collected images after `blockedImages` and duplicate removal: what the run mirrors.
///
/// Unlike oc-mirror, which drops only adjacent duplicates (spec §10.2 #2), every repeated
/// source→destination pair is dropped wherever it occurs; the first keeps its place.
public struct ImageCollection: Sendable {
    public struct Blocked: Sendable, Hashable {
        public var image: CollectedImage
        public var pattern: String
    }

    /// Two different sources named to land on the same destination tag.
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        public var destination: ImageReference
        public var kept: CollectedImage
        public var dropped: CollectedImage

        public var description: String {
            "\(dropped.source) and \(kept.source) both map to \(destination); keeping \(kept.source)"
                + (dropped.requestedAt.map { " (dropped entry at \($0))" } ?? "")
        }
    }

    public private(set) var images: [CollectedImage] = []
    public private(set) var blocked: [Blocked] = []
    public private(set) var duplicatesDropped = 0
    public private(set) var conflicts: [Conflict] = []

    public init(_ candidates: [CollectedImage], blocked blockList: BlockedImages) {
        let isBlocked = blockList.matcher()
        var byDestination: [ImageReference: Int] = [:]
        for candidate in candidates {
            if let pattern = isBlocked(candidate) {
                blocked.append(Blocked(image: candidate, pattern: pattern.text))
                continue
            }
            if let index = byDestination[candidate.destination] {
                let kept = images[index]
                if kept.source == candidate.source {
                    duplicatesDropped += 1
                    images[index].platforms = Self.union(kept.platforms, candidate.platforms)
                } else {
                    conflicts.append(Conflict(destination: candidate.destination, kept: kept, dropped: candidate))
                }
                continue
            }
            byDestination[candidate.destination] = images.count
            images.append(candidate)
        }
    }

    /// Two platform filters of the same image merge (oc-mirror does the same); nil means all.
    private static func union(_ a: [Platform]?, _ b: [Platform]?) -> [Platform]? {
        guard let a, let b else { return nil }
        var merged = a
        for platform in b where !merged.contains(platform) { merged.append(platform) }
        return merged
    }
}
