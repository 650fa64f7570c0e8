import OCI

extension OperatorCatalogSet {
    /// Three catalogs over four packages, shaped like Red Hat's:
    ///
    /// - `redhat/redhat-operator-index:v4.18` (OCI index, linux/amd64 + linux/arm64): `foo`, `bar`,
    ///   `baz`. Its lower configs layer has an older `foo` (stable ends at v0.3.1) and a `qux`
    ///   package; the top layer replaces `foo` (adding v0.3.2) and whites out `qux`.
    /// - `redhat/redhat-operator-index:v4.19` (OCI index, two platforms): `foo` (alpha dropped,
    ///   v0.4.0 added), `bar` (v2.2.0 added by the top layer over the v4.18 copy); `baz` whited out.
    /// - `redhat/certified-operator-index:v4.18` (one Docker schema 2 image, linux/amd64): `baz`, `qux`.
    ///
    /// Packages (default channel in bold):
    /// - `foo`: `alpha` 0.1.0→0.1.1→0.2.0; `beta` 0.1.0→0.2.0 (skips 0.1.1)→0.3.0; **`stable`**
    ///   0.2.0→0.3.0→0.3.1→0.3.2 (skips 0.3.0). Deprecations: channel `alpha`, bundle `foo.v0.1.0`.
    ///   Operands: `manager` (per version), `agent` (per minor), and from 0.3.1 `metrics`, named
    ///   only in the CSV's `RELATED_IMAGE_METRICS` in 0.3.1 and 0.3.2 (declared in 0.4.0).
    /// - `bar`: `stable-1.x` 1.0.0→1.1.0→1.2.0; **`stable-2.x`** 2.0.0 (replaces 1.2.0)→2.1.0→2.1.1.
    ///   Operands: `manager`, `server` (per minor), and in 2.x an init container `init`; 2.x
    ///   requires package `foo` >=0.2.0. Carries a blob of an unknown schema.
    /// - `baz`: **`stable`** 1.0.0→1.0.1. In 1.0.0 the `exporter` related image has neither tag nor digest.
    /// - `qux`: **`alpha`** 0.9.0.
    ///
    /// Cosign signatures on every bundle image and on `foo`'s operator manifest lists
    /// (`foo/foo-rhel9-operator`, one per version); the other operands (`bar`, `baz`, `qux`, and
    /// `foo`'s agent and metrics images) are unsigned. `foo/foo-agent-rhel9` 0.3 (named by foo
    /// 0.3.0 to 0.3.2) carries an SBOM and an in-toto attestation as referrers, and a cosign `.att`.
    public static let standard: OperatorCatalogSet = {
        let amd64 = Platform(os: "linux", architecture: "amd64")
        let arm64 = Platform(os: "linux", architecture: "arm64")
        func minor(_ version: String) -> String { version.split(separator: ".").prefix(2).joined(separator: ".") }
        func manager(_ package: String, _ version: String) -> Operand {
            Operand(name: "manager", repository: "\(package)/\(package)-rhel9-operator", revision: version, placement: .managerContainer)
        }

        var bundles: [Bundle] = []
        for version in ["0.1.0", "0.1.1", "0.2.0", "0.3.0", "0.3.1", "0.3.2", "0.4.0"] {
            var operands = [
                manager("foo", version),
                Operand(name: "agent", repository: "foo/foo-agent-rhel9", revision: minor(version), placement: .relatedImageEnv),
            ]
            if ["0.3.1", "0.3.2", "0.4.0"].contains(version) {
                operands.append(Operand(name: "metrics", repository: "foo/foo-metrics-rhel9", revision: "0.3",
                                        placement: .relatedImageEnv, declaration: version == "0.4.0" ? .declared : .csvEnvOnly))
            }
            bundles.append(Bundle(package: "foo", version: version, operands: operands))
        }
        for version in ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "2.1.1", "2.2.0"] {
            let major2 = version.hasPrefix("2.")
            var operands = [manager("bar", version)]
            if major2 {
                operands.append(Operand(name: "init", repository: "bar/bar-init-rhel9", revision: "2", placement: .initContainer))
            }
            operands.append(Operand(name: "server", repository: "bar/bar-server-rhel9", revision: minor(version),
                                    placement: .relatedImageEnv))
            bundles.append(Bundle(package: "bar", version: version, operands: operands,
                                  requiredPackages: major2 ? ["foo": ">=0.2.0"] : [:]))
        }
        bundles.append(Bundle(package: "baz", version: "1.0.0", operands: [
            manager("baz", "1.0.0"),
            Operand(name: "exporter", repository: "baz/baz-exporter-rhel9", revision: "0.9", placement: .relatedImageEnv,
                    declaration: .withoutTagOrDigest),
        ]))
        bundles.append(Bundle(package: "baz", version: "1.0.1", operands: [
            manager("baz", "1.0.1"),
            Operand(name: "exporter", repository: "baz/baz-exporter-rhel9", revision: "1.0", placement: .relatedImageEnv),
        ]))
        bundles.append(Bundle(package: "qux", version: "0.9.0", operands: [manager("qux", "0.9.0")]))

        typealias Entry = OperatorChannel.Entry
        let fooAlpha = OperatorChannel(name: "alpha", entries: [
            Entry(name: "foo.v0.1.0"),
            Entry(name: "foo.v0.1.1", replaces: "foo.v0.1.0"),
            Entry(name: "foo.v0.2.0", replaces: "foo.v0.1.1"),
        ])
        let fooBeta = OperatorChannel(name: "beta", entries: [
            Entry(name: "foo.v0.1.0"),
            Entry(name: "foo.v0.2.0", replaces: "foo.v0.1.0", skips: ["foo.v0.1.1"], skipRange: "<0.2.0"),
            Entry(name: "foo.v0.3.0", replaces: "foo.v0.2.0"),
        ])
        let fooStable318 = [
            Entry(name: "foo.v0.2.0"),
            Entry(name: "foo.v0.3.0", replaces: "foo.v0.2.0"),
            Entry(name: "foo.v0.3.1", replaces: "foo.v0.3.0", skipRange: ">=0.2.0 <0.3.1"),
        ]
        let fooStable = fooStable318 + [Entry(name: "foo.v0.3.2", replaces: "foo.v0.3.1", skips: ["foo.v0.3.0"],
                                              skipRange: ">=0.2.0 <0.3.2")]
        let fooDeprecations = [
            Deprecation(.channel("alpha"), message: "The alpha channel is no longer updated; use stable."),
            Deprecation(.bundle("foo.v0.1.0"), message: "foo.v0.1.0 has a known data-loss bug; upgrade to 0.2.0 or later."),
        ]
        let foo418 = Package(name: "foo", defaultChannel: "stable",
                             channels: [fooAlpha, fooBeta, OperatorChannel(name: "stable", entries: fooStable)],
                             deprecations: fooDeprecations)
        let foo418Lower = Package(name: "foo", defaultChannel: "stable",
                                  channels: [fooAlpha, fooBeta, OperatorChannel(name: "stable", entries: fooStable318)],
                                  deprecations: fooDeprecations)
        let foo419 = Package(name: "foo", defaultChannel: "stable", channels: [
            fooBeta,
            OperatorChannel(name: "stable", entries: fooStable + [Entry(name: "foo.v0.4.0", replaces: "foo.v0.3.2",
                                                                        skipRange: ">=0.3.0 <0.4.0")]),
        ], deprecations: [fooDeprecations[1]])

        let barStable1 = OperatorChannel(name: "stable-1.x", entries: [
            Entry(name: "bar.v1.0.0"),
            Entry(name: "bar.v1.1.0", replaces: "bar.v1.0.0"),
            Entry(name: "bar.v1.2.0", replaces: "bar.v1.1.0", skipRange: ">=1.0.0 <1.2.0"),
        ])
        let barStable2 = [
            Entry(name: "bar.v2.0.0", replaces: "bar.v1.2.0"),
            Entry(name: "bar.v2.1.0", replaces: "bar.v2.0.0"),
            Entry(name: "bar.v2.1.1", replaces: "bar.v2.1.0", skipRange: ">=2.0.0 <2.1.1"),
        ]
        let barNote = "bar 2.x needs foo 0.2.0 or later in the same cluster."
        let bar418 = Package(name: "bar", defaultChannel: "stable-2.x",
                             channels: [barStable1, OperatorChannel(name: "stable-2.x", entries: barStable2)], note: barNote)
        let bar419 = Package(name: "bar", defaultChannel: "stable-2.x", channels: [
            barStable1,
            OperatorChannel(name: "stable-2.x", entries: barStable2 + [Entry(name: "bar.v2.2.0", replaces: "bar.v2.1.1")]),
        ], note: barNote)

        let baz = Package(name: "baz", defaultChannel: "stable", channels: [
            OperatorChannel(name: "stable", entries: [Entry(name: "baz.v1.0.0"), Entry(name: "baz.v1.0.1", replaces: "baz.v1.0.0")]),
        ])
        let qux = Package(name: "qux", defaultChannel: "alpha", channels: [
            OperatorChannel(name: "alpha", entries: [Entry(name: "qux.v0.9.0")]),
        ], deprecations: [Deprecation(.package, message: "qux is no longer maintained.")])

        let index = "redhat/redhat-operator-index"
        return OperatorCatalogSet(bundles: bundles, catalogs: [
            Catalog(repository: index, tag: "v4.18", packaging: .ociIndex(platforms: [amd64, arm64]),
                    packages: [foo418, bar418, baz], supersededPackages: [foo418Lower], removedPackages: [qux]),
            Catalog(repository: index, tag: "v4.19", packaging: .ociIndex(platforms: [amd64, arm64]),
                    packages: [foo419, bar419], supersededPackages: [bar418], removedPackages: [baz]),
            Catalog(repository: "redhat/certified-operator-index", tag: "v4.18", packaging: .dockerImage(platform: amd64),
                    packages: [baz, qux]),
        ], sigstoreSignsBundles: true, sigstoreSignedOperatorPackages: ["foo"],
           referrerOperand: Operand(name: "agent", repository: "foo/foo-agent-rhel9", revision: "0.3", placement: .relatedImageEnv))
    }()
}
