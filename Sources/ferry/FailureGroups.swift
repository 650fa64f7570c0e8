/// Failures that share one error, in the order their errors first appear.
///
/// A registry that is down fails every image from it with the same error (no repository in it:
/// ``Distribution/RegistryClient`` marks the host down); the report prints that error and its
/// hint once, with the images under it, instead of once per image.
enum FailureGroups {
    static func group<Failure>(_ failures: [Failure], error: (Failure) -> String) -> [(error: String, failures: [Failure])] {
        var order: [String] = []
        var members: [String: [Failure]] = [:]
        for failure in failures {
            let text = error(failure)
            if members[text] == nil { order.append(text) }
            members[text, default: []].append(failure)
        }
        return order.map { ($0, members[$0]!) }
    }
}
