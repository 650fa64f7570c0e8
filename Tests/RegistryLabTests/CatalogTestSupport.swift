import Foundation
import RegistryLab

/// The blobs of a file-based catalog file: concatenated JSON objects, as `opm` writes them and
/// `declcfg` reads them. `JSONSerialization` reads one value, so the stream is split first, at
/// the brace that closes each top-level object (strings and escapes respected).
func fbcBlobs(_ data: Data) throws -> [[String: Any]] {
    var blobs: [[String: Any]] = []
    var depth = 0
    var inString = false
    var escaped = false
    var start: Data.Index?
    for index in data.indices {
        let byte = data[index]
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"):
            if depth == 0 { start = index }
            depth += 1
        case UInt8(ascii: "}"):
            depth -= 1
            if depth == 0, let begin = start {
                blobs.append(try jsonObject(data[begin...index]))
                start = nil
            }
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            break
        default:
            if depth == 0 { throw RawHTTP.Failure(description: "unexpected byte \(byte) between FBC blobs") }
        }
    }
    guard depth == 0, !inString else { throw RawHTTP.Failure(description: "FBC stream ends inside a blob") }
    return blobs
}

/// What a catalog file says, reduced to what the tests compare.
struct FBCSummary: Equatable {
    var package: String
    var defaultChannel: String
    /// Channel → entry names, in order.
    var channels: [String: [String]]
    /// Bundle name → image.
    var bundleImages: [String: String]
    /// Bundle name → `relatedImages` as `name=image` (bundle first).
    var relatedImages: [String: [String]]
    /// Schemas in stream order.
    var schemas: [String]

    init(_ blobs: [[String: Any]]) throws {
        guard let head = blobs.first, head["schema"] as? String == "olm.package" else {
            throw RawHTTP.Failure(description: "the stream does not start with olm.package")
        }
        package = head["name"] as? String ?? ""
        defaultChannel = head["defaultChannel"] as? String ?? ""
        schemas = blobs.map { $0["schema"] as? String ?? "?" }
        channels = [:]
        bundleImages = [:]
        relatedImages = [:]
        for blob in blobs {
            switch blob["schema"] as? String {
            case "olm.channel":
                let entries = blob["entries"] as? [[String: Any]] ?? []
                channels[blob["name"] as? String ?? ""] = entries.map { $0["name"] as? String ?? "" }
            case "olm.bundle":
                let name = blob["name"] as? String ?? ""
                bundleImages[name] = blob["image"] as? String
                relatedImages[name] = (blob["relatedImages"] as? [[String: Any]] ?? []).map {
                    "\($0["name"] as? String ?? "?")=\($0["image"] as? String ?? "?")"
                }
            default:
                break
            }
        }
    }

    /// What `package` should say, from the lab's own record.
    static func expected(_ package: OperatorPackage) -> (channels: [String: [String]], bundleImages: [String: String],
                                                       relatedImages: [String: [String]]) {
        (Dictionary(uniqueKeysWithValues: package.channels.map { ($0.name, $0.bundleNames) }),
         Dictionary(uniqueKeysWithValues: package.bundles.map { ($0.name, $0.image.description) }),
         Dictionary(uniqueKeysWithValues: package.bundles.map { ($0.name, $0.relatedImages.map { "\($0.name)=\($0.image)" }) }))
    }
}

/// The value of a `RELATED_IMAGE_…` env in a CSV's YAML (the line after `- name: <env>`).
func relatedImageEnv(_ name: String, in csv: String) -> String? {
    let lines = csv.components(separatedBy: "\n")
    guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "- name: \(name)" }),
          index + 1 < lines.count else { return nil }
    let value = lines[index + 1].trimmingCharacters(in: .whitespaces)
    return value.hasPrefix("value: ") ? String(value.dropFirst("value: ".count)) : nil
}

/// The `image:` values of a CSV's `spec.relatedImages` (the block after `  relatedImages:`).
func csvRelatedImages(_ csv: String) -> [String] {
    let lines = csv.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: "  relatedImages:") else { return [] }
    var images: [String] = []
    for line in lines[(start + 1)...] {
        guard line.hasPrefix("  - ") || line.hasPrefix("    ") else { break }
        if line.hasPrefix("  - image: ") { images.append(String(line.dropFirst("  - image: ".count))) }
    }
    return images
}
