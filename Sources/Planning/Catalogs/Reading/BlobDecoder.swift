/// A blob read from a file, typed by its schema.
enum DecodedBlob: Sendable {
    case package(OLMPackage)
    case channel(OLMChannel)
    case bundle(OLMBundle)
    case deprecations(OLMDeprecations)
    /// Any other schema, kept as is.
    case other(CatalogBlob)

    var blob: CatalogBlob {
        switch self {
        case .package(let value): value.blob
        case .channel(let value): value.blob
        case .bundle(let value): value.blob
        case .deprecations(let value): value.blob
        case .other(let blob): blob
        }
    }
}

/// A blob that is valid JSON but not a valid catalog object.
struct BlobDecodingFailure: Error, Sendable {
    /// Whether the text is not JSON at all (else it is a valid JSON object that is no valid blob).
    var isSyntax: Bool = false
    /// Offset in the buffer decoded.
    var offset: Int
    /// `package "etcd", bundle "etcd.v0.9.4"`, when known.
    var subject: String?
    var message: String
}

/// Decodes one blob from JSON text: a single pass over its members records the few fields any
/// schema needs (the rest is skipped, not decoded), then the fields of its schema are decoded.
///
/// Field rules follow Go's `encoding/json` as operator-registry uses it: unknown members are
/// ignored, `null` reads as absent, a later duplicate member wins.
enum BlobDecoder {
    /// The members of a blob's top level that some schema needs, as values or spans.
    private struct TopLevel {
        var schema: String?
        var package: String?
        var name: String?
        var image: String?
        var defaultChannel: String?
        var defaultChannelSpan: Range<Int>?
        var entries: Range<Int>?
        var properties: Range<Int>?
        var relatedImages: Range<Int>?
    }

    /// Decodes the object at `cursor` (which is left after it); its bytes are `slice`, taken
    /// from the buffer the cursor reads, at `sliceOffset` in it.
    /// - Throws: ``JSONProblem`` for syntax, ``BlobDecodingFailure`` for a missing or mistyped field.
    static func decode(_ cursor: inout JSONCursor, bytes: (Range<Int>) -> ArraySlice<UInt8>,
                       source: (Int) -> BlobSource) throws(BlobDecodingFailure) -> DecodedBlob {
        let start = cursor.index
        var top = TopLevel()
        do {
            try cursor.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                if c.key(key, is: "schema") {
                    top.schema = try named("schema") { () throws(JSONProblem) in try c.readOptionalString() }
                } else if c.key(key, is: "package") {
                    top.package = try named("package") { () throws(JSONProblem) in try c.readOptionalString() }
                } else if c.key(key, is: "name") {
                    top.name = try named("name") { () throws(JSONProblem) in try c.readOptionalString() }
                } else if c.key(key, is: "image") {
                    top.image = try named("image") { () throws(JSONProblem) in try c.readOptionalString() }
                } else if c.key(key, is: "defaultChannel") {
                    let valueStart = c.index
                    top.defaultChannel = try named("defaultChannel") { () throws(JSONProblem) in try c.readOptionalString() }
                    top.defaultChannelSpan = (valueStart - start)..<(c.index - start)
                } else if c.key(key, is: "entries") {
                    top.entries = try span(&c, relativeTo: start)
                } else if c.key(key, is: "properties") {
                    top.properties = try span(&c, relativeTo: start)
                } else if c.key(key, is: "relatedImages") {
                    top.relatedImages = try span(&c, relativeTo: start)
                } else {
                    try c.skipValue()
                }
            }
        } catch {
            throw BlobDecodingFailure(isSyntax: error.isSyntax, offset: error.offset, subject: nil, message: error.description)
        }
        let end = cursor.index

        guard let schema = top.schema, !schema.isEmpty else {
            throw BlobDecodingFailure(offset: start, subject: nil,
                                      message: "the object has no 'schema' (every catalog object needs one, e.g. olm.bundle)")
        }
        let name = top.name ?? ""
        let packageName = schema == CatalogSchema.package ? name : (top.package ?? "")
        let blob = CatalogBlob(schema: schema, package: packageName, name: name, bytes: bytes(start..<end), source: source(start))

        // Typed fields are decoded from a cursor over the same buffer, at their recorded spans.
        func at(_ span: Range<Int>) -> JSONCursor {
            var sub = cursor
            sub.index = start + span.lowerBound
            return sub
        }
        func required(_ value: String?, _ field: String, subject: String?) throws(BlobDecodingFailure) -> String {
            guard let value, !value.isEmpty else {
                throw BlobDecodingFailure(offset: start, subject: subject, message: "\(schema) has no '\(field)'")
            }
            return value
        }

        switch schema {
        case CatalogSchema.package:
            let name = try required(top.name, "name", subject: nil)
            return .package(OLMPackage(name: name, defaultChannel: top.defaultChannel.flatMap { $0.isEmpty ? nil : $0 },
                                       blob: blob, defaultChannelSpan: top.defaultChannelSpan))

        case CatalogSchema.channel:
            let package = try required(top.package, "package", subject: nil)
            let name = try required(top.name, "name", subject: "package \(quoted(package))")
            let subject = "package \(quoted(package)), channel \(quoted(name))"
            var entries: [OLMChannel.Entry] = []
            if let span = top.entries {
                var c = at(span)
                entries = try decodeFailure(subject: subject) { () throws(JSONProblem) in
                    try channelEntries(&c, blobStart: start)
                }
            }
            return .channel(OLMChannel(package: package, name: name, entries: entries, blob: blob, entriesSpan: top.entries))

        case CatalogSchema.bundle:
            let package = try required(top.package, "package", subject: nil)
            let name = try required(top.name, "name", subject: "package \(quoted(package))")
            let subject = "package \(quoted(package)), bundle \(quoted(name))"
            var version: String?
            var relatedImages: [RelatedImage] = []
            if let span = top.properties {
                var c = at(span)
                version = try decodeFailure(subject: subject) { () throws(JSONProblem) in try packageVersion(&c) }
            }
            if let span = top.relatedImages {
                var c = at(span)
                relatedImages = try decodeFailure(subject: subject) { () throws(JSONProblem) in try related(&c) }
            }
            return .bundle(OLMBundle(package: package, name: name, image: top.image ?? "", version: version,
                                     relatedImages: relatedImages, blob: blob, propertiesSpan: top.properties))

        case CatalogSchema.deprecations:
            let package = try required(top.package, "package", subject: nil)
            var entries: [OLMDeprecations.Entry] = []
            if let span = top.entries {
                var c = at(span)
                entries = try decodeFailure(subject: "package \(quoted(package)), deprecations") { () throws(JSONProblem) in
                    try deprecationEntries(&c, blobStart: start)
                }
            }
            return .deprecations(OLMDeprecations(package: package, entries: entries, blob: blob, entriesSpan: top.entries))

        default:
            return .other(blob)
        }
    }

    // MARK: Fields

    private static func channelEntries(_ c: inout JSONCursor, blobStart: Int) throws(JSONProblem) -> [OLMChannel.Entry] {
        var entries: [OLMChannel.Entry] = []
        var index = 0
        try nullOrArray(&c) { (c: inout JSONCursor) throws(JSONProblem) in
            let path = "entries[\(index)]"
            let entryStart = c.index
            var name: String?
            var replaces: String?
            var skips: [String] = []
            var skipRange: String?
            try named(path) { () throws(JSONProblem) in
                try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                    if c.key(key, is: "name") {
                        name = try named("\(path).name") { () throws(JSONProblem) in try c.readOptionalString() }
                    } else if c.key(key, is: "replaces") {
                        replaces = try named("\(path).replaces") { () throws(JSONProblem) in try c.readOptionalString() }
                    } else if c.key(key, is: "skips") {
                        skips = try named("\(path).skips") { () throws(JSONProblem) in try c.readStringArray() }
                    } else if c.key(key, is: "skipRange") {
                        skipRange = try named("\(path).skipRange") { () throws(JSONProblem) in try c.readOptionalString() }
                    } else {
                        try c.skipValue()
                    }
                }
            }
            guard let name, !name.isEmpty else { throw JSONProblem(offset: entryStart, message: "\(path) has no 'name'", isSyntax: false) }
            entries.append(OLMChannel.Entry(name: name, replaces: replaces.flatMap { $0.isEmpty ? nil : $0 },
                                            skips: skips, skipRange: skipRange.flatMap { $0.isEmpty ? nil : $0 },
                                            span: (entryStart - blobStart)..<(c.index - blobStart)))
            index += 1
        }
        return entries
    }

    /// The `version` of the first `olm.package` property (operator-registry reads only that one).
    private static func packageVersion(_ c: inout JSONCursor) throws(JSONProblem) -> String? {
        var version: String?
        var found = false
        var index = 0
        try nullOrArray(&c) { (c: inout JSONCursor) throws(JSONProblem) in
            let path = "properties[\(index)]"
            var type: String?
            var valueStart: Int?
            try named(path) { () throws(JSONProblem) in
                try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                    if c.key(key, is: "type") {
                        type = try named("\(path).type") { () throws(JSONProblem) in try c.readOptionalString() }
                    } else if c.key(key, is: "value") {
                        valueStart = c.index
                        try c.skipValue()
                    } else {
                        try c.skipValue()
                    }
                }
            }
            if !found, type == "olm.package", let valueStart {
                found = true
                let resume = c.index
                c.index = valueStart
                try named("\(path).value") { () throws(JSONProblem) in
                    try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                        if c.key(key, is: "version") {
                            version = try named("\(path).value.version") { () throws(JSONProblem) in try c.readOptionalString() }
                        } else {
                            try c.skipValue()
                        }
                    }
                }
                c.index = resume
            }
            index += 1
        }
        return version
    }

    private static func related(_ c: inout JSONCursor) throws(JSONProblem) -> [RelatedImage] {
        var images: [RelatedImage] = []
        var index = 0
        try nullOrArray(&c) { (c: inout JSONCursor) throws(JSONProblem) in
            let path = "relatedImages[\(index)]"
            var name = ""
            var image = ""
            try named(path) { () throws(JSONProblem) in
                try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                    if c.key(key, is: "name") {
                        name = try named("\(path).name") { () throws(JSONProblem) in try c.readOptionalString() } ?? ""
                    } else if c.key(key, is: "image") {
                        image = try named("\(path).image") { () throws(JSONProblem) in try c.readOptionalString() } ?? ""
                    } else {
                        try c.skipValue()
                    }
                }
            }
            images.append(RelatedImage(name: name, image: image))
            index += 1
        }
        return images
    }

    private static func deprecationEntries(_ c: inout JSONCursor, blobStart: Int) throws(JSONProblem) -> [OLMDeprecations.Entry] {
        var entries: [OLMDeprecations.Entry] = []
        var index = 0
        try nullOrArray(&c) { (c: inout JSONCursor) throws(JSONProblem) in
            let path = "entries[\(index)]"
            let entryStart = c.index
            var schema = ""
            var name = ""
            var message = ""
            try named(path) { () throws(JSONProblem) in
                try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                    if c.key(key, is: "reference") {
                        try named("\(path).reference") { () throws(JSONProblem) in
                            try c.forEachMember { (c: inout JSONCursor, key: JSONKey) throws(JSONProblem) in
                                if c.key(key, is: "schema") {
                                    schema = try named("\(path).reference.schema") { () throws(JSONProblem) in try c.readOptionalString() } ?? ""
                                } else if c.key(key, is: "name") {
                                    name = try named("\(path).reference.name") { () throws(JSONProblem) in try c.readOptionalString() } ?? ""
                                } else {
                                    try c.skipValue()
                                }
                            }
                        }
                    } else if c.key(key, is: "message") {
                        message = try named("\(path).message") { () throws(JSONProblem) in try c.readOptionalString() } ?? ""
                    } else {
                        try c.skipValue()
                    }
                }
            }
            entries.append(OLMDeprecations.Entry(schema: schema, name: name, message: message,
                                                 span: (entryStart - blobStart)..<(c.index - blobStart)))
            index += 1
        }
        return entries
    }

    // MARK: Helpers

    /// Skips the value at the cursor and returns its span relative to `start`.
    private static func span(_ c: inout JSONCursor, relativeTo start: Int) throws(JSONProblem) -> Range<Int> {
        c.skipWhitespace()
        let from = c.index
        try c.skipValue()
        return (from - start)..<(c.index - start)
    }

    /// Runs `body` for each element of an array; `null` is an empty array.
    private static func nullOrArray(_ c: inout JSONCursor, _ body: (inout JSONCursor) throws(JSONProblem) -> Void) throws(JSONProblem) {
        c.skipWhitespace()
        if c.peek() == UInt8(ascii: "n") {
            try c.skipValue()
            return
        }
        try c.forEachElement(body)
    }

    /// Names the field a problem is about; the innermost field wins (it is the most precise).
    private static func named<T>(_ field: String, _ body: () throws(JSONProblem) -> T) throws(JSONProblem) -> T {
        do {
            return try body()
        } catch {
            var named = error
            if named.field == nil { named.field = field }
            throw named
        }
    }

    private static func decodeFailure<T>(subject: String, _ body: () throws(JSONProblem) -> T) throws(BlobDecodingFailure) -> T {
        do {
            return try body()
        } catch {
            throw BlobDecodingFailure(isSyntax: error.isSyntax, offset: error.offset, subject: subject, message: error.description)
        }
    }
}

/// `"text"`, for names in messages.
func quoted(_ text: String) -> String { "\"\(text)\"" }

extension BlobDecoder {
    /// Decodes a blob the filter rewrote (valid JSON by construction), keeping its source.
    static func decode(edited bytes: [UInt8], source: BlobSource) -> DecodedBlob? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            return try? decode(&cursor, bytes: { bytes[$0] }, source: { _ in source })
        }
    }
}
