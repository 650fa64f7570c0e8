import Foundation

/// Loads ImageSetConfiguration and DeleteImageSetConfiguration files: YAML (libyaml) → node tree
/// with positions → typed values, strictly (unknown keys and wrong types are errors) → the
/// checks of spec §1.1. Every problem is reported at once, as `FILE:LINE:COLUMN: path: message`.
public enum ImageSetLoader {
    /// Loads the ImageSetConfiguration at `path`.
    /// - Returns: the configuration and its warnings.
    /// - Throws: ``ImageSetError`` naming the path when the file cannot be read, or listing every
    ///   problem in it.
    public static func loadImageSetConfiguration(path: String) throws(ImageSetError) -> Loaded<ImageSetConfiguration> {
        try loadImageSetConfiguration(bytes: try contents(of: path), fileName: path)
    }

    /// Loads an ImageSetConfiguration from `yaml`, naming `fileName` in diagnostics.
    public static func loadImageSetConfiguration(yaml: String, fileName: String) throws(ImageSetError)
        -> Loaded<ImageSetConfiguration> {
        try loadImageSetConfiguration(bytes: Array(yaml.utf8), fileName: fileName)
    }

    /// Loads the DeleteImageSetConfiguration at `path`; `delete.platform.architectures` defaults
    /// to `[amd64]` when channels are listed without architectures or platforms (oc-mirror `CompleteDelete`).
    public static func loadDeleteImageSetConfiguration(path: String) throws(ImageSetError)
        -> Loaded<DeleteImageSetConfiguration> {
        try loadDeleteImageSetConfiguration(bytes: try contents(of: path), fileName: path)
    }

    /// Loads a DeleteImageSetConfiguration from `yaml`, naming `fileName` in diagnostics.
    public static func loadDeleteImageSetConfiguration(yaml: String, fileName: String) throws(ImageSetError)
        -> Loaded<DeleteImageSetConfiguration> {
        try loadDeleteImageSetConfiguration(bytes: Array(yaml.utf8), fileName: fileName)
    }

    // MARK: Steps

    private static func loadImageSetConfiguration(bytes: [UInt8], fileName: String) throws(ImageSetError)
        -> Loaded<ImageSetConfiguration> {
        try load(bytes, fileName: fileName) { reader, root -> (ImageSetConfiguration, ImageSetContent, FieldPath)? in
            guard let configuration = reader.imageSetConfiguration(root) else { return nil }
            return (configuration, configuration.mirror, "mirror")
        }
    }

    private static func loadDeleteImageSetConfiguration(bytes: [UInt8], fileName: String) throws(ImageSetError)
        -> Loaded<DeleteImageSetConfiguration> {
        var loaded = try load(bytes, fileName: fileName) { reader, root -> (DeleteImageSetConfiguration, ImageSetContent, FieldPath)? in
            guard let configuration = reader.deleteImageSetConfiguration(root) else { return nil }
            return (configuration, configuration.delete, "delete")
        }
        let platform = loaded.value.delete.platform
        if !platform.channels.isEmpty, platform.architectures.isEmpty, platform.platforms.isEmpty {
            loaded.value.delete.platform.architectures = [.amd64]
        }
        return loaded
    }

    /// Reads the tree, decodes it with `decode` (which returns the value, its content and the
    /// section that holds it), validates the content, and throws if anything was found.
    private static func load<Value: Sendable & Equatable>(
        _ bytes: [UInt8], fileName: String,
        decode: (ConfigurationReader, YAMLNode?) -> (Value, ImageSetContent, FieldPath)?
    ) throws(ImageSetError) -> Loaded<Value> {
        let tree = YAMLReader.read(bytes, file: fileName)
        let reader = ConfigurationReader(file: fileName)
        reader.add(errors: tree.diagnostics)
        reader.laterDocuments = tree.ignoredDocuments
        if let first = tree.ignoredDocuments.first {
            let lines = tree.ignoredDocuments.map { String($0.line) }.joined(separator: ", ")
            let stopped = tree.ignoredSyntaxError.map { "; reading past them stopped at a YAML syntax error at line \($0.line)" } ?? ""
            reader.warning(.root, at: first,
                           "only the first YAML document is read, as oc-mirror reads it; ignored: the document"
                           + (tree.ignoredDocuments.count == 1 ? " starting at line " : "s starting at lines ") + lines + stopped,
                           hint: "put each configuration in a file of its own, or remove this '---' and what follows")
        } else if let mark = tree.ignoredSyntaxError {
            reader.warning(.root, at: mark, "only the first YAML document is read, as oc-mirror reads it; "
                           + "what follows it is not valid YAML and is ignored")
        }
        // A truncated tree would only add noise ("kind is missing") to the syntax error.
        let decoded = tree.isComplete ? decode(reader, tree.root) : nil
        if let (_, content, section) = decoded {
            var validator = ContentValidator(reader: reader)
            validator.validate(content, at: section)
            reader.add(errors: validator.diagnostics)
        }
        guard reader.errors.isEmpty, let (value, _, _) = decoded else {
            throw ImageSetError(file: fileName, diagnostics: reader.errors, warnings: reader.warnings)
        }
        return Loaded(value: value, warnings: reader.warnings)
    }

    private static func contents(of path: String) throws(ImageSetError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageSetError(unreadableFile: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ImageSetError(unreadableFile: path, reason: "it is a directory; give the path of the YAML file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImageSetError(unreadableFile: path, reason: "permission denied")
        }
        // Read in chunks up to a cap, not whole: a device (`-c /dev/zero`) never ends, while a pipe
        // (`-c <(…)`) is fine.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImageSetError(unreadableFile: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw ImageSetError(unreadableFile: path, reason: "reading it failed: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { return bytes }
            bytes.append(contentsOf: chunk)
            if bytes.count > maxFileBytes {
                throw ImageSetError(unreadableFile: path, reason: "it is larger than \(maxFileBytes >> 20) MiB, which no image set "
                    + "configuration needs (100,000 additionalImages take about 6 MiB); is it the right file?")
            }
        }
    }

    /// The most a configuration file may hold.
    static let maxFileBytes = 64 << 20
}
