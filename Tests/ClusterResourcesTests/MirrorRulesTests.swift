import ClusterResources
import OCI
import Synchronization
import Testing

/// Replaying the generated rules as a node would, from memory and from the emitted YAML.
@Suite struct MirrorRulesTests {
    /// The rules a node would build, from the generated objects and from the files read back.
    static func bothRuleSources(_ images: [MirroredImage]) throws -> [MirrorRules] {
        let sets = ImageMirrorSetGenerator().mirrorSets(for: images)
        let parsed = try ImageMirrorSets(idmsYAML: try sets.file(.digest)?.contents, itmsYAML: try sets.file(.tag)?.contents)
        return [sets.rules, parsed.rules]
    }

    @Test func emittedFilesReadBackAsTheSameObjects() throws {
        let sets = ImageMirrorSetGenerator().mirrorSets(for: mixedImages)
        let parsed = try ImageMirrorSets(idmsYAML: try sets.file(.digest)?.contents, itmsYAML: try sets.file(.tag)?.contents)
        #expect(parsed == sets)
        #expect(parsed.digestSets.count == 3)
        #expect(parsed.tagSets.count == 2)
    }

    @Test func everySourceMapsToItsDestination() throws {
        for rules in try Self.bothRuleSources(mixedImages) {
            #expect(rules.unmappedImages(mixedImages).isEmpty)
            for image in mixedImages {
                let mirrors = rules.mirrors(for: image.source)
                #expect(mirrors.map(\.repository).contains(image.destination.repository), "\(image.source)")
                // the tag and digest are kept as the cluster wrote them
                #expect(mirrors.allSatisfy { $0.tag == image.source.tag && $0.digest == image.source.digest })
            }
        }
    }

    /// The payload given by tag is in the IDMS too, so a pull by digest (an update) is mirrored.
    @Test func releasePayloadByDigestIsMirrored() throws {
        let payloadByDigest = ref("quay.io/openshift-release-dev/ocp-release@sha256:\(hex("9"))")
        for rules in try Self.bothRuleSources(mixedImages) {
            #expect(rules.mirrors(for: payloadByDigest).map(\.description)
                == ["mirror.example:5000/ns/openshift/release-images@sha256:\(hex("9"))"])
        }
    }

    static let layered = [
        ImageMirrorSet(kind: .digest, name: "idms-a", rules: [
            ImageMirrorRule(source: scope("quay.io"), mirrors: [scope("m.example/all")]),
            ImageMirrorRule(source: scope("quay.io/ns"), mirrors: [scope("m.example/ns1"), scope("m.example/ns2")]),
            ImageMirrorRule(source: scope("quay.io/ns/app"), mirrors: [scope("m.example/app")]),
        ]),
        ImageMirrorSet(kind: .tag, name: "itms-a", rules: [
            ImageMirrorRule(source: scope("quay.io/ns"), mirrors: [scope("m.example/tags")]),
            ImageMirrorRule(source: scope("quay.io/only-tags/x"), mirrors: [scope("m.example/x")]),
        ]),
    ]

    @Test(arguments: [
        // the longest matching source wins; the rest of the path and the identifier are kept
        ("quay.io/ns/app@sha256:\(hex("a"))", ["m.example/app@sha256:\(hex("a"))"]),
        ("quay.io/ns/app/sub@sha256:\(hex("a"))", ["m.example/app/sub@sha256:\(hex("a"))"]),
        ("quay.io/ns/other:1@sha256:\(hex("a"))", ["m.example/ns1/other:1@sha256:\(hex("a"))", "m.example/ns2/other:1@sha256:\(hex("a"))"]),
        ("quay.io/nsx/app@sha256:\(hex("a"))", ["m.example/all/nsx/app@sha256:\(hex("a"))"]),
        // by tag: tag rules only
        ("quay.io/ns/other:1", ["m.example/tags/other:1"]),
        ("quay.io/elsewhere/x:1", []),
        // the longest source has no tag mirrors: shorter ones do not step in
        ("quay.io/ns/app:1", []),
        // nor digest mirrors
        ("quay.io/only-tags/x@sha256:\(hex("a"))", []),
        ("quay.io/only-tags/x:1", ["m.example/x:1"]),
        ("docker.io/library/x:1", []),
    ])
    func longestMatchingSourceWins(reference: String, expected: [String]) {
        #expect(MirrorRules(Self.layered).mirrors(for: ref(reference)).map(\.description) == expected)
    }

    @Test func governingSource() {
        let rules = MirrorRules(Self.layered)
        #expect(rules.governingSource(for: repo("quay.io/ns/app/sub"))?.description == "quay.io/ns/app")
        #expect(rules.governingSource(for: repo("quay.io/ns/apps"))?.description == "quay.io/ns")
        #expect(rules.governingSource(for: repo("quay.io/x"))?.description == "quay.io")
        #expect(rules.governingSource(for: repo("docker.io/x")) == nil)
    }

    /// Without the generator's repair, the release's repository rule hides the operator's
    /// namespace rule, and the replay says so.
    @Test func shadowedRuleIsReported() throws {
        let operatorImage = landed("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:\(hex("7"))",
                                   "mirror.example:5000/ns/openshift-release-dev/ocp-v4.0-art-dev:sha256-\(hex("7"))", .operator)
        let unrepaired = MirrorRules([
            ImageMirrorSet(kind: .digest, name: "idms-release-0", rules: [
                ImageMirrorRule(source: scope("quay.io/openshift-release-dev/ocp-v4.0-art-dev"),
                                mirrors: [scope("mirror.example:5000/ns/openshift/release")]),
            ]),
            ImageMirrorSet(kind: .digest, name: "idms-operator-0", rules: [
                ImageMirrorRule(source: scope("quay.io/openshift-release-dev"),
                                mirrors: [scope("mirror.example:5000/ns/openshift-release-dev")]),
            ]),
        ])
        let problems = unrepaired.unmappedImages([mixedImages[1], operatorImage])
        #expect(problems.map(\.image) == [operatorImage])
        #expect(problems.first?.description == "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:\(hex("7")): "
            + "the ImageDigestMirrorSet rules send quay.io/openshift-release-dev/ocp-v4.0-art-dev to "
            + "mirror.example:5000/ns/openshift/release, not to mirror.example:5000/ns/openshift-release-dev/ocp-v4.0-art-dev where it landed")

        let generated = try Self.bothRuleSources([mixedImages[1], operatorImage])
        for rules in generated {
            #expect(rules.unmappedImages([mixedImages[1], operatorImage]).isEmpty)
        }
    }

    @Test func imageWithoutRuleIsReported() {
        let image = landed("quay.io/app/a:1", "mirror.example/app/a:1")
        let problems = MirrorRules([]).unmappedImages([image])
        #expect(problems.map(\.description) == [
            "quay.io/app/a:1: no ImageTagMirrorSet rule applies to quay.io/app/a, so a cluster would pull it from the source instead of mirror.example/app/a",
        ])
    }

    /// What "exists in the mirror" answers: every destination by tag, and by digest when the
    /// source had one (pushed with the same manifest), except those listed as missing.
    static func mirrorContents(_ images: [MirroredImage], missing: Set<ImageReference>) -> Set<ImageReference> {
        var present: Set<ImageReference> = []
        for image in images where !missing.contains(image.destination) {
            present.insert(image.destination)
            if let digest = image.source.digest {
                present.insert(ImageReference(repository: image.destination.repository, tag: nil, digest: digest))
                present.insert(ImageReference(repository: image.destination.repository, tag: image.source.tag, digest: digest))
            }
        }
        return present
    }

    @Test func everyLandedImageIsReachable() async throws {
        let present = Self.mirrorContents(mixedImages, missing: [])
        for rules in try Self.bothRuleSources(mixedImages) {
            let problems = await rules.unreachableImages(mixedImages) { present.contains($0) }
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func missingDestinationIsReported() async throws {
        let missing = mixedImages[5] // registry.redhat.io/ubi8/ubi:8.9
        let present = Self.mirrorContents(mixedImages, missing: [missing.destination])
        let asked = Mutex<[ImageReference]>([])
        for rules in try Self.bothRuleSources(mixedImages) {
            let problems = await rules.unreachableImages(mixedImages, maxConcurrentChecks: 3) { candidate in
                asked.withLock { $0.append(candidate) }
                return present.contains(candidate)
            }
            #expect(problems.map(\.image) == [missing])
            #expect(problems.first?.candidates == [missing.destination])
            #expect(problems.first?.description == "registry.redhat.io/ubi8/ubi:8.9: a cluster would try "
                + "mirror.example:5000/ns/ubi8/ubi:8.9, and none of them is in the mirror "
                + "(it landed at mirror.example:5000/ns/ubi8/ubi:8.9)")
        }
        #expect(asked.withLock { $0.contains(missing.destination) })
    }

    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    @Test func failingChecksAreReportedWithTheirError() async {
        let image = landed("quay.io/app/a:1", "mirror.example/app/a:1")
        let rules = ImageMirrorSetGenerator().mirrorSets(for: [image]).rules
        let problems = await rules.unreachableImages([image]) { _ in throw Unreachable() }
        #expect(problems.map(\.checkFailures) == [["mirror.example/app/a:1: connection refused"]])
    }

    @Test(arguments: [
        ("---\napiVersion: v1\nkind: ConfigMap\n", "document 1: apiVersion is \"v1\""),
        ("---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: x\nspec:\n  imageDigestMirrors:\n  - source: quay.io/a\n    mirrors: [m.example/a]\n    extra: 1\n",
         "spec.imageDigestMirrors[0].extra is not a known field"),
        ("---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: x\nspec:\n  imageDigestMirrors:\n  - source: quay.io/a:tag\n    mirrors: [m.example/a]\n",
         "spec.imageDigestMirrors[0].source invalid mirror scope"),
        ("---\napiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata:\n  name: x\nspec:\n  imageTagMirrors: []\n",
         "is an ImageTagMirrorSet, expected only ImageDigestMirrorSet"),
    ])
    func invalidFilesAreRejected(idms: String, messagePart: String) {
        #expect {
            try ImageMirrorSets(idmsYAML: idms, itmsYAML: nil)
        } throws: { error in
            (error as? ClusterResourcesError)?.message.contains(messagePart) == true
        }
    }
}
