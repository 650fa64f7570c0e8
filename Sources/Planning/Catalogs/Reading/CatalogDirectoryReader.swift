import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads every file of a catalog directory (the `configs` directory of a catalog image), as
/// operator-registry's `LoadFS` does: all regular files at any depth, whatever their name,
/// except `.indexignore` files and what their patterns exclude. Symbolic links are not followed
/// (a catalog taken from an image layer must not read outside its root).
///
/// `.indexignore` support is the common subset of gitignore patterns: one pattern a line, `#`
/// comments, `fnmatch` globs matched against the path relative to the `.indexignore`'s
/// directory and, for patterns without a slash, against each path component; a trailing `/`
/// matches directories only. Negation (`!`) is not supported (such lines are ignored).
enum CatalogDirectoryReader {
    static let ignoreFileName = ".indexignore"

    /// The files under `root`, sorted by path, paths relative to it.
    static func files(under root: URL) throws(CatalogLoadError) -> [CatalogFile] {
        var files: [CatalogFile] = []
        try forEachFile(under: root) { file throws(CatalogLoadError) in files.append(file) }
        return files
    }

    /// Reads the files under `root` one at a time, sorted by path, handing each to `body`: only
    /// the file at hand is in memory (and whatever `body` keeps of it).
    static func forEachFile(under root: URL, _ body: (CatalogFile) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        try forEachPath(under: root) { path, url throws(CatalogLoadError) in
            try body(CatalogFile(path: path, bytes: try readFile(url, relative: path)))
        }
    }

    /// The files under `root`, sorted by path, each handed to `body` open (a descriptor, closed
    /// after `body`), to be read as a stream.
    static func forEachOpenFile(under root: URL, _ body: (String, Int32) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        try forEachPath(under: root) { path, url throws(CatalogLoadError) in
            let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw CatalogLoadError(.unreadable, file: path, message: "cannot open: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            try body(path, descriptor)
        }
    }

    /// The relative path and URL of every file under `root` (`.indexignore` applied), sorted by path.
    private static func forEachPath(under root: URL, _ body: (String, URL) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        var found: [(path: String, url: URL)] = []
        try walk(root, relative: "", ignores: [], into: &found)
        for (path, url) in found.sorted(by: { $0.path < $1.path }) {
            try body(path, url)
        }
    }

    /// The patterns of one `.indexignore`, with the directory (relative to the root) it sits in.
    private struct IgnoreRules {
        var directory: String
        var patterns: [(glob: String, directoriesOnly: Bool)]

        func excludes(_ path: String, isDirectory: Bool) -> Bool {
            let local = directory.isEmpty ? path : String(path.dropFirst(directory.count + 1))
            let components = local.split(separator: "/").map(String.init)
            for pattern in patterns where !pattern.directoriesOnly || isDirectory {
                if pattern.glob.contains("/") {
                    let glob = pattern.glob.hasPrefix("/") ? String(pattern.glob.dropFirst()) : pattern.glob
                    if fnmatch(glob, local, FNM_PATHNAME) == 0 { return true }
                } else if let last = components.last, fnmatch(pattern.glob, last, 0) == 0 {
                    return true
                }
            }
            return false
        }
    }

    private static func walk(_ directory: URL, relative: String, ignores: [IgnoreRules],
                             into files: inout [(path: String, url: URL)]) throws(CatalogLoadError) {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw CatalogLoadError(.unreadable, file: relative.isEmpty ? directory.path : relative,
                                   message: "cannot list the directory: \(error.localizedDescription)")
        }
        var ignores = ignores
        if names.contains(ignoreFileName) {
            let path = relative.isEmpty ? ignoreFileName : "\(relative)/\(ignoreFileName)"
            let text = String(decoding: try readFile(directory.appendingPathComponent(ignoreFileName), relative: path,
                                                     limit: maxIgnoreFileBytes), as: UTF8.self)
            var patterns: [(String, Bool)] = []
            for line in text.split(whereSeparator: \.isNewline) {
                let pattern = line.trimmingCharacters(in: .whitespaces)
                guard !pattern.isEmpty, !pattern.hasPrefix("#"), !pattern.hasPrefix("!") else { continue }
                patterns.append(pattern.hasSuffix("/") ? (String(pattern.dropLast()), true) : (pattern, false))
            }
            ignores.append(IgnoreRules(directory: relative, patterns: patterns.map { (glob: $0.0, directoriesOnly: $0.1) }))
        }
        for name in names where name != ignoreFileName {
            let url = directory.appendingPathComponent(name)
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            var status = stat()
            guard lstat(url.path, &status) == 0 else {
                throw CatalogLoadError(.unreadable, file: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            let type = status.st_mode & S_IFMT
            if type == S_IFDIR {
                if ignores.contains(where: { $0.excludes(path, isDirectory: true) }) { continue }
                try walk(url, relative: path, ignores: ignores, into: &files)
            } else if type == S_IFREG {
                if ignores.contains(where: { $0.excludes(path, isDirectory: false) }) { continue }
                files.append((path, url))
            }
        }
    }

    /// An `.indexignore` is a few lines; a larger one is refused rather than read whole.
    static let maxIgnoreFileBytes = 1 << 20

    /// The whole file, read with one buffer of its size (at most `limit` bytes).
    private static func readFile(_ url: URL, relative: String, limit: Int = .max) throws(CatalogLoadError) -> [UInt8] {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CatalogLoadError(.unreadable, file: relative, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw CatalogLoadError(.unreadable, file: relative, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw CatalogLoadError(.tooLarge, file: relative,
                                   message: "is \(size) bytes, more than the \(ByteSize.format(Int64(limit))) such a file may be")
        }
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = read(descriptor, buffer.baseAddress! + count, size - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                count += n
            }
        }
        if failure != 0 {
            throw CatalogLoadError(.unreadable, file: relative, message: "cannot read: \(String(cString: strerror(failure)))")
        }
        // A file that grew while being read: take the rest too.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
