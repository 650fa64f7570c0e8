import ImageSet
import Testing

/// Keys in another case load as oc-mirror's decoder (Go's encoding/json after sigs.k8s.io/yaml)
/// reads them, with a warning giving the canonical spelling; a field written twice in different
/// cases is an error (that decoder silently keeps one); the top-level `kind`, `mirror` and
/// `delete` are looked up by oc-mirror in a map, so only their exact spelling counts.
struct KeyCaseTests {
    @Test func keysInAnotherCaseAreReadWithAWarning() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "APIVersion: mirror.openshift.io/v2alpha1",
            "mirror:",
            "  additionalimages:",
            "  - NAME: quay.io/a/b:1",
            "    TargetRepo: x/y",
            "  Operators:",
            "  - catalog: quay.io/a/c:1",
            "    Packages: [{name: foo, CHANNELS: [{Name: stable}]}]"
        ), fileName: testFile)
        let mirror = loaded.value.mirror
        #expect(loaded.value.apiVersion == "mirror.openshift.io/v2alpha1")
        #expect(mirror.additionalImages.map(\.name) == ["quay.io/a/b:1"])
        #expect(mirror.additionalImages.first?.targetRepo == "x/y")
        #expect(mirror.operators.first?.packages.first?.channels.map(\.name) == ["stable"])
        #expect(loaded.warnings.map(\.summary) == [
            "isc.yaml:2:1: APIVersion: 'APIVersion' is read as 'apiVersion' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:4:3: mirror.additionalimages: 'additionalimages' is read as 'additionalImages' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:5:5: mirror.additionalImages[0].NAME: 'NAME' is read as 'name' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:6:5: mirror.additionalImages[0].TargetRepo: 'TargetRepo' is read as 'targetRepo' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:7:3: mirror.Operators: 'Operators' is read as 'operators' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:9:5: mirror.operators[0].Packages: 'Packages' is read as 'packages' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:9:28: mirror.operators[0].packages[0].CHANNELS: 'CHANNELS' is read as 'channels' (keys match case-insensitively, as in oc-mirror)",
            "isc.yaml:9:40: mirror.operators[0].packages[0].channels[0].Name: 'Name' is read as 'name' (keys match case-insensitively, as in oc-mirror)",
        ], "\(loaded.warnings.map(\.summary))")
        #expect(loaded.warnings[1].hint == "write 'additionalImages'")
    }

    @Test func oneFieldTwiceInDifferentCasesIsAnError() throws {
        let error = iscError(yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "  additionalimages:",
            "  - name: quay.io/a/c:1"
        ))
        #expect(error?.diagnostics.map(\.summary) == [
            "isc.yaml:5:3: mirror.additionalimages: 'additionalimages' and 'additionalImages' (at 3:3) are the same field 'additionalImages' in different cases",
        ])
        #expect(error?.diagnostics.first?.hint == "keep one 'additionalImages'; oc-mirror would silently read only one of them")
    }

    @Test(arguments: [
        (yaml("Kind: ImageSetConfiguration", "mirror: {additionalImages: [{name: quay.io/a/b:1}]}"), [
            "isc.yaml:1:1: Kind: unknown field 'Kind'; did you mean 'kind'?",
            "isc.yaml:1:1: kind: required field is missing",
        ]),
        (yaml("kind: ImageSetConfiguration", "Mirror: {additionalImages: [{name: quay.io/a/b:1}]}"), [
            "isc.yaml:1:1: mirror: required field is missing",
            "isc.yaml:2:1: Mirror: unknown field 'Mirror'; did you mean 'mirror'?",
        ]),
    ])
    func kindAndMirrorMustBeSpelledExactly(text: String, expected: [String]) {
        #expect(iscProblems(text) == expected)
    }

    @Test func theHintSaysWhyTheTopLevelKeysAreExact() {
        let error = iscError(yaml("kind: ImageSetConfiguration", "MIRROR: {}"))
        #expect(error?.diagnostics.last?.hint == "oc-mirror reads the top-level 'mirror' only in this exact spelling")
    }

    @Test func aDeleteSectionInAnotherCaseIsStillRefused() {
        #expect(discProblems(yaml(
            "kind: DeleteImageSetConfiguration",
            "delete: {additionalImages: [{name: quay.io/a/b:1}]}",
            "Mirror: {}"
        )) == ["isc.yaml:3:1: Mirror: unknown field 'Mirror'; did you mean 'mirror'?"])
    }
}
