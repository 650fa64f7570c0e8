/// SplitMix64: a small seeded generator, so that the same seed writes the same catalog.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A lowercase hexadecimal string of `count` digits.
    mutating func hex(_ count: Int) -> String {
        var text = ""
        text.reserveCapacity(count)
        while text.count < count {
            let word = next()
            text += String(word, radix: 16).leftPadded(to: 16)
        }
        return String(text.prefix(count))
    }

    /// Words of lorem-ipsum-like text, `bytes` long or a little more.
    mutating func prose(_ bytes: Int) -> String {
        let words = ["operator", "cluster", "install", "upgrade", "the", "a", "of", "with", "resource", "custom",
                     "manages", "deploys", "namespace", "channel", "bundle", "service", "storage", "network",
                     "**Note:**", "see", "documentation", "configure", "instance", "and", "for", "to", "`kubectl`"]
        var text = ""
        text.reserveCapacity(bytes + 16)
        var sentence = 0
        while text.utf8.count < bytes {
            text += words[Int(next() % UInt64(words.count))]
            sentence += 1
            if sentence % 14 == 0 {
                text += ".\n\n"
            } else {
                text += " "
            }
        }
        return text
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
