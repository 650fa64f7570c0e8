/// Changes the filter makes to blobs: only the value concerned is replaced in the blob's bytes,
/// every other byte stays as read.
extension OLMChannel {
    /// The channel with only the entries named in `names` (in their original order).
    func keeping(_ names: Set<String>) -> OLMChannel {
        guard entries.contains(where: { !names.contains($0.name) }), let entriesSpan else { return self }
        let kept = entries.filter { names.contains($0.name) }
        let array = JSONText.array(in: blob.bytes, arraySpan: entriesSpan, elements: entries.map(\.span), keeping: kept.map(\.span))
        let bytes = JSONText.replacing(entriesSpan, in: blob.bytes, with: array)
        guard case .channel(let edited)? = BlobDecoder.decode(edited: bytes, source: blob.source) else { return self }
        return edited
    }
}

extension OLMPackage {
    /// The package with `defaultChannel` set to `channel`.
    func withDefaultChannel(_ channel: String) -> OLMPackage {
        guard channel != defaultChannel else { return self }
        let value = JSONText.string(channel)
        let bytes: [UInt8]
        if let defaultChannelSpan {
            bytes = JSONText.replacing(defaultChannelSpan, in: blob.bytes, with: value)
        } else {
            // No such member yet: add it first in the object.
            let member = Array("\"defaultChannel\":".utf8) + value + [UInt8(ascii: ",")]
            let openBrace = (blob.bytes.firstIndex(of: UInt8(ascii: "{")) ?? blob.bytes.startIndex) - blob.bytes.startIndex
            let isEmptyObject = blob.bytes.dropFirst(openBrace + 1).first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "}")
            bytes = JSONText.replacing((openBrace + 1)..<(openBrace + 1), in: blob.bytes, with: isEmptyObject ? Array(member.dropLast()) : member)
        }
        guard case .package(let edited)? = BlobDecoder.decode(edited: bytes, source: blob.source) else { return self }
        return edited
    }
}

extension OLMDeprecations {
    /// The deprecations without the entries `isKept` refuses.
    func keeping(where isKept: (Entry) -> Bool) -> OLMDeprecations {
        guard entries.contains(where: { !isKept($0) }), let entriesSpan else { return self }
        let kept = entries.filter(isKept)
        let array = JSONText.array(in: blob.bytes, arraySpan: entriesSpan, elements: entries.map(\.span), keeping: kept.map(\.span))
        let bytes = JSONText.replacing(entriesSpan, in: blob.bytes, with: array)
        guard case .deprecations(let edited)? = BlobDecoder.decode(edited: bytes, source: blob.source) else { return self }
        return edited
    }
}
