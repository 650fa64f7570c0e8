/// The operator bundles and packages a bundle or operand image is needed by, so that a failure
/// says what it breaks.
public struct OperatorUse: Sendable, Equatable {
    public var bundles: Set<String> = []
    public var packages: Set<String> = []

    /// oc-mirror's wording in its errors file: `(Operator bundles: [a b] - Operators: [p])`.
    public var description: String {
        "(Operator bundles: [\(bundles.sorted().joined(separator: " "))] - Operators: [\(packages.sorted().joined(separator: " "))])"
    }
}
