import ImageSet

/// What the filter cannot do with a catalog, every problem at once, each naming its package and
/// channel (and where the package was configured).
public struct CatalogFilterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var package: String
        public var channel: String?
        public var message: String
        public var hint: String?
        /// Where the configuration lists the package, when it does.
        public var mark: SourceMark?

        public init(package: String, channel: String? = nil, message: String, hint: String? = nil, mark: SourceMark? = nil) {
            self.package = package
            self.channel = channel
            self.message = message
            self.hint = hint
            self.mark = mark
        }

        /// `imageset.yaml:12:9: package "etcd", channel "alpha": MESSAGE`, and the hint on its own line.
        public var description: String {
            var text = mark.map { "\($0): " } ?? ""
            text += "package \(quoted(package))"
            if let channel { text += ", channel \(quoted(channel))" }
            text += ": \(message)"
            if let hint { text += "\n  hint: \(hint)" }
            return text
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
