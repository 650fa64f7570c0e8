/// Small pieces of JSON writing: strings, number syntax, and replacing one value of a blob
/// while keeping every other byte.
enum JSONText {
    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else (non-ASCII included) as UTF-8.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20: output.append(contentsOf: Array("\\u\(hex(byte, width: 4))".utf8))
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string.
    static func string(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        appendString(text, to: &output)
        return output
    }

    /// Whether `text` is a number in JSON's grammar.
    static func isNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return false }
        var index = 0
        func digits() -> Int {
            let from = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// `bytes` with the range `span` (offsets from its start) replaced by `replacement`.
    static func replacing(_ span: Range<Int>, in bytes: ArraySlice<UInt8>, with replacement: [UInt8]) -> [UInt8] {
        let start = bytes.startIndex
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count - span.count + replacement.count)
        output.append(contentsOf: bytes[start..<(start + span.lowerBound)])
        output.append(contentsOf: replacement)
        output.append(contentsOf: bytes[(start + span.upperBound)...])
        return output
    }

    /// The array `[` … `]` at `arraySpan` in `bytes`, rebuilt from the elements at `kept` (spans
    /// of elements of that array, in order), keeping the original layout: the text before the
    /// first element, between the first two, and after the last.
    static func array(in bytes: ArraySlice<UInt8>, arraySpan: Range<Int>, elements: [Range<Int>], keeping kept: [Range<Int>]) -> [UInt8] {
        let start = bytes.startIndex
        func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[(start + range.lowerBound)..<(start + range.upperBound)] }
        guard let first = elements.first, let last = elements.last else { return Array(slice(arraySpan)) }
        let leading = slice((arraySpan.lowerBound + 1)..<first.lowerBound)
        let trailing = slice(last.upperBound..<(arraySpan.upperBound - 1))
        let separator: ArraySlice<UInt8> = elements.count > 1 ? slice(first.upperBound..<elements[1].lowerBound) : [UInt8(ascii: ",")]
        var output: [UInt8] = [UInt8(ascii: "[")]
        if kept.isEmpty {
            output.append(UInt8(ascii: "]"))
            return output
        }
        output.append(contentsOf: leading)
        for (index, element) in kept.enumerated() {
            if index > 0 { output.append(contentsOf: separator) }
            output.append(contentsOf: slice(element))
        }
        output.append(contentsOf: trailing)
        output.append(UInt8(ascii: "]"))
        return output
    }
}
