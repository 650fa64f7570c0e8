import ImageSet
import OCI
import Testing

/// An additional image with a problem of its own is skipped with a warning at the problem, and
/// the configuration still loads (oc-mirror's collector: "invalid targetRepo … : SKIPPING");
/// problems of the file's structure stay errors.
struct AdditionalImageSkipTests {
    static let text = yaml(
        "kind: ImageSetConfiguration",
        "mirror:",
        "  additionalImages:",
        "  - name: quay.io/a/good:1",
        "  - name: quay.io/a/b:1",
        "    targetRepo: \"invalid:@tag\"",
        "  - name: quay.io/a/c:1",
        "    targetTag: \"-bad\"",
        "  - name: quay.io/a/untagged",
        "  - name: oci:///tmp/layout",
        "  - targetTag: x",
        "  - name: quay.io/a/d@sha256:abc",
        "    targetRepo: Upper/case",
        "  - name: quay.io/a/also-good@sha256:" + String(repeating: "b", count: 64)
    )

    @Test func skipsEachBadImageAndKeepsTheRest() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: Self.text, fileName: testFile)
        let content = loaded.value.mirror
        #expect(content.additionalImages.map(\.name) == [
            "quay.io/a/good:1", "quay.io/a/also-good@sha256:" + String(repeating: "b", count: 64),
        ])
        #expect(content.skippedImages.map(\.description) == [
            "isc.yaml:5:5: mirror.additionalImages[1]: quay.io/a/b:1: targetRepo: invalid targetRepo 'invalid:@tag': a repository path takes no tag or digest (set targetTag for the tag)",
            "isc.yaml:7:5: mirror.additionalImages[2]: quay.io/a/c:1: targetTag: invalid targetTag '-bad': expected up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
            "isc.yaml:9:5: mirror.additionalImages[3]: quay.io/a/untagged: name: invalid image reference \"quay.io/a/untagged\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
            "isc.yaml:10:5: mirror.additionalImages[4]: oci:///tmp/layout: name: invalid image reference \"oci:///tmp/layout\": unsupported transport \"oci://\"; only docker:// is accepted here",
            "isc.yaml:11:5: mirror.additionalImages[5]: (no name): name: required field is missing",
            // Both problems of one entry are given.
            "isc.yaml:12:5: mirror.additionalImages[6]: quay.io/a/d@sha256:abc: name: invalid image reference \"quay.io/a/d@sha256:abc\": invalid digest \"sha256:abc\": the encoded part has 3 characters; expected sha256:<64 lowercase hex characters>; targetRepo: invalid targetRepo 'Upper/case': uppercase letters; repository paths are lowercase",
        ].map { $0 }, "\(content.skippedImages.map(\.description))")
        // One warning per problem, at the problem.
        #expect(loaded.warnings.map(\.summary) == [
            "isc.yaml:6:17: mirror.additionalImages[1].targetRepo: invalid targetRepo 'invalid:@tag': a repository path takes no tag or digest (set targetTag for the tag); this image is skipped",
            "isc.yaml:8:16: mirror.additionalImages[2].targetTag: invalid targetTag '-bad': expected up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; this image is skipped",
            "isc.yaml:9:11: mirror.additionalImages[3].name: invalid image reference \"quay.io/a/untagged\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST; this image is skipped",
            "isc.yaml:10:11: mirror.additionalImages[4].name: invalid image reference \"oci:///tmp/layout\": unsupported transport \"oci://\"; only docker:// is accepted here; this image is skipped",
            "isc.yaml:11:5: mirror.additionalImages[5].name: required field is missing; this image is skipped",
            "isc.yaml:12:11: mirror.additionalImages[6].name: invalid image reference \"quay.io/a/d@sha256:abc\": invalid digest \"sha256:abc\": the encoded part has 3 characters; expected sha256:<64 lowercase hex characters>; this image is skipped",
            "isc.yaml:13:17: mirror.additionalImages[6].targetRepo: invalid targetRepo 'Upper/case': uppercase letters; repository paths are lowercase; this image is skipped",
        ], "\(loaded.warnings.map(\.summary))")
        #expect(loaded.warnings[0].hint == "fix the entry to mirror it; the rest of the configuration is mirrored")
    }

    @Test func aConfigurationOfOnlyBadImagesLoadsAndSaysItSelectsNothing() throws {
        let loaded = try ImageSetLoader.loadImageSetConfiguration(yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "    targetRepo: \"invalid:@tag\""
        ), fileName: testFile)
        #expect(loaded.value.mirror.additionalImages.isEmpty)
        #expect(loaded.value.mirror.skippedImages.count == 1)
        #expect(loaded.warnings.map(\.summary).contains(
            "isc.yaml:3:3: mirror: selects nothing: no platform channels or release, operators, images or charts (1 additional image(s) skipped)"),
            "\(loaded.warnings.map(\.summary))")
    }

    @Test(arguments: [
        // A wrong type is the file's structure, not one image's content.
        (yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages:", "  - name: [quay.io/a/b:1]"),
         "isc.yaml:4:11: mirror.additionalImages[0].name: expected a string, got a list"),
        (yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages:", "  - name: quay.io/a/b:1", "    targetRepo: {a: b}"),
         "isc.yaml:5:17: mirror.additionalImages[0].targetRepo: expected a string, got a mapping"),
        (yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages:", "  - name: quay.io/a/b:1", "    nmae: x"),
         "isc.yaml:5:5: mirror.additionalImages[0].nmae: unknown field 'nmae'; did you mean 'name'?"),
        (yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages: quay.io/a/b:1"),
         "isc.yaml:3:21: mirror.additionalImages: expected a list, got the string 'quay.io/a/b:1'"),
        (yaml("kind: ImageSetConfiguration", "mirror:", "  additionalImages:", "  - name: quay.io/a/b:1", "    platforms: [{os: linux}]"),
         "isc.yaml:5:17: mirror.additionalImages[0].platforms[0].architecture: required field is missing"),
    ])
    func structuralProblemsStayErrors(text: String, expected: String) {
        #expect(iscProblems(text) == [expected])
    }

    @Test func aFailedLoadStillShowsTheWarnings() {
        // So one pass over the file fixes everything, the skip included.
        let error = iscError(yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/untagged",
            "  - nme: quay.io/a/b:1"
        ))
        #expect(error?.description == [
            "warning: isc.yaml:4:11: mirror.additionalImages[0].name: invalid image reference \"quay.io/a/untagged\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST; this image is skipped",
            "  hint: fix the entry to mirror it; the rest of the configuration is mirrored",
            "isc.yaml:5:5: mirror.additionalImages[1].nme: unknown field 'nme'; did you mean 'name'?",
        ].joined(separator: "\n"))
    }

    @Test func aDeleteConfigurationSkipsTheSameWay() throws {
        let loaded = try ImageSetLoader.loadDeleteImageSetConfiguration(yaml: yaml(
            "kind: DeleteImageSetConfiguration",
            "delete:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "  - name: quay.io/a/c:1",
            "    targetTag: \"a b\""
        ), fileName: testFile)
        #expect(loaded.value.delete.additionalImages.map(\.name) == ["quay.io/a/b:1"])
        #expect(loaded.value.delete.skippedImages.map(\.name) == ["quay.io/a/c:1"])
    }
}
