import OCI

extension OperatorCatalogSet {
    /// The versions of `quux`'s `stable` channel in ``patchStream``, oldest first: three 3.11.x,
    /// two 3.12.0 pre-releases, twenty-two 3.12.x releases (3.12.0 … 3.12.21), then 3.13.0-rc.1
    /// and 3.13.0.
    public static let patchStreamVersions: [String] =
        ["3.11.0", "3.11.1", "3.11.2", "3.12.0-rc.1", "3.12.0-rc.2"]
        + (0...21).map { "3.12.\($0)" }
        + ["3.13.0-rc.1", "3.13.0"]

    /// One catalog, `redhat/community-operator-index:v4.18` (one Docker schema 2 image,
    /// linux/amd64), with one package `quux` whose **`stable`** channel is a plain replaces chain
    /// over ``patchStreamVersions``: a long run of patch releases of one minor, with pre-releases
    /// of that minor and of the next, for partial version bounds (`maxVersion: "3.12"` keeps every
    /// 3.12.x) and pre-release rules. Operands: `manager` per minor. Nothing is signed.
    ///
    /// Kept apart from ``standard`` so that the demo and the tests counting its content are
    /// unaffected; build it in memory with ``catalogs(host:)`` (it has no broken or under-declared
    /// operand, which `OperatorCatalogUpstream.seed` requires).
    public static let patchStream: OperatorCatalogSet = {
        func minor(_ version: String) -> String { version.split(separator: ".").prefix(2).joined(separator: ".") }
        let bundles = patchStreamVersions.map { version in
            Bundle(package: "quux", version: version, operands: [
                Operand(name: "manager", repository: "quux/quux-rhel9-operator", revision: minor(version), placement: .managerContainer),
            ])
        }
        var entries: [OperatorChannel.Entry] = []
        for bundle in bundles {
            entries.append(OperatorChannel.Entry(name: bundle.name, replaces: entries.last?.name))
        }
        let quux = Package(name: "quux", defaultChannel: "stable", channels: [OperatorChannel(name: "stable", entries: entries)])
        return OperatorCatalogSet(bundles: bundles, catalogs: [
            Catalog(repository: "redhat/community-operator-index", tag: "v4.18",
                    packaging: .dockerImage(platform: Platform(os: "linux", architecture: "amd64")), packages: [quux]),
        ])
    }()
}
