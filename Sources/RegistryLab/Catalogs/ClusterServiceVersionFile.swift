/// The `manifests/` of a bundle image: a ClusterServiceVersion and the CRD it owns, written as
/// operator-sdk lays them out (spec §5.4: oc-mirror trusts `relatedImages`; the CSV is where an
/// operator really names its images).
enum ClusterServiceVersionFile {
    /// The custom resource a package's operator owns: `foos.lab.ferry.io`, kind `Foo`, version `v1`.
    struct OwnedResource {
        static let group = "lab.ferry.io"
        static let version = "v1"
        var package: String

        var kind: String { package.prefix(1).uppercased() + package.dropFirst() }
        var plural: String { "\(package)s" }
        var name: String { "\(plural).\(Self.group)" }
    }

    /// `manifests/foo.clusterserviceversion.yaml`.
    static func path(package: String) -> String { "manifests/\(package).clusterserviceversion.yaml" }

    /// `manifests/lab.ferry.io_foos.yaml`.
    static func crdPath(package: String) -> String {
        let resource = OwnedResource(package: package)
        return "manifests/\(OwnedResource.group)_\(resource.plural).yaml"
    }

    static func displayName(package: String) -> String { "\(OwnedResource(package: package).kind) Operator" }

    /// The CSV of `bundle`.
    /// - Parameters:
    ///   - images: the text naming each of `bundle.operands` (same order).
    ///   - upgrade: the bundle's entry in its default channel (the CSV's `replaces`, `skips`, `olm.skipRange`).
    static func render(bundle: OperatorCatalogSet.Bundle, images: [String], upgrade: OperatorChannel.Entry?) -> String {
        let package = bundle.package
        let resource = OwnedResource(package: package)
        let deployment = "\(package)-controller-manager"
        let operands = Array(zip(bundle.operands, images))
        let manager = operands.first { $0.0.placement == .managerContainer }?.1 ?? ""
        let maturity = bundle.version.hasPrefix("0.") ? "alpha" : "stable"

        var lines = [
            "apiVersion: operators.coreos.com/v1alpha1",
            "kind: ClusterServiceVersion",
            "metadata:",
            "  annotations:",
            "    alm-examples: '[{\"apiVersion\":\"\(OwnedResource.group)/\(OwnedResource.version)\",\"kind\":\"\(resource.kind)\","
                + "\"metadata\":{\"name\":\"example\"},\"spec\":{}}]'",
            "    capabilities: Basic Install",
            "    categories: Developer Tools",
            "    containerImage: \(manager)",
            "    createdAt: \"2025-01-01T00:00:00Z\"",
            "    features.operators.openshift.io/disconnected: \"true\"",
        ]
        if let skipRange = upgrade?.skipRange { lines.append("    olm.skipRange: '\(skipRange)'") }
        lines += [
            "    operatorframework.io/suggested-namespace: \(package)-operator",
            "    operators.openshift.io/valid-subscription: '[\"Ferry Lab\"]'",
            "    repository: https://github.com/ferry-lab/\(package)-operator",
            "    support: Ferry Lab",
            "  name: \(bundle.name)",
            "  namespace: placeholder",
            "spec:",
            "  apiservicedefinitions: {}",
            "  customresourcedefinitions:",
            "    owned:",
            "    - description: A \(resource.kind) managed by the operator.",
            "      displayName: \(resource.kind)",
            "      kind: \(resource.kind)",
            "      name: \(resource.name)",
            "      version: \(OwnedResource.version)",
            "  description: The \(resource.kind) operator of the Ferry lab, version \(bundle.version).",
            "  displayName: \(displayName(package: package))",
            "  install:",
            "    spec:",
            "      clusterPermissions:",
            "      - rules:",
            "        - apiGroups:",
            "          - \(OwnedResource.group)",
            "          resources:",
            "          - \(resource.plural)",
            "          verbs:",
            "          - '*'",
            "        serviceAccountName: \(deployment)",
            "      deployments:",
            "      - label:",
            "          control-plane: \(deployment)",
            "        name: \(deployment)",
            "        spec:",
            "          replicas: 1",
            "          selector:",
            "            matchLabels:",
            "              control-plane: \(deployment)",
            "          strategy: {}",
            "          template:",
            "            metadata:",
            "              labels:",
            "                control-plane: \(deployment)",
            "            spec:",
            "              containers:",
            "              - args:",
            "                - --leader-elect",
            "                env:",
            // Not every env is an image: only RELATED_IMAGE_ values are.
            "                - name: WATCH_NAMESPACE",
            "                  valueFrom:",
            "                    fieldRef:",
            "                      fieldPath: metadata.annotations['olm.targetNamespaces']",
            "                - name: OPERATOR_CONDITION_NAME",
            "                  value: \(bundle.name)",
        ]
        for (operand, image) in operands where operand.placement == .relatedImageEnv {
            lines += ["                - name: \(operand.environmentName)", "                  value: \(image)"]
        }
        lines += [
            "                image: \(manager)",
            "                name: manager",
            "                resources: {}",
        ]
        let initContainers = operands.filter { $0.0.placement == .initContainer }
        if !initContainers.isEmpty {
            lines.append("              initContainers:")
            for (operand, image) in initContainers {
                lines += [
                    "              - command:",
                    "                - /usr/bin/\(operand.name)",
                    "                image: \(image)",
                    "                name: \(operand.name)",
                    "                resources: {}",
                ]
            }
        }
        lines += [
            "              serviceAccountName: \(deployment)",
            "    strategy: deployment",
            "  installModes:",
            "  - supported: true",
            "    type: OwnNamespace",
            "  - supported: true",
            "    type: SingleNamespace",
            "  - supported: false",
            "    type: MultiNamespace",
            "  - supported: true",
            "    type: AllNamespaces",
            "  keywords:",
            "  - \(package)",
            "  - ferry-lab",
            "  maintainers:",
            "  - email: lab@ferry.invalid",
            "    name: Ferry Lab",
            "  maturity: \(maturity)",
            "  minKubeVersion: 1.27.0",
            "  provider:",
            "    name: Ferry Lab",
        ]
        let declared = operands.filter { $0.0.declaration != .csvEnvOnly }
        if !declared.isEmpty {
            lines.append("  relatedImages:")
            for (operand, image) in declared {
                lines += ["  - image: \(image)", "    name: \(operand.name)"]
            }
        }
        if let replaces = upgrade?.replaces { lines.append("  replaces: \(replaces)") }
        if let skips = upgrade?.skips, !skips.isEmpty {
            lines.append("  skips:")
            lines += skips.map { "  - \($0)" }
        }
        lines.append("  version: \(bundle.version)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The CRD of the resource a package's operator owns.
    static func crd(package: String) -> String {
        let resource = OwnedResource(package: package)
        return """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: \(resource.name)
            spec:
              group: \(OwnedResource.group)
              names:
                kind: \(resource.kind)
                listKind: \(resource.kind)List
                plural: \(resource.plural)
                singular: \(package)
              scope: Namespaced
              versions:
              - name: \(OwnedResource.version)
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
                served: true
                storage: true

            """
    }
}
