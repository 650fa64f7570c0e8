import CYAML

/// Reads YAML text into a ``YAMLNode`` tree with libyaml's event API.
///
/// A configuration (`read`) is its first document, as oc-mirror reads it: later documents are read
/// past and noted (`ignoredDocuments`) for a warning; `parse`, for other files (a ConfigMap), reads
/// the first and ignores what follows; `parseDocuments` reads them all (a bundle's manifest file). Aliases are resolved to the node
/// their anchor names (with its marks). libyaml's syntax errors become diagnostics at its
/// `problem_mark`.
public enum YAMLReader {
    /// Parses `text`, naming `fileName` in the marks.
    /// - Returns: the document's root node, or nil for a document with no content.
    /// - Throws: every problem found, as ``ImageSetError/Kind/invalidConfiguration``.
    public static func parse(_ text: String, fileName: String) throws(ImageSetError) -> YAMLNode? {
        let result = read(Array(text.utf8), file: fileName, moreDocuments: .ignored)
        guard result.diagnostics.isEmpty else {
            throw ImageSetError(file: fileName, diagnostics: result.diagnostics)
        }
        return result.root
    }

    /// Parses every document of `text` (`---`-separated), naming `fileName` in the marks.
    /// - Returns: the roots of the documents that have content, in order.
    public static func parseDocuments(_ text: String, fileName: String) throws(ImageSetError) -> [YAMLNode] {
        let result = read(Array(text.utf8), file: fileName, moreDocuments: .collected)
        guard result.diagnostics.isEmpty else {
            throw ImageSetError(file: fileName, diagnostics: result.diagnostics)
        }
        return result.earlierDocuments + (result.root.map { [$0] } ?? [])
    }

    /// Parses `bytes` (UTF-8, or UTF-16 with a byte order mark, as libyaml detects), collecting
    /// problems instead of stopping at the first that YAML allows (such as a duplicate key).
    /// `isComplete` is false when reading stopped inside the document (a syntax error, a limit).
    /// With `.noted`, `ignoredDocuments` are where the later documents with content start, and
    /// `ignoredSyntaxError` where a syntax error past the first document stopped reading.
    static func read(_ bytes: [UInt8], file: String, moreDocuments: YAMLTreeBuilder.MoreDocuments = .noted)
        -> (root: YAMLNode?, earlierDocuments: [YAMLNode], diagnostics: [Diagnostic], isComplete: Bool,
            ignoredDocuments: [SourceMark], ignoredSyntaxError: SourceMark?) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            let mark = SourceMark(file: file, line: 1, column: 1)
            return (nil, [], [Diagnostic(mark: mark, path: .root, message: "out of memory starting the YAML parser")], false, [], nil)
        }
        defer { yaml_parser_delete(&parser) }

        var builder = YAMLTreeBuilder(moreDocuments: moreDocuments)
        // libyaml asserts on a null input pointer, so an empty file still gets a buffer.
        let storage = bytes.isEmpty ? [0] : bytes
        storage.withUnsafeBufferPointer { input in
            yaml_parser_set_input_string(&parser, input.baseAddress, bytes.count)
            while !builder.isFinished {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = syntaxProblem(parser, bytes: bytes, file: file)
                    builder.syntaxError(problem.message, at: problem.mark, hint: problem.hint)
                    break
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                handle(event, file: file, into: &builder)
            }
        }
        return (builder.root, builder.earlierDocuments, builder.diagnostics, !builder.isTruncated,
                builder.ignoredDocuments, builder.ignoredSyntaxError)
    }

    private static func handle(_ event: yaml_event_t, file: String, into builder: inout YAMLTreeBuilder) {
        let mark = sourceMark(event.start_mark, file: file)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            builder.documentStarted(at: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = string(data.value, length: data.length) ?? ""
            let scalar = YAMLScalar(value, style: style(data.style), tag: string(data.tag))
            builder.scalar(scalar, anchor: string(data.anchor), at: mark)
        case YAML_ALIAS_EVENT:
            builder.alias(string(event.data.alias.anchor) ?? "", at: mark)
        case YAML_SEQUENCE_START_EVENT:
            builder.collectionStarted(isMapping: false, anchor: string(event.data.sequence_start.anchor), at: mark)
        case YAML_MAPPING_START_EVENT:
            builder.collectionStarted(isMapping: true, anchor: string(event.data.mapping_start.anchor), at: mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            builder.collectionEnded()
        default:
            break
        }
    }

    // MARK: Errors

    private static func syntaxProblem(_ parser: yaml_parser_t, bytes: [UInt8], file: String)
        -> (message: String, mark: SourceMark, hint: String?) {
        let problem = string(parser.problem) ?? "invalid YAML"
        // A reader error (bad encoding) sets an offset, not a mark.
        let mark = parser.error == YAML_READER_ERROR
            ? sourceMark(byteOffset: parser.problem_offset, in: bytes, file: file)
            : sourceMark(parser.problem_mark, file: file)
        var message = "YAML syntax error: \(problem)"
        if let context = string(parser.context), parser.error != YAML_READER_ERROR {
            let contextMark = sourceMark(parser.context_mark, file: file)
            message += " (\(context) at \(contextMark.lineAndColumn))"
        }
        var hint: String?
        if parser.error == YAML_MEMORY_ERROR {
            message = "out of memory reading YAML"
        } else if line(mark.line, of: bytes).contains(UInt8(ascii: "\t")) {
            hint = "YAML indents with spaces; this line has a tab"
        }
        return (message, mark, hint)
    }

    /// The bytes of 1-based line `number`.
    private static func line(_ number: Int, of bytes: [UInt8]) -> ArraySlice<UInt8> {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return [] }
        return lines[number - 1]
    }

    // MARK: Conversions

    private static func sourceMark(_ mark: yaml_mark_t, file: String) -> SourceMark {
        SourceMark(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func sourceMark(byteOffset: Int, in bytes: [UInt8], file: String) -> SourceMark {
        let before = bytes.prefix(byteOffset)
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        // Count characters, not bytes: UTF-8 continuation bytes do not start one.
        let column = bytes[lineStart..<before.endIndex].count { $0 & 0xC0 != 0x80 } + 1
        return SourceMark(file: file, line: line, column: column)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String? {
        guard let pointer else { return nil }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
