/// What an unquoted (plain) scalar means to a YAML reader: a string, or something else.
///
/// The writer asks this before writing a string plain: `true`, `123`, `1.5`, `null`, `2024-01-02`
/// or `1:20` written bare would read back as a boolean, number, null or timestamp, so they are
/// double-quoted instead — exactly what go-yaml v2 (behind sigs.k8s.io/yaml) does. The rules are
/// the union of the YAML 1.1 types go-yaml v2 and PyYAML resolve and the YAML 1.2 core schema, so
/// a file reads the same in every common parser; quoting one string too many is harmless, one
/// too few changes its meaning.
/// Source: yaml.org/type (bool, null, int, float, timestamp, merge) and go-yaml v2 `resolve.go`.
enum PlainScalarResolution {
    /// The meaning of a plain scalar.
    enum Resolved: Equatable {
        case string
        case null
        case boolean(Bool)
        case integer(Int)
        /// Not a string, but a type ``YAMLNode`` does not carry (float, timestamp, merge key,
        /// an integer out of range); the associated text names it for error messages.
        case unsupported(String)
    }

    /// The YAML 1.1 booleans (go-yaml v2 also takes `y`/`n`).
    private static let trueWords: Set<String> = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"]
    private static let falseWords: Set<String> = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"]
    private static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// Resolves `text` as a plain scalar.
    static func resolve(_ text: String) -> Resolved {
        if nullWords.contains(text) { return .null }
        if trueWords.contains(text) { return .boolean(true) }
        if falseWords.contains(text) { return .boolean(false) }
        if text == "<<" || text == "=" { return .unsupported("merge or value key") }
        // Every number and timestamp starts with one of these; skip the patterns for the rest
        // (image references, names), which are nearly all strings.
        guard let first = text.unicodeScalars.first, "0123456789+-.".unicodeScalars.contains(first) else {
            return .string
        }
        return resolveNumeric(text)
    }

    /// True when `text` must be quoted to read back as the string `text`.
    static func needsQuotes(_ text: String) -> Bool {
        resolve(text) != .string
    }

    private static func resolveNumeric(_ text: String) -> Resolved {
        if text.wholeMatch(of: #/[-+]?[0-9][0-9_]*/#) != nil {
            return decimalOrOctal(text)
        }
        if text.wholeMatch(of: #/[-+]?0x[0-9a-fA-F_]+/#) != nil { return radixInteger(text, prefixLength: 2, radix: 16) }
        if text.wholeMatch(of: #/[-+]?0o[0-7_]+/#) != nil { return radixInteger(text, prefixLength: 2, radix: 8) }
        if text.wholeMatch(of: #/[-+]?0b[01_]+/#) != nil { return radixInteger(text, prefixLength: 2, radix: 2) }
        if text.wholeMatch(of: #/[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*\.[0-9_]*|[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?/#) != nil
            || text.wholeMatch(of: #/[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/#) != nil {
            return .unsupported("float")
        }
        if text.wholeMatch(of: #/[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?/#) != nil {
            return .unsupported("sexagesimal number")
        }
        let timestamp = #/[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?/#
        if text.wholeMatch(of: timestamp) != nil {
            return .unsupported("timestamp")
        }
        return .string
    }

    /// `[-+]?[0-9][0-9_]*`: decimal, or octal with a leading 0 as YAML 1.1 (and go-yaml v2) read
    /// it; `09` is neither and go-yaml reads it as the float 9.
    private static func decimalOrOctal(_ text: String) -> Resolved {
        let unsigned = text.drop { $0 == "+" || $0 == "-" }
        if unsigned.count > 1, unsigned.first == "0" {
            guard unsigned.allSatisfy({ ("0"..."7").contains($0) || $0 == "_" }) else { return .unsupported("float") }
            return radixInteger(text, prefixLength: 1, radix: 8)
        }
        return radixInteger(text, prefixLength: 0, radix: 10)
    }

    private static func radixInteger(_ text: String, prefixLength: Int, radix: Int) -> Resolved {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let digits = rest.dropFirst(prefixLength).filter { $0 != "_" }
        guard let magnitude = Int(negative ? "-" + digits : digits, radix: radix) else {
            return .unsupported("integer out of range")
        }
        return .integer(magnitude)
    }
}
