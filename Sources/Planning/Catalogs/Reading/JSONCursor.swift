#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A syntax or shape problem in JSON text: the byte offset where it was found and what is wrong.
struct JSONProblem: Error, Sendable, CustomStringConvertible {
    /// Offset in the buffer the cursor reads (the file, for JSON files).
    var offset: Int
    var message: String
    /// The field it is about, as a path (`entries[2].skips`), once known.
    var field: String?
    /// False when the text is valid JSON but a value has the wrong type.
    var isSyntax: Bool

    init(offset: Int, message: String, field: String? = nil, isSyntax: Bool = true) {
        self.offset = offset
        self.message = message
        self.field = field
        self.isSyntax = isSyntax
    }

    /// `FIELD: MESSAGE`, or the message alone.
    var description: String { field.map { "\($0): \(message)" } ?? message }
}

/// A key of a JSON object as it appears in the text: its bytes (without quotes) and whether
/// they hold escapes (then they must be decoded before comparing).
struct JSONKey {
    var start: Int
    var end: Int
    var hasEscapes: Bool
}

/// Reads JSON from a byte buffer without building a tree: values the caller does not need are
/// skipped (checked for structure, not decoded), strings are decoded only when asked for, and
/// every position is a byte offset, so that a blob can be kept as a slice of the file it came
/// from and a field's value replaced in place.
///
/// Skipped strings are checked for their closing quote only (escapes and control characters are
/// checked when a string is decoded): this keeps the large CSV-metadata strings of a catalog at
/// `memchr` speed.
///
/// The pointer is only valid inside the `withUnsafeBufferPointer` call that made it; a cursor
/// never leaves that scope.
struct JSONCursor {
    /// Deeper nesting is refused: the skipping recursion must not exhaust the stack.
    static let maximumDepth = 512

    let base: UnsafePointer<UInt8>
    let end: Int
    var index: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        // An empty buffer has no base address; a one-byte dummy keeps the pointer non-nil.
        self.base = buffer.baseAddress ?? JSONCursor.emptyBase
        self.end = buffer.count
        self.index = index
    }

    // Never written through: a stand-in address for an empty buffer.
    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()


    /// The byte at the cursor, or nil at the end.
    @inline(__always) func peek() -> UInt8? {
        index < end ? base[index] : nil
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < end {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func problem(_ message: String, at offset: Int? = nil) -> JSONProblem {
        JSONProblem(offset: offset ?? index, message: message)
    }

    /// A value of the wrong type at the cursor (a syntax error if no value starts there).
    func mismatch(expected: String) -> JSONProblem {
        let isValue: Bool
        switch peek() ?? 0 {
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): isValue = true
        default: isValue = false
        }
        return JSONProblem(offset: index, message: "expected \(expected), found \(describeNext())", isSyntax: !isValue)
    }

    /// What the value at the cursor is, for messages: "a string", "a number", "the end of the text".
    func describeNext() -> String {
        guard let byte = peek() else { return "the end of the text" }
        switch byte {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    // MARK: Skipping

    /// Skips one value (after any whitespace), checking its structure.
    mutating func skipValue(depth: Int = 0) throws(JSONProblem) {
        skipWhitespace()
        guard let byte = peek() else { throw problem("expected a value, found the end of the text") }
        switch byte {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw problem("nested more than \(Self.maximumDepth) levels deep") }
            try forEachMember { (cursor: inout JSONCursor, _: JSONKey) throws(JSONProblem) in
                try cursor.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw problem("nested more than \(Self.maximumDepth) levels deep") }
            try forEachElement { (cursor: inout JSONCursor) throws(JSONProblem) in
                try cursor.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "t"):
            try skipLiteral("true")
        case UInt8(ascii: "f"):
            try skipLiteral("false")
        case UInt8(ascii: "n"):
            try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw problem("expected a value, found \(describeNext())")
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(JSONProblem) {
        let count = literal.utf8CodeUnitCount
        guard end - index >= count, memcmp(base + index, literal.utf8Start, count) == 0 else {
            throw problem("expected a value, found \(describeNext())")
        }
        index += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func skipNumber() throws(JSONProblem) {
        let start = index
        func digits(_ cursor: inout JSONCursor) -> Int {
            let from = cursor.index
            while cursor.index < cursor.end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(cursor.base[cursor.index]) {
                cursor.index += 1
            }
            return cursor.index - from
        }
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw problem("invalid number", at: start)
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw problem("invalid number: no digit after '.'", at: start) }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw problem("invalid number: no digit in the exponent", at: start) }
        }
    }

    /// Skips the string at the cursor (which must be at its opening quote).
    /// - Returns: the range of its content (between the quotes).
    @discardableResult
    mutating func skipString() throws(JSONProblem) -> Range<Int> {
        let open = index
        var search = index + 1
        while true {
            guard search < end, let found = memchr(base + search, Int32(UInt8(ascii: "\"")), end - search) else {
                throw problem("unterminated string", at: open)
            }
            let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if !Self.isEscaped(quoteAt: quote, in: base, stringOpenedAt: open) {
                index = quote + 1
                return (open + 1)..<quote
            }
            search = quote + 1
        }
    }

    // MARK: Containers

    /// Calls `body` for each member of the object at the cursor, with the cursor at the member's
    /// value; `body` must read or skip that value. Leaves the cursor after the closing brace.
    mutating func forEachMember(_ body: (inout JSONCursor, JSONKey) throws(JSONProblem) -> Void) throws(JSONProblem) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw mismatch(expected: "an object") }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw problem("expected a member name in quotes, found \(describeNext())") }
            let content = try skipString()
            let hasEscapes = memchr(base + content.lowerBound, Int32(UInt8(ascii: "\\")), content.count) != nil
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw problem("expected ':' after a member name, found \(describeNext())") }
            index += 1
            skipWhitespace()
            try body(&self, JSONKey(start: content.lowerBound, end: content.upperBound, hasEscapes: hasEscapes))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default:
                throw problem("expected ',' or '}' in an object, found \(describeNext())")
            }
        }
    }

    /// Calls `body` for each element of the array at the cursor, with the cursor at the element;
    /// `body` must read or skip it. Leaves the cursor after the closing bracket.
    mutating func forEachElement(_ body: (inout JSONCursor) throws(JSONProblem) -> Void) throws(JSONProblem) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else { throw mismatch(expected: "an array") }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default:
                throw problem("expected ',' or ']' in an array, found \(describeNext())")
            }
        }
    }

    // MARK: Keys

    /// Whether `key` is `literal` (compared after decoding escapes, if it has any).
    func key(_ key: JSONKey, is literal: StaticString) -> Bool {
        if key.hasEscapes {
            return (try? decodeString(key.start..<key.end)) == String(describing: literal)
        }
        let count = literal.utf8CodeUnitCount
        return key.end - key.start == count && memcmp(base + key.start, literal.utf8Start, count) == 0
    }

    /// The key as text, for messages.
    func text(of key: JSONKey) -> String {
        (try? decodeString(key.start..<key.end)) ?? String(decoding: UnsafeBufferPointer(start: base + key.start, count: key.end - key.start), as: UTF8.self)
    }
}

extension JSONCursor {
    /// Whether the quote at `quote` is escaped: an odd number of backslashes precede it (back to
    /// the string's opening quote at `open`).
    static func isEscaped(quoteAt quote: Int, in bytes: UnsafePointer<UInt8>, stringOpenedAt open: Int) -> Bool {
        var backslashes = 0
        var before = quote - 1
        while before > open, bytes[before] == UInt8(ascii: "\\") {
            backslashes += 1
            before -= 1
        }
        return backslashes % 2 == 1
    }
}
