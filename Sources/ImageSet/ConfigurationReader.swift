/// Reads a YAML node tree into configuration values strictly: unknown keys, wrong types and
/// missing required fields are errors. Every problem is collected (nothing stops at the first),
/// and the position of every value read is kept for the validation pass.
///
/// Used by one load on one thread; not shared.
final class ConfigurationReader {
    let file: String
    private(set) var errors: [Diagnostic] = []
    private(set) var warnings: [Diagnostic] = []
    /// Where each value read was written, by its path.
    private(set) var marks: [FieldPath: SourceMark] = [:]
    /// Where each key read was written, by its path.
    private(set) var keyMarks: [FieldPath: SourceMark] = [:]
    /// The path of each list entry read, by the entry's mark: values keep their mark, and this
    /// gives the validator their path back (an entry that failed to read leaves no gap here).
    private(set) var entryPaths: [SourceMark: FieldPath] = [:]
    /// Where the YAML documents after the first start (only the first is read).
    var laterDocuments: [SourceMark] = []

    init(file: String) {
        self.file = file
    }

    func error(_ path: FieldPath, at mark: SourceMark, _ message: String, hint: String? = nil) {
        errors.append(Diagnostic(mark: mark, path: path, message: message, hint: hint))
    }

    func warning(_ path: FieldPath, at mark: SourceMark, _ message: String, hint: String? = nil) {
        warnings.append(Diagnostic(mark: mark, path: path, message: message, hint: hint))
    }

    /// Adds problems found elsewhere (the YAML reader, the validator).
    func add(errors more: [Diagnostic]) {
        errors += more
    }

    // MARK: Mappings

    /// The known fields of a mapping, after reporting its unknown keys.
    struct Fields {
        let path: FieldPath
        let mark: SourceMark
        fileprivate let values: [String: YAMLNode]
        /// Where each known key was written.
        let keyMarks: [String: SourceMark]

        /// Whether the key was written (even with a null value).
        func contains(_ key: String) -> Bool { values[key] != nil }

        /// Whether the key's value stands in for one already reported (an unknown alias).
        func isPlaceholder(_ key: String) -> Bool { values[key]?.isPlaceholder == true }
    }

    /// Reads `node` as a mapping with the keys `known`. A null counts as an empty mapping.
    ///
    /// Keys match case-insensitively with a warning (`additionalimages:` is `additionalImages`), as
    /// oc-mirror's decoder (Go's `encoding/json` after sigs.k8s.io/yaml) matches them; one field
    /// written twice in different cases is an error, since that decoder silently keeps only one.
    /// - Parameters:
    ///   - retired: keys of older formats, with what to write instead; reported as unknown with that hint.
    ///   - scalarHint: a hint for when a scalar was written where the mapping belongs.
    ///   - exactCase: known keys oc-mirror reads only as spelled (the top-level `kind`, `mirror`, `delete`).
    /// - Returns: nil, having reported it, when `node` is not a mapping.
    func fields(_ node: YAMLNode, at path: FieldPath, known: [String], retired: [String: String] = [:],
                scalarHint: String? = nil, exactCase: Set<String> = []) -> Fields? {
        if node.isPlaceholder { return nil }
        if node.isNull { return Fields(path: path, mark: node.mark, values: [:], keyMarks: [:]) }
        guard case .mapping(let entries) = node.content else {
            error(path, at: node.mark, "expected a mapping, got \(node.kindDescription)",
                  hint: node.scalar == nil ? nil : scalarHint)
            return nil
        }
        var values: [String: YAMLNode] = [:]
        var keyMarks: [String: SourceMark] = [:]
        var spellings: [String: String] = [:]
        for entry in entries {
            let name = entry.name
            let folded = name.lowercased()
            let canonical = known.contains(name) ? name
                : known.first { $0.lowercased() == folded && !exactCase.contains($0) }
            if let canonical {
                if let first = keyMarks[canonical], let spelling = spellings[canonical] {
                    error(path.key(name), at: entry.key.mark,
                          "'\(name)' and '\(spelling)' (at \(first.lineAndColumn)) are the same field '\(canonical)' in different cases",
                          hint: "keep one '\(canonical)'; oc-mirror would silently read only one of them")
                    continue
                }
                if name != canonical {
                    warning(path.key(name), at: entry.key.mark, "'\(name)' is read as '\(canonical)' (keys match case-insensitively, as in oc-mirror)",
                            hint: "write '\(canonical)'")
                }
                values[canonical] = entry.value
                keyMarks[canonical] = entry.key.mark
                spellings[canonical] = name
            } else if let replacement = retired[name] ?? retired.first(where: { $0.key.lowercased() == folded })?.value {
                error(path.key(name), at: entry.key.mark, "unknown field '\(name)'", hint: replacement)
            } else if let exact = exactCase.first(where: { $0.lowercased() == folded }) {
                error(path.key(name), at: entry.key.mark, "unknown field '\(name)'; did you mean '\(exact)'?",
                      hint: "oc-mirror reads the top-level '\(exact)' only in this exact spelling")
            } else {
                error(path.key(name), at: entry.key.mark,
                      "unknown field '\(name)'" + Suggestion.phrase(for: name, among: known))
            }
        }
        return Fields(path: path, mark: node.mark, values: values, keyMarks: keyMarks)
    }

    /// The value of `key`, or nil when it is absent, null or a placeholder; remembers where it was written.
    func node(_ fields: Fields, _ key: String) -> YAMLNode? {
        guard let value = fields.values[key], !value.isNull, !value.isPlaceholder else { return nil }
        marks[fields.path.key(key)] = value.mark
        keyMarks[fields.path.key(key)] = fields.keyMarks[key]
        return value
    }

    /// Reports that `key` is missing from `fields`.
    func missing(_ fields: Fields, _ key: String, hint: String? = nil) {
        error(fields.path.key(key), at: fields.mark, "required field is missing", hint: hint)
    }

    // MARK: Scalars

    /// A string field: any scalar, taken as written (`version: 4.10` stays "4.10").
    func string(_ fields: Fields, _ key: String) -> String? {
        guard let value = node(fields, key) else { return nil }
        guard let scalar = value.scalar else {
            error(fields.path.key(key), at: value.mark, "expected a string, got \(value.kindDescription)")
            return nil
        }
        return scalar.value
    }

    /// A string field that must be present and not empty.
    func requiredString(_ fields: Fields, _ key: String, hint: String? = nil) -> String? {
        if fields.values[key]?.isPlaceholder == true { return nil }
        guard let value = node(fields, key) else {
            missing(fields, key, hint: hint)
            return nil
        }
        guard let text = string(fields, key) else { return nil }
        guard !text.isEmpty else {
            error(fields.path.key(key), at: value.mark, "must not be empty")
            return nil
        }
        return text
    }

    /// A boolean field; false when absent. Takes `true`/`false` in any of the three cases, and
    /// YAML 1.1's `yes`/`no`/`on`/`off`/`y`/`n` (as oc-mirror does) with a warning.
    func bool(_ fields: Fields, _ key: String) -> Bool {
        guard let value = node(fields, key) else { return false }
        let path = fields.path.key(key)
        guard let scalar = value.scalar, !scalar.isString, let boolean = YAMLBoolean(plain: scalar.value) else {
            let quotedHint = value.scalar.map { $0.isString && YAMLBoolean(plain: $0.value) != nil } == true
                ? "remove the quotes: a quoted value is a string" : nil
            error(path, at: value.mark, "expected a boolean (true or false), got \(value.kindDescription)", hint: quotedHint)
            return false
        }
        if !boolean.isCore {
            warning(path, at: value.mark, "'\(scalar.value)' is read as \(boolean.value) (a YAML 1.1 boolean)",
                    hint: "write \(boolean.value) instead; YAML 1.2 readers take '\(scalar.value)' as a string")
        }
        return boolean.value
    }

    /// An integer field written in decimal; nil when absent.
    func integer(_ fields: Fields, _ key: String) -> Int64? {
        guard let value = node(fields, key) else { return nil }
        guard let scalar = value.scalar, !scalar.isString, let number = Int64(scalar.value) else {
            error(fields.path.key(key), at: value.mark, "expected an integer, got \(value.kindDescription)")
            return nil
        }
        return number
    }

    /// A semantic version field, parsed as Masterminds `NewVersion` does.
    func version(_ fields: Fields, _ key: String) -> SemanticVersion? {
        guard let text = string(fields, key), let value = node(fields, key) else { return nil }
        do {
            return try SemanticVersion(parsingLeniently: text)
        } catch {
            self.error(fields.path.key(key), at: value.mark, error.description)
            return nil
        }
    }

    // MARK: Lists

    /// A list field; empty when absent or null. `item` reads each entry, or returns nil having
    /// reported why. `hint` says how to write the list when something else was written.
    func list<Item>(_ fields: Fields, _ key: String, hint: String? = nil,
                    item: (YAMLNode, FieldPath) -> Item?) -> [Item] {
        guard let value = node(fields, key) else { return [] }
        let path = fields.path.key(key)
        guard case .sequence(let entries) = value.content else {
            error(path, at: value.mark, "expected a list, got \(value.kindDescription)", hint: hint)
            return []
        }
        return entries.enumerated().compactMap { index, entry in
            if entry.isPlaceholder { return nil }
            marks[path.index(index)] = entry.mark
            // An alias repeats its anchor's mark; the first entry keeps it.
            if entryPaths[entry.mark] == nil { entryPaths[entry.mark] = path.index(index) }
            return item(entry, path.index(index))
        }
    }

    /// A list of strings; empty when absent.
    func strings(_ fields: Fields, _ key: String) -> [String] {
        list(fields, key, hint: "write a list: [a, b] or one '- item' per line") { entry, path in
            guard let scalar = entry.scalar, !entry.isNull else {
                error(path, at: entry.mark, "expected a string, got \(entry.kindDescription)")
                return nil
            }
            return scalar.value
        }
    }
}
