import Foundation
import ImageSet
import Planning

// catalog-bench generate DIR [--packages N] [--bundles N] [--seed N]
//     writes a synthetic catalog into DIR/configs (see SyntheticCatalog)
// catalog-bench load DIR
//     reads DIR/configs
// catalog-bench filter DIR heads|ranges [--write OUT] [--explain FILE]
//     reads DIR/configs, then filters it: `heads` is every package heads only (no packages in
//     the configuration), `ranges` is 50 packages with minVersion/maxVersion (every 20th
//     package; a quarter of them as a range on channel stable, the others on the package)
//
// Each command prints one line of `key=value` figures: phase times in seconds and the peak
// resident set size (getrusage) after each phase, in MiB.

func peakMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("catalog-bench: \(message)\n".utf8))
    exit(2)
}

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func format(_ value: Double) -> String { String(format: "%.3f", value) }

/// The `ranges` scenario: every 20th package (by name), its range taken from the versions of
/// its `stable` channel, from the first quarter to the third quarter.
func rangeFilter(_ catalog: FileBasedCatalog) -> CatalogFilter {
    let mark = SourceMark(file: "bench", line: 1, column: 1)
    var packages: [OperatorPackage] = []
    for (number, name) in catalog.packageNames.enumerated() where number % 20 == 0 {
        guard let package = catalog.packages[name], let stable = package.channels["stable"] else { continue }
        let versions = stable.entries.compactMap { package.bundles[$0.name]?.version }
            .compactMap { try? SemanticVersion(parsing: $0) }.sorted()
        guard versions.count >= 4 else { continue }
        let min = VersionBound(versions[versions.count / 4])
        let max = VersionBound(versions[versions.count * 3 / 4])
        if packages.count % 4 == 0 {
            packages.append(OperatorPackage(name: name, channels: [PackageChannel(name: "stable", minVersion: min, maxVersion: max, mark: mark)],
                                            mark: mark))
        } else {
            packages.append(OperatorPackage(name: name, minVersion: min, maxVersion: max, mark: mark))
        }
    }
    return CatalogFilter(packages: packages)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else { fail("usage: catalog-bench generate|load|filter DIR …") }
let root = URL(fileURLWithPath: arguments[1])
let configs = root.appendingPathComponent("configs")

switch arguments[0] {
case "generate":
    var generator = SyntheticCatalog()
    if let value = option("--packages", in: arguments).flatMap(Int.init) { generator.packages = value }
    if let value = option("--bundles", in: arguments).flatMap(Int.init) { generator.bundles = value }
    if let value = option("--seed", in: arguments).flatMap(UInt64.init) { generator.seed = value }
    var bytes = 0
    let time = try seconds { bytes = try generator.write(to: configs) }
    print("generate_s=\(format(time)) packages=\(generator.packages) bundles=\(generator.bundles) bytes=\(bytes)")

case "load":
    var catalog = FileBasedCatalog()
    let time = try seconds { catalog = try FileBasedCatalog.load(from: configs) }
    print("load_s=\(format(time)) load_peak_mib=\(peakMiB()) packages=\(catalog.packages.count) channels=\(catalog.channelCount) bundles=\(catalog.bundleCount)")

case "filter":
    guard arguments.count >= 3, ["heads", "ranges"].contains(arguments[2]) else { fail("filter DIR heads|ranges") }
    var catalog = FileBasedCatalog()
    let loadTime = try seconds { catalog = try FileBasedCatalog.load(from: configs) }
    let loadPeak = peakMiB()
    let filter = arguments[2] == "heads" ? CatalogFilter() : rangeFilter(catalog)
    var result: CatalogFilterResult?
    let filterTime = try seconds { result = try filter.apply(to: catalog) }
    guard let result else { fail("no result") }
    let filterPeak = peakMiB()
    var line = "load_s=\(format(loadTime)) filter_s=\(format(filterTime)) load_peak_mib=\(loadPeak) filter_peak_mib=\(filterPeak)"
        + " configured_packages=\(filter.packages.count) kept_packages=\(result.catalog.packages.count)"
        + " kept_channels=\(result.catalog.channelCount) kept_bundles=\(result.keptBundles.count)"
        + " related_images=\(result.keptBundles.reduce(0) { $0 + $1.relatedImages.count })"
    if let out = option("--write", in: arguments) {
        let writeTime = try seconds { try result.catalog.write(to: URL(fileURLWithPath: out)) }
        line += " write_s=\(format(writeTime))"
    }
    if let explain = option("--explain", in: arguments) {
        try Data(result.explanationText.utf8).write(to: URL(fileURLWithPath: explain))
    }
    print(line)

default:
    fail("unknown command \(arguments[0])")
}
