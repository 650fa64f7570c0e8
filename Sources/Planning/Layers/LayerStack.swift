import Distribution
import Foundation
import OCI

/// An image's layers read as a container runtime merges them, from the top down: the first
/// layer that holds a path, or a whiteout of it, decides it; a whiteout of a directory or an
/// opaque marker (`.wh..wh..opq`) hides everything below it in lower layers. Reading from the top
/// means a reader that finds what it needs early downloads only the upper layers.
///
/// Each layer is streamed to a scratch file (digest-checked), read with libarchive, and deleted;
/// a layout's layers are read in place once their digest is checked.
struct LayerStack {
    var source: ImageSource
    var scratchDirectory: URL

    /// What upper layers have settled so far.
    struct Visibility {
        /// Paths an upper layer holds or whites out.
        fileprivate(set) var decided = Set<String>()
        /// Directories whose lower-layer content is hidden.
        fileprivate(set) var hidden: [String] = []

        /// Whether lower layers can no longer change `path`.
        func isSettled(_ path: String) -> Bool {
            decided.contains(path) || hidden.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
    }

    /// Calls `body` with every entry of the merged filesystem, top layer first (whiteout entries
    /// themselves are not passed). `body` returns false to stop; `done` is asked before each
    /// lower layer is downloaded.
    func forEachVisibleEntry(of manifest: ImageManifest, done: (Visibility) -> Bool = { _ in false },
                             _ body: (LayerArchiveReader.Entry) throws -> Bool) async throws {
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        var visibility = Visibility()
        for layer in manifest.layers.reversed() where !layer.mediaType.isNonDistributable {
            if done(visibility) { return }
            // A layer's whiteouts hide lower layers only, so they take effect after it.
            var hiddenHere: [String] = []
            var stopped = false
            try await source.withBlobFile(layer, scratch: scratchDirectory) { file in
                try LayerArchiveReader(path: file.path).forEachEntry { entry in
                    let path = entry.path
                    let name = (path as NSString).lastPathComponent
                    let parent = (path as NSString).deletingLastPathComponent
                    if name == ".wh..wh..opq" {
                        hiddenHere.append(parent)
                        return true
                    }
                    if name.hasPrefix(".wh.") {
                        let gone = parent.isEmpty ? String(name.dropFirst(4)) : "\(parent)/\(name.dropFirst(4))"
                        visibility.decided.insert(gone)
                        hiddenHere.append(gone)
                        return true
                    }
                    guard !visibility.isSettled(path) else { return true }
                    visibility.decided.insert(path)
                    if try body(entry) { return true }
                    stopped = true
                    return false
                }
            }
            if stopped { return }
            visibility.hidden += hiddenHere
        }
    }
}
