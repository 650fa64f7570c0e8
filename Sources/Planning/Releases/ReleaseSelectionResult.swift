import ImageSet
import OCI

/// A release payload to mirror, once per architecture and version.
public struct SelectedRelease: Sendable, Hashable {
    public var version: SemanticVersion
    public var architecture: ReleaseArchitecture
    /// The release image, by digest, as the update graph names it.
    public var payload: ImageReference
    /// The channels whose selection chose it (configured channels, and the in-between channels
    /// of a cross-channel path), sorted.
    public var channels: [String]
    /// Whether a chosen upgrade path reaches it only through a conditional edge: a cluster taking
    /// that path runs into the risks named in the explanation.
    public var viaConditionalEdge: Bool

    public init(version: SemanticVersion, architecture: ReleaseArchitecture, payload: ImageReference,
                channels: [String], viaConditionalEdge: Bool) {
        self.version = version
        self.architecture = architecture
        self.payload = payload
        self.channels = channels
        self.viaConditionalEdge = viaConditionalEdge
    }
}

/// Why a version was chosen.
public enum SelectionReason: Sendable, Hashable, CustomStringConvertible {
    /// The channel's latest release (no minVersion, maxVersion or full).
    case head(channel: String)
    /// Inside the channel's version range.
    case inRange(lower: SemanticVersion, upper: SemanticVersion)
    /// On the channel's shortest upgrade path (shortestPath: true).
    case onShortestPath(from: SemanticVersion, to: SemanticVersion)
    /// On the upgrade path between several channels (spec §4.3).
    case onCrossChannelPath(from: SemanticVersion, to: SemanticVersion)

    public var description: String {
        switch self {
        case .head(let channel): return "head of \(channel)"
        case .inRange(let lower, let upper): return "in [\(lower), \(upper)]"
        case .onShortestPath(let from, let to): return "on the shortest path \(from) → \(to)"
        case .onCrossChannelPath(let from, let to): return "on the cross-channel upgrade path \(from) → \(to)"
        }
    }
}

/// What one channel (or the cross-channel path) selected for one architecture, and why.
public struct ChannelExplanation: Sendable, Hashable {
    /// One chosen version.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var version: SemanticVersion
        public var payload: ImageReference
        /// The channel whose graph it was chosen in.
        public var channel: String
        public var reason: SelectionReason
        /// The conditional step the path took to reach this version, if it took one.
        public var conditionalStep: UpdatePath.ConditionalStep?

        public init(version: SemanticVersion, payload: ImageReference, channel: String, reason: SelectionReason,
                    conditionalStep: UpdatePath.ConditionalStep? = nil) {
            self.version = version
            self.payload = payload
            self.channel = channel
            self.reason = reason
            self.conditionalStep = conditionalStep
        }

        /// `4.18.3  on the shortest path 4.18.1 → 4.18.3; reachable only through a conditional edge 4.18.1 → 4.18.3 (risk: X)`.
        public var description: String {
            var text = "\(version)  \(reason)"
            if case .onCrossChannelPath = reason { text += " (in \(channel))" }
            if let step = conditionalStep {
                let names = step.risks.map(\.name)
                let risks = names.isEmpty ? "no risk named" : (names.count == 1 ? "risk: " : "risks: ") + names.joined(separator: ", ")
                text += "; reachable only through a conditional edge \(step.edge) (\(risks))"
            }
            return text
        }
    }

    public var architecture: ReleaseArchitecture
    /// The channel, or `SOURCE → TARGET (cross-channel upgrade path)`.
    public var title: String
    /// The rule applied, e.g. `head only`, `minVersion 4.18.1 to maxVersion 4.18.3`.
    public var rule: String
    /// The chosen versions, ascending.
    public var entries: [Entry]
    /// Things worth knowing that are not errors (a bound that is not a release, a blocked path).
    public var notes: [String]
    /// What the run's summary must say too (a shortest path the graph does not have).
    public var warnings: [String]

    public init(architecture: ReleaseArchitecture, title: String, rule: String, entries: [Entry], notes: [String] = [],
                warnings: [String] = []) {
        self.architecture = architecture
        self.title = title
        self.rule = rule
        self.entries = entries
        self.notes = notes
        self.warnings = warnings
    }

    /// The lowest and highest chosen versions.
    public var lowest: SemanticVersion? { entries.first?.version }
    public var highest: SemanticVersion? { entries.last?.version }

    /// A few lines: title and rule, then one line per version, then the notes.
    public var text: String {
        let count = entries.count == 1 ? "1 release" : "\(entries.count) releases"
        var lines = ["\(title) (\(architecture.rawValue)): \(rule) — \(count)"]
        lines += entries.map { "  \($0)" }
        lines += notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// The releases chosen from the update graphs, and a report of why.
public struct ReleaseSelectionResult: Sendable, Hashable {
    /// Deduplicated by (architecture, version); architectures in the order processed, then
    /// versions ascending.
    public var releases: [SelectedRelease]
    /// One per channel and architecture, plus one per architecture for a cross-channel path.
    public var explanation: [ChannelExplanation]
    /// What a person should see even when nothing failed (a blocked cross-channel path, a
    /// cross-channel step with no update, an EUS range across two or more minors).
    public var warnings: [String]

    public init(releases: [SelectedRelease] = [], explanation: [ChannelExplanation] = [], warnings: [String] = []) {
        self.releases = releases
        self.explanation = explanation
        self.warnings = warnings
    }

    /// The whole report: each explanation, then the warnings.
    public var explanationText: String {
        (explanation.map(\.text) + warnings.map { "warning: \($0)" }).joined(separator: "\n")
    }
}
