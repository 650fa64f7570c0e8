import Distribution
import Foundation
import OCI

/// An image's layers read as a container runtime merges them, from the top down: the first
/// layer that holds a path, or a whiteout of it, decides it; a whiteout of a directory, an
/// opaque marker (`.wh..wh..opq`) or a non-directory entry hides everything below it in lower
/// layers. Reading from the top means a reader that finds what it needs early downloads only
/// the upper layers.
///
/// Within one layer the last entry of a path decides, as tar and container runtimes apply it:
/// every entry of the layer that upper layers have not settled is passed on in layer order, so
/// a later entry of a path replaces an earlier one (the body must let it: overwrite, not skip).
/// A layer's whiteouts hide lower layers only, never an entry of the same layer.
///
/// Each layer is streamed to a scratch file (digest-checked), read with libarchive, and deleted;
/// a layout's layers are read in place once their digest is checked. With a `budget`, every
/// byte the body reads out of the entries is counted against it, over all layers; past it the
/// read fails with an error naming the image, the layer and the setting. An entry the body
/// refuses (``LayerArchiveError/isEntryRefused``) is reported with the image and the layer too.
struct LayerStack {
    var source: ImageSource
    var scratchDirectory: URL
    var budget: ExtractionBudget?

    init(source: ImageSource, scratchDirectory: URL, budget: ExtractionBudget? = nil) {
        self.source = source
        self.scratchDirectory = scratchDirectory
        self.budget = budget
    }

    /// What upper layers have settled so far.
    struct Visibility {
        /// Paths an upper layer holds or whites out.
        fileprivate(set) var decided = Set<String>()
        /// Paths whose lower-layer content below them is hidden (whiteouts, opaque
        /// directories, non-directory entries).
        fileprivate(set) var hidden = Set<String>()

        /// Whether lower layers can no longer change `path`.
        func isSettled(_ path: String) -> Bool {
            decided.contains(path) || hides(path)
        }

        /// Whether lower layers' `path` and everything below it are hidden: it or one of its
        /// ancestors is in `hidden`.
        func hides(_ path: String) -> Bool {
            if hidden.contains(path) { return true }
            var index = path.startIndex
            while let slash = path[index...].firstIndex(of: "/") {
                if hidden.contains(String(path[..<slash])) { return true }
                index = path.index(after: slash)
            }
            return false
        }
    }

    /// Calls `body` with every entry of the merged filesystem, top layer first (whiteout entries
    /// themselves are not passed; within a layer, every entry of a path in order, the last one
    /// deciding). `body` returns false to stop; `done` is asked before each lower layer is
    /// downloaded.
    func forEachVisibleEntry(of manifest: ImageManifest, done: (Visibility) -> Bool = { _ in false },
                             _ body: (LayerArchiveReader.Entry) throws -> Bool) async throws {
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        var visibility = Visibility()
        for layer in manifest.layers.reversed() where !layer.mediaType.isNonDistributable {
            if done(visibility) { return }
            // A layer's whiteouts and entries settle lower layers only, so they take effect after it.
            var decidedHere = Set<String>()
            var hiddenHere = Set<String>()
            var stopped = false
            try await source.withBlobFile(layer, scratch: scratchDirectory) { file in
                do {
                    try LayerArchiveReader(path: file.path).forEachEntry(budget: budget) { entry in
                        let path = entry.path
                        let name = (path as NSString).lastPathComponent
                        let parent = (path as NSString).deletingLastPathComponent
                        if name == ".wh..wh..opq" {
                            hiddenHere.insert(parent)
                            return true
                        }
                        if name.hasPrefix(".wh.") {
                            let gone = parent.isEmpty ? String(name.dropFirst(4)) : "\(parent)/\(name.dropFirst(4))"
                            decidedHere.insert(gone)
                            hiddenHere.insert(gone)
                            return true
                        }
                        guard !visibility.isSettled(path) else { return true }
                        decidedHere.insert(path)
                        if entry.type != .directory { hiddenHere.insert(path) }
                        if try body(entry) { return true }
                        stopped = true
                        return false
                    }
                } catch let error as LayerArchiveError where error.isBudgetExceeded || error.isEntryRefused {
                    throw PlanningError("\(source): extraction refused: layer \(layer.digest): \(error)")
                }
            }
            if stopped { return }
            visibility.decided.formUnion(decidedHere)
            visibility.hidden.formUnion(hiddenHere)
        }
    }
}
