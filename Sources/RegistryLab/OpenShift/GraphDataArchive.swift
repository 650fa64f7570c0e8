import Foundation

/// The `graph-data` tarball (spec §4.7): a small copy of the cincinnati-graph-data repository's
/// layout, `channels/<name>.yaml` and `blocked-edges/<to>-<risk>.yaml`, gzip-compressed.
enum GraphDataArchive {
    static func make(_ releaseSet: OpenShiftReleaseSet) throws -> Data {
        var entries: [TarLayer.Entry] = [.directory("channels")]
        for channel in releaseSet.channels.sorted(by: { $0.name < $1.name }) {
            let versions = channel.versions.map { "- \($0)\n" }.joined()
            entries.append(.file("channels/\(channel.name).yaml", "name: \(channel.name)\nversions:\n\(versions)"))
        }
        entries.append(.directory("blocked-edges"))
        for conditional in releaseSet.conditionalUpdates {
            for update in conditional.updates {
                for risk in conditional.risks {
                    entries.append(.file("blocked-edges/\(update.to)-\(risk.name).yaml", blockedEdge(update, risk)))
                }
            }
        }
        return try TarLayer.make(entries).compressed
    }

    /// A blocked edge as the repository writes one: `from` is a regular expression over versions.
    static func blockedEdge(_ update: OpenShiftReleaseSet.Update, _ risk: OpenShiftReleaseSet.Risk) -> String {
        func block(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        }
        let promQL = risk.promQL.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "        " + $0 }.joined(separator: "\n")
        return """
            to: \(update.to)
            from: \(update.from.replacingOccurrences(of: ".", with: "\\."))
            url: \(risk.url)
            name: \(risk.name)
            message: |-
            \(block(risk.message))
            matchingRules:
            - type: PromQL
              promql:
                promql: |
            \(promQL)

            """
    }
}
