import Foundation

/// Deterministic pseudo-random bytes: the same seed and size always give the same blob, so
/// layers shared between images are byte-identical and seeded sets are reproducible.
enum SyntheticContent {
    static func bytes(seed: UInt64, count: Int) -> Data {
        var data = Data(count: count)
        data.withUnsafeMutableBytes { fill($0, seed: seed) }
        return data
    }

    /// Fills a buffer in place (no second copy of a large layer).
    static func fill(_ raw: UnsafeMutableRawBufferPointer, seed: UInt64) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        let words = raw.count / 8
        for i in 0..<words {
            // splitmix64: fast, and good enough that no compression or dedup kicks in.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            raw.storeBytes(of: z ^ (z >> 31), toByteOffset: i * 8, as: UInt64.self)
        }
        for i in (words * 8)..<raw.count { raw[i] = UInt8(truncatingIfNeeded: seed &+ UInt64(i)) }
    }

    /// A stable seed from a name (FNV-1a), for layers named in a spec.
    static func seed(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
