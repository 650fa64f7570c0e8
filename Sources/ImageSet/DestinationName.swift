/// Checks for the destination names a configuration may set: `targetCatalog`/`targetRepo`
/// (a repository path) and `targetTag`. Each returns what is wrong, or nil.
/// Source: distribution/reference `regexp.go`; oc-mirror `IsValidPathComponent`.
enum DestinationName {
    static let componentPattern = "[a-z0-9]+((?:[._]|__|[-]*)[a-z0-9]+)*"

    static func pathProblem(_ path: String) -> String? {
        if path.contains(":") || path.contains("@") {
            return "a repository path takes no tag or digest (set targetTag for the tag)"
        }
        guard !path.isEmpty else { return "empty; expected one or more path components joined by '/'" }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "empty path component; remove the extra '/'" }
            if component.contains(where: \.isUppercase) { return "uppercase letters; repository paths are lowercase" }
            if !isPathComponent(component) { return "invalid path component '\(component)'; expected \(componentPattern)" }
        }
        return nil
    }

    static func tagProblem(_ tag: String) -> String? {
        let expected = "expected up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"
        guard let first = tag.first else { return "empty; \(expected)" }
        guard tag.count <= 128 else { return "\(tag.count) characters long; \(expected)" }
        let isWord: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard isWord(first), tag.allSatisfy({ isWord($0) || $0 == "." || $0 == "-" }) else { return expected }
        return nil
    }

    /// Matches `[a-z0-9]+((?:[._]|__|[-]*)[a-z0-9]+)*` by hand.
    private static func isPathComponent(_ component: Substring) -> Bool {
        let isAlphanumeric: (Character) -> Bool = { $0.isASCII && (("a"..."z").contains($0) || ("0"..."9").contains($0)) }
        var rest = component[...]
        while true {
            let run = rest.prefix(while: isAlphanumeric)
            guard !run.isEmpty else { return false }
            rest = rest.dropFirst(run.count)
            guard let separator = rest.first else { return true }
            switch separator {
            case ".": rest = rest.dropFirst()
            case "_": rest = rest.hasPrefix("__") ? rest.dropFirst(2) : rest.dropFirst()
            case "-": rest = rest.drop { $0 == "-" }
            default: return false
            }
        }
    }
}
