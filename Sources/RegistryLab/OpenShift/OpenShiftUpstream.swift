import Distribution
import Foundation
import OCI

/// A synthetic OpenShift upstream: release payloads and their component images in a lab registry,
/// plus an update service, the graph-data tarball and release signatures on a loopback port.
///
/// ```swift
/// try await RegistryLab.with { lab in
///     let registry = try await lab.startRegistry()
///     try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
///         // UPDATE_URL_OVERRIDE = upstream.graphURL, OCP_SIGNATURE_URL = upstream.signatureBaseURL,
///         // OCP_SIGNATURE_VERIFICATION_PK = upstream.publicKeyPath
///         let release = upstream.release("4.18.2", .amd64)!
///     }
/// }
/// ```
///
/// What is pushed (spec §4; `<upstream>` is the registry's `host`):
/// - `<upstream>/openshift-release-dev/ocp-v4.0-art-dev@sha256:…`: component images (by digest
///   only) sharing a base layer per architecture; unchanged components are byte-identical across
///   z-streams. Also the KubeVirt container disks (x86_64, aarch64, s390x) of each RHCOS build.
/// - `<upstream>/openshift-release-dev/ocp-release:<version>-x86_64` (and `-aarch64`, and a
///   `-multi` index over both where a release has both): Docker schema 2 payloads of three layers —
///   the shared base; `release-manifests/` with a placeholder `image-references` (tags, not digests),
///   `release-metadata`, the boot-images ConfigMap and an obsolete manifest; on top, the real
///   `image-references` and a whiteout of the obsolete manifest. Read the layers in order.
/// - Two broken amd64 payloads outside the graph (`brokenPayload`, `whitedOutPayload`).
/// - Cosign signatures and referrers as the release set says (`supplyChain`; none with
///   `signing: false`): `sha256-<hex>.sig` tags beside signed payloads and components, a
///   `sha256-<hex>.att` and the referrers' fallback tag `sha256-<hex>` beside one component.
///
/// Everything is deterministic for a given registry host: only the signatures (GPG ones carry a
/// creation time, ECDSA ones are randomised) and the keys differ from run to run.
public final class OpenShiftUpstream: Sendable {
    /// The key the lab signs releases with.
    public enum SigningAlgorithm: Sendable {
        /// RSA like Red Hat's release key (which is 4096 bits; 2048 generates faster).
        case rsa2048
        case rsa4096
        case ed25519
    }

    public let releaseSet: OpenShiftReleaseSet
    /// The registry holding the images.
    public let registry: LabRegistry
    /// Every release in the graph, per architecture (`multi` included), in release-set order.
    public let releases: [OpenShiftRelease]
    /// `<brokenVersion>-x86_64`: signed, but no `release-manifests/image-references` in any layer.
    public let brokenPayload: OpenShiftRelease
    /// `<whitedOutVersion>-x86_64`: signed; a valid `image-references` in a lower layer is deleted
    /// by a whiteout in the top layer, so the image has none.
    public let whitedOutPayload: OpenShiftRelease
    /// `127.0.0.1:PORT` of the web service (graph, graph-data, signatures).
    public let serviceHost: String
    /// The armored public key of the lab's release-signing key (`OCP_SIGNATURE_VERIFICATION_PK`).
    public let publicKeyPath: URL
    /// The same key as a binary keyring, for `gpgv --keyring`.
    public let publicKeyringPath: URL
    /// The signing key's fingerprint (40 hex digits for RSA).
    public let signingKeyFingerprint: String
    /// The directory under the lab root holding the GnuPG home and the exported keys.
    public let directory: URL
    /// The graph-data tarball served at `graphDataURL`.
    public let graphData: Data
    /// The trusted cosign public key (`cosign.pub`, PEM) that every `.sig` verifies with.
    public let cosignPublicKeyPath: URL
    /// A second cosign public key: only signatures set with `setSigstoreFault(.otherKey, …)` verify with it.
    public let cosignOtherPublicKeyPath: URL
    /// The cosign signatures, attestations and referrers pushed beside the images (good ones;
    /// `setSigstoreFault` does not change this record).
    public let supplyChain: SupplyChainArtifacts

    private let web: OpenShiftWebService
    private let signatures: ReleaseSignatureStore
    private let key: ReleaseSigningKey
    private let cosign: CosignSigner
    private let client: RegistryClient
    private let stopped = LabLocked(false)

    /// `http://127.0.0.1:PORT/api/upgrades_info/v1/graph`: the update service (`UPDATE_URL_OVERRIDE`);
    /// add `?channel=…&arch=…`.
    public var graphURL: String { "http://\(serviceHost)\(OpenShiftWebService.graphPath)" }
    /// `http://127.0.0.1:PORT/api/upgrades_info/graph-data`: the graph-data tarball.
    public var graphDataURL: String { "http://\(serviceHost)\(OpenShiftWebService.graphDataPath)" }
    /// `http://127.0.0.1:PORT/pub/openshift-v4/signatures/openshift/release/` (`OCP_SIGNATURE_URL`):
    /// `<base>sha256=<hex>/signature-1` is a payload's signature.
    public var signatureBaseURL: String { "http://\(serviceHost)\(OpenShiftWebService.signaturePath)" }
    /// The registry host that all image references name.
    public var upstreamHost: String { registry.host }
    public var channels: [OpenShiftReleaseSet.Channel] { releaseSet.channels }

    /// Builds and pushes the release set into `registry`, makes a signing key and signs every
    /// payload digest, then starts the web service. Takes a few seconds.
    /// - Parameter signing: false pushes no cosign signatures or referrers (GPG signatures are
    ///   served regardless; the cosign keys are made anyway).
    public static func start(lab: RegistryLab, registry: LabRegistry, releaseSet: OpenShiftReleaseSet = .standard,
                             signingAlgorithm: SigningAlgorithm = .rsa2048, signing: Bool = true) async throws -> OpenShiftUpstream {
        let content = try OpenShiftContent.build(releaseSet, host: registry.host)
        guard let broken = content.brokenPayload, let whitedOut = content.whitedOutPayload else {
            throw LabError.unsupported("the release set has no amd64 release to derive the broken payloads from")
        }
        let directory = lab.root.appendingPathComponent("openshift-\(registry.port)")
        let algorithm: ReleaseSigningKey.Algorithm = switch signingAlgorithm {
        case .rsa2048: .rsa(bits: 2048)
        case .rsa4096: .rsa(bits: 4096)
        case .ed25519: .ed25519
        }
        // Made before gpg starts in the same directory.
        let cosign = try CosignSigner(directory: directory.appendingPathComponent("cosign"))
        // gpg makes the key while the images are pushed and cosign-signed.
        async let generatedKey = LabTools.offCooperativePool { try ReleaseSigningKey(directory: directory, algorithm: algorithm) }
        let client = ImageSeeder(registry: registry, lab: lab).client
        let pusher = BuiltImagePusher(client: client)
        try await pusher.push(content.componentImages)
        try await pusher.push(content.payloadImages)
        try await pusher.push(content.indexes)
        let supplyChain = signing
            ? try await OpenShiftSupplyChain.seed(content, set: releaseSet, signer: cosign, client: client)
            : SupplyChainArtifacts()
        let key = try await generatedKey
        let signed = content.releases + [broken, whitedOut]
        let messages = try signed.map {
            try ReleaseSignatureStore.simpleSigningMessage(dockerReference: $0.payload.description, digest: $0.payloadDigest)
        }
        let signatures = try await LabTools.offCooperativePool { try key.sign(messages) }
        let store = ReleaseSignatureStore(signatures: Dictionary(zip(signed.map(\.payloadDigest), signatures),
                                                                uniquingKeysWith: { first, _ in first }))
        let graphData = try GraphDataArchive.make(releaseSet)
        let web = try OpenShiftWebService(graph: CincinnatiGraph(releaseSet: releaseSet, releases: content.releases),
                                          graphData: graphData, signatures: store)
        return OpenShiftUpstream(releaseSet: releaseSet, registry: registry, releases: content.releases, brokenPayload: broken,
                                 whitedOutPayload: whitedOut, directory: directory, graphData: graphData, web: web,
                                 signatures: store, key: key, cosign: cosign, client: client, supplyChain: supplyChain)
    }

    /// Runs `body` with a started upstream and always stops it (the lab's `shutdown()` does not know it).
    public static func with<T>(lab: RegistryLab, registry: LabRegistry, releaseSet: OpenShiftReleaseSet = .standard,
                               signingAlgorithm: SigningAlgorithm = .rsa2048, signing: Bool = true,
                               _ body: (OpenShiftUpstream) async throws -> T) async throws -> T {
        let upstream = try await start(lab: lab, registry: registry, releaseSet: releaseSet, signingAlgorithm: signingAlgorithm,
                                       signing: signing)
        defer { upstream.stop() }
        return try await body(upstream)
    }

    private init(releaseSet: OpenShiftReleaseSet, registry: LabRegistry, releases: [OpenShiftRelease],
                 brokenPayload: OpenShiftRelease, whitedOutPayload: OpenShiftRelease, directory: URL, graphData: Data,
                 web: OpenShiftWebService, signatures: ReleaseSignatureStore, key: ReleaseSigningKey, cosign: CosignSigner,
                 client: RegistryClient, supplyChain: SupplyChainArtifacts) {
        self.releaseSet = releaseSet
        self.registry = registry
        self.releases = releases
        self.brokenPayload = brokenPayload
        self.whitedOutPayload = whitedOutPayload
        self.directory = directory
        self.graphData = graphData
        self.web = web
        self.signatures = signatures
        self.key = key
        self.cosign = cosign
        self.client = client
        self.supplyChain = supplyChain
        cosignPublicKeyPath = cosign.publicKeyPath
        cosignOtherPublicKeyPath = cosign.otherPublicKeyPath
        serviceHost = web.host
        publicKeyPath = key.armoredPublicKey
        publicKeyringPath = key.publicKeyring
        signingKeyFingerprint = key.fingerprint
    }

    deinit {
        // A safety net for a forgotten stop(): the service's threads would otherwise keep running.
        stop()
    }

    /// The release of `version` for `architecture`, if the lab pushed one.
    public func release(_ version: String, _ architecture: OpenShiftArchitecture = .amd64) -> OpenShiftRelease? {
        releases.first { $0.version == version && $0.architecture == architecture }
    }

    /// The releases the graph lists for a channel and architecture, in ascending version order.
    public func releases(inChannel channel: String, architecture: OpenShiftArchitecture = .amd64) -> [OpenShiftRelease] {
        let versions = releaseSet.channels.first { $0.name == channel }?.versions ?? []
        return versions.compactMap { release($0, architecture) }
    }

    /// `graphURL` with the query: `…/graph?channel=C&arch=A[&version=V]`.
    public func graphURL(channel: String, architecture: String = "amd64", version: String? = nil) -> String {
        var components = URLComponents(string: graphURL)!
        components.queryItems = [URLQueryItem(name: "channel", value: channel), URLQueryItem(name: "arch", value: architecture)]
            + (version.map { [URLQueryItem(name: "version", value: $0)] } ?? [])
        return components.string!
    }

    /// `<signatureBaseURL>sha256=<hex>/signature-<index>`.
    public func signatureURL(for digest: Digest, index: Int = 1) -> String {
        "\(signatureBaseURL)sha256=\(digest.encoded)/signature-\(index)"
    }

    /// The good signature of a payload digest (whatever fault is set), e.g. to lay out a
    /// `working-dir/signatures/` for a disk-to-mirror test. Nil for a digest the lab did not sign.
    public func signature(for digest: Digest) -> Data? {
        signatures.signature(for: digest)
    }

    /// Every request the web service answered, in order.
    public func requests() -> [OpenShiftServiceRequest] { web.requests() }

    /// Serves `fault` instead of the good signature of `digest` (nil restores it).
    /// - Throws: when gpg cannot make the wrong-digest signature of `.signsOtherDigest`.
    public func setSignatureFault(_ fault: OpenShiftSignatureFault?, for digest: Digest) throws {
        let answer: ReleaseSignatureStore.Answer?
        switch fault {
        case nil:
            answer = nil
        case .missing?:
            answer = .status(404)
        case .status(let status)?:
            answer = .status(status)
        case .corrupted?:
            guard let good = signatures.signature(for: digest) else {
                throw LabError.unsupported("no signature to corrupt for \(digest)")
            }
            answer = .signature(ReleaseSignatureStore.corrupted(good))
        case .signsOtherDigest(let other)?:
            let reference = (releases + [brokenPayload, whitedOutPayload]).first { $0.payloadDigest == digest }?.payload.description
                ?? "\(upstreamHost)/\(OpenShiftContent.releaseRepository):unknown"
            let message = try ReleaseSignatureStore.simpleSigningMessage(dockerReference: reference, digest: other)
            answer = .signature(try key.sign([message])[0])
        }
        signatures.setOverride(answer, for: digest)
    }

    /// Replaces the `.sig` of a cosign-signed image with the wrong signature `fault` describes
    /// (nil pushes the good one back). The registry then serves it to every client.
    /// - Returns: what the tag now holds.
    /// - Throws: `LabError.unsupported` for a digest the lab did not cosign-sign; registry errors.
    @discardableResult
    public func setSigstoreFault(_ fault: CosignSignatureFault?, for digest: Digest) async throws -> CosignSignature {
        guard let good = supplyChain.signature(for: digest) else {
            throw LabError.unsupported("no cosign signature to replace for \(digest)")
        }
        return try await cosign.replace(good, of: digest, with: fault, client: client)
    }

    /// Stops the web service and the signing key's agent. Idempotent; the registry keeps running
    /// (the lab stops it).
    public func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        web.stop()
        key.stopAgent()
    }
}
