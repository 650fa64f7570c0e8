import Foundation
import Workspace

/// `skipped-images.txt` at the workspace root: every image the configuration asks for that the
/// run leaves out, with why — additional images with a problem in their entry (an invalid
/// `targetRepo`, a `name` that is not an image reference) and images kept bundles name without
/// a tag or digest — so a person has one place to look. Rewritten by every run, dry-run or not;
/// removed by a run with nothing skipped. (`operator-catalogs/skipped-images.txt` keeps the
/// operator lines alone, as before.)
public enum SkippedImagesReport {
    /// Relative to the workspace.
    public static let path = "skipped-images.txt"

    /// One line per image: `additional-image FILE:LINE:COLUMN: path: NAME: why` or
    /// `operator CATALOG PACKAGE BUNDLE IMAGE: why`, additional images first.
    static func lines(additional: [String], operators: [String]) -> [String] {
        additional.map { "additional-image \($0)" } + operators.sorted().map { "operator \($0)" }
    }

    static func text(_ lines: [String]) -> String {
        "# Images the configuration asks for that are not mirrored (skipped), with why\n"
            + lines.map { $0 + "\n" }.joined()
    }

    /// Writes the report, or removes the last run's when `lines` is empty.
    static func write(_ lines: [String], to workspace: Workspace) throws(WorkspaceError) {
        if lines.isEmpty {
            try? FileManager.default.removeItem(at: workspace.url(path))
        } else {
            try workspace.write(text(lines), to: path)
        }
    }
}
