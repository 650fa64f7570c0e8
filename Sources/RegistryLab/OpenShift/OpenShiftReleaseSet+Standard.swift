extension OpenShiftReleaseSet {
    /// Seven releases over four channels, shaped like the real graph:
    ///
    /// - `stable-4.17`: 4.17.5, 4.17.8; `stable-4.18`: 4.17.8 (the previous minor's update source,
    ///   as Cincinnati lists it), 4.18.1, 4.18.2, 4.18.3; `stable-4.21`: 4.21.0, 4.21.1, with no
    ///   edge from the older channels.
    /// - `candidate-4.18`: 4.17.8 and 4.18.3 only, so its graph has no edge at all: a cross-channel
    ///   path from `stable-4.17` into it has a step with no update (4.17.8 → 4.18.3).
    /// - Updates 4.17.5→4.17.8, 4.17.8→4.18.1, 4.17.8→4.18.2, 4.18.1→4.18.2, 4.18.2→4.18.3,
    ///   4.21.0→4.21.1, and 4.18.1→4.18.3 only conditionally (one PromQL risk).
    /// - 4.17 payloads and 4.21.1 are amd64 only; 4.18 payloads and 4.21.0 are amd64 and arm64,
    ///   plus a `multi` index.
    /// - Broken amd64 payloads outside the graph: 4.18.9 (no `image-references`) and 4.18.10
    ///   (`image-references` deleted by a whiteout in the top layer), made from 4.18.3.
    /// - Six components: `cluster-version-operator` changes in every release, `etcd` and `cli` once
    ///   per minor, the others in some z-streams only.
    /// - Cosign signatures on every payload (each architecture and `multi`) of 4.18.x and 4.21.0,
    ///   and on their `cluster-version-operator` images; none for 4.17.x (older than sigstore
    ///   signing) or 4.21.1 (deliberately unsigned). The amd64 `etcd` image of 4.18.1 (shared by
    ///   all 4.18 amd64 payloads) carries an SBOM and an in-toto attestation as referrers and a
    ///   cosign `.att`.
    public static let standard: OpenShiftReleaseSet = {
        let rhcos417 = "417.94.202410090854-0"
        let rhcos418a = "418.94.202501221327-0"
        let rhcos418b = "418.94.202502100215-0"
        let rhcos421 = "421.96.202601281602-0"
        func release(_ version: String, _ architectures: [OpenShiftArchitecture], coreOS: String, errata: Int,
                     console: String, hyperkube: String, machineConfig: String) -> Release {
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            return Release(
                version: version, architectures: architectures,
                components: [
                    "cli": "\(minor)-a",
                    "cluster-version-operator": version,
                    "console": console,
                    "etcd": "\(minor)-a",
                    "hyperkube": hyperkube,
                    "machine-config-operator": machineConfig,
                ],
                coreOSBuild: coreOS,
                errataURL: "https://access.redhat.com/errata/RHSA-2025:\(errata)")
        }
        let releases = [
            release("4.17.5", [.amd64], coreOS: rhcos417, errata: 1101,
                    console: "4.17-a", hyperkube: "4.17-a", machineConfig: "4.17-a"),
            release("4.17.8", [.amd64], coreOS: rhcos417, errata: 1188,
                    console: "4.17-b", hyperkube: "4.17-b", machineConfig: "4.17-a"),
            release("4.18.1", [.amd64, .arm64], coreOS: rhcos418a, errata: 1301,
                    console: "4.18-a", hyperkube: "4.18-a", machineConfig: "4.18-a"),
            release("4.18.2", [.amd64, .arm64], coreOS: rhcos418a, errata: 1342,
                    console: "4.18-a", hyperkube: "4.18-b", machineConfig: "4.18-a"),
            release("4.18.3", [.amd64, .arm64], coreOS: rhcos418b, errata: 1399,
                    console: "4.18-b", hyperkube: "4.18-c", machineConfig: "4.18-b"),
            release("4.21.0", [.amd64, .arm64], coreOS: rhcos421, errata: 2107,
                    console: "4.21-a", hyperkube: "4.21-a", machineConfig: "4.21-a"),
            release("4.21.1", [.amd64], coreOS: rhcos421, errata: 2164,
                    console: "4.21-a", hyperkube: "4.21-b", machineConfig: "4.21-a"),
        ]
        let risk = Risk(
            name: "LabNetworkOperatorRestartLoop",
            message: "Clusters on OVN-Kubernetes with the lab's example egress setting may see the network "
                + "operator restart in a loop while updating from 4.18.1 straight to 4.18.3.",
            url: "https://issues.redhat.com/browse/OCPBUGS-99999",
            promQL: """
                group(cluster_operator_conditions{_id="",name="network",condition="Degraded"} == 1)
                or
                0 * group(cluster_operator_conditions{_id="",name="network"})
                """)
        return OpenShiftReleaseSet(
            releases: releases,
            channels: [
                Channel(name: "stable-4.17", versions: ["4.17.5", "4.17.8"]),
                Channel(name: "stable-4.18", versions: ["4.17.8", "4.18.1", "4.18.2", "4.18.3"]),
                Channel(name: "stable-4.21", versions: ["4.21.0", "4.21.1"]),
                Channel(name: "candidate-4.18", versions: ["4.17.8", "4.18.3"]),
            ],
            updates: [
                Update(from: "4.17.5", to: "4.17.8"),
                Update(from: "4.17.8", to: "4.18.1"),
                Update(from: "4.17.8", to: "4.18.2"),
                Update(from: "4.18.1", to: "4.18.2"),
                Update(from: "4.18.2", to: "4.18.3"),
                Update(from: "4.21.0", to: "4.21.1"),
            ],
            conditionalUpdates: [
                ConditionalUpdate(updates: [Update(from: "4.18.1", to: "4.18.3")], risks: [risk]),
            ],
            brokenVersion: "4.18.9",
            whitedOutVersion: "4.18.10",
            sigstoreSignedMinors: ["4.18", "4.21"],
            sigstoreUnsignedVersions: ["4.21.1"],
            sigstoreSignedComponents: ["cluster-version-operator"],
            referrerComponent: "etcd")
    }()
}
