/// A filtered catalog that could not be written: the file (or package) and why.
public struct CatalogWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path written, or the package whose name cannot be a directory.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
