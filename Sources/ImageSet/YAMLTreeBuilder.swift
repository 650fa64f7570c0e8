/// Turns libyaml's events into a ``YAMLNode`` tree, reporting what YAML itself allows but a
/// configuration must not have: duplicate keys, non-scalar keys, merge keys, unknown aliases,
/// and trees too deep or (through aliases) too large. Documents after the first are read past
/// (a configuration) and noted, ignored, or collected, as the caller asks.
///
/// Problems are collected, not thrown, so a file with two duplicate keys reports both.
struct YAMLTreeBuilder {
    /// Deeper nesting is refused: no configuration needs it, and recursion over the tree
    /// (equality, destruction) would otherwise risk the stack.
    static let maximumDepth = 200
    /// Aliases can expand exponentially ("billion laughs"); this caps the nodes they add to the
    /// tree, counted as expanded. Nodes written out in the file do not count: they are bounded by
    /// its size, and a configuration of 100,000 additionalImages has 300,000 of them.
    static let maximumExpandedNodes = 100_000

    /// An open collection. Its children are kept in arrays of their own, outside any node, and the
    /// node is made once the collection ends: appending to them is then amortised O(1). (Kept
    /// inside an enum payload, each append copied the whole array.)
    private struct Frame {
        let isMapping: Bool
        /// A sequence's items so far.
        var items: [YAMLNode] = []
        /// A mapping's entries so far.
        var entries: [YAMLMappingEntry] = []
        let mark: SourceMark
        let anchor: String?
        let path: FieldPath
        /// Nodes in this subtree, aliases counted as expanded: what an alias of its anchor adds.
        var expandedCount = 1
        /// The key waiting for its value; `skipped` when the key was refused.
        var pendingKey: PendingKey?
        /// First position of each key, to report duplicates.
        var keyMarks: [String: SourceMark] = [:]
    }

    private enum PendingKey {
        case key(YAMLNode)
        case skipped
    }

    /// What a second document is: read past, noting where it starts (a configuration: oc-mirror
    /// reads the first document and the loader warns about the rest), ignored (a ConfigMap read
    /// for its first document), or read too (a bundle's manifest file, where the CSV may follow a CRD).
    enum MoreDocuments {
        case noted, ignored, collected
    }

    let moreDocuments: MoreDocuments
    private(set) var root: YAMLNode?
    /// With `.collected`: the roots of the documents before the current one (empty ones left out).
    private(set) var earlierDocuments: [YAMLNode] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// With `.noted`: where each later document that has content starts (its `---`).
    private(set) var ignoredDocuments: [SourceMark] = []
    /// With `.noted`: where a syntax error stopped reading past the later documents (not a
    /// problem of the configuration, which is the first document).
    private(set) var ignoredSyntaxError: SourceMark?
    /// With `.noted`: set once the first document has ended; events are then only noted.
    private var isPastFirstDocument = false
    private var laterDocumentStart: SourceMark?
    /// Set once reading must stop: after the first document, or when a limit is reached.
    private(set) var isFinished = false
    /// Set when the tree is incomplete (a syntax error, a limit): it is then not worth decoding.
    private(set) var isTruncated = false
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, expandedCount: Int)] = [:]
    /// Nodes added to the tree by aliases so far, each alias counted as the anchored subtree expanded.
    private var aliasExpandedNodes = 0
    private var documentCount = 0

    init(moreDocuments: MoreDocuments = .noted) {
        self.moreDocuments = moreDocuments
    }

    // MARK: Events

    mutating func documentStarted(at mark: SourceMark) {
        documentCount += 1
        if documentCount > 1 {
            if moreDocuments == .collected {
                // Anchors belong to their document.
                if let root { earlierDocuments.append(root) }
                root = nil
                anchors = [:]
                aliasExpandedNodes = 0
                return
            }
            guard moreDocuments == .noted else {
                isFinished = true
                return
            }
            isPastFirstDocument = true
            laterDocumentStart = mark
        }
    }

    /// With `.noted`, past the first document: records that the current document has content.
    /// - Returns: whether the event is to be dropped.
    private mutating func notedPastFirstDocument() -> Bool {
        guard isPastFirstDocument else { return false }
        if let start = laterDocumentStart {
            ignoredDocuments.append(start)
            laterDocumentStart = nil
        }
        return true
    }

    mutating func scalar(_ scalar: YAMLScalar, anchor: String?, at mark: SourceMark) {
        // An empty document (`---` and nothing, or only comments) is one empty plain scalar.
        let isEmptyDocument = stack.isEmpty && scalar.value.isEmpty && scalar.style == .plain && scalar.tag == nil && anchor == nil
        if isPastFirstDocument, isEmptyDocument { return }
        if notedPastFirstDocument() { return }
        let node = YAMLNode(.scalar(scalar), mark: mark)
        if let anchor { anchors[anchor] = (node, 1) }
        attach(node, expandedCount: 1)
    }

    mutating func alias(_ name: String, at mark: SourceMark) {
        if notedPastFirstDocument() { return }
        guard let target = anchors[name] else {
            report(at: mark, currentChildPath, "unknown alias '*\(name)'; no anchor '&\(name)' is defined before it")
            attach(YAMLNode(.scalar(.placeholder), mark: mark), expandedCount: 1)
            return
        }
        aliasExpandedNodes += target.expandedCount
        if aliasExpandedNodes > Self.maximumExpandedNodes {
            report(at: mark, currentChildPath, "aliases expand to more than \(Self.maximumExpandedNodes) nodes")
            isFinished = true
            isTruncated = true
            return
        }
        attach(target.node, expandedCount: target.expandedCount)
    }

    mutating func collectionStarted(isMapping: Bool, anchor: String?, at mark: SourceMark) {
        if notedPastFirstDocument() { return }
        guard stack.count < Self.maximumDepth else {
            report(at: mark, currentChildPath, "nested more than \(Self.maximumDepth) levels deep")
            isFinished = true
            isTruncated = true
            return
        }
        let path = currentChildPath
        stack.append(Frame(isMapping: isMapping, mark: mark, anchor: anchor, path: path))
    }

    mutating func collectionEnded() {
        if isPastFirstDocument { return }
        guard let frame = stack.popLast() else { return }
        let node = YAMLNode(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), mark: frame.mark)
        if let anchor = frame.anchor { anchors[anchor] = (node, frame.expandedCount) }
        attach(node, expandedCount: frame.expandedCount)
    }

    mutating func syntaxError(_ message: String, at mark: SourceMark, hint: String?) {
        if isPastFirstDocument {
            ignoredSyntaxError = mark
            isFinished = true
            return
        }
        report(at: mark, .root, message, hint: hint)
        isFinished = true
        isTruncated = true
    }

    // MARK: Building

    /// The path the next node will have.
    private var currentChildPath: FieldPath {
        guard let top = stack.last else { return .root }
        guard top.isMapping else { return top.path.index(top.items.count) }
        if case .key(let key)? = top.pendingKey { return top.path.key(key.scalar?.value ?? "") }
        return top.path
    }

    /// Adds `node` to the open collection (in place: the frame's arrays are not shared), or makes it the root.
    private mutating func attach(_ node: YAMLNode, expandedCount: Int) {
        guard !stack.isEmpty else {
            root = root ?? node
            return
        }
        let top = stack.count - 1
        stack[top].expandedCount += expandedCount
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        switch stack[top].pendingKey {
        case nil:
            let (pending, problem) = Self.acceptKey(node, in: &stack[top])
            stack[top].pendingKey = pending
            if let problem { diagnostics.append(problem) }
        case .skipped:
            stack[top].pendingKey = nil
        case .key(let key)?:
            stack[top].entries.append(YAMLMappingEntry(key: key, value: node))
            stack[top].pendingKey = nil
        }
    }

    /// Checks a mapping key; a refused key's value is read and dropped.
    /// - Returns: the key to wait a value for, or `.skipped` with the problem to report.
    private static func acceptKey(_ key: YAMLNode, in frame: inout Frame) -> (PendingKey, Diagnostic?) {
        guard let scalar = key.scalar else {
            return (.skipped, Diagnostic(mark: key.mark, path: frame.path,
                                         message: "a mapping key must be a plain name, not \(key.kindDescription)"))
        }
        let path = frame.path.key(scalar.value)
        if scalar.value == "<<" && !scalar.isString {
            return (.skipped, Diagnostic(mark: key.mark, path: path, message: "YAML merge keys ('<<') are not supported",
                                         hint: "write the fields out instead of merging them from an anchor"))
        }
        if let first = frame.keyMarks[scalar.value] {
            return (.skipped, Diagnostic(mark: key.mark, path: path,
                                         message: "duplicate key '\(scalar.value)' (first at \(first.lineAndColumn))"))
        }
        frame.keyMarks[scalar.value] = key.mark
        return (.key(key), nil)
    }

    private mutating func report(at mark: SourceMark, _ path: FieldPath, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(mark: mark, path: path, message: message, hint: hint))
    }
}
