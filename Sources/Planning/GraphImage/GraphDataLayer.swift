import Foundation
import OCI

/// The graph-data layer of the graph image (spec §4.7): the content of the update service's
/// graph-data tarball under `/var/lib/cincinnati-graph-data/`, as a `DeterministicLayer`.
enum GraphDataLayer {
    static let root = "var/lib/cincinnati-graph-data"
    /// Graph data is a few megabytes; more than this is refused.
    static let maxBytes = 512 << 20

    static func make(graphData tarball: URL) throws(LayerArchiveError) -> DeterministicLayer {
        var directories = ["var", "var/lib", root]
        var files: [(String, Data)] = []
        var total = 0
        do {
            try LayerArchiveReader(path: tarball.path).forEachEntry { entry in
                guard !entry.path.isEmpty, !entry.path.split(separator: "/").contains("..") else { return true }
                switch entry.type {
                case .directory: directories.append("\(root)/\(entry.path)")
                case .file:
                    let data = try entry.contents(limit: maxBytes)
                    total += data.count
                    guard total <= maxBytes else { throw LayerArchiveError("the graph data is larger than \(maxBytes) bytes") }
                    files.append(("\(root)/\(entry.path)", data))
                case .link, .other: break   // the graph data is plain files
                }
                return true
            }
        } catch let error as LayerArchiveError {
            throw error
        } catch {
            throw LayerArchiveError("\(error)")
        }
        guard !files.isEmpty else { throw LayerArchiveError("the graph-data archive holds no files") }
        return try DeterministicLayer(directories: directories, files: files)
    }
}
