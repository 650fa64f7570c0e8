import ImageSet
import Testing

/// The file name every in-memory test document is loaded under.
let testFile = "isc.yaml"

/// Joins lines with "\n" and a final newline, so test YAML can be written as a list of lines.
func yaml(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// The first lines of the diagnostics thrown for an ImageSetConfiguration, or a note that none
/// was thrown (so a comparison fails with something readable).
func iscProblems(_ text: String) -> [String] {
    do {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: testFile)
        return ["loaded without error; warnings: \(loaded.warnings.map(\.summary))"]
    } catch {
        return error.diagnostics.map(\.summary)
    }
}

/// The same for a DeleteImageSetConfiguration.
func discProblems(_ text: String) -> [String] {
    do {
        let loaded = try ImageSetLoader.loadDeleteImageSetConfiguration(yaml: text, fileName: testFile)
        return ["loaded without error; warnings: \(loaded.warnings.map(\.summary))"]
    } catch {
        return error.diagnostics.map(\.summary)
    }
}

/// The thrown error, for checks on hints; records an issue when nothing is thrown.
func iscError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ImageSetError? {
    do {
        _ = try ImageSetLoader.loadImageSetConfiguration(yaml: text, fileName: testFile)
        Issue.record("expected an error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
