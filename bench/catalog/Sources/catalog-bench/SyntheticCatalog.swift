import Foundation

/// Writes a synthetic file-based catalog shaped like the Red Hat operator index: `PACKAGES`
/// packages with `BUNDLES` bundles in all, one `configs/<package>/catalog.json` each, written as
/// opm writes them (JSON objects indented with four spaces, one after the other).
///
/// Each package has a version series over a few minors; channel `stable` (the default) lists
/// every bundle, `stable-M.m` the bundles of each of the last minors, and one package in three a
/// `candidate` channel with every bundle. Bundles replace the previous one and carry a
/// `skipRange` over the previous minor; one in seven is a "side" bundle that the next one skips
/// instead of replacing. Bundles carry the properties a real index has (`olm.package`, a few
/// `olm.gvk`, sometimes `olm.package.required`, and `olm.csv.metadata` with long description and
/// `alm-examples` strings), 3 to 8 related images by digest; packages carry a base64 icon; one
/// package in twenty has deprecations.
struct SyntheticCatalog {
    var packages = 1000
    var bundles = 20000
    var seed: UInt64 = 42

    /// One package's version series: the bundles in chain order, and which are side bundles.
    struct Series {
        var name: String
        var versions: [(major: Int, minor: Int, patch: Int)]
        /// Indices of side bundles: skipped by the next bundle, not replaced.
        var side: Set<Int>

        func version(_ index: Int) -> String {
            let v = versions[index]
            return "\(v.major).\(v.minor).\(v.patch)"
        }

        func bundleName(_ index: Int) -> String { "\(name).v\(version(index))" }
    }

    /// The version series of every package (the filter scenarios pick their ranges from them).
    func series() -> [Series] {
        var random = SeededGenerator(state: seed)
        // Bundle counts: 4...36 each, then adjusted so that they add up to `bundles`.
        var counts = (0..<packages).map { _ in 4 + Int(random.next() % 33) }
        var difference = bundles - counts.reduce(0, +)
        var index = 0
        while difference != 0 {
            if difference > 0 {
                counts[index % packages] += 1
                difference -= 1
            } else if counts[index % packages] > 2 {
                counts[index % packages] -= 1
                difference += 1
            }
            index += 1
        }
        return (0..<packages).map { number in
            let name = "operator-\(String(number).leftPadded(to: 4))-" + ["core", "storage", "network", "data", "observability"][number % 5]
            var versions: [(Int, Int, Int)] = []
            var current = (1 + Int(random.next() % 3), Int(random.next() % 10), 0)
            for _ in 0..<counts[number] {
                versions.append(current)
                let roll = random.next() % 10
                if roll < 3 {
                    current = (current.0, current.1 + 1, 0)
                } else if roll == 3 && versions.count % 9 == 0 {
                    current = (current.0 + 1, 0, 0)
                } else {
                    current = (current.0, current.1, current.2 + 1)
                }
            }
            // A side bundle needs a successor of the same minor (else it would head its minor channel).
            var side: Set<Int> = []
            for i in 1..<max(1, versions.count - 1) where i % 7 == 3 {
                if versions[i + 1].0 == versions[i].0 && versions[i + 1].1 == versions[i].1 && !side.contains(i - 1) {
                    side.insert(i)
                }
            }
            return Series(name: name, versions: versions, side: side)
        }
    }

    /// Writes `configs/<package>/catalog.json` under `root`; returns the bytes written.
    func write(to root: URL) throws -> Int {
        var random = SeededGenerator(state: seed ^ 0xC0FFEE)
        var total = 0
        for (number, series) in series().enumerated() {
            var out = JSONWriter()
            writePackage(series, number: number, into: &out, random: &random)
            for channel in channels(of: series, number: number) {
                writeChannel(series, name: channel.name, indices: channel.indices, into: &out)
            }
            for index in series.versions.indices {
                writeBundle(series, index: index, into: &out, random: &random)
            }
            if number % 20 == 7 { writeDeprecations(series, into: &out) }
            let directory = root.appendingPathComponent(series.name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(out.bytes).write(to: directory.appendingPathComponent("catalog.json"))
            total += out.bytes.count
        }
        return total
    }

    /// The channels of a package: stable, the last minors' channels, sometimes candidate.
    func channels(of series: Series, number: Int) -> [(name: String, indices: [Int])] {
        var channels: [(String, [Int])] = [("stable", Array(series.versions.indices))]
        var minors: [String] = []
        for v in series.versions where !minors.contains("\(v.major).\(v.minor)") { minors.append("\(v.major).\(v.minor)") }
        for minor in minors.suffix(4) {
            channels.append(("stable-\(minor)", series.versions.indices.filter { "\(series.versions[$0].major).\(series.versions[$0].minor)" == minor }))
        }
        if number % 3 == 0 { channels.append(("candidate", Array(series.versions.indices))) }
        return channels.sorted { $0.0 < $1.0 }
    }

    private func writePackage(_ series: Series, number: Int, into out: inout JSONWriter, random: inout SeededGenerator) {
        out.object { o in
            o.member("schema", "olm.package")
            o.member("name", series.name)
            o.member("defaultChannel", "stable")
            o.member("description", random.prose(600))
            o.memberObject("icon") { icon in
                // A base64 PNG of about 6 KiB.
                icon.member("base64data", Data((0..<4500).map { _ in UInt8(truncatingIfNeeded: random.next()) }).base64EncodedString())
                icon.member("mediatype", "image/png")
            }
        }
    }

    private func writeChannel(_ series: Series, name: String, indices: [Int], into out: inout JSONWriter) {
        out.object { o in
            o.member("schema", "olm.channel")
            o.member("package", series.name)
            o.member("name", name)
            o.memberArray("entries") { entries in
                for index in indices {
                    entries.elementObject { e in
                        e.member("name", series.bundleName(index))
                        // The previous bundle of the chain: a side bundle is skipped, not replaced.
                        let previous = series.side.contains(index - 1) ? index - 2 : index - 1
                        if previous >= 0 {
                            e.member("replaces", series.bundleName(previous))
                        }
                        if series.side.contains(index - 1) {
                            e.memberArray("skips") { $0.element(series.bundleName(index - 1)) }
                        }
                        let v = series.versions[index]
                        if index > 0 {
                            e.member("skipRange", ">=\(v.major).\(max(0, v.minor - 1)).0 <\(series.version(index))")
                        }
                    }
                }
            }
        }
    }

    private func writeBundle(_ series: Series, index: Int, into out: inout JSONWriter, random: inout SeededGenerator) {
        let name = series.bundleName(index)
        let version = series.version(index)
        let registry = ["registry.redhat.io", "quay.io", "registry.connect.redhat.com"][index % 3]
        let bundleImage = "\(registry)/\(series.name)/\(series.name)-bundle@sha256:\(random.hex(64))"
        out.object { o in
            o.member("schema", "olm.bundle")
            o.member("name", name)
            o.member("package", series.name)
            o.member("image", bundleImage)
            o.memberArray("properties") { properties in
                for kind in 0..<(1 + Int(random.next() % 3)) {
                    properties.elementObject { p in
                        p.member("type", "olm.gvk")
                        p.memberObject("value") { v in
                            v.member("group", "\(series.name).example.com")
                            v.member("kind", ["Cluster", "Backup", "Instance"][kind])
                            v.member("version", "v1")
                        }
                    }
                }
                properties.elementObject { p in
                    p.member("type", "olm.package")
                    p.memberObject("value") { v in
                        v.member("packageName", series.name)
                        v.member("version", version)
                    }
                }
                if index % 4 == 0 {
                    properties.elementObject { p in
                        p.member("type", "olm.package.required")
                        p.memberObject("value") { v in
                            v.member("packageName", "operator-0001-storage")
                            v.member("versionRange", ">=1.0.0")
                        }
                    }
                }
                properties.elementObject { p in
                    p.member("type", "olm.csv.metadata")
                    p.memberObject("value") { v in
                        v.memberObject("annotations") { a in
                            a.member("alm-examples", almExamples(series, random: &random))
                            a.member("capabilities", "Seamless Upgrades")
                            a.member("categories", "Storage,Database")
                            a.member("containerImage", "\(registry)/\(series.name)/operator@sha256:\(random.hex(64))")
                            a.member("createdAt", "2024-0\(1 + index % 9)-1\(index % 10)T10:00:00Z")
                            a.member("operators.openshift.io/valid-subscription", "[\"OpenShift Platform Plus\"]")
                            a.member("support", "Example, Inc.")
                        }
                        v.memberArray("apiServiceDefinitions") { _ in }
                        v.member("description", random.prose(1400 + Int(random.next() % 1800)))
                        v.member("displayName", "\(series.name) operator")
                        v.memberArray("keywords") { k in
                            k.element("storage")
                            k.element("operator")
                        }
                        v.memberObject("provider") { $0.member("name", "Example, Inc.") }
                    }
                }
            }
            o.memberArray("relatedImages") { images in
                images.elementObject { i in
                    i.member("name", "")
                    i.member("image", bundleImage)
                }
                for operand in 0..<(2 + Int(random.next() % 6)) {
                    images.elementObject { i in
                        i.member("name", "operand-\(operand)")
                        i.member("image", "\(registry)/\(series.name)/operand-\(operand)-rhel9@sha256:\(random.hex(64))")
                    }
                }
            }
        }
    }

    /// A JSON array as a string, the way CSVs carry their examples.
    private func almExamples(_ series: Series, random: inout SeededGenerator) -> String {
        var items: [String] = []
        for kind in ["Cluster", "Backup", "Instance"] {
            items.append("""
            {\n    "apiVersion": "\(series.name).example.com/v1",\n    "kind": "\(kind)",\n    "metadata": {\n      "name": "example-\(kind.lowercased())"\n    },\n    "spec": {\n      "replicas": 3,\n      "storage": {"size": "10Gi", "class": "fast-\(random.hex(6))"},\n      "note": "\(random.prose(300).replacingOccurrences(of: "\n", with: " "))"\n    }\n  }
            """)
        }
        return "[\n  " + items.joined(separator: ",\n  ") + "\n]"
    }

    private func writeDeprecations(_ series: Series, into out: inout JSONWriter) {
        out.object { o in
            o.member("schema", "olm.deprecations")
            o.member("package", series.name)
            o.memberArray("entries") { entries in
                entries.elementObject { e in
                    e.memberObject("reference") { $0.member("schema", "olm.bundle"); $0.member("name", series.bundleName(0)) }
                    e.member("message", "\(series.bundleName(0)) is no longer supported.")
                }
                entries.elementObject { e in
                    e.memberObject("reference") { $0.member("schema", "olm.channel"); $0.member("name", "candidate") }
                    e.member("message", "The candidate channel is no longer updated.")
                }
            }
        }
    }
}
