import Foundation
import Planning
import Workspace

/// The dry-run's files, in oc-mirror's formats where oc-mirror has them (spec §7).
enum DryRunFiles {
    /// `mapping.txt`: one `docker://SOURCE=docker://DESTINATION` line per selected image.
    static func mapping(_ plan: MirrorPlan) -> String {
        plan.images.map { $0.image.mappingLine + "\n" }.joined()
    }

    /// `missing.txt`: the images the destination lacks, same format; empty when nothing is missing.
    static func missing(_ plan: MirrorPlan) -> String {
        plan.images.filter { $0.status == .missing }.map { $0.image.mappingLine + "\n" }.joined()
    }

    /// `plan.json`: the summary, every image with its state, the blobs that would move, what
    /// failed before its images could be listed, and what the last successful run had that this
    /// configuration no longer selects.
    static func planJSON(_ plan: MirrorPlan, noLongerSelected: [RunRecord.Image]) -> Data {
        struct Document: Encodable {
            var summary: PlanSummary
            var images: [ResolvedImage]
            var blobs: [PlannedBlob]
            var unreadableBeforePlanning: [String]
            var noLongerSelected: [RunRecord.Image]
        }
        return Workspace.jsonFile(Document(summary: plan.summary, images: plan.images, blobs: plan.blobs,
                                           unreadableBeforePlanning: plan.unreadableBeforePlanning, noLongerSelected: noLongerSelected))
    }
}
