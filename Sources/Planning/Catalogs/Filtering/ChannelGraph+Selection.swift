import ImageSet

/// The entries one channel keeps and why, by entry index.
struct ChannelSelection: Sendable {
    var kept: [Int: KeepReason] = [:]
    var notes: [String] = []
}

extension ChannelGraph {
    /// Heads only: the head.
    func selectHead() -> ChannelSelection {
        ChannelSelection(kept: [head: .head])
    }

    /// `minVersion` = `maxVersion`: the entries of that version (by precedence). oc-mirror looks
    /// the version up in the whole package and may keep a bundle that is not in the channel;
    /// here only the channel's entries count, so a version the channel lacks keeps nothing.
    /// The channel's graph is not needed (nor checked here: the result is).
    static func selectExact(_ version: SemanticVersion, entries: [OLMChannel.Entry], versions: [SemanticVersion?]) -> ChannelSelection {
        var selection = ChannelSelection()
        for index in entries.indices where versions[index].map({ $0.hasSamePrecedence(as: version) }) == true {
            selection.kept[index] = .exactVersion
        }
        return selection
    }

    /// A version range, walked as oc-mirror's catalog filter does (`filterByVersionRange`), with
    /// `skipRange` honoured:
    ///
    /// 1. Every node of the replaces chain from the head gets a count: the bundles in range at
    ///    or below it — itself, what it covers, and (recursively) what the node it replaces
    ///    counts — each bundle counted once, at the lowest node that reaches it. A node covers the
    ///    entries it `skips` and (Ferry) the entries it reaches through replaces/skips edges whose
    ///    version lies in its own `skipRange`: OLM upgrades those straight to it.
    /// 2. Walking down from the head, the new head is the lowest node with the highest count and
    ///    the tail the first node counting 0.
    /// 3. Kept: the chain from the new head down to the tail (excluded), out-of-range nodes
    ///    included (they keep the bundles below reachable), plus each kept node's covered entries
    ///    that are in range.
    /// 4. (Ferry) An entry kept for a `skipRange` that no kept entry replaces or skips would be a
    ///    second head for OLM; the entries on the shortest replaces/skips path from the node whose
    ///    range covers it are kept too.
    ///
    /// Without `skipRange`s this is exactly oc-mirror's result.
    func selectRange(_ range: BundleVersionRange, versions: [SemanticVersion?]) -> ChannelSelection {
        var selection = ChannelSelection()
        func inRange(_ index: Int) -> Bool { versions[index].map(range.contains) ?? false }
        let chain = replacesChain(from: head)

        // What each chain node covers: its skips, then what its skipRange takes in.
        var covered: [[(entry: Int, skipRange: SkipRange?)]] = []
        for node in chain {
            var list: [(entry: Int, skipRange: SkipRange?)] = skips[node].map { ($0, nil) }
            if let text = entries[node].skipRange {
                if let skipRange = SkipRange(text) {
                    let skipped = Set(skips[node])
                    for entry in descendants(of: node).sorted() where !skipped.contains(entry) {
                        if let version = versions[entry], skipRange.contains(version) { list.append((entry, skipRange)) }
                    }
                } else {
                    selection.notes.append("the skipRange '\(text)' of \(entries[node].name) is not a version range; ignored")
                }
            }
            covered.append(list)
        }

        // 1. Counts, from the bottom of the chain up.
        var counted: Set<Int> = []
        var counts = [Int](repeating: 0, count: chain.count)
        for position in chain.indices.reversed() {
            var count = position + 1 < chain.count ? counts[position + 1] : 0
            let node = chain[position]
            if inRange(node), counted.insert(node).inserted { count += 1 }
            for item in covered[position] where inRange(item.entry) && counted.insert(item.entry).inserted { count += 1 }
            counts[position] = count
        }

        // 2. New head and tail.
        var headPosition = 0
        var tailPosition = chain.count
        var highest = -1
        for position in chain.indices {
            if counts[position] >= highest {
                headPosition = position
                highest = counts[position]
            }
            if counts[position] == 0 {
                tailPosition = position
                break
            }
        }
        guard headPosition < tailPosition else { return selection }

        // 3. The chain, then what it covers.
        for position in headPosition..<tailPosition {
            let node = chain[position]
            selection.kept[node] = inRange(node) ? .inRange : (versions[node] == nil ? .unversionedOnChain : .outOfRangeOnChain)
        }
        // Explicit skips first, so that a bundle both skipped and in a skipRange is explained by its skip.
        for position in headPosition..<tailPosition {
            for item in covered[position] where item.skipRange == nil && inRange(item.entry) && selection.kept[item.entry] == nil {
                selection.kept[item.entry] = .skipped(by: entries[chain[position]].name)
            }
        }
        var bySkipRange: [(entry: Int, coveredBy: Int)] = []
        for position in headPosition..<tailPosition {
            for item in covered[position] where inRange(item.entry) && selection.kept[item.entry] == nil {
                guard let skipRange = item.skipRange else { continue }
                selection.kept[item.entry] = .inSkipRange(of: entries[chain[position]].name, skipRange: skipRange.text)
                bySkipRange.append((item.entry, chain[position]))
            }
        }

        // 4. Connect what only a skipRange reaches.
        for (entry, coveredBy) in bySkipRange {
            let hasEdge = selection.kept.keys.contains { $0 != entry && successors(of: $0).contains(entry) }
            guard !hasEdge, let path = path(from: coveredBy, to: entry) else { continue }
            for step in path.dropFirst().dropLast() where selection.kept[step] == nil {
                selection.kept[step] = .connecting(entries[entry].name)
            }
        }
        return selection
    }
}
