@testable import Planning
import Foundation
import Testing

struct OperandAuditTests {
    static let csv = """
        apiVersion: operators.coreos.com/v1alpha1
        kind: ClusterServiceVersion
        metadata:
          name: foo.v0.2.0
          annotations:
            containerImage: quay.io/foo/operator-ui:0.2.0
            description: Deploys foo. Its ClusterServiceVersion names the operands.
        spec:
          relatedImages:
          - name: operator
            image: quay.io/foo/operator@sha256:1111111111111111111111111111111111111111111111111111111111111111
          install:
            strategy: deployment
            spec:
              deployments:
              - name: foo-controller
                spec:
                  template:
                    spec:
                      initContainers:
                      - name: setup
                        image: quay.io/foo/setup:1.0
                      containers:
                      - name: manager
                        image: quay.io/foo/operator@sha256:1111111111111111111111111111111111111111111111111111111111111111
                        env:
                        - name: RELATED_IMAGE_AGENT
                          value: quay.io/foo/agent:2.0
                        - name: WATCH_NAMESPACE
                          value: ""
                        - name: RELATED_IMAGE_EMPTY
                          value: ""
        """

    @Test func everyPlaceACSVNamesAnImageIsFound() throws {
        let findings = try OperandAudit.findings(in: Data(Self.csv.utf8), file: "foo.clusterserviceversion.yaml")
        #expect(findings.map(\.place) == [
            "metadata.annotations.containerImage",
            "deployment/foo-controller/initContainers/setup",
            "deployment/foo-controller/containers/manager",
            "deployment/foo-controller/manager/env/RELATED_IMAGE_AGENT",
            "spec.relatedImages/operator",
        ])
        #expect(Set(findings.map(\.image)) == [
            "quay.io/foo/operator-ui:0.2.0", "quay.io/foo/setup:1.0", "quay.io/foo/agent:2.0",
            "quay.io/foo/operator@sha256:1111111111111111111111111111111111111111111111111111111111111111",
        ])
    }

    @Test func aDocumentThatIsNotACSVIsRecognised() {
        #expect(OperandAudit.isClusterServiceVersion(Data(Self.csv.utf8)))
        #expect(!OperandAudit.isClusterServiceVersion(Data("kind: Service\n".utf8)))
        #expect(OperandAudit.isClusterServiceVersion(Data(#"{"apiVersion":"operators.coreos.com/v1alpha1","kind": "ClusterServiceVersion"}"#.utf8)))
        // A CRD whose description mentions CSVs is not one.
        #expect(!OperandAudit.isClusterServiceVersion(Data("""
            kind: CustomResourceDefinition
            spec:
              versions:
              - schema:
                  description: "owned by the ClusterServiceVersion; kind: ClusterServiceVersion"
            """.utf8)))
    }

    @Test func aCSVAfterAnotherDocumentOfItsFileIsRead() throws {
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: foos.example.com
            spec:
              group: example.com
              names: {kind: Foo, plural: foos}
            """
        // A CRD, then the CSV; a leading marker and an empty document on the way.
        let file = "---\n" + crd + "\n---\n---\n" + Self.csv + "\n"
        let findings = try OperandAudit.findings(in: Data(file.utf8), file: "all.yaml")
        #expect(findings.map(\.place).contains("deployment/foo-controller/manager/env/RELATED_IMAGE_AGENT"))
        #expect(findings.count == 5)
        // Anchors belong to their document: one defined in the CRD is not visible in the CSV.
        #expect(throws: (any Error).self) {
            try OperandAudit.findings(in: Data("kind: A\nx: &img quay.io/a:1\n---\nkind: ClusterServiceVersion\nspec:\n  relatedImages:\n  - image: *img\n".utf8),
                                      file: "anchors.yaml")
        }
        // A file with no CSV among its documents has no findings.
        #expect(try OperandAudit.findings(in: Data((crd + "\n---\n" + crd).utf8), file: "crds.yaml").isEmpty)
    }
}
