/// A problem with what the configuration asks for, found while planning.
public struct PlanningError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
