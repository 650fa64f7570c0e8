/// The checks of spec §1.1 that look across fields of `mirror:`/`delete:` once the values are
/// read: duplicates, exclusive fields, and ranges that cannot select anything. Checks on single
/// values (semver, regex, references, names) happen while reading.
/// Source: oc-mirror `internal/pkg/config/validate.go`; catalog-filter rules in spec §5.3.
struct ContentValidator {
    private let marks: [FieldPath: SourceMark]
    private let keyMarks: [FieldPath: SourceMark]
    private let entryPaths: [SourceMark: FieldPath]
    private(set) var diagnostics: [Diagnostic] = []

    init(reader: ConfigurationReader) {
        marks = reader.marks
        keyMarks = reader.keyMarks
        entryPaths = reader.entryPaths
    }

    mutating func validate(_ content: ImageSetContent, at section: FieldPath) {
        checkRelease(content.platform, at: section.key("platform"))
        checkOperators(content.operators, fallback: section.key("operators"))
    }

    // MARK: Release

    private mutating func checkRelease(_ platform: ReleaseSelection, at path: FieldPath) {
        var firstChannels: [String: SourceMark] = [:]
        for channel in platform.channels {
            checkNamedEntry(channel.name, "release channel", mark: channel.mark, fallback: path.key("channels"),
                            range: (channel.minVersion.map { VersionBound($0) }, channel.maxVersion.map { VersionBound($0) }),
                            in: &firstChannels)
        }
        if !platform.platforms.isEmpty, !platform.architectures.isEmpty {
            let platformsPath = path.key("platforms")
            let architecturesMark = keyMarks[path.key("architectures")]
            report(platformsPath, keyMarks[platformsPath] ?? platform.platforms[0].mark,
                   "cannot be combined with architectures" + (architecturesMark.map { " (at \($0.lineAndColumn))" } ?? ""),
                   hint: "use platforms to copy some platforms of the multi-architecture payload, "
                       + "or architectures (deprecated) for one payload per architecture")
        }
    }

    // MARK: Operators

    private mutating func checkOperators(_ operators: [OperatorCatalog], fallback: FieldPath) {
        var firstCatalogs: [String: SourceMark] = [:]
        for catalog in operators {
            let path = entryPath(catalog.mark, fallback: fallback)
            let catalogPath = path.key("catalog")
            let catalogMark = marks[catalogPath] ?? catalog.mark
            // A catalog that did not parse has no meaningful unique name; it is reported already.
            let name = catalog.location == .placeholder ? "" : catalog.uniqueName
            checkDuplicate(name, "catalog", at: catalogPath, catalogMark,
                           in: &firstCatalogs, hint: "two entries for one catalog must differ in targetCatalog or targetTag")
            checkPackages(of: catalog, at: path)
        }
    }

    private mutating func checkPackages(of catalog: OperatorCatalog, at catalogPath: FieldPath) {
        let fullMark = catalog.full ? keyMarks[catalogPath.key("full")] : nil
        var firstPackages: [String: SourceMark] = [:]
        for package in catalog.packages {
            let path = checkNamedEntry(package.name, "package", mark: package.mark, fallback: catalogPath.key("packages"),
                                       range: (package.minVersion, package.maxVersion), in: &firstPackages)
            if let fullMark, package.hasVersionRange {
                reportRangeWithFull(package.minVersion, at: path, fullMark: fullMark)
            }
            checkDefaultChannel(of: package, at: path)
            checkChannels(of: package, at: path, fullMark: fullMark)
        }
    }

    private mutating func checkChannels(of package: OperatorPackage, at packagePath: FieldPath, fullMark: SourceMark?) {
        let packageRangePath = packagePath.key(package.minVersion != nil ? "minVersion" : "maxVersion")
        var firstChannels: [String: SourceMark] = [:]
        for channel in package.channels {
            let path = checkNamedEntry(channel.name, "channel", mark: channel.mark, fallback: packagePath.key("channels"),
                                       range: (channel.minVersion, channel.maxVersion), in: &firstChannels)
            guard channel.hasVersionRange else { continue }
            let rangePath = path.key(channel.minVersion != nil ? "minVersion" : "maxVersion")
            if package.hasVersionRange {
                let packageRange = marks[packageRangePath].map { " (at \($0.lineAndColumn))" } ?? ""
                report(rangePath, marks[rangePath] ?? channel.mark,
                       "a channel version range cannot be combined with the package's minVersion/maxVersion\(packageRange)",
                       hint: "give the range either on the package or on its channels")
            }
            if let fullMark {
                reportRangeWithFull(channel.minVersion, at: path, fullMark: fullMark)
            }
        }
    }

    /// A listed `channels` set is all that is kept, so an explicit default must be one of them.
    private mutating func checkDefaultChannel(of package: OperatorPackage, at path: FieldPath) {
        guard let defaultChannel = package.defaultChannel, !package.channels.isEmpty,
              !package.channels.contains(where: { $0.name == defaultChannel }) else { return }
        let names = package.channels.map { "'\($0.name)'" }.joined(separator: ", ")
        let defaultPath = path.key("defaultChannel")
        report(defaultPath, marks[defaultPath] ?? package.mark,
               "'\(defaultChannel)' is not one of the listed channels (\(names))",
               hint: "only the listed channels are kept, and the default channel must be kept")
    }

    private mutating func reportRangeWithFull(_ minVersion: VersionBound?, at path: FieldPath, fullMark: SourceMark) {
        let rangePath = path.key(minVersion != nil ? "minVersion" : "maxVersion")
        report(rangePath, marks[rangePath] ?? fullMark,
               "a version range cannot be combined with 'full: true' (at \(fullMark.lineAndColumn))",
               hint: "full: true keeps every bundle; remove it to keep only the range")
    }

    // MARK: Helpers

    /// The checks every named list entry gets (release channels, packages, their channels): its
    /// name not repeated, its min not above its max.
    /// - Returns: the entry's path.
    @discardableResult
    private mutating func checkNamedEntry(_ name: String, _ what: String, mark: SourceMark, fallback: FieldPath,
                                          range: (min: VersionBound?, max: VersionBound?),
                                          in firstMarks: inout [String: SourceMark]) -> FieldPath {
        let path = entryPath(mark, fallback: fallback)
        let namePath = path.key("name")
        checkDuplicate(name, what, at: namePath, marks[namePath] ?? mark, in: &firstMarks)
        checkOrder(range.min, range.max, at: path, entryMark: mark)
        return path
    }

    /// Reports `name` when `firstMarks` has it already, else records where it first appears.
    /// An empty name is a missing one, reported while reading.
    private mutating func checkDuplicate(_ name: String, _ what: String, at path: FieldPath, _ mark: SourceMark,
                                         in firstMarks: inout [String: SourceMark], hint: String? = nil) {
        guard !name.isEmpty else { return }
        if let first = firstMarks[name] {
            report(path, mark, "duplicate \(what) '\(name)' (first at \(first.lineAndColumn))", hint: hint)
        } else {
            firstMarks[name] = mark
        }
    }

    /// A range whose minimum is above its maximum selects nothing. A partial maximum covers what
    /// it starts: minVersion 3.12.5 with maxVersion 3.12 keeps 3.12.5 and up to every 3.12.x.
    private mutating func checkOrder(_ minVersion: VersionBound?, _ maxVersion: VersionBound?,
                                     at path: FieldPath, entryMark: SourceMark) {
        guard let minVersion, let maxVersion, !maxVersion.admitsAsMaximum(minVersion.version) else { return }
        let maxPath = path.key("maxVersion")
        let minAt = marks[path.key("minVersion")].map { " (at \($0.lineAndColumn))" } ?? ""
        report(maxPath, marks[maxPath] ?? entryMark, "\(maxVersion) is below minVersion \(minVersion)\(minAt)")
    }

    private func entryPath(_ mark: SourceMark, fallback: FieldPath) -> FieldPath {
        entryPaths[mark] ?? fallback
    }

    private mutating func report(_ path: FieldPath, _ mark: SourceMark, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(mark: mark, path: path, message: message, hint: hint))
    }
}
