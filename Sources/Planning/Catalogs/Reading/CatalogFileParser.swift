/// Splits one catalog file into blobs. As operator-registry's loader does, the content decides
/// the format, not the file name: text whose first character (after a byte order mark and
/// white space) is `{` is a stream of JSON objects, anything else is YAML (one or more `---`
/// documents).
enum CatalogFileParser {
    static func blobs(in bytes: [UInt8], file: String) throws(CatalogLoadError) -> [DecodedBlob] {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return [] }
        if bytes[start] == UInt8(ascii: "{") {
            return try jsonBlobs(bytes, from: start, file: file)
        }
        return try yamlBlobs(bytes, file: file)
    }

    /// A stream of JSON objects, each kept as a slice of `bytes` (no copy).
    private static func jsonBlobs(_ bytes: [UInt8], from start: Int, file: String) throws(CatalogLoadError) -> [DecodedBlob] {
        let result: Result<[DecodedBlob], CatalogLoadError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, at: start)
            var blobs: [DecodedBlob] = []
            while true {
                cursor.skipWhitespace()
                guard let next = cursor.peek() else { return .success(blobs) }
                guard next == UInt8(ascii: "{") else {
                    return .failure(CatalogLoadError(.syntax, file: file, position: .byteOffset(cursor.index),
                                                     message: "expected a JSON object (a catalog blob), found \(cursor.describeNext())"))
                }
                do throws(BlobDecodingFailure) {
                    blobs.append(try BlobDecoder.decode(&cursor, bytes: { bytes[$0] },
                                                        source: { BlobSource(file: file, position: .byteOffset($0)) }))
                } catch {
                    return .failure(CatalogLoadError(error.isSyntax ? .syntax : .invalidBlob,
                                                     file: file, position: .byteOffset(error.offset),
                                                     subject: error.subject, message: error.message))
                }
            }
        }
        return try result.get()
    }

    /// YAML documents, each converted to JSON and decoded like a JSON blob; positions are the
    /// document's line (a byte offset in the converted JSON would mean nothing to a reader).
    private static func yamlBlobs(_ bytes: [UInt8], file: String) throws(CatalogLoadError) -> [DecodedBlob] {
        let documents: [YAMLCatalogReader.Document]
        do {
            documents = try YAMLCatalogReader.documents(bytes)
        } catch {
            throw CatalogLoadError(.syntax, file: file, position: .line(error.line, column: error.column), message: error.message)
        }
        var blobs: [DecodedBlob] = []
        for document in documents {
            let json = document.json
            let result: Result<DecodedBlob, CatalogLoadError> = json.withUnsafeBufferPointer { buffer in
                var cursor = JSONCursor(buffer)
                do throws(BlobDecodingFailure) {
                    return .success(try BlobDecoder.decode(&cursor, bytes: { json[$0] },
                                                           source: { _ in BlobSource(file: file, position: .line(document.line)) }))
                } catch {
                    return .failure(CatalogLoadError(.invalidBlob, file: file, position: .line(document.line),
                                                     subject: error.subject, message: error.message))
                }
            }
            blobs.append(try result.get())
        }
        return blobs
    }
}
