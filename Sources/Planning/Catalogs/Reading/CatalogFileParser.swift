#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Splits one catalog file into blobs. As operator-registry's loader does, the content decides
/// the format, not the file name: text whose first character (after a byte order mark and
/// white space) is `{` is a stream of JSON objects, anything else is YAML (one or more `---`
/// documents).
///
/// The file is read as a stream (``CatalogFileInput``), never whole: white space between
/// objects is skipped without being kept, and each top-level JSON object (or YAML document) is
/// handed on as soon as it is complete, so memory is bounded by the largest single object, which
/// may be at most `maxObjectBytes` (a file of gigabytes of white space reads in constant memory).
/// Every blob gets its own copy of its bytes (it keeps no larger buffer alive).
enum CatalogFileParser {
    /// The largest catalog object (one JSON object, or one YAML document with what precedes it)
    /// accepted by default.
    static let defaultMaxObjectBytes = FileBasedCatalog.defaultMaxObjectBytes
    /// Bytes asked of the input at a time.
    static let chunkBytes = 1 << 20
    /// The most white space before the first character of a YAML file's first content line (its
    /// indent, which YAML needs; JSON files may start with any amount of white space).
    static let maxLeadingIndent = 64 << 10

    /// The blobs of a file already in memory (tests, generated catalogs).
    static func blobs(in bytes: [UInt8], file: String, maxObjectBytes: Int = defaultMaxObjectBytes) throws(CatalogLoadError) -> [DecodedBlob] {
        var blobs: [DecodedBlob] = []
        try forEachBlob(in: .memory(bytes), file: file, maxObjectBytes: maxObjectBytes) { blob throws(CatalogLoadError) in
            blobs.append(blob)
        }
        return blobs
    }

    /// Reads `input` chunk by chunk and hands each blob to `body`, in file order.
    /// - Parameter buffer: a read buffer to reuse across files (its pages stay mapped); one of
    ///   this call's own otherwise.
    static func forEachBlob(in input: CatalogFileInput, file: String, maxObjectBytes: Int = defaultMaxObjectBytes,
                            buffer: CatalogReadBuffer = CatalogReadBuffer(),
                            _ body: (DecodedBlob) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        var stream = ChunkedBytes(input: input, file: file, chunk: chunkBytes, buffer: buffer)
        defer { stream.release(to: buffer) }
        // A byte order mark, then white space: only the line count and the last line's indent are kept.
        try stream.ensure(3)
        if stream.available >= 3, stream[stream.head] == 0xEF, stream[stream.head + 1] == 0xBB, stream[stream.head + 2] == 0xBF {
            stream.head += 3
        }
        var leading = LeadingSpace()
        guard try stream.skipWhitespace(recording: &leading, limit: maxLeadingIndent) else { return }
        if stream[stream.head] == UInt8(ascii: "{") {
            try jsonBlobs(&stream, file: file, maxObjectBytes: maxObjectBytes, body)
        } else {
            try yamlBlobs(&stream, leading: leading, file: file, maxObjectBytes: maxObjectBytes, body)
        }
    }

    /// A stream of JSON objects. Each is decoded in place when the buffer holds it whole (the
    /// usual case); one that runs past the buffer is first delimited (strings, escapes and
    /// nesting followed, reading on as needed), then decoded alone. Either way the decoder sees
    /// the same bytes from the object's start, so errors and their offsets are those a read of
    /// the whole file would give.
    private static func jsonBlobs(_ stream: inout ChunkedBytes, file: String, maxObjectBytes: Int,
                                  _ body: (DecodedBlob) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        var ignored = LeadingSpace()
        while try stream.skipWhitespace(recording: &ignored, limit: nil) {
            let start = stream.head
            let base = stream.base
            guard stream[start] == UInt8(ascii: "{") else {
                let cursor = JSONCursor(stream.window(upTo: stream.tail), at: start)
                throw CatalogLoadError(.syntax, file: file, position: .byteOffset(base + start),
                                       message: "expected a JSON object (a catalog blob), found \(cursor.describeNext())")
            }
            switch decode(stream, upTo: stream.tail, file: file) {
            case .success(let blob, let end):
                guard end - stream.head <= maxObjectBytes else { throw stream.tooLarge(maxObjectBytes) }
                stream.head = end
                try body(blob)
                continue
            case .failure(let error):
                // The buffer holds the rest of the file: the error is the file's.
                if stream.atEnd { throw error }
            }
            // The object may run past the buffer: find its end (or the end of the file), then decode it alone.
            let end = try stream.objectEnd(maxObjectBytes: maxObjectBytes)
            guard end - stream.head <= maxObjectBytes else { throw stream.tooLarge(maxObjectBytes) }
            switch decode(stream, upTo: end, file: file) {
            case .success(let blob, let end):
                stream.head = end
                try body(blob)
            case .failure(let error):
                throw error
            }
        }
    }

    private enum Decoded {
        case success(DecodedBlob, end: Int)
        case failure(CatalogLoadError)
    }

    /// Decodes the object at the stream's head from the buffer's bytes up to `limit`.
    private static func decode(_ stream: ChunkedBytes, upTo limit: Int, file: String) -> Decoded {
        let base = stream.base
        let buffer = stream.window(upTo: limit)
        var cursor = JSONCursor(buffer, at: stream.head)
        do throws(BlobDecodingFailure) {
            let blob = try BlobDecoder.decode(&cursor, bytes: { ArraySlice(Array(UnsafeBufferPointer(rebasing: buffer[$0]))) },
                                              source: { BlobSource(file: file, position: .byteOffset(base + $0)) })
            return .success(blob, end: cursor.index)
        } catch {
            return .failure(CatalogLoadError(error.isSyntax ? .syntax : .invalidBlob, file: file, position: .byteOffset(base + error.offset),
                                             subject: error.subject, message: error.message))
        }
    }

    /// YAML documents, each converted to JSON and decoded like a JSON blob; positions are the
    /// document's line (a byte offset in the converted JSON would mean nothing to a reader).
    /// libyaml reads the rest of the stream through a callback; the skipped leading white space
    /// is given back as its last line's indent, with its line breaks added to every line.
    private static func yamlBlobs(_ stream: inout ChunkedBytes, leading: LeadingSpace, file: String, maxObjectBytes: Int,
                                  _ body: (DecodedBlob) throws(CatalogLoadError) -> Void) throws(CatalogLoadError) {
        let lines = leading.lineBreaks
        guard !leading.indentTooLong else {
            throw CatalogLoadError(.tooLarge, file: file, position: .line(lines + 1),
                                   message: "the line starts with more than \(ByteSize.format(Int64(maxLeadingIndent))) of white space")
        }
        var failure: CatalogLoadError?
        do throws(YAMLCatalogReader.Problem) {
            try YAMLCatalogReader.forEachDocument(prefix: leading.lastLineIndent, rest: &stream, maxDocumentBytes: maxObjectBytes) { document in
                let json = document.json
                let line = document.line + lines
                let result: Result<DecodedBlob, CatalogLoadError> = json.withUnsafeBufferPointer { buffer in
                    var cursor = JSONCursor(buffer)
                    do throws(BlobDecodingFailure) {
                        return .success(try BlobDecoder.decode(&cursor, bytes: { json[$0] },
                                                               source: { _ in BlobSource(file: file, position: .line(line)) }))
                    } catch {
                        return .failure(CatalogLoadError(.invalidBlob, file: file, position: .line(line),
                                                         subject: error.subject, message: error.message))
                    }
                }
                do throws(CatalogLoadError) {
                    try body(try result.get())
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
        } catch {
            if let read = error.readFailure { throw read }
            throw CatalogLoadError(error.isTooLarge ? .tooLarge : .syntax, file: file,
                                   position: .line(error.line + lines, column: error.column), message: error.message)
        }
        if let failure { throw failure }
    }
}

/// Where a catalog file's bytes come from: a file descriptor, read as it goes, or bytes in memory.
enum CatalogFileInput {
    case descriptor(Int32)
    case memory([UInt8])
}

/// Read memory kept from one catalog file to the next (a fresh buffer per file would be mapped
/// and faulted in again each time).
final class CatalogReadBuffer {
    fileprivate var storage: UnsafeMutablePointer<UInt8>?
    fileprivate var capacity = 0

    init() {}

    deinit { storage?.deallocate() }
}

/// The white space before a file's first object: what YAML positions need of it.
struct LeadingSpace {
    /// Line breaks (`\n`, `\r\n`, `\r`).
    var lineBreaks = 0
    /// The spaces and tabs after the last break (they are the first line's indent), up to the limit.
    var lastLineIndent: [UInt8] = []
    /// The indent was longer than the limit (a YAML file starting so is refused).
    var indentTooLong = false
    fileprivate var afterCarriageReturn = false
}

/// A window on a stream of bytes: `[head, tail)` of `pointer` is read and not yet consumed, and
/// byte `i` of the buffer is byte `base + i` of the file. Reading more first drops what is
/// consumed (moving the rest to the front); the buffer grows only for an object larger than it.
struct ChunkedBytes {
    private let input: CatalogFileInput
    private let file: String
    private let chunk: Int
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// File offset of `pointer[0]`.
    private(set) var base = 0
    var head = 0
    private(set) var tail = 0
    /// The input has no more bytes.
    private(set) var atEnd = false
    /// Offset in the memory input.
    private var memoryOffset = 0

    init(input: CatalogFileInput, file: String, chunk: Int, buffer: CatalogReadBuffer) {
        self.input = input
        self.file = file
        self.chunk = chunk
        if let kept = buffer.storage, buffer.capacity >= chunk {
            pointer = kept
            capacity = buffer.capacity
            buffer.storage = nil
        } else {
            capacity = chunk
            pointer = .allocate(capacity: chunk)
        }
    }

    /// Gives the memory back to `buffer` for the next file, unless it grew for a large object.
    func release(to buffer: CatalogReadBuffer) {
        if capacity <= 4 * chunk, buffer.storage == nil {
            buffer.storage = pointer
            buffer.capacity = capacity
        } else {
            pointer.deallocate()
        }
    }

    subscript(index: Int) -> UInt8 { pointer[index] }

    var available: Int { tail - head }

    /// The buffer from 0 to `limit`, for a cursor (whose offsets are then buffer indexes).
    func window(upTo limit: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: pointer, count: limit)
    }

    /// Reads until `count` bytes are available or the input ends.
    mutating func ensure(_ count: Int) throws(CatalogLoadError) {
        while available < count, !atEnd { try readMore() }
    }

    /// Reads one more chunk (or less, at the end), after compacting or growing the buffer.
    mutating func readMore() throws(CatalogLoadError) {
        if head > 0 {
            let kept = tail - head
            if kept > 0 { memmove(pointer, pointer + head, kept) }
            base += head
            tail = kept
            head = 0
        }
        if capacity - tail < chunk {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, tail + chunk))
            grown.update(from: pointer, count: tail)
            pointer.deallocate()
            pointer = grown
            capacity = max(capacity * 2, tail + chunk)
        }
        let count = try read(into: pointer + tail, count: capacity - tail)
        if count == 0 { atEnd = true }
        tail += count
    }

    /// Up to `count` bytes from the input; 0 at its end.
    mutating func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(CatalogLoadError) -> Int {
        switch input {
        case .memory(let bytes):
            let n = min(count, bytes.count - memoryOffset)
            guard n > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { source in
                destination.update(from: source.baseAddress! + memoryOffset, count: n)
            }
            memoryOffset += n
            return n
        case .descriptor(let descriptor):
            while true {
                let n = systemRead(descriptor, destination, count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw CatalogLoadError(.unreadable, file: file, position: .byteOffset(base + tail),
                                       message: "cannot read: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The object at `head` is larger than `maxObjectBytes`.
    func tooLarge(_ maxObjectBytes: Int) -> CatalogLoadError {
        CatalogLoadError(.tooLarge, file: file, position: .byteOffset(base + head),
                         message: "the JSON object starting here is larger than \(ByteSize.format(Int64(maxObjectBytes))), "
                             + "the most one catalog object may be (or it is never closed)"
                             + "\n  hint: a real package, channel or bundle is a few MiB at most; is the catalog image damaged or hostile?")
    }

    /// Consumes white space, reading on as needed; false when the input ends first. With a
    /// `limit`, the last line's indent is kept in `leading`, up to the limit.
    mutating func skipWhitespace(recording leading: inout LeadingSpace, limit: Int?) throws(CatalogLoadError) -> Bool {
        while true {
            while head < tail {
                let byte = pointer[head]
                switch byte {
                case 0x20, 0x09:
                    if let limit {
                        if leading.lastLineIndent.count < limit {
                            leading.lastLineIndent.append(byte)
                        } else {
                            leading.indentTooLong = true
                        }
                    }
                    leading.afterCarriageReturn = false
                case 0x0A:
                    if !leading.afterCarriageReturn { leading.lineBreaks += 1 }
                    leading.lastLineIndent.removeAll(keepingCapacity: true)
                    leading.indentTooLong = false
                    leading.afterCarriageReturn = false
                case 0x0D:
                    leading.lineBreaks += 1
                    leading.lastLineIndent.removeAll(keepingCapacity: true)
                    leading.indentTooLong = false
                    leading.afterCarriageReturn = true
                default:
                    return true
                }
                head += 1
            }
            if atEnd { return false }
            try readMore()
        }
    }

    /// The buffer index just past the JSON object at `head` (its closing brace, nesting and
    /// strings followed, a quote escaped by an odd number of backslashes as in `JSONCursor`),
    /// reading on as needed; the end of the input if it never closes.
    /// - Throws: when the object would be larger than `maxObjectBytes`.
    mutating func objectEnd(maxObjectBytes: Int) throws(CatalogLoadError) -> Int {
        var depth = 0
        // Offsets from head, which survive the compaction readMore does.
        var scanned = 0
        var stringStart: Int?
        while true {
            var scan = head + scanned
            while scan < tail {
                if let open = stringStart.map({ head + $0 }) {
                    guard let found = memchr(pointer + scan, Int32(UInt8(ascii: "\"")), tail - scan) else {
                        scan = tail
                        break
                    }
                    let quote = pointer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    scan = quote + 1
                    if !JSONCursor.isEscaped(quoteAt: quote, in: pointer, stringOpenedAt: open) { stringStart = nil }
                    continue
                }
                let byte = pointer[scan]
                scan += 1
                switch byte {
                case UInt8(ascii: "\""): stringStart = scan - 1 - head
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth <= 0 { return scan }
                default: break
                }
            }
            if atEnd { return tail }
            guard tail - head <= maxObjectBytes else { throw tooLarge(maxObjectBytes) }
            scanned = scan - head
            try readMore()
        }
    }
}
