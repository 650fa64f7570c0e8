#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONCursor {
    /// Reads the string at the cursor.
    /// - Throws: when the value is not a string, or the string is malformed.
    mutating func readString() throws(JSONProblem) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw mismatch(expected: "a string") }
        let content = try skipString()
        return try decodeString(content)
    }

    /// Reads a string, or `null` as nil (Go's decoder leaves the field empty for null).
    mutating func readOptionalString() throws(JSONProblem) -> String? {
        skipWhitespace()
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// Reads an array of strings; `null` reads as empty.
    mutating func readStringArray() throws(JSONProblem) -> [String] {
        skipWhitespace()
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return []
        }
        var strings: [String] = []
        try forEachElement { (cursor: inout JSONCursor) throws(JSONProblem) in
            strings.append(try cursor.readString())
        }
        return strings
    }

    /// Decodes the content of a string (the bytes between its quotes).
    func decodeString(_ content: Range<Int>) throws(JSONProblem) -> String {
        let count = content.count
        let start = base + content.lowerBound
        // Fast path: no escape, no control character.
        if memchr(start, Int32(UInt8(ascii: "\\")), count) == nil {
            let bytes = UnsafeBufferPointer(start: start, count: count)
            if let control = bytes.firstIndex(where: { $0 < 0x20 }) {
                throw problem("control character U+\(hex(bytes[control], width: 4)) in a string; it must be escaped",
                              at: content.lowerBound + control)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(count)
        var i = content.lowerBound
        while i < content.upperBound {
            let byte = base[i]
            if byte < 0x20 {
                throw problem("control character U+\(hex(byte, width: 4)) in a string; it must be escaped", at: i)
            }
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                i += 1
                continue
            }
            guard i + 1 < content.upperBound else { throw problem("incomplete escape in a string", at: i) }
            let escaped = base[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad(at: i, limit: content.upperBound)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if i + 6 <= content.upperBound, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u"),
                       case let low = try hexQuad(at: i + 2, limit: content.upperBound), (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                output.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default:
                throw problem("invalid escape '\\\(Character(Unicode.Scalar(escaped)))' in a string", at: i - 2)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func hexQuad(at offset: Int, limit: Int) throws(JSONProblem) -> UInt32 {
        guard offset + 4 <= limit else { throw problem("incomplete \\u escape in a string", at: offset - 2) }
        var value: UInt32 = 0
        for k in 0..<4 {
            let byte = base[offset + k]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw problem("invalid \\u escape in a string", at: offset - 2)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// `byte` in upper-case hexadecimal, zero-padded to `width`.
func hex(_ byte: UInt8, width: Int) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
