import ImageSet
import Testing

/// A file of several YAML documents: the first is the configuration, as oc-mirror reads it
/// (sigs.k8s.io/yaml decodes the first document); a warning names where the others start.
struct MultipleDocumentTests {
    @Test func theFirstDocumentIsReadAndTheOthersAreNamed() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "---",
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/c:1}]",
            "--- # an empty document is not worth a mention",
            "---",
            "anything: [at all]"
        ), fileName: testFile)
        #expect(loaded.value.mirror.additionalImages.map(\.name) == ["quay.io/a/b:1"])
        #expect(loaded.warnings.map(\.summary) == [
            "isc.yaml:4:1: only the first YAML document is read, as oc-mirror reads it; ignored: the documents starting at lines 4, 9",
        ])
        #expect(loaded.warnings.first?.hint == "put each configuration in a file of its own, or remove this '---' and what follows")
    }

    @Test func problemsInIgnoredDocumentsAreNotTheConfigurations() throws {
        // oc-mirror never reads past the first document, so neither an unknown key nor a syntax
        // error there stops the load.
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror: {additionalImages: [{name: quay.io/a/b:1}]}",
            "---",
            "colour: red",
            "---",
            "a: [unclosed"
        ), fileName: testFile)
        #expect(loaded.warnings.map(\.summary) == [
            "isc.yaml:3:1: only the first YAML document is read, as oc-mirror reads it; ignored: the documents starting at lines 3, 5; "
                + "reading past them stopped at a YAML syntax error at line 7",
        ], "\(loaded.warnings.map(\.summary))")
    }

    @Test func aLeadingDocumentMarkerIsOneDocument() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "---",
            "kind: ImageSetConfiguration",
            "mirror: {additionalImages: [{name: quay.io/a/b:1}]}",
            "..."
        ), fileName: testFile)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func anEmptyFirstDocumentIsAnErrorThatSaysWhy() {
        let error = iscError(yaml(
            "---",
            "---",
            "kind: ImageSetConfiguration",
            "mirror: {additionalImages: [{name: quay.io/a/b:1}]}"
        ))
        #expect(error?.diagnostics.map(\.summary) == [
            "isc.yaml:1:1: empty document; an image set configuration starts with 'kind: ImageSetConfiguration'",
        ])
        #expect(error?.diagnostics.first?.hint
            == "only the first YAML document is read (as oc-mirror reads it), and it is empty; remove the empty document before line 2")
    }

    @Test func aSyntaxErrorInTheFirstDocumentIsStillAnError() {
        #expect(iscProblems(yaml(
            "kind: ImageSetConfiguration",
            "mirror: [unclosed",
            "---",
            "kind: ImageSetConfiguration"
        )).first?.contains("YAML syntax error") == true)
    }
}
