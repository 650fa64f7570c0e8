import Foundation
import ImageSet

/// A channel entry's `skipRange`, in the range syntax OLM parses it with (blang/semver
/// `ParseRange`): comparisons `<`, `<=`, `>`, `>=`, `=`, `==`, `!=`, `!` (none means `=`), joined
/// by spaces (all must hold) and `||` (either side may hold); `x`/`X`/`*` wildcards
/// (`1.2.x`); an operator may be separated from its version by spaces. Versions missing their
/// minor or patch are taken as 0 (blang refuses them). Pre-releases compare by precedence, as
/// blang does (no Masterminds-style exclusion).
struct SkipRange: Sendable, Hashable, CustomStringConvertible {
    private enum Operator: String, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=", notEqual = "!="
    }

    private struct Comparison: Sendable, Hashable {
        var op: Operator
        var version: SemanticVersion

        func holds(for candidate: SemanticVersion) -> Bool {
            let order = precedence(candidate, version)
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .equal: return order == 0
            case .notEqual: return order != 0
            }
        }
    }

    /// Alternatives (`||`), each a conjunction of comparisons.
    private var alternatives: [[Comparison]]
    /// The range as written.
    let text: String

    /// Parses `text`; nil when it is not a range.
    init?(_ text: String) {
        self.text = text
        var alternatives: [[Comparison]] = []
        for part in text.components(separatedBy: "||") {
            var tokens = part.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !tokens.isEmpty else { return nil }
            // Join an operator written apart from its version (">= 1.0.0").
            var index = 0
            while index < tokens.count {
                if tokens[index].allSatisfy({ "<>=!".contains($0) }), index + 1 < tokens.count {
                    tokens[index] += tokens.remove(at: index + 1)
                }
                index += 1
            }
            var comparisons: [Comparison] = []
            for token in tokens {
                guard let parsed = Self.comparisons(token) else { return nil }
                comparisons += parsed
            }
            alternatives.append(comparisons)
        }
        self.alternatives = alternatives
    }

    func contains(_ version: SemanticVersion) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.holds(for: version) } }
    }

    var description: String { text }

    /// One token, `>=1.2.0` or `1.2.x`, as one or two comparisons.
    private static func comparisons(_ token: String) -> [Comparison]? {
        let operators: [(String, Operator)] = [(">=", .greaterOrEqual), ("<=", .lessOrEqual), ("!=", .notEqual), ("==", .equal),
                                               (">", .greater), ("<", .less), ("=", .equal), ("!", .notEqual)]
        var op = Operator.equal
        var rest = Substring(token)
        if let match = operators.first(where: { token.hasPrefix($0.0) }) {
            op = match.1
            rest = rest.dropFirst(match.0.count)
        }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let wildcard = parts.firstIndex { $0 == "x" || $0 == "X" || $0 == "*" }
        guard let wildcard else {
            guard let version = try? SemanticVersion(parsingLeniently: String(rest)) else { return nil }
            return [Comparison(op: op, version: version)]
        }
        // 1.2.x: the versions from 1.2.0 up to (not including) 1.3.0; x alone: every version.
        let numbers = parts[..<wildcard].compactMap { UInt64($0) }
        guard numbers.count == wildcard else { return nil }
        let lower = SemanticVersion(major: numbers.first ?? 0, minor: numbers.count > 1 ? numbers[1] : 0, patch: 0)
        var upper: SemanticVersion?
        switch numbers.count {
        case 1: upper = SemanticVersion(major: numbers[0] + 1, minor: 0, patch: 0)
        case 2: upper = SemanticVersion(major: numbers[0], minor: numbers[1] + 1, patch: 0)
        default: upper = nil
        }
        switch op {
        case .equal:
            return [Comparison(op: .greaterOrEqual, version: lower)] + (upper.map { [Comparison(op: .less, version: $0)] } ?? [])
        case .notEqual:
            return nil
        case .greaterOrEqual:
            return [Comparison(op: .greaterOrEqual, version: lower)]
        case .less:
            return [Comparison(op: .less, version: lower)]
        case .greater:
            return upper.map { [Comparison(op: .greaterOrEqual, version: $0)] } ?? [Comparison(op: .less, version: lower)]
        case .lessOrEqual:
            return upper.map { [Comparison(op: .less, version: $0)] } ?? [Comparison(op: .greaterOrEqual, version: lower)]
        }
    }
}
