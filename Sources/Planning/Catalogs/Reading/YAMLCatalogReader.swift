import CYAML

/// Turns the documents of a YAML catalog file into JSON blobs, with libyaml's event API.
///
/// Each document is one blob and is converted once, here, to compact JSON: from then on a
/// YAML blob is handled like a JSON one. Scalars are typed as operator-registry's loader
/// (sigs.k8s.io/yaml, YAML 1.1) types them, for what a catalog holds: quoted, literal and folded
/// scalars are strings; plain `~`, `null`, empty → null; `true`/`false`, `yes`/`no`, `on`/`off`,
/// `y`/`n` (any of their capitalisations) → booleans; plain scalars that are JSON numbers (an
/// optional leading `+` dropped) → numbers; anything else → strings. Hexadecimal, octal and
/// `.inf` numbers stay strings, unlike Go. Aliases are expanded; merge keys (`<<`) and
/// non-scalar keys are refused. Empty documents are skipped.
enum YAMLCatalogReader {
    /// One document: its JSON text and the line its content starts on.
    struct Document {
        var json: [UInt8]
        var line: Int
    }

    /// A problem in the YAML: its line (and column) and what is wrong.
    struct Problem: Error {
        var line: Int
        var column: Int?
        var message: String
        /// The document was larger than the limit (not a syntax error).
        var isTooLarge = false
        /// Reading the file failed (its error as is).
        var readFailure: CatalogLoadError?
    }

    static let maximumDepth = 512
    /// Aliases can expand exponentially ("billion laughs"); this caps one document's JSON.
    static let maximumDocumentBytes = 256 << 20

    /// What libyaml's read callback reads from: `prefix`, then the rest of `stream`. It counts
    /// what it hands over since the last document boundary and refuses past the limit.
    private final class Feed {
        var prefix: [UInt8]
        var prefixOffset = 0
        var stream: ChunkedBytes
        let maxDocumentBytes: Int
        /// Bytes handed to libyaml in all, and at the last document start or end.
        var fed = 0
        var boundary = 0
        var tooLarge = false
        var readFailure: CatalogLoadError?

        init(prefix: [UInt8], stream: ChunkedBytes, maxDocumentBytes: Int) {
            self.prefix = prefix
            self.stream = stream
            self.maxDocumentBytes = maxDocumentBytes
        }

        func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int) -> Int? {
            // libyaml reads ahead by at most its own buffer, so this bounds one document and what precedes it.
            if fed - boundary > maxDocumentBytes {
                tooLarge = true
                return nil
            }
            var count = 0
            if prefixOffset < prefix.count {
                count = min(size, prefix.count - prefixOffset)
                prefix.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + prefixOffset, count: count) }
                prefixOffset += count
            } else if stream.available > 0 {
                count = min(size, stream.available)
                buffer.update(from: stream.pointer + stream.head, count: count)
                stream.head += count
            } else {
                do {
                    count = try stream.read(into: buffer, count: size)
                } catch {
                    readFailure = error
                    return nil
                }
            }
            fed += count
            return count
        }
    }

    /// Parses the YAML read from `prefix` then `stream` (as libyaml asks for it, never whole)
    /// and hands each document to `body`, which returns false to stop.
    static func forEachDocument(prefix: [UInt8], rest stream: inout ChunkedBytes, maxDocumentBytes: Int,
                                _ body: (Document) -> Bool) throws(Problem) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Problem(line: 1, column: nil, message: "out of memory starting the YAML parser") }
        defer { yaml_parser_delete(&parser) }

        let feed = Feed(prefix: prefix, stream: stream, maxDocumentBytes: maxDocumentBytes)
        defer { stream = feed.stream }
        var converter = Converter()
        var documentLine = 1
        let failure: Problem? = withExtendedLifetime(feed) {
            yaml_parser_set_input(&parser, { data, buffer, size, sizeRead in
                let feed = Unmanaged<Feed>.fromOpaque(data!).takeUnretainedValue()
                guard let buffer, let count = feed.read(into: buffer, size: size) else { return 0 }
                sizeRead?.pointee = count
                return 1
            }, Unmanaged.passUnretained(feed).toOpaque())
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    if let read = feed.readFailure {
                        return Problem(line: documentLine, column: nil, message: read.message, readFailure: read)
                    }
                    if feed.tooLarge {
                        return Problem(line: documentLine, column: nil,
                                       message: "the YAML document starting here is larger than \(ByteSize.format(Int64(maxDocumentBytes))), "
                                           + "the most one catalog object may be"
                                           + "\n  hint: a real package, channel or bundle is a few MiB at most; is the catalog image damaged or hostile?",
                                       isTooLarge: true)
                    }
                    let mark = parser.problem_mark
                    var message = "YAML syntax error: " + (parser.problem.map { String(cString: $0) } ?? "invalid YAML")
                    if let context = parser.context {
                        message += " (\(String(cString: context)) at line \(parser.context_mark.line + 1))"
                    }
                    return Problem(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_DOCUMENT_START_EVENT:
                    feed.boundary = feed.fed
                    documentLine = Int(event.start_mark.line) + 1
                case YAML_DOCUMENT_END_EVENT:
                    feed.boundary = feed.fed
                default:
                    break
                }
                do throws(Problem) {
                    try converter.handle(event)
                } catch {
                    return error
                }
                for document in converter.documents where !body(document) { return nil }
                converter.documents.removeAll()
            }
        }
        if let failure { throw failure }
    }

    /// The conversion state: a stack of open collections and the JSON written so far.
    private struct Converter {
        enum Frame {
            case mapping(expectingKey: Bool, count: Int, start: Int, anchor: String?)
            case sequence(count: Int, start: Int, anchor: String?)
        }

        var documents: [Document] = []
        var output: [UInt8] = []
        var stack: [Frame] = []
        var anchors: [String: [UInt8]] = [:]
        var rootLine = 0
        var rootIsMapping = false
        var hasRoot = false

        mutating func handle(_ event: yaml_event_t) throws(Problem) {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            func problem(_ message: String) -> Problem { Problem(line: line, column: column, message: message) }

            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                output = []
                stack = []
                anchors = [:]
                hasRoot = false
            case YAML_DOCUMENT_END_EVENT:
                guard hasRoot else { return }
                // An empty document reads as null: nothing to keep.
                if output == Array("null".utf8) { return }
                guard rootIsMapping else {
                    throw Problem(line: rootLine, column: nil, message: "a catalog document must be a mapping (schema: …), not a scalar or a sequence")
                }
                documents.append(Document(json: output, line: rootLine))
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
                let tag = data.tag.map { String(cString: $0) }
                if case .mapping(true, _, _, _)? = stack.last {
                    if data.style == YAML_PLAIN_SCALAR_STYLE && text == "<<" {
                        throw problem("YAML merge keys ('<<') are not supported in a catalog")
                    }
                    try beginKey(text)
                    return
                }
                let start = try beginValue(line: line, isMapping: false)
                appendScalar(text, plain: data.style == YAML_PLAIN_SCALAR_STYLE, tag: tag)
                if let anchor = data.anchor { anchors[String(cString: anchor)] = Array(output[start...]) }
                try endValue(problem)
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let value = anchors[name] else { throw problem("unknown alias '*\(name)'") }
                if case .mapping(true, _, _, _)? = stack.last { throw problem("an alias cannot be a mapping key in a catalog") }
                _ = try beginValue(line: line, isMapping: value.first == UInt8(ascii: "{"))
                output.append(contentsOf: value)
                try endValue(problem)
            case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                if case .mapping(true, _, _, _)? = stack.last { throw problem("a mapping key must be a scalar") }
                guard stack.count < YAMLCatalogReader.maximumDepth else {
                    throw problem("nested more than \(YAMLCatalogReader.maximumDepth) levels deep")
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                let anchor = anchorPointer.map { String(cString: $0) }
                let start = try beginValue(line: line, isMapping: isMapping)
                output.append(isMapping ? UInt8(ascii: "{") : UInt8(ascii: "["))
                stack.append(isMapping ? .mapping(expectingKey: true, count: 0, start: start, anchor: anchor)
                                       : .sequence(count: 0, start: start, anchor: anchor))
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                guard let frame = stack.popLast() else { return }
                switch frame {
                case .mapping(_, _, let start, let anchor):
                    output.append(UInt8(ascii: "}"))
                    if let anchor { anchors[anchor] = Array(output[start...]) }
                case .sequence(_, let start, let anchor):
                    output.append(UInt8(ascii: "]"))
                    if let anchor { anchors[anchor] = Array(output[start...]) }
                }
                try endValue(problem)
            default:
                break
            }
        }

        /// Writes what goes before a value (a comma in a sequence) and returns where the value starts.
        private mutating func beginValue(line: Int, isMapping: Bool) throws(Problem) -> Int {
            switch stack.last {
            case nil:
                hasRoot = true
                rootLine = line
                rootIsMapping = isMapping
            case .sequence(let count, _, _)?:
                if count > 0 { output.append(UInt8(ascii: ",")) }
            case .mapping?:
                break
            }
            return output.count
        }

        /// Counts a finished value in its parent.
        private mutating func endValue(_ problem: (String) -> Problem) throws(Problem) {
            guard output.count <= YAMLCatalogReader.maximumDocumentBytes else {
                throw problem("the document expands to more than \(YAMLCatalogReader.maximumDocumentBytes >> 20) MiB of JSON (aliases?)")
            }
            switch stack.last {
            case .mapping(_, let count, let start, let anchor)?:
                stack[stack.count - 1] = .mapping(expectingKey: true, count: count + 1, start: start, anchor: anchor)
            case .sequence(let count, let start, let anchor)?:
                stack[stack.count - 1] = .sequence(count: count + 1, start: start, anchor: anchor)
            case nil:
                break
            }
        }

        private mutating func beginKey(_ key: String) throws(Problem) {
            guard case .mapping(_, let count, let start, let anchor)? = stack.last else { return }
            if count > 0 { output.append(UInt8(ascii: ",")) }
            JSONText.appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            stack[stack.count - 1] = .mapping(expectingKey: false, count: count, start: start, anchor: anchor)
        }

        private mutating func appendScalar(_ text: String, plain: Bool, tag: String?) {
            let isString = tag == "tag:yaml.org,2002:str" || tag == "!!str"
            guard plain, !isString else {
                JSONText.appendString(text, to: &output)
                return
            }
            switch text {
            case "", "~", "null", "Null", "NULL":
                output.append(contentsOf: "null".utf8)
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
                output.append(contentsOf: "true".utf8)
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
                output.append(contentsOf: "false".utf8)
            default:
                let number = text.first == "+" ? String(text.dropFirst()) : text
                if JSONText.isNumber(number) {
                    output.append(contentsOf: number.utf8)
                } else {
                    JSONText.appendString(text, to: &output)
                }
            }
        }
    }
}
