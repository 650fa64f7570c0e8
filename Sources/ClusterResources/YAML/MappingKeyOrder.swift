/// The order go-yaml v2 writes string map keys in, which is the order of every object that
/// sigs.k8s.io/yaml (and so `oc` and oc-mirror) writes.
///
/// Mostly alphabetical by code point, with two twists that matter for real keys: runs of digits
/// compare as numbers (`sha256-…-2` before `sha256-…-10`), and at the first difference a
/// non-letter sorts before a letter (`_x` before `A`).
/// Source: go-yaml v2.4.0 `sorter.go`, `keyList.Less` (string keys).
enum MappingKeyOrder {
    /// True when key `a` is written before key `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars)
        let br = Array(b.unicodeScalars)
        for i in 0..<min(ar.count, br.count) {
            if ar[i] == br[i] { continue }
            let aLetter = isLetter(ar[i])
            let bLetter = isLetter(br[i])
            if aLetter && bLetter { return ar[i].value < br[i].value }
            if aLetter || bLetter { return bLetter }
            // Both non-letters: compare the digit runs that start here as numbers. A run after
            // a non-zero digit ("10" vs "1") is not a leading-zero run, hence the seed of 1.
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ (Int64(ar[ai].value) &- 48)
                ai += 1
            }
            var bi = i
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ (Int64(br[bi].value) &- 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    /// `keys` in the order they are written.
    static func sorted(_ keys: some Sequence<String>) -> [String] {
        keys.sorted(by: precedes)
    }

    /// Go's `unicode.IsLetter`: general category L.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// Go's `unicode.IsDigit`: general category Nd.
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }
}
