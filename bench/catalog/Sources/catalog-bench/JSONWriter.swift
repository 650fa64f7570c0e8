/// Writes JSON as opm does (`declcfg.WriteJSON`: four-space indentation, one object after the
/// other, no HTML escaping), straight into bytes.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var depth = 0
    private var needsComma = false

    /// A top-level object, followed by a newline.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open("{")
        body(&self)
        close("}")
        bytes.append(0x0A)
        needsComma = false
    }

    mutating func member(_ key: String, _ value: String) {
        writeKey(key)
        string(value)
        needsComma = true
    }

    mutating func memberObject(_ key: String, _ body: (inout JSONWriter) -> Void) {
        writeKey(key)
        open("{")
        body(&self)
        close("}")
    }

    mutating func memberArray(_ key: String, _ body: (inout JSONWriter) -> Void) {
        writeKey(key)
        open("[")
        body(&self)
        close("]")
    }

    mutating func element(_ value: String) {
        separate()
        string(value)
        needsComma = true
    }

    mutating func elementObject(_ body: (inout JSONWriter) -> Void) {
        separate()
        open("{")
        body(&self)
        close("}")
    }

    // MARK: Pieces

    private var isEmptyContainer = true

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        newline()
        isEmptyContainer = false
    }

    private mutating func writeKey(_ key: String) {
        separate()
        string(key)
        bytes.append(contentsOf: Array(": ".utf8))
    }

    private mutating func open(_ bracket: Character) {
        bytes.append(contentsOf: Array(String(bracket).utf8))
        depth += 1
        needsComma = false
        isEmptyContainer = true
    }

    private mutating func close(_ bracket: Character) {
        depth -= 1
        if !isEmptyContainer { newline() }
        bytes.append(contentsOf: Array(String(bracket).utf8))
        needsComma = true
        isEmptyContainer = false
    }

    private mutating func newline() {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 4 * depth))
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
