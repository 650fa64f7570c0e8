internal import CYAML

/// Reads YAML text into ``YAMLNode`` documents with libyaml's parser.
///
/// Made to read back what ``YAMLWriter`` writes (and Kubernetes manifests like it), strictly:
/// plain scalars are resolved as ``PlainScalarResolution`` says, so a string that was written
/// without the quotes it needed reads back as a boolean or number and a comparison fails.
/// Aliases, explicit tags other than `!!str`, non-scalar keys and duplicate keys are errors;
/// floats and timestamps are errors too, since no object we write has them.
public enum YAMLReader {
    /// The documents of `text`, in order; an empty document reads as `.null`.
    /// - Throws: `.yaml` with line and column for a syntax error or an unsupported construct.
    public static func documents(_ text: String) throws(ClusterResourcesError) -> [YAMLNode] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw ClusterResourcesError(.yaml, "could not initialise the YAML parser (out of memory)")
        }
        defer { yaml_parser_delete(parser) }

        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ClusterResourcesError) -> [YAMLNode] in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) == 1 else { throw parseFailure(parser) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.accept(event)
            }
            return builder.documents
        }
    }

    private static func parseFailure(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> ClusterResourcesError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown error"
        var message = "invalid YAML at line \(p.problem_mark.line + 1), column \(p.problem_mark.column + 1): \(problem)"
        if let context = p.context { message += " (\(String(cString: context)))" }
        return ClusterResourcesError(.yaml, message)
    }
}

/// Turns the parser's event stream into trees, one open collection per stack frame.
private struct TreeBuilder {
    private enum Frame {
        case sequence([YAMLNode])
        /// `key` is set while its value is being read.
        case mapping([String: YAMLNode], key: String?)
    }

    private(set) var documents: [YAMLNode] = []
    private var stack: [Frame] = []

    mutating func accept(_ event: yaml_event_t) throws(ClusterResourcesError) {
        let at = "line \(event.start_mark.line + 1), column \(event.start_mark.column + 1)"
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            if case .mapping(let entries, key: nil)? = stack.last {
                guard entries[text] == nil else {
                    throw ClusterResourcesError(.yaml, "duplicate key \"\(text)\" at \(at)")
                }
                stack[stack.count - 1] = .mapping(entries, key: text)
                return
            }
            try deliver(Self.value(of: text, style: scalar.style, tag: scalar.tag, at: at))
        case YAML_SEQUENCE_START_EVENT:
            try checkNotKey(at: at)
            stack.append(.sequence([]))
        case YAML_MAPPING_START_EVENT:
            try checkNotKey(at: at)
            stack.append(.mapping([:], key: nil))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items)? = stack.popLast() else { return }
            try deliver(.sequence(items))
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let entries, _)? = stack.popLast() else { return }
            try deliver(.mapping(entries))
        case YAML_ALIAS_EVENT:
            throw ClusterResourcesError(.yaml, "aliases (*name) are not supported, at \(at)")
        default:
            break // stream and document boundaries carry nothing
        }
    }

    /// Puts a finished node into the collection being read, or makes it a document.
    private mutating func deliver(_ node: YAMLNode) throws(ClusterResourcesError) {
        guard let top = stack.popLast() else {
            documents.append(node)
            return
        }
        switch top {
        case .sequence(var items):
            items.append(node)
            stack.append(.sequence(items))
        case .mapping(var entries, let key):
            // A key is always a scalar (checkNotKey), so it is set by now.
            entries[key ?? ""] = node
            stack.append(.mapping(entries, key: nil))
        }
    }

    private func checkNotKey(at: String) throws(ClusterResourcesError) {
        if case .mapping(_, key: nil)? = stack.last {
            throw ClusterResourcesError(.yaml, "a mapping key must be a scalar, at \(at)")
        }
    }

    private static func value(of text: String, style: yaml_scalar_style_t, tag: UnsafeMutablePointer<yaml_char_t>?,
                              at: String) throws(ClusterResourcesError) -> YAMLNode {
        if let tag {
            let name = String(cString: tag)
            guard name == "tag:yaml.org,2002:str" || name == "!" else {
                throw ClusterResourcesError(.yaml, "explicit tag \(name) is not supported, at \(at)")
            }
            return .string(text)
        }
        guard style == YAML_PLAIN_SCALAR_STYLE else { return .string(text) }
        switch PlainScalarResolution.resolve(text) {
        case .string: return .string(text)
        case .null: return .null
        case .boolean(let value): return .boolean(value)
        case .integer(let value): return .integer(value)
        case .unsupported(let kind):
            throw ClusterResourcesError(.yaml, "unquoted \(kind) \"\(text)\" is not supported, at \(at); quote it if it is a string")
        }
    }
}
