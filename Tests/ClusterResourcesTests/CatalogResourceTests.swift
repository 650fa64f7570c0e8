import ClusterResources
import OCI
import Testing

struct CatalogResourceTests {
    struct NameCase: Sendable, CustomTestStringConvertible {
        var catalog: String
        var expected: String
        var testDescription: String { catalog }
    }

    static let names: [NameCase] = [
        NameCase(catalog: "mirror.example:5000/ocp/redhat/redhat-operator-index:v4.18", expected: "redhat-operator-index-v4-18"),
        // the first 12 characters of the tag only; "_" and "." become "-"
        NameCase(catalog: "m.example/certified-operator-index:v4.18_2024.10.01", expected: "certified-operator-index-v4-18-2024-1"),
        NameCase(catalog: "m.example/cat@sha256:" + String(repeating: "0123456789ab", count: 5) + "0123",
                 expected: "cat-0123456789ab"),
    ]

    @Test(arguments: names)
    func namesFollowOcMirror(_ example: NameCase) throws {
        #expect(CatalogResourceName.base(for: try ImageReference(parsing: example.catalog)) == example.expected)
    }

    @Test func plainCatalogSourceMatchesTheGoldenText() throws {
        let result = try CatalogSourceResource.file(catalog: try ImageReference(parsing: "mirror.example:5000/ocp/redhat/redhat-operator-index:v4.18"))
        #expect(result.file.name == "cs-redhat-operator-index-v4-18.yaml")
        #expect(result.templateProblem == nil)
        #expect(result.file.contents == """
            apiVersion: operators.coreos.com/v1alpha1
            kind: CatalogSource
            metadata:
              annotations:
                createdBy: ferry
              name: cs-redhat-operator-index-v4-18
              namespace: openshift-marketplace
            spec:
              image: mirror.example:5000/ocp/redhat/redhat-operator-index:v4.18
              sourceType: grpc

            """)
    }

    @Test func aTemplateKeepsItsOwnFieldsAndGetsOursOverwritten() throws {
        let template = """
            apiVersion: operators.coreos.com/v1alpha1
            kind: CatalogSource
            metadata:
              name: anything
              namespace: my-marketplace
            spec:
              displayName: Mirrored operators
              updateStrategy:
                registryPoll:
                  interval: 30m
              image: wrong.example/x:1
            """
        let result = try CatalogSourceResource.file(catalog: try ImageReference(parsing: "m.example/redhat/redhat-operator-index:v4.18"),
                                                    template: template)
        #expect(result.templateProblem == nil)
        #expect(result.file.contents == """
            apiVersion: operators.coreos.com/v1alpha1
            kind: CatalogSource
            metadata:
              annotations:
                createdBy: ferry
              name: cs-redhat-operator-index-v4-18
              namespace: openshift-marketplace
            spec:
              displayName: Mirrored operators
              image: m.example/redhat/redhat-operator-index:v4.18
              sourceType: grpc
              updateStrategy:
                registryPoll:
                  interval: 30m

            """)
    }

    @Test(arguments: [
        "apiVersion: v1\nkind: ConfigMap\n",
        "apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nspec:\n  sourceType: configmap\n",
        "apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nspec:\n  configMap: x\n",
    ])
    func aBadTemplateFallsBackAndSaysWhy(template: String) throws {
        let result = try CatalogSourceResource.file(catalog: try ImageReference(parsing: "m.example/cat:v1"), template: template,
                                                    templatePath: "/tmp/cs-template.yaml")
        #expect(result.templateProblem?.hasPrefix("/tmp/cs-template.yaml: ") == true)
        #expect(result.file.contents.contains("namespace: openshift-marketplace"))
    }

    @Test func clusterCatalogMatchesTheGoldenText() throws {
        let file = try ClusterCatalogResource.file(catalog: try ImageReference(parsing: "mirror.example:5000/ocp/redhat/redhat-operator-index:v4.18"))
        #expect(file.name == "cc-redhat-operator-index-v4-18.yaml")
        #expect(file.contents == """
            apiVersion: olm.operatorframework.io/v1
            kind: ClusterCatalog
            metadata:
              annotations:
                createdBy: ferry
              name: cc-redhat-operator-index-v4-18
            spec:
              source:
                image:
                  ref: mirror.example:5000/ocp/redhat/redhat-operator-index:v4.18
                type: Image

            """)
    }
}
