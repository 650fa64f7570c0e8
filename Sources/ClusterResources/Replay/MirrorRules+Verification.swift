import OCI

/// An image whose rules do not send a node to where the image landed (found without the
/// network, by ``MirrorRules/unmappedImages(_:)``).
public struct UnmappedImage: Hashable, Sendable, CustomStringConvertible {
    /// The image.
    public let image: MirroredImage
    /// The set whose rules were replayed.
    public let kind: MirrorSetKind
    /// The repositories a node would try instead, in order; empty when no rule applies.
    public let candidates: [RepositoryName]

    /// Says which source goes where instead of the destination.
    public var description: String {
        let source = image.source.repository
        let destination = image.destination.repository
        if candidates.isEmpty {
            return "\(image.source): no \(kind.kindName) rule applies to \(source), so a cluster would pull it from the source instead of \(destination)"
        }
        let tried = candidates.map(\.description).joined(separator: ", ")
        return "\(image.source): the \(kind.kindName) rules send \(source) to \(tried), not to \(destination) where it landed"
    }
}

/// An image a node would not find in the mirror: none of the references it would try exists
/// (found by ``MirrorRules/unreachableImages(_:maxConcurrentChecks:existsInMirror:)``).
public struct UnreachableImage: Hashable, Sendable, CustomStringConvertible {
    /// The image.
    public let image: MirroredImage
    /// The references a node would try, in order; empty when no rule applies.
    public let candidates: [ImageReference]
    /// Candidates whose check failed rather than answered, as `reference: error`.
    public let checkFailures: [String]

    /// Names the source, the candidates and where the image landed.
    public var description: String {
        var text: String
        if candidates.isEmpty {
            let kind: MirrorSetKind = image.source.digest != nil ? .digest : .tag
            text = "\(image.source): no \(kind.kindName) rule applies, so a cluster would pull it from the source"
        } else {
            let tried = candidates.map(\.description).joined(separator: ", ")
            text = "\(image.source): a cluster would try \(tried), and none of them is in the mirror"
        }
        text += " (it landed at \(image.destination))"
        if !checkFailures.isEmpty {
            text += "; checks that failed: \(checkFailures.joined(separator: "; "))"
        }
        return text
    }
}

extension MirrorRules {
    /// Every image, and every set it belongs in (``ImageMirrorSetGenerator/kinds(for:)``), for
    /// which a node would not try the repository it landed in. Pure: compares repositories only.
    /// - Returns: the problems, in the order of `images`; empty when every image maps.
    public func unmappedImages(_ images: [MirroredImage]) -> [UnmappedImage] {
        var problems: [UnmappedImage] = []
        for image in images {
            for kind in ImageMirrorSetGenerator.kinds(for: image) {
                let candidates = mirrorRepositories(for: image.source.repository, kind: kind)
                if !candidates.contains(image.destination.repository) {
                    problems.append(UnmappedImage(image: image, kind: kind, candidates: candidates))
                }
            }
        }
        return problems
    }

    /// Every image whose source, resolved as a node would (``mirrors(for:)``), gives no reference
    /// that exists in the mirror.
    ///
    /// The existence check is the caller's (typically a manifest HEAD in the mirror registry,
    /// by digest when the reference has one). Candidates of one image are tried in order until
    /// one exists; images are checked up to `maxConcurrentChecks` at a time. A check that throws
    /// counts as "not found" and its error is kept in the report.
    /// - Returns: the problems, in the order of `images`; empty when every image is reachable.
    public func unreachableImages(
        _ images: [MirroredImage],
        maxConcurrentChecks: Int = 8,
        existsInMirror: @escaping @Sendable (ImageReference) async throws -> Bool
    ) async -> [UnreachableImage] {
        let rules = self
        var found: [(index: Int, problem: UnreachableImage)] = []
        await withTaskGroup(of: (Int, UnreachableImage?).self) { group in
            var pending = images.enumerated().makeIterator()
            func startNext(_ group: inout TaskGroup<(Int, UnreachableImage?)>) {
                guard let (index, image) = pending.next() else { return }
                group.addTask {
                    (index, await rules.reachability(of: image, existsInMirror: existsInMirror))
                }
            }
            for _ in 0..<max(1, maxConcurrentChecks) { startNext(&group) }
            for await (index, problem) in group {
                if let problem { found.append((index, problem)) }
                startNext(&group)
            }
        }
        return found.sorted { $0.index < $1.index }.map(\.problem)
    }

    /// Nil when one candidate of `image` exists, else the report.
    private func reachability(
        of image: MirroredImage,
        existsInMirror: @Sendable (ImageReference) async throws -> Bool
    ) async -> UnreachableImage? {
        let candidates = mirrors(for: image.source)
        var failures: [String] = []
        for candidate in candidates {
            do {
                if try await existsInMirror(candidate) { return nil }
            } catch {
                failures.append("\(candidate): \(error)")
            }
        }
        return UnreachableImage(image: image, candidates: candidates, checkFailures: failures)
    }
}
