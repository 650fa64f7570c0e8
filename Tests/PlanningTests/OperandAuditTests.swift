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
}
