import Foundation

/// A `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
struct AuthChallenge: Sendable, Equatable {
    enum Scheme: Sendable, Equatable { case basic, bearer, other(String) }

    var scheme: Scheme
    /// Parameter names lowercased; values unquoted.
    var parameters: [String: String]

    var realm: String? { parameters["realm"] }
    var service: String? { parameters["service"] }

    /// Parses one header value. Returns nil when it names no scheme.
    static func parse(_ header: String) -> AuthChallenge? {
        let text = Substring(header).drop(while: { $0 == " " })
        guard let schemeEnd = text.firstIndex(where: { $0 == " " }) ?? (text.isEmpty ? nil : text.endIndex) else { return nil }
        let schemeName = text[..<schemeEnd].lowercased()
        let scheme: Scheme = schemeName == "bearer" ? .bearer : schemeName == "basic" ? .basic : .other(schemeName)
        var parameters: [String: String] = [:]
        var rest = text[schemeEnd...]
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break } else { value.append(c) }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[name] = value
        }
        return AuthChallenge(scheme: scheme, parameters: parameters)
    }
}

/// An access a token is asked for: `repository:<path>:<actions>`.
struct AccessScope: Sendable, Hashable, Comparable {
    var repository: String
    var actions: [String]

    static func pull(_ repository: String) -> AccessScope { AccessScope(repository: repository, actions: ["pull"]) }
    /// Push always asks for pull too: registries (Harbor, distribution) refuse push-only tokens.
    static func push(_ repository: String) -> AccessScope { AccessScope(repository: repository, actions: ["pull", "push"]) }

    var text: String { "repository:\(repository):\(actions.joined(separator: ","))" }

    static func < (lhs: AccessScope, rhs: AccessScope) -> Bool { lhs.text < rhs.text }
}
