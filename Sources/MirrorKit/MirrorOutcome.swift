import Copying
import Planning
import Workspace

/// What a run did (or, for a dry-run, would do), for the report on screen and the exit code.
public struct MirrorOutcome: Sendable {
    public var dryRun: Bool
    /// Images the configuration selects, after blocking and duplicate removal.
    public var selected: [CollectedImage]
    public var blocked: [ImageCollection.Blocked]
    public var duplicatesDropped: Int
    public var conflicts: [ImageCollection.Conflict]
    /// The dry-run's plan.
    public var plan: MirrorPlan?
    /// Images of the last successful run that this configuration no longer selects.
    public var noLongerSelected: [RunRecord.Image]
    /// The real run's copy report.
    public var copyReport: CopyReport?
    /// Per origin kind: images mirrored (copied or already there) and failed.
    public var landedByOrigin: [ImageOrigin: Int]
    public var failedByOrigin: [ImageOrigin: Int]
    /// Of the landed images, those the mirror held already (dry-run: that need nothing).
    public var alreadyMirroredByOrigin: [ImageOrigin: Int] = [:]
    /// Sources a cluster node could not resolve to an image in the mirror through the
    /// generated IDMS/ITMS (should be empty; anything here is reported as an error).
    public var replayProblems: [String]
    /// Files written, relative to the workspace.
    public var files: [String]
    /// Releases that could not be collected (selection, signature or payload problems).
    public var collectionFailures: [String] = []
    /// Verified release signatures (the signature ConfigMap is made of those whose payload landed).
    public var signatures: [ReleaseSignature] = []
    /// Operator catalogs to land (as they are, or rebuilt from their filtered catalog).
    var catalogs: [CatalogCollector.Catalog] = []
    /// The bundles and packages that need each bundle or operand image, by source reference.
    public var operatorUses: [String: OperatorUse] = [:]
    /// Signatures and referrers: what landed (or would), and the images without a signature.
    public var signatureReport = SignatureReport()
    /// Additional images left out for a problem in their entry (`FILE:LINE:COLUMN: path: NAME:
    /// why`); they count in the exit code (bit 8), as in oc-mirror, but hold nothing back.
    public var skippedAdditionalImages: [String] = []
    /// Images kept bundles name that cannot be mirrored (no tag or digest); a warning only.
    public var skippedOperatorImages = 0
    /// The run was stopped (SIGINT, SIGTERM) before it finished: what landed is in the copy
    /// report, the rest was not attempted or was cut short; the run record was not written.
    public var interrupted = false

    /// The oc-mirror exit-code bitmask (spec §2.9): a bit per origin kind with a failure, 1 for
    /// anything else that went wrong (a cluster-resource check).
    public var exitCode: Int32 {
        var code: Int32 = 0
        for (origin, count) in failedByOrigin where count > 0 { code |= origin.exitCodeBit }
        if !skippedAdditionalImages.isEmpty { code |= ImageOrigin.additional.exitCodeBit }
        if !replayProblems.isEmpty { code |= 1 }
        return code
    }
}
