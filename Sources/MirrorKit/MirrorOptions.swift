import Copying
import Distribution
import OCI
import Planning
import Workspace

/// Everything a mirror-to-mirror run needs, as the command line gives it.
public struct MirrorOptions: Sendable {
    /// The ImageSetConfiguration file.
    public var configPath: String
    public var workspace: Workspace
    /// `docker://REGISTRY[/NAMESPACE]`.
    public var destination: RegistryLocation
    /// Read and compare, push nothing (`--dry-run`).
    public var dryRun: Bool
    /// `--max-nested-paths` (0: paths as they are).
    public var maxNestedPaths: Int
    public var copy: CopySettings
    public var releases: ReleaseOptions
    /// Signatures, attestations, SBOMs and referrers mirrored beside the images.
    public var attachments: AttachmentOptions
    /// What one catalog or release payload extraction may write out of the image's layers
    /// (`--max-extract-size`, 1 GiB; ``ExtractionBudget``).
    public var maxExtractBytes: Int64

    public init(configPath: String, workspace: Workspace, destination: RegistryLocation, dryRun: Bool = false,
                maxNestedPaths: Int = 0, copy: CopySettings = CopySettings(), releases: ReleaseOptions = ReleaseOptions(),
                attachments: AttachmentOptions = AttachmentOptions(), maxExtractBytes: Int64 = ExtractionBudget.defaultLimit) {
        self.maxExtractBytes = maxExtractBytes
        self.releases = releases
        self.attachments = attachments
        self.configPath = configPath
        self.workspace = workspace
        self.destination = destination
        self.dryRun = dryRun
        self.maxNestedPaths = maxNestedPaths
        self.copy = copy
    }
}

/// How release channels are resolved and release signatures checked.
public struct ReleaseOptions: Sendable {
    /// The update service (Cincinnati) to ask instead of Red Hat's (`--update-url`; else
    /// `UPDATE_URL_OVERRIDE`).
    public var updateURL: String?
    /// The signature store (`--release-signature-url`; else `OCP_SIGNATURE_URL`, else Red Hat's).
    public var signatureURL: String?
    /// The release key (`--release-signature-key`; else `OCP_SIGNATURE_VERIFICATION_PK`, else
    /// `/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release`, else Red Hat's key built in: ``ReleaseVerificationKey``).
    public var signatureKey: String?
    /// Mirror releases without verified signatures (`--ignore-release-signature`).
    public var ignoreSignatures: Bool
    /// Print the version selection report (it is always written to the workspace).
    public var explain: Bool
    /// `graph: true`: where the graph-data tarball comes from (`--graph-data-url`; Red Hat's).
    public var graphDataURL: String?
    /// `graph: true`: the image the graph data is layered on (`--graph-base-image`; ubi9).
    public var graphBaseImage: String?

    public init(updateURL: String? = nil, signatureURL: String? = nil, signatureKey: String? = nil,
                ignoreSignatures: Bool = false, explain: Bool = false, graphDataURL: String? = nil, graphBaseImage: String? = nil) {
        self.graphDataURL = graphDataURL
        self.graphBaseImage = graphBaseImage
        self.updateURL = updateURL
        self.signatureURL = signatureURL
        self.signatureKey = signatureKey
        self.ignoreSignatures = ignoreSignatures
        self.explain = explain
    }
}
