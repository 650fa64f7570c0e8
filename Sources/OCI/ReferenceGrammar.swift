/// The pieces of the image reference grammar, shared by ``RepositoryName``, ``ImageReference`` and
/// ``RegistryLocation``. Each check returns what is wrong (a phrase for an error message) or nil,
/// so each caller can quote its own whole input.
///
/// Source: distribution/reference `regexp.go` (grammar), oc-mirror `ParseRef` (host-first rule).
enum ReferenceGrammar {
    static let hostHint = "write the registry host first, e.g. docker.io/library/nginx:1.25"
    static let pathPattern = "[a-z0-9]+((.|_|__|-+)[a-z0-9]+)*"

    /// Whether a first path segment is meant as a registry host (containers/image's rule). The
    /// strict parser refuses a name whose first segment is not one; `parse(normalizing:)` reads
    /// it as a Docker Hub path.
    static func looksLikeHost(_ segment: some StringProtocol) -> Bool {
        segment.contains(".") || segment.contains(":") || segment.lowercased() == "localhost"
    }

    /// Checks `name[:port]`, `a.b.c.d[:port]` or `[ipv6][:port]`.
    static func hostProblem(_ host: some StringProtocol) -> String? {
        guard !host.isEmpty else { return "empty registry host; \(hostHint)" }
        guard looksLikeHost(host) else {
            return "the first path segment \(quoted(host)) is not a registry host (it needs a \".\", a \":port\" or to be localhost); \(hostHint)"
        }
        let name: Substring
        var port: Substring?
        let text = Substring(host)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return "registry host \(quoted(host)) has no closing \"]\"; expected [ipv6]:port, e.g. [::1]:5000"
            }
            let address = text[text.index(after: text.startIndex)..<close]
            guard address.contains(":"), address.allSatisfy({ ($0.isASCII && $0.isHexDigit) || $0 == ":" || $0 == "." }) else {
                return "registry host \(quoted(host)) has an invalid IPv6 address; expected [ipv6]:port, e.g. [::1]:5000"
            }
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else {
                    return "registry host \(quoted(host)) has text after \"]\"; expected [ipv6]:port, e.g. [::1]:5000"
                }
                port = rest.dropFirst()
            }
            name = address
        } else {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            name = parts[0]
            if parts.count == 2 { port = parts[1] }
            for label in name.split(separator: ".", omittingEmptySubsequences: false) {
                guard isHostLabel(label) else {
                    return "registry host \(quoted(host)) has an invalid name; expected letters, digits and inner \"-\" between dots, with an optional :port"
                }
            }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(port), value <= 65535 else {
                return "registry host \(quoted(host)) has an invalid port \(quoted(port)); expected a number from 0 to 65535"
            }
        }
        return nil
    }

    private static func isHostLabel(_ label: some StringProtocol) -> Bool {
        guard let first = label.first, let last = label.last else { return false }
        let isAlnum: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return isAlnum(first) && isAlnum(last) && label.allSatisfy { isAlnum($0) || $0 == "-" }
    }

    /// Checks a repository path: components matching `[a-z0-9]+((.|_|__|-+)[a-z0-9]+)*`, joined by "/".
    /// The longest `host/path` distribution accepts (`reference.NameTotalLengthMax`).
    static let maxNameLength = 255

    /// A name over ``maxNameLength``: registries refuse it, so it is refused before any request.
    static func nameLengthProblem(host: some StringProtocol, path: some StringProtocol) -> String? {
        let length = host.utf8.count + 1 + path.utf8.count
        guard length > maxNameLength else { return nil }
        return "the repository name is \(length) characters long; the distribution spec allows \(maxNameLength) "
            + "for REGISTRY/PATH"
    }

    static func pathProblem(_ path: some StringProtocol) -> String? {
        guard !path.isEmpty else { return "missing repository path after the registry host" }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty {
                return "empty path component in \(quoted(path)); remove the extra \"/\""
            }
            if component.contains(where: { $0.isUppercase }) {
                return "uppercase letters in repository path \(quoted(path)); repository paths are lowercase"
            }
            if !isPathComponent(component) {
                return "invalid path component \(quoted(component)); expected \(pathPattern)"
            }
        }
        return nil
    }

    /// Hand-written matcher for `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    private static func isPathComponent(_ component: some StringProtocol) -> Bool {
        let bytes = Array(component.utf8)
        func isAlnum(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        var index = 0
        while true {
            // One run of letters and digits.
            let runStart = index
            while index < bytes.count, isAlnum(bytes[index]) { index += 1 }
            guard index > runStart else { return false }
            if index == bytes.count { return true }
            // One separator: ".", "_", "__", or any number of "-".
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
        }
    }

    /// Checks a tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static func tagProblem(_ tag: some StringProtocol) -> String? {
        let expected = "expected up to 128 letters, digits, \"_\", \".\" or \"-\", not starting with \".\" or \"-\""
        guard !tag.isEmpty else { return "empty tag; \(expected)" }
        guard tag.count <= 128 else { return "tag is \(tag.count) characters long; \(expected)" }
        let isWord: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = tag.first, isWord(first) else { return "invalid tag \(quoted(tag)); \(expected)" }
        guard tag.allSatisfy({ isWord($0) || $0 == "." || $0 == "-" }) else {
            return "invalid tag \(quoted(tag)); \(expected)"
        }
        return nil
    }

    /// Drops an optional `docker://` transport prefix, and refuses any other transport.
    static func stripTransport(_ text: String) -> (rest: Substring, problem: String?) {
        var rest = Substring(text)
        if rest.hasPrefix("docker://") {
            rest = rest.dropFirst("docker://".count)
        }
        if let scheme = rest.firstRange(of: "://") {
            return (rest, "unsupported transport \(quoted(rest[..<scheme.lowerBound] + "://")); only docker:// is accepted here")
        }
        return (rest, nil)
    }
}
