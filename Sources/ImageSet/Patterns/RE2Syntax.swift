/// The parse tree of an RE2 pattern, and the character sets it matches with.
///
/// Only what a yes/no search needs is kept: groups leave no trace (there are no captures), and
/// lazy quantifiers read as greedy ones (they change which match is found, never whether).

/// A zero-width assertion.
enum RE2Assertion: Hashable, Sendable {
    /// `^` without `(?m)`, `\A`.
    case beginText
    /// `$` without `(?m)`, `\z`. (Go's `$` does not match before a final newline.)
    case endText
    /// `^` with `(?m)`: at the start or after `\n`.
    case beginLine
    /// `$` with `(?m)`: at the end or before `\n`.
    case endLine
    /// `\b`: between an ASCII word character and a non-word character (or an end).
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}

/// One node of the parse tree.
indirect enum RE2Node: Sendable {
    /// Matches the empty string.
    case empty
    /// One character; `fold` for `(?i)`.
    case literal(Unicode.Scalar, fold: Bool)
    /// A character class, `.`, `\d`, `\pL`, ….
    case set(RE2CharacterSet)
    case assertion(RE2Assertion)
    case concatenation([RE2Node])
    case alternation([RE2Node])
    /// `max` nil for no upper bound.
    case repetition(RE2Node, min: Int, max: Int?)
}

/// A set of characters: ranges and Unicode general categories, possibly negated, possibly
/// case-insensitive (`(?i)`: a character is in the set if it or its other case is).
struct RE2CharacterSet: Hashable, Sendable {
    /// Inclusive code point ranges.
    var ranges: [ClosedRange<UInt32>] = []
    /// `\pL`, `\p{Nd}`, …: each entry the categories of one class, and whether it was negated.
    var categories: [Category] = []
    var negated = false
    var fold = false

    struct Category: Hashable, Sendable {
        var members: Set<Unicode.GeneralCategory>
        var negated: Bool
    }

    mutating func add(_ scalar: Unicode.Scalar) { add(scalar.value...scalar.value) }
    mutating func add(_ range: ClosedRange<UInt32>) { ranges.append(range) }

    /// Adds a set's members (a negated set becomes its complement's ranges).
    mutating func add(contentsOf other: RE2CharacterSet) {
        if other.negated {
            precondition(other.categories.isEmpty, "negated category sets are added as categories")
            ranges += Self.complement(of: other.ranges)
        } else {
            ranges += other.ranges
            categories += other.categories
        }
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var hit = containsExactly(scalar.value, scalar)
        if !hit && fold {
            for variant in RE2CaseFolding.variants(of: scalar) where variant != scalar {
                if containsExactly(variant.value, variant) { hit = true; break }
            }
        }
        return hit != negated
    }

    private func containsExactly(_ value: UInt32, _ scalar: Unicode.Scalar) -> Bool {
        for range in ranges where range.contains(value) { return true }
        if !categories.isEmpty {
            let category = scalar.properties.generalCategory
            for entry in categories where entry.members.contains(category) != entry.negated { return true }
        }
        return false
    }

    /// The code points (all of Unicode) not in `ranges`.
    static func complement(of ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= next { next = range.upperBound &+ 1 }
            if range.upperBound == 0x10FFFF { return result }
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }

    // MARK: Named classes

    static func ranges(_ list: [ClosedRange<UInt32>], negated: Bool = false) -> RE2CharacterSet {
        RE2CharacterSet(ranges: list, negated: negated)
    }

    private static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    private static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    private static let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]

    /// `\d \w \s` and their upper-case negations (ASCII, as in RE2).
    static func perl(_ letter: Character) -> RE2CharacterSet? {
        switch letter {
        case "d": ranges(digit)
        case "D": ranges(digit, negated: true)
        case "w": ranges(word)
        case "W": ranges(word, negated: true)
        case "s": ranges(space)
        case "S": ranges(space, negated: true)
        default: nil
        }
    }

    /// `[:alpha:]` and the other ASCII classes RE2 knows, by name.
    static func posix(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": [0x41...0x5A, 0x61...0x7A]
        case "ascii": [0x00...0x7F]
        case "blank": [0x09...0x09, 0x20...0x20]
        case "cntrl": [0x00...0x1F, 0x7F...0x7F]
        case "digit": digit
        case "graph": [0x21...0x7E]
        case "lower": [0x61...0x7A]
        case "print": [0x20...0x7E]
        case "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": [0x09...0x0D, 0x20...0x20]
        case "upper": [0x41...0x5A]
        case "word": word
        case "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: nil
        }
    }

    /// The general categories behind `\p{NAME}` (one- and two-letter names, and `Any`); nil for
    /// names this engine does not know (scripts such as `Greek`).
    static func unicodeCategory(_ name: String) -> Set<Unicode.GeneralCategory>? {
        typealias G = Unicode.GeneralCategory
        let table: [String: [G]] = [
            "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter],
            "Lm": [.modifierLetter], "Lo": [.otherLetter],
            "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
            "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
            "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation],
            "Pe": [.closePunctuation], "Pi": [.initialPunctuation], "Pf": [.finalPunctuation],
            "Po": [.otherPunctuation],
            "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
            "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
            "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
        ]
        if let members = table[name] { return Set(members) }
        if name.count == 1, "LMNPSZC".contains(name) {
            var members = Set(table.filter { $0.key.hasPrefix(name) }.values.joined())
            if name == "C" { members.insert(.unassigned) }
            return members
        }
        if name == "Any" {
            return Set(table.values.joined()).union([.unassigned])
        }
        return nil
    }
}

/// Case-insensitive matching: a character matches another under `(?i)` when their simple
/// lower- or upper-case forms agree (Unicode simple case folding, close to RE2's orbits).
enum RE2CaseFolding {
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII {
            let value = scalar.value | 0x20
            guard (0x61...0x7A).contains(value) else { return [scalar] }
            let lower = Unicode.Scalar(UInt8(value)), upper = Unicode.Scalar(UInt8(value - 0x20))
            // 'k' and 's' also fold with the Kelvin sign and the long s, as in RE2.
            if value == 0x6B { return [lower, upper, "\u{212A}"] }
            if value == 0x73 { return [lower, upper, "\u{17F}"] }
            return [lower, upper]
        }
        // The closure under simple lower- and upper-casing (`ſ` → `S` → `s`).
        var result = [scalar]
        var index = 0
        while index < result.count, result.count < 8 {
            let properties = result[index].properties
            for mapped in [properties.lowercaseMapping, properties.uppercaseMapping] {
                let scalars = mapped.unicodeScalars
                if scalars.count == 1, let only = scalars.first, !result.contains(only) { result.append(only) }
            }
            index += 1
        }
        return result
    }

    static func equal(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        a == b || variants(of: a).contains(b)
    }
}
