import Foundation

import OCI

/// Fills in an ImageSetConfiguration template for a lab upstream, whose port changes from run
/// to run: `${UPSTREAM}` becomes the upstream's `host:port`, and `${DIGEST repo:tag}` the
/// manifest digest the seeder gave that image. (Both keep the template valid YAML.)
public enum ConfigTemplate {
    public static func render(_ template: String, upstream: String, seeded: [SeededImage]) throws -> String {
        var text = template.replacingOccurrences(of: "${UPSTREAM}", with: upstream)
        while let open = text.range(of: "${DIGEST "), let close = text.range(of: "}", range: open.upperBound..<text.endIndex) {
            let name = String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces)
            guard let image = seeded.first(where: { "\($0.reference.repository.path):\($0.reference.tag ?? "")" == name }) else {
                throw LabError.unsupported("template names ${DIGEST \(name)}, but the lab seeded no such image")
            }
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: image.digest.description)
        }
        return text
    }
}
