import ImageSet

/// A step of a cross-channel upgrade path that the update graph has no update for, not even a
/// conditional one: from where the previous step ended to where this one should end.
///
/// oc-mirror does not fail on it (`GetUpdates` returns an empty path and `calculate` goes on from
/// the step's end); Ferry does the same and names the step, so a person knows which update a
/// cluster cannot take with what was mirrored.
public struct CrossChannelGap: Sendable, Hashable, CustomStringConvertible {
    /// Where the step starts: the source's lowest chosen release, or the latest release of the
    /// channel before.
    public var from: SemanticVersion
    /// The channel `from` was chosen or reached in.
    public var fromChannel: String
    /// Where the step should end: the latest release of `channel`, or, in the target channel, its
    /// highest chosen release.
    public var to: SemanticVersion
    /// The channel whose graph has no path from `from` to `to`.
    public var channel: String

    public init(from: SemanticVersion, fromChannel: String, to: SemanticVersion, channel: String) {
        self.from = from
        self.fromChannel = fromChannel
        self.to = to
        self.channel = channel
    }

    /// `4.17.10 (stable-4.17) → 4.18.4 in stable-4.18`.
    public var description: String {
        "\(from) (\(fromChannel)) → \(to) in \(channel)"
    }
}
