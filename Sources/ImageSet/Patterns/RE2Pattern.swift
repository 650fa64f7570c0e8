/// A regular expression in RE2 syntax — the syntax of oc-mirror's `blockedImages` patterns (Go
/// `regexp`) — that answers one question: does it match anywhere in a text?
///
/// Matching runs in linear time: the pattern is compiled to a Thompson NFA, which is simulated
/// one character at a time over the set of states it can be in (no backtracking), so a search
/// costs at most O(pattern size × text length) whatever the pattern. `([a-z0-9]+)*-debug` and
/// `(a|aa)+c`, exponential on a backtracking engine, take microseconds.
///
/// Text is read as Unicode scalars (as Go reads runes); `.` matches any scalar except `\n`.
public struct RE2Pattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let program: RE2Program

    /// The most NFA instructions a pattern may compile to (counted repetitions multiply):
    /// a search costs up to this many steps per character of the text.
    public static let maxInstructions = 100_000

    /// Compiles `pattern`.
    /// - Throws: ``RE2SyntaxError`` for what RE2 refuses (backreferences, lookaround, possessive
    ///   or nested quantifiers, counts above 1,000, …) and for patterns too large to run.
    public init(_ pattern: String) throws(RE2SyntaxError) {
        var parser = RE2Parser(pattern)
        let tree = try parser.parse()
        self.pattern = pattern
        program = try RE2Program(tree, limit: Self.maxInstructions)
    }

    /// Whether the pattern matches anywhere in `text` (Go's `regexp.MatchString`).
    public func matches(in text: String) -> Bool {
        program.search(Array(text.unicodeScalars))
    }

    public var description: String { pattern }

    public static func == (lhs: RE2Pattern, rhs: RE2Pattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// A compiled pattern: a Thompson NFA as a list of instructions.
struct RE2Program: Sendable {
    enum Instruction: Sendable {
        /// Consume this character.
        case literal(Unicode.Scalar)
        /// Consume a character equal to one of these (a `(?i)` literal's case variants).
        case literalFolded([Unicode.Scalar])
        /// Consume a character in `sets[index]`.
        case set(Int)
        /// Continue only where the assertion holds.
        case assertion(RE2Assertion)
        /// Continue at both.
        case split(Int, Int)
        case jump(Int)
        case match
    }

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [RE2CharacterSet] = []
    /// The pattern starts with `^`/`\A` on every path: only position 0 can start a match.
    private(set) var anchoredAtStart = false
    private let limit: Int

    init(_ tree: RE2Node, limit: Int) throws(RE2SyntaxError) {
        self.limit = limit
        try emit(tree)
        try append(.match)
        anchoredAtStart = Self.startsWithBeginText(tree)
    }

    private static func startsWithBeginText(_ node: RE2Node) -> Bool {
        switch node {
        case .assertion(.beginText): true
        case .concatenation(let items): items.first.map(startsWithBeginText) ?? false
        case .alternation(let branches): branches.allSatisfy(startsWithBeginText)
        case .repetition(let inner, let min, _): min > 0 && startsWithBeginText(inner)
        default: false
        }
    }

    // MARK: Compiling

    @discardableResult
    private mutating func append(_ instruction: Instruction) throws(RE2SyntaxError) -> Int {
        guard instructions.count < limit else {
            throw RE2SyntaxError(position: 1, message: "pattern is too large: it compiles to more than \(limit) steps",
                                 hint: "counted repetitions multiply (such as (x{1,1000}){100}); Ferry refuses patterns this large to keep matching fast; write '*' or '+' instead of large counts")
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func patch(_ at: Int, to target: Int) {
        switch instructions[at] {
        case .split(let first, _): instructions[at] = .split(first, target)
        case .jump: instructions[at] = .jump(target)
        default: preconditionFailure("only splits and jumps are patched")
        }
    }

    private mutating func emit(_ node: RE2Node) throws(RE2SyntaxError) {
        switch node {
        case .empty:
            break
        case .literal(let scalar, let fold):
            let variants = fold ? RE2CaseFolding.variants(of: scalar) : [scalar]
            try append(variants.count > 1 ? .literalFolded(variants) : .literal(scalar))
        case .set(let set):
            let index = sets.firstIndex(of: set) ?? sets.count
            if index == sets.count { sets.append(set) }
            try append(.set(index))
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = try append(.split(instructions.count + 1, -1))
                try emit(branch)
                exits.append(try append(.jump(-1)))
                patch(split, to: instructions.count)
            }
            if let last = branches.last { try emit(last) }
            for exit in exits { patch(exit, to: instructions.count) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { try emit(inner) }
            if let max {
                // Each optional copy may be skipped to the end: x{2,4} is x x (x (x)?)?.
                var skips: [Int] = []
                for _ in min..<max {
                    skips.append(try append(.split(instructions.count + 1, -1)))
                    try emit(inner)
                }
                for skip in skips { patch(skip, to: instructions.count) }
            } else {
                // x*: a loop around one more copy (empty loops end: a state is visited once a step).
                let loop = try append(.split(instructions.count + 1, -1))
                try emit(inner)
                try append(.jump(loop))
                patch(loop, to: instructions.count)
            }
        }
    }

    // MARK: Searching

    /// The states reachable at one position, each once (a sparse set: O(1) insert, test, clear).
    private struct StateSet {
        var dense: [Int] = []
        var sparse: [Int]

        init(capacity: Int) {
            sparse = Array(repeating: 0, count: capacity)
            dense.reserveCapacity(capacity)
        }

        func contains(_ state: Int) -> Bool {
            let slot = sparse[state]
            return slot < dense.count && dense[slot] == state
        }

        mutating func insert(_ state: Int) {
            sparse[state] = dense.count
            dense.append(state)
        }

        mutating func removeAll() { dense.removeAll(keepingCapacity: true) }
    }

    /// Unanchored search: a new thread starts at every position; stops at the first match.
    func search(_ text: [Unicode.Scalar]) -> Bool {
        var current = StateSet(capacity: instructions.count)
        var next = StateSet(capacity: instructions.count)
        var stack: [Int] = []
        for position in 0...text.count {
            if position == 0 || !anchoredAtStart {
                if follow(from: 0, at: position, in: text, into: &current, stack: &stack) { return true }
            }
            guard position < text.count, !current.dense.isEmpty else {
                if anchoredAtStart || position == text.count { return false }
                continue
            }
            let character = text[position]
            for state in current.dense {
                let consumes: Bool = switch instructions[state] {
                case .literal(let scalar): scalar == character
                case .literalFolded(let variants): variants.contains(character)
                case .set(let index): sets[index].contains(character)
                default: false
                }
                if consumes, follow(from: state + 1, at: position + 1, in: text, into: &next, stack: &stack) {
                    return true
                }
            }
            swap(&current, &next)
            next.removeAll()
        }
        return false
    }

    /// Adds `start` and every state reachable from it without consuming a character (through
    /// splits, jumps and assertions that hold at `position`) to `states`. True on reaching `match`.
    private func follow(from start: Int, at position: Int, in text: [Unicode.Scalar],
                        into states: inout StateSet, stack: inout [Int]) -> Bool {
        stack.append(start)
        while let state = stack.popLast() {
            if states.contains(state) { continue }
            states.insert(state)
            switch instructions[state] {
            case .match:
                stack.removeAll()
                return true
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if Self.holds(assertion, at: position, in: text) { stack.append(state + 1) }
            case .literal, .literalFolded, .set:
                break
            }
        }
        return false
    }

    private static func holds(_ assertion: RE2Assertion, at position: Int, in text: [Unicode.Scalar]) -> Bool {
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == text.count
        case .beginLine: return position == 0 || text[position - 1] == "\n"
        case .endLine: return position == text.count || text[position] == "\n"
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && isWord(text[position - 1])
            let after = position < text.count && isWord(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "A"..."Z", "a"..."z", "_": true
        default: false
        }
    }
}
