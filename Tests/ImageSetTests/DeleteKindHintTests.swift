import ImageSet
import Testing

/// A DeleteImageSetConfiguration given to a mirror run: the hint says what Ferry can do today,
/// not a command it does not have.
struct DeleteKindHintTests {
    @Test func theHintNamesNoMissingCommand() {
        let yaml = "kind: DeleteImageSetConfiguration\ndelete:\n  additionalImages: [{name: quay.io/a/b:1}]\n"
        #expect {
            _ = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml, fileName: "isc.yaml")
        } throws: { error in
            guard let error = error as? ImageSetError, let hint = error.diagnostics.first?.hint else { return false }
            return hint.contains("Ferry has no delete command yet") && hint.contains("oc-mirror delete --v2")
        }
    }
}
