internal import CYAML

/// Writes ``YAMLNode`` documents as YAML text, laid out as sigs.k8s.io/yaml lays out Kubernetes
/// objects: block style, two-space indent, sequences not indented under their key, keys in
/// ``MappingKeyOrder``, strings plain unless YAML needs quotes.
///
/// The syntax is libyaml's emitter (the C original of go-yaml's emitter), so whether a string can
/// stand plain — indicators, `: `, ` #`, leading spaces — is decided by the same code that
/// go-yaml runs; libyaml falls back to single quotes on its own. What libyaml does not know is
/// what a plain scalar *means*: ``PlainScalarResolution`` catches the strings that would read
/// back as booleans, numbers, null or timestamps and has them double-quoted, as go-yaml does.
/// Lines are never wrapped, so long values stay on one line whatever their spaces.
public enum YAMLWriter {
    /// The text of `documents`, one after the other.
    /// - Parameters:
    ///   - documents: the documents, each usually a mapping.
    ///   - startMarkers: begin every document with `---` (as `idms-oc-mirror.yaml` does); when
    ///     false only the second and later documents get one, as YAML requires.
    /// - Returns: the YAML text, ending in a newline.
    /// - Throws: `.yaml` when libyaml refuses an event (it should not for valid Swift strings).
    public static func write(_ documents: [YAMLNode], startMarkers: Bool = true) throws(ClusterResourcesError) -> String {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else {
            throw ClusterResourcesError(.yaml, "could not initialise the YAML emitter (out of memory)")
        }
        defer { yaml_emitter_delete(emitter) }

        let output = OutputBuffer()
        try withExtendedLifetime(output) { () throws(ClusterResourcesError) in
            yaml_emitter_set_output(emitter, { context, bytes, size in
                guard let context, let bytes else { return 0 }
                let output = Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue()
                output.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: size))
                return 1
            }, Unmanaged.passUnretained(output).toOpaque())
            yaml_emitter_set_unicode(emitter, 1)
            yaml_emitter_set_indent(emitter, 2)
            yaml_emitter_set_width(emitter, -1)

            let events = EventSink(emitter: emitter)
            try events.emit { yaml_stream_start_event_initialize($0, YAML_UTF8_ENCODING) }
            for document in documents {
                try events.emit { yaml_document_start_event_initialize($0, nil, nil, nil, startMarkers ? 0 : 1) }
                try events.node(document)
                try events.emit { yaml_document_end_event_initialize($0, 1) }
            }
            try events.emit { yaml_stream_end_event_initialize($0) }
            guard yaml_emitter_flush(emitter) == 1 else { throw events.failure("flushing the output") }
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }
}

/// Collects what the emitter writes; a class so the C callback can reach it through a pointer.
private final class OutputBuffer {
    var bytes: [UInt8] = []
}

/// Feeds events to one emitter. libyaml owns (and frees) an event once it is passed to
/// `yaml_emitter_emit`, even when that fails, so nothing is freed here.
private struct EventSink {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>

    func emit(_ initialize: (UnsafeMutablePointer<yaml_event_t>) -> Int32) throws(ClusterResourcesError) {
        var event = yaml_event_t()
        guard initialize(&event) == 1 else {
            throw ClusterResourcesError(.yaml, "could not create a YAML event (invalid UTF-8 or out of memory)")
        }
        guard yaml_emitter_emit(emitter, &event) == 1 else { throw failure("writing YAML") }
    }

    func node(_ node: YAMLNode) throws(ClusterResourcesError) {
        switch node {
        case .string(let text):
            try scalar(text, style: Self.style(for: text))
        case .integer(let value):
            try scalar(String(value), style: YAML_PLAIN_SCALAR_STYLE)
        case .boolean(let value):
            try scalar(value ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .null:
            try scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .sequence(let items):
            try emit { yaml_sequence_start_event_initialize($0, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE) }
            for item in items { try self.node(item) }
            try emit { yaml_sequence_end_event_initialize($0) }
        case .mapping(let entries):
            try emit { yaml_mapping_start_event_initialize($0, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE) }
            for key in MappingKeyOrder.sorted(entries.keys) {
                try scalar(key, style: Self.style(for: key))
                try self.node(entries[key]!)
            }
            try emit { yaml_mapping_end_event_initialize($0) }
        }
    }

    /// go-yaml's choice: literal for multi-line text, double quotes for text that would read back
    /// as another type, else plain (which libyaml turns into single quotes when plain is not
    /// allowed, e.g. `a: b` or `- x`).
    private static func style(for text: String) -> yaml_scalar_style_t {
        if text.contains("\n") { return YAML_LITERAL_SCALAR_STYLE }
        if PlainScalarResolution.needsQuotes(text) { return YAML_DOUBLE_QUOTED_SCALAR_STYLE }
        return YAML_PLAIN_SCALAR_STYLE
    }

    private func scalar(_ text: String, style: yaml_scalar_style_t) throws(ClusterResourcesError) {
        // A trailing NUL keeps the pointer non-null for the empty string (libyaml asserts on NULL).
        let bytes = Array(text.utf8) + [0]
        try emit { event in
            bytes.withUnsafeBufferPointer { buffer in
                yaml_scalar_event_initialize(event, nil, nil, buffer.baseAddress, Int32(buffer.count - 1), 1, 1, style)
            }
        }
    }

    func failure(_ action: String) -> ClusterResourcesError {
        let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown error"
        return ClusterResourcesError(.yaml, "libyaml failed \(action): \(problem)")
    }
}
