/// A pattern that RE2 — Go's `regexp`, which oc-mirror uses — refuses, or that this engine
/// cannot run. `message` names the construct and its position; `hint` says what to write instead.
public struct RE2SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based position of the offending construct in the pattern, counted in characters
    /// (Unicode scalars).
    public var position: Int
    /// What is wrong.
    public var message: String
    /// What to do about it; always says where in the pattern the problem is.
    public var hint: String?

    public init(position: Int, message: String, hint: String? = nil) {
        self.position = position
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}

/// Parses RE2 syntax (Go `regexp/syntax` with its Perl flags, as `regexp.Compile` uses) into an
/// ``RE2Node`` tree. Iterative (an explicit stack of open groups), so deep nesting cannot
/// overflow the call stack; nesting is limited to 1,000 levels, as in Go.
struct RE2Parser {
    static let maxRepeat = 1000
    static let maxDepth = 1000

    private struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotAll = false
    }

    /// An open group: the alternatives finished so far and the items of the current one.
    private struct Frame {
        var alternatives: [RE2Node] = []
        var items: [RE2Node] = []
        var savedFlags: Flags
        /// Index of its `(` (-1 for the whole pattern).
        var open: Int

        var node: RE2Node {
            let all = alternatives + [RE2Parser.concatenation(items)]
            return all.count == 1 ? all[0] : .alternation(all)
        }
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var flags = Flags()

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func concatenation(_ items: [RE2Node]) -> RE2Node {
        switch items.count {
        case 0: .empty
        case 1: items[0]
        default: .concatenation(items)
        }
    }

    private func text(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[range.clamped(to: 0..<scalars.count)])
        return String(result)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    /// An error at `position` (0-based); the hint always says where, in 1-based characters.
    private func failure(at position: Int, _ message: String, hint: String? = nil) -> RE2SyntaxError {
        let place = "character \(position + 1)"
        let located = switch hint {
        case nil: "at \(place) of the pattern"
        case let hint? where hint.contains(place): hint
        case let hint?: "at \(place) of the pattern: \(hint)"
        }
        return RE2SyntaxError(position: position + 1, message: message, hint: located)
    }

    /// "RE2 (oc-mirror's Go regexp) does not support X either", the ending of refusals.
    private static let re2Refuses = "RE2, the syntax of oc-mirror's patterns (Go regexp), does not support it either"

    // MARK: Structure

    mutating func parse() throws(RE2SyntaxError) -> RE2Node {
        var stack = [Frame(savedFlags: flags, open: -1)]
        // Where the repetition operator just before began, to refuse `a**` and `a++` as Go does.
        var lastRepeat: Int?
        while index < scalars.count {
            let start = index
            var repeatStart: Int?
            switch scalars[index] {
            case "(":
                guard stack.count <= Self.maxDepth else {
                    throw failure(at: start, "groups nest more than \(Self.maxDepth) deep",
                                  hint: "the '(' at character \(start + 1) is one too many; RE2 has the same limit")
                }
                if let opened = try openGroup() { stack.append(opened) }
            case ")":
                guard stack.count > 1 else {
                    throw failure(at: start, "unexpected ')'",
                                  hint: "no '(' opens the ')' at character \(start + 1); write '\\)' for a literal parenthesis")
                }
                let frame = stack.removeLast()
                flags = frame.savedFlags
                stack[stack.count - 1].items.append(frame.node)
                index += 1
            case "|":
                let items = stack[stack.count - 1].items
                stack[stack.count - 1].alternatives.append(Self.concatenation(items))
                stack[stack.count - 1].items = []
                index += 1
            case "*", "+", "?":
                let op = scalars[index]
                index += 1
                let (min, max): (Int, Int?) = op == "*" ? (0, nil) : op == "+" ? (1, nil) : (0, 1)
                try applyRepeat(min: min, max: max, from: start, after: lastRepeat, to: &stack)
                repeatStart = start
            case "{":
                if let (min, max, end) = countedRepeat(at: index) {
                    let written = text(start..<end)
                    guard min <= Self.maxRepeat, (max ?? 0) <= Self.maxRepeat, max.map({ min <= $0 }) ?? true else {
                        throw failure(at: start, "invalid repeat count '\(written)'",
                                      hint: "the count at character \(start + 1) must be at most \(Self.maxRepeat), with the minimum not above the maximum, as in RE2; use '*' or '+' for no limit")
                    }
                    index = end
                    try applyRepeat(min: min, max: max, from: start, after: lastRepeat, to: &stack)
                    repeatStart = start
                } else {
                    // Not a valid count: a literal brace, as in RE2.
                    stack[stack.count - 1].items.append(literal("{"))
                    index += 1
                }
            case "^":
                stack[stack.count - 1].items.append(.assertion(flags.multiLine ? .beginLine : .beginText))
                index += 1
            case "$":
                stack[stack.count - 1].items.append(.assertion(flags.multiLine ? .endLine : .endText))
                index += 1
            case ".":
                var set = RE2CharacterSet.ranges(flags.dotAll ? [] : [0x0A...0x0A], negated: true)
                set.fold = false
                stack[stack.count - 1].items.append(.set(set))
                index += 1
            case "[":
                stack[stack.count - 1].items.append(.set(try characterClass()))
            case "\\":
                stack[stack.count - 1].items += try escape()
            default:
                stack[stack.count - 1].items.append(literal(scalars[index]))
                index += 1
            }
            lastRepeat = repeatStart
        }
        if stack.count > 1 {
            let open = stack[stack.count - 1].open
            throw failure(at: open, "expected ')'",
                          hint: "the '(' at character \(open + 1) is never closed; write '\\(' for a literal parenthesis")
        }
        return stack[0].node
    }

    private func literal(_ scalar: Unicode.Scalar) -> RE2Node {
        .literal(scalar, fold: flags.caseInsensitive && RE2CaseFolding.variants(of: scalar).count > 1)
    }

    /// Applies `{min,max}` to the item before it; `index` is past the operator. Takes a lazy `?`.
    private mutating func applyRepeat(min: Int, max: Int?, from start: Int, after lastRepeat: Int?,
                                      to stack: inout [Frame]) throws(RE2SyntaxError) {
        let isPlus = scalars[start] == "+"
        if peek() == "?" { index += 1 }  // lazy: the same yes/no answer for a search
        if let lastRepeat {
            let written = text(lastRepeat..<index)
            if isPlus {
                throw failure(at: lastRepeat, "possessive quantifier '\(written)' at character \(lastRepeat + 1) is not supported: \(Self.re2Refuses)",
                              hint: "drop the '+' after the quantifier at character \(lastRepeat + 1); RE2 never backtracks, so the plain quantifier is already safe")
            }
            throw failure(at: lastRepeat, "nested repetition operator '\(written)' at character \(lastRepeat + 1) is not supported: \(Self.re2Refuses)",
                          hint: "write one operator, or put the repeated part in a group first, such as '(a*)*'")
        }
        guard let operand = stack[stack.count - 1].items.popLast() else {
            throw failure(at: start, "missing argument to repetition operator '\(text(start..<index))'",
                          hint: "nothing comes before the operator at character \(start + 1) to repeat; write '\\\(scalars[start])' for the literal character")
        }
        stack[stack.count - 1].items.append(.repetition(operand, min: min, max: max))
    }

    /// `{n}`, `{n,}` or `{n,m}` at `start`: the bounds and the index after `}`; nil when the text
    /// is not one of those forms (then `{` is a literal, as in RE2).
    private func countedRepeat(at start: Int) -> (Int, Int?, Int)? {
        var position = start + 1
        func number() -> Int?? {
            let first = position
            while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
            let digits = text(first..<position)
            if digits.isEmpty { return .none }
            // Go refuses leading zeros (then the brace is literal) and reads huge counts as invalid.
            if digits.count > 1, digits.hasPrefix("0") { return .none }
            return .some(digits.count > 8 ? Int.max : Int(digits))
        }
        guard let minimum = number(), let min = minimum else { return nil }
        var max: Int? = min
        if position < scalars.count, scalars[position] == "," {
            position += 1
            if position < scalars.count, scalars[position] == "}" {
                max = nil
            } else {
                guard let maximum = number(), let value = maximum else { return nil }
                max = value
            }
        }
        guard position < scalars.count, scalars[position] == "}" else { return nil }
        return (min, max, position + 1)
    }

    /// After `(`: opens a group (returned), or applies `(?flags)` to the current group (nil).
    private mutating func openGroup() throws(RE2SyntaxError) -> Frame? {
        let start = index
        index += 1
        guard peek() == "?" else { return Frame(savedFlags: flags, open: start) }
        let two = text(index..<index + 2), three = text(index..<index + 3)
        func unsupported(_ what: String, _ written: String, _ hint: String) -> RE2SyntaxError {
            failure(at: start, "\(what) '\(written)' at character \(start + 1) is not supported: \(Self.re2Refuses)",
                    hint: hint)
        }
        switch true {
        case two == "?=", two == "?!":
            throw unsupported("lookahead", "(\(two)", "RE2 has no lookaround; match the text itself, or use a negated class such as [^-]")
        case three == "?<=", three == "?<!":
            throw unsupported("lookbehind", "(\(three)", "RE2 has no lookaround; match the text itself, or anchor with ^ or $")
        case three == "?P=":
            throw unsupported("named backreference", "(?P=", "RE2 has no backreferences; write the repeated text out")
        case three == "?P>", two == "?R", two == "?&":
            throw unsupported("recursion", "(\(three)", "RE2 has no recursive patterns")
        case two == "?>":
            throw unsupported("atomic group", "(?>", "RE2 never backtracks; a plain group '(?:…)' is already safe")
        case two == "?#":
            throw unsupported("comment", "(?#", "remove the comment")
        case two == "?(":
            throw unsupported("conditional", "(?(", "write the alternatives with '|'")
        case three == "?P<", two == "?<":
            // A named group: `(?P<name>re)` or `(?<name>re)`.
            index += three == "?P<" ? 3 : 2
            let nameStart = index
            while let c = peek(), c != ">" { index += 1 }
            let name = text(nameStart..<index)
            guard peek() == ">", !name.isEmpty,
                  name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil })
            else {
                throw failure(at: start, "invalid named capture '\(text(start..<min(index + 1, scalars.count)))'",
                              hint: "the group at character \(start + 1) needs a name of letters, digits and '_' closed by '>'")
            }
            index += 1
            return Frame(savedFlags: flags, open: start)
        default:
            break
        }
        // Flags: (?i) (?-s) (?im:re) …
        index += 1
        var updated = flags
        var negate = false, sawFlag = false
        scan: while let c = peek() {
            index += 1
            switch c {
            case "i": updated.caseInsensitive = !negate; sawFlag = true
            case "m": updated.multiLine = !negate; sawFlag = true
            case "s": updated.dotAll = !negate; sawFlag = true
            case "U": sawFlag = true  // ungreedy: changes which match, never whether
            case "-":
                if negate { break scan }
                negate = true
                sawFlag = false
            case ":", ")":
                if negate && !sawFlag { break scan }
                if c == ":" {
                    let frame = Frame(savedFlags: flags, open: start)
                    flags = updated
                    return frame
                }
                flags = updated
                return nil
            default:
                break scan
            }
        }
        let written = text(start..<min(index, scalars.count))
        throw failure(at: start, "invalid or unsupported Perl syntax '\(written)' at character \(start + 1)",
                      hint: "RE2 groups are '(re)', '(?:re)', '(?P<name>re)' and flags '(?i)', '(?m)', '(?s)', '(?U)', '(?flags:re)'")
    }

    // MARK: Classes

    private mutating func characterClass() throws(RE2SyntaxError) -> RE2CharacterSet {
        let start = index
        index += 1
        var set = RE2CharacterSet()
        set.fold = flags.caseInsensitive
        if peek() == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while true {
            guard let c = peek() else {
                throw failure(at: start, "expected ']'",
                              hint: "the '[' at character \(start + 1) is never closed; write '\\[' for a literal bracket")
            }
            if c == "]" && !first {
                index += 1
                return set
            }
            first = false
            if c == "[", peek(1) == ":", let posix = try posixClass() {
                set.add(contentsOf: posix)
                continue
            }
            if c == "\\", let letter = peek(1) {
                if let perl = RE2CharacterSet.perl(Character(letter)) {
                    set.add(contentsOf: perl)
                    index += 2
                    continue
                }
                if letter == "p" || letter == "P" {
                    set.categories.append(try unicodeClass())
                    continue
                }
            }
            let lowPosition = index
            let low = try classCharacter()
            var high = low
            if peek() == "-", let after = peek(1), after != "]" {
                index += 1
                high = try classCharacter()
                guard low.value <= high.value else {
                    let written = text(lowPosition..<index)
                    throw failure(at: lowPosition, "invalid character class range '\(written)'",
                                  hint: "the range at character \(lowPosition + 1) runs backwards; write it low to high")
                }
            }
            set.add(low.value...high.value)
        }
    }

    /// `[:name:]` or `[:^name:]` at `index`; nil (nothing read) when no `:]` closes it.
    private mutating func posixClass() throws(RE2SyntaxError) -> RE2CharacterSet? {
        var end = index + 2
        while end + 1 < scalars.count, !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
        guard end + 1 < scalars.count else { return nil }
        var name = text(index + 2..<end)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = RE2CharacterSet.posix(name) else {
            throw failure(at: index, "invalid character class range '\(text(index..<end + 2))'",
                          hint: "the class at character \(index + 1) is not one of alnum, alpha, ascii, blank, cntrl, digit, graph, lower, print, punct, space, upper, word, xdigit")
        }
        index = end + 2
        return .ranges(ranges, negated: negated)
    }

    /// One character inside a class, escapes included.
    private mutating func classCharacter() throws(RE2SyntaxError) -> Unicode.Scalar {
        let c = scalars[index]
        guard c == "\\" else {
            index += 1
            return c
        }
        return try singleEscape()
    }

    /// `\pL`, `\p{Lu}`, `\PL`, `\p{^L}` at `index`.
    private mutating func unicodeClass() throws(RE2SyntaxError) -> RE2CharacterSet.Category {
        let start = index
        var negated = scalars[index + 1] == "P"
        index += 2
        var name: String
        if peek() == "{" {
            let open = index
            while let c = peek(), c != "}" { index += 1 }
            guard peek() == "}" else {
                throw failure(at: start, "invalid character class range '\(text(start..<index))'",
                              hint: "the '{' at character \(open + 1) is never closed")
            }
            name = text(open + 1..<index)
            index += 1
        } else if let c = peek() {
            name = String(Character(c))
            index += 1
        } else {
            throw failure(at: start, "invalid character class range '\(text(start..<index))'",
                          hint: "name a Unicode class after the '\\p' at character \(start + 1), such as \\pL or \\p{Lu}")
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let members = RE2CharacterSet.unicodeCategory(name) else {
            throw failure(at: start, "Unicode class '\(text(start..<index))' at character \(start + 1) is not supported by Ferry",
                          hint: "Ferry knows the general categories (\\pL, \\p{Lu}, \\pN, \\p{Nd}, …) and \\p{Any}, not scripts; write the characters as a class, such as [α-ω]")
        }
        return .init(members: members, negated: negated)
    }

    // MARK: Escapes

    /// An escape outside a class (`index` at the backslash): one or more items.
    private mutating func escape() throws(RE2SyntaxError) -> [RE2Node] {
        let start = index
        guard let c = peek(1) else {
            throw failure(at: start, "trailing backslash at end of expression",
                          hint: "the '\\' at character \(start + 1) escapes nothing; write '\\\\' for a literal backslash")
        }
        switch c {
        case "A": index += 2; return [.assertion(.beginText)]
        case "z": index += 2; return [.assertion(.endText)]
        case "b": index += 2; return [.assertion(.wordBoundary)]
        case "B": index += 2; return [.assertion(.notWordBoundary)]
        case "p", "P":
            var set = RE2CharacterSet()
            set.categories = [try unicodeClass()]
            set.fold = flags.caseInsensitive
            return [.set(set)]
        case "Q":
            // \Q…\E: literal text.
            index += 2
            var items: [RE2Node] = []
            while let d = peek() {
                if d == "\\", peek(1) == "E" {
                    index += 2
                    break
                }
                items.append(literal(d))
                index += 1
            }
            return items
        default:
            if let perl = RE2CharacterSet.perl(Character(c)) {
                index += 2
                return [.set(perl)]
            }
            return [literal(try singleEscape())]
        }
    }

    /// An escape that stands for one character (`index` at the backslash), in or out of a class.
    private mutating func singleEscape() throws(RE2SyntaxError) -> Unicode.Scalar {
        let start = index
        guard let c = peek(1) else {
            throw failure(at: start, "trailing backslash at end of expression",
                          hint: "the '\\' at character \(start + 1) escapes nothing; write '\\\\' for a literal backslash")
        }
        index += 2
        let written = "\\\(Character(c))"
        func isOctal(_ s: Unicode.Scalar?) -> Bool { s.map { ("0"..."7").contains($0) } ?? false }
        switch c {
        case "1"..."9" where !(c <= "7" && isOctal(peek())), "k", "g":
            let shown = c == "k" || c == "g" ? written : text(start..<index)
            throw failure(at: start, "backreference '\(shown)' at character \(start + 1) is not supported: \(Self.re2Refuses)",
                          hint: "RE2 matches in linear time and has no backreferences; write the repeated text out, or use a class such as [a-z0-9]+")
        case "0"..."7":
            // Octal: \0, \012, \12 (one to three digits; a lone \1-\7 is a backreference, above).
            var value = c.value - 0x30
            for _ in 0..<2 where isOctal(peek()) {
                value = value * 8 + (scalars[index].value - 0x30)
                index += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            var digits = ""
            if peek() == "{" {
                index += 1
                while let d = peek(), d != "}" { digits.unicodeScalars.append(d); index += 1 }
                if peek() == "}" { index += 1 } else { digits = "" }
            } else if let a = peek(), let b = peek(1) {
                digits = String(String.UnicodeScalarView([a, b]))
                index += 2
            }
            guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16),
                  let scalar = Unicode.Scalar(value) else {
                throw failure(at: start, "invalid escape sequence '\(text(start..<index))'",
                              hint: "write \\xHH or \\x{HHHH} at character \(start + 1)")
            }
            return scalar
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{0B}"
        default:
            if c.isASCII && !c.properties.isAlphabetic && !("0"..."9").contains(c) {
                return c  // \. \- \\ \/ …: the punctuation itself
            }
            let hint: String = switch c {
            case "Z": "RE2 has no \\Z; write \\z or $ for the end of the name"
            case "C": "RE2 (Go) has no \\C; write . for any character"
            default: "RE2 (oc-mirror's Go regexp) refuses '\(written)' too; escape only punctuation, or use \\d \\w \\s \\b \\pL \\xHH"
            }
            throw failure(at: start, "invalid escape sequence '\(written)' at character \(start + 1)", hint: hint)
        }
    }
}
