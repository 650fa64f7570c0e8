import ImageSet
import Testing

/// Files that must not load, with the exact `FILE:LINE:COLUMN: path: message` lines expected.
struct InvalidConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let yaml: String
        let expected: [String]
        var isDelete = false
    }

    static let cases: [Case] = [
        Case(testDescription: "unknown key with a suggestion", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    pakages:",
            "    - name: foo"
        ), expected: [
            "isc.yaml:5:5: mirror.operators[0].pakages: unknown field 'pakages'; did you mean 'packages'?",
        ]),
        Case(testDescription: "unknown keys without a suggestion", yaml: yaml(
            "kind: ImageSetConfiguration",
            "storageConfig:",
            "  local: {path: /tmp}",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "  colour: red"
        ), expected: [
            "isc.yaml:2:1: storageConfig: unknown field 'storageConfig'",
            "isc.yaml:6:3: mirror.colour: unknown field 'colour'",
        ]),
        Case(testDescription: "duplicate key", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "    name: quay.io/a/c:1"
        ), expected: [
            "isc.yaml:5:5: mirror.additionalImages[0].name: duplicate key 'name' (first at 4:5)",
        ]),
        Case(testDescription: "wrong types", yaml: yaml(
            "kind: ImageSetConfiguration",
            "archiveSize: 10G",
            "mirror:",
            "  platform:",
            "    graph: \"true\"",
            "    architectures: amd64",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    full: yes please",
            "    packages: [{name: [a]}]",
            "  additionalImages:",
            "    name: quay.io/a/b:1"
        ), expected: [
            "isc.yaml:2:14: archiveSize: expected an integer, got the string '10G'",
            "isc.yaml:5:12: mirror.platform.graph: expected a boolean (true or false), got the string 'true'",
            "isc.yaml:6:20: mirror.platform.architectures: expected a list, got the string 'amd64'",
            "isc.yaml:9:11: mirror.operators[0].full: expected a boolean (true or false), got the string 'yes please'",
            "isc.yaml:10:23: mirror.operators[0].packages[0].name: expected a string, got a list",
            "isc.yaml:12:5: mirror.additionalImages: expected a list, got a mapping",
        ]),
        Case(testDescription: "missing kind", yaml: yaml(
            "apiVersion: mirror.openshift.io/v2alpha1",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1"
        ), expected: [
            "isc.yaml:1:1: kind: required field is missing",
        ]),
        Case(testDescription: "misspelt kind", yaml: yaml(
            "kind: ImageSetConfiguraton",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]"
        ), expected: [
            "isc.yaml:1:7: kind: expected 'ImageSetConfiguration', got 'ImageSetConfiguraton'; did you mean 'ImageSetConfiguration'?",
        ]),
        Case(testDescription: "delete kind given to mirror", yaml: yaml(
            "kind: DeleteImageSetConfiguration",
            "delete:",
            "  additionalImages: [{name: quay.io/a/b:1}]"
        ), expected: [
            "isc.yaml:1:7: kind: expected 'ImageSetConfiguration', got 'DeleteImageSetConfiguration'",
        ]),
        Case(testDescription: "mirror and delete", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "delete:",
            "  additionalImages: [{name: quay.io/a/b:1}]"
        ), expected: [
            "isc.yaml:4:1: delete: not allowed in an ImageSetConfiguration",
        ]),
        Case(testDescription: "no mirror", yaml: yaml(
            "kind: ImageSetConfiguration",
            "apiVersion: mirror.openshift.io/v2alpha1"
        ), expected: [
            "isc.yaml:1:1: mirror: required field is missing",
        ]),
        Case(testDescription: "bad regular expressions", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]",
            "  blockedImages:",
            "  - name: \"a(b\"",
            "  - name: '[z'",
            "  - name: ok.*"
        ), expected: [
            "isc.yaml:5:11: mirror.blockedImages[0].name: invalid regular expression 'a(b': expected ')'",
            "isc.yaml:6:11: mirror.blockedImages[1].name: invalid regular expression '[z': expected ']'",
        ]),
        Case(testDescription: "bad semantic versions", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    channels:",
            "    - name: stable-4.18",
            "      minVersion: 4.18.x",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    packages:",
            "    - name: foo",
            "      maxVersion: latest"
        ), expected: [
            "isc.yaml:6:19: mirror.platform.channels[0].minVersion: invalid semantic version '4.18.x': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1",
            "isc.yaml:11:19: mirror.operators[0].packages[0].maxVersion: invalid semantic version 'latest': expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], e.g. 4.18.1",
        ]),
        Case(testDescription: "package and channel ranges", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    packages:",
            "    - name: foo",
            "      minVersion: 1.0.0",
            "      channels:",
            "      - name: stable",
            "        maxVersion: 2.0.0"
        ), expected: [
            "isc.yaml:10:21: mirror.operators[0].packages[0].channels[0].maxVersion: a channel version range cannot be combined with the package's minVersion/maxVersion (at 7:19)",
        ]),
        Case(testDescription: "full with ranges", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    full: true",
            "    packages:",
            "    - name: foo",
            "      minVersion: 1.0.0",
            "    - name: bar",
            "      channels:",
            "      - name: stable",
            "        maxVersion: 2.0.0"
        ), expected: [
            "isc.yaml:8:19: mirror.operators[0].packages[0].minVersion: a version range cannot be combined with 'full: true' (at 5:5)",
            "isc.yaml:12:21: mirror.operators[0].packages[1].channels[0].maxVersion: a version range cannot be combined with 'full: true' (at 5:5)",
        ]),
        Case(testDescription: "duplicates", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    channels:",
            "    - name: stable-4.18",
            "    - name: stable-4.18",
            "      type: okd",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    packages:",
            "    - name: foo",
            "      channels:",
            "      - name: stable",
            "      - name: stable",
            "    - name: foo",
            "  - catalog: docker://quay.io/a/b:1",
            "  - catalog: quay.io/a/b:1",
            "    targetTag: v2",
            "  - catalog: quay.io/x/y:9",
            "    targetCatalog: a/b",
            "    targetTag: \"1\""
        ), expected: [
            "isc.yaml:6:13: mirror.platform.channels[1].name: duplicate release channel 'stable-4.18' (first at 5:13)",
            "isc.yaml:14:15: mirror.operators[0].packages[0].channels[1].name: duplicate channel 'stable' (first at 13:15)",
            "isc.yaml:15:13: mirror.operators[0].packages[1].name: duplicate package 'foo' (first at 11:13)",
            "isc.yaml:16:14: mirror.operators[1].catalog: duplicate catalog 'quay.io/a/b:1' (first at 9:14)",
            "isc.yaml:19:14: mirror.operators[3].catalog: duplicate catalog 'quay.io/a/b:1' (first at 9:14)",
        ]),
        Case(testDescription: "platforms and architectures", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    architectures: [amd64]",
            "    platforms:",
            "    - {os: linux, architecture: arm64}",
            "    channels: [{name: stable-4.18}]"
        ), expected: [
            "isc.yaml:5:5: mirror.platform.platforms: cannot be combined with architectures (at 4:5)",
        ]),
        Case(testDescription: "bad channel types and architectures", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    architectures: [x86_64, arm46, sparc]",
            "    channels:",
            "    - name: stable-4.18",
            "      type: ocd",
            "    - name: okd-4.14",
            "      type: OKD"
        ), expected: [
            "isc.yaml:4:21: mirror.platform.architectures[0]: unknown architecture 'x86_64' (expected amd64, arm64, ppc64le, s390x or multi); did you mean 'amd64'?",
            "isc.yaml:4:29: mirror.platform.architectures[1]: unknown architecture 'arm46' (expected amd64, arm64, ppc64le, s390x or multi); did you mean 'arm64'?",
            "isc.yaml:4:36: mirror.platform.architectures[2]: unknown architecture 'sparc' (expected amd64, arm64, ppc64le, s390x or multi)",
            "isc.yaml:7:13: mirror.platform.channels[0].type: unknown channel type 'ocd' (expected ocp or okd); did you mean 'ocp'?",
            "isc.yaml:9:13: mirror.platform.channels[1].type: unknown channel type 'OKD' (expected ocp or okd); did you mean 'okd'?",
        ]),
        Case(testDescription: "destination names", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "    targetCatalog: my-org/Catalog",
            "    targetTag: -bad",
            "  - catalog: 'oci:'"
        ), expected: [
            "isc.yaml:5:20: mirror.operators[0].targetCatalog: invalid targetCatalog 'my-org/Catalog': uppercase letters; repository paths are lowercase",
            "isc.yaml:6:16: mirror.operators[0].targetTag: invalid targetTag '-bad': expected up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
            "isc.yaml:7:14: mirror.operators[1].catalog: no path after 'oci:'; expected oci:///absolute/path/to/layout",
        ]),
        Case(testDescription: "missing required fields", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - packages: [{name: foo}]",
            "  - catalog: \"\"",
            "  additionalImages:",
            "  - quay.io/a/b:1",
            "  platform:",
            "    platforms: [{os: linux}]",
            "  helm:",
            "    local:",
            "    - name: chart"
        ), expected: [
            "isc.yaml:4:5: mirror.operators[0].catalog: required field is missing",
            "isc.yaml:5:14: mirror.operators[1].catalog: must not be empty",
            "isc.yaml:7:5: mirror.additionalImages[0]: expected a mapping, got the string 'quay.io/a/b:1'",
            "isc.yaml:9:17: mirror.platform.platforms[0].architecture: required field is missing",
            "isc.yaml:12:7: mirror.helm.local[0].path: required field is missing",
        ]),
        Case(testDescription: "syntax error", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "   bad: indentation"
        ), expected: [
            "isc.yaml:5:4: YAML syntax error: did not find expected key (while parsing a block mapping at 3:3)",
        ]),
        Case(testDescription: "unknown alias reported once", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  additionalImages:",
            "  - name: *image"
        ), expected: [
            "isc.yaml:4:11: mirror.additionalImages[0].name: unknown alias '*image'; no anchor '&image' is defined before it",
        ]),
        Case(testDescription: "several problems, in position order", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  platform:",
            "    channels:",
            "    - name: stable-4.18",
            "      minVersion: 4.18.3",
            "      maxVersion: 4.18.1",
            "  operators:",
            "  - catalog: quay.io/a/b",
            "    packages:",
            "    - name: foo",
            "      defaultChannel: beta",
            "      channels:",
            "      - name: stable",
            "  additionalImages:",
            "  - name: quay.io/a/b:1",
            "    platform: [{os: linux, architecture: amd64}]",
            "  blockedImages:",
            "  - name: \"(unclosed\"",
            "  additionalImages: []"
        ), expected: [
            "isc.yaml:7:19: mirror.platform.channels[0].maxVersion: 4.18.1 is below minVersion 4.18.3 (at 6:19)",
            "isc.yaml:9:14: mirror.operators[0].catalog: invalid image reference \"quay.io/a/b\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
            "isc.yaml:12:23: mirror.operators[0].packages[0].defaultChannel: 'beta' is not one of the listed channels ('stable')",
            "isc.yaml:17:5: mirror.additionalImages[0].platform: unknown field 'platform'; did you mean 'platforms'?",
            "isc.yaml:19:11: mirror.blockedImages[0].name: invalid regular expression '(unclosed': expected ')'",
            "isc.yaml:20:3: mirror.additionalImages: duplicate key 'additionalImages' (first at 15:3)",
        ]),
        Case(testDescription: "broken catalogs are not duplicates of each other", yaml: yaml(
            "kind: ImageSetConfiguration",
            "mirror:",
            "  operators:",
            "  - catalog: quay.io/a/b",
            "    packages: [{name: foo}, {name: foo}]",
            "  - catalog: quay.io/a/c",
            "  - {}"
        ), expected: [
            "isc.yaml:4:14: mirror.operators[0].catalog: invalid image reference \"quay.io/a/b\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
            "isc.yaml:5:36: mirror.operators[0].packages[1].name: duplicate package 'foo' (first at 5:23)",
            "isc.yaml:6:14: mirror.operators[1].catalog: invalid image reference \"quay.io/a/c\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
            "isc.yaml:7:5: mirror.operators[2].catalog: required field is missing",
        ]),
        Case(testDescription: "delete file with mirror-only fields", yaml: yaml(
            "kind: DeleteImageSetConfiguration",
            "archiveSize: 4",
            "delete:",
            "  blockedImages: [{name: x}]",
            "  additionalImages: [{name: quay.io/a/b:1}]"
        ), expected: [
            "isc.yaml:2:1: archiveSize: unknown field 'archiveSize'",
            "isc.yaml:4:3: delete.blockedImages: unknown field 'blockedImages'",
        ], isDelete: true),
        Case(testDescription: "delete file with mirror", yaml: yaml(
            "kind: DeleteImageSetConfiguration",
            "mirror:",
            "  additionalImages: [{name: quay.io/a/b:1}]"
        ), expected: [
            "isc.yaml:1:1: delete: required field is missing",
            "isc.yaml:2:1: mirror: not allowed in a DeleteImageSetConfiguration",
        ], isDelete: true),
        Case(testDescription: "delete file duplicates", yaml: yaml(
            "kind: DeleteImageSetConfiguration",
            "delete:",
            "  platform:",
            "    channels: [{name: stable-4.18}, {name: stable-4.18}]",
            "  operators:",
            "  - catalog: quay.io/a/b:1",
            "  - catalog: quay.io/a/b:1"
        ), expected: [
            "isc.yaml:4:44: delete.platform.channels[1].name: duplicate release channel 'stable-4.18' (first at 4:23)",
            "isc.yaml:7:14: delete.operators[1].catalog: duplicate catalog 'quay.io/a/b:1' (first at 6:14)",
        ], isDelete: true),
        Case(testDescription: "empty file", yaml: "# nothing here\n", expected: [
            "isc.yaml:1:1: empty document; an image set configuration starts with 'kind: ImageSetConfiguration'",
        ]),
        Case(testDescription: "list at the top", yaml: yaml("- kind: ImageSetConfiguration"), expected: [
            "isc.yaml:1:1: expected a mapping with 'kind: ImageSetConfiguration' at the top, got a list",
        ]),
    ]

    @Test(arguments: cases)
    func reportsEveryProblem(_ c: Case) {
        let problems = c.isDelete ? discProblems(c.yaml) : iscProblems(c.yaml)
        #expect(problems == c.expected)
    }

    @Test func hintsTellWhatToDo() throws {
        let error = try #require(iscError(yaml(
            "kind: ImageSetConfiguration",
            "storageConfig: {}",
            "mirror:",
            "  platform:",
            "    channels: [{name: stable-4.18, type: okt}]",
            "  additionalImages:",
            "  - quay.io/a/b:1"
        )))
        #expect(error.kind == .invalidConfiguration)
        #expect(error.diagnostics.map(\.hint) == [
            "oc-mirror v1's storageConfig is gone; v2 keeps its state in the working directory, so remove it",
            "oc-mirror silently reads an unknown type as ocp",
            "write '- name: quay.io/a/b:1'",
        ])
        #expect(error.description == """
            isc.yaml:2:1: storageConfig: unknown field 'storageConfig'
              hint: oc-mirror v1's storageConfig is gone; v2 keeps its state in the working directory, so remove it
            isc.yaml:5:42: mirror.platform.channels[0].type: unknown channel type 'okt' (expected ocp or okd); did you mean 'okd'?
              hint: oc-mirror silently reads an unknown type as ocp
            isc.yaml:7:5: mirror.additionalImages[0]: expected a mapping, got the string 'quay.io/a/b:1'
              hint: write '- name: quay.io/a/b:1'
            """)
    }
}
