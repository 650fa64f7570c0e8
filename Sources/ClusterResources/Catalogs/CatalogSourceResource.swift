import OCI

/// `cs-<name>.yaml` (spec §6.2): the CatalogSource that makes a mirrored catalog available to
/// OLM v0 — from `targetCatalogSourceTemplate` when one is given (its name, namespace, sourceType
/// and image overwritten), else a plain one in `openshift-marketplace`.
public enum CatalogSourceResource {
    public struct Result: Sendable {
        public var file: ClusterResourceFile
        /// Why the template was not used, when it was not.
        public var templateProblem: String?
    }

    public static func file(catalog: ImageReference, template: String? = nil, templatePath: String? = nil,
                            createdBy: String = "ferry") throws(ClusterResourcesError) -> Result {
        let name = "cs-\(CatalogResourceName.base(for: catalog))"
        var problem: String?
        var object: [String: YAMLNode] = [:]
        if let template {
            do {
                object = try checkedTemplate(template)
            } catch {
                problem = "\(templatePath ?? "targetCatalogSourceTemplate"): \(error.message); a plain CatalogSource was written instead"
            }
        }
        var metadata = object["metadata"]?.mappingValue ?? [:]
        metadata["name"] = .string(name)
        // As oc-mirror: a template's namespace is overwritten too; OLM reads global catalogs from there.
        metadata["namespace"] = .string("openshift-marketplace")
        var annotations = metadata["annotations"]?.mappingValue ?? [:]
        annotations["createdBy"] = .string(createdBy)
        metadata["annotations"] = .mapping(annotations)
        var spec = object["spec"]?.mappingValue ?? [:]
        spec["image"] = .string(catalog.description)
        spec["sourceType"] = .string("grpc")
        object["apiVersion"] = .string("operators.coreos.com/v1alpha1")
        object["kind"] = .string("CatalogSource")
        object["metadata"] = .mapping(metadata)
        object["spec"] = .mapping(spec)
        object["status"] = nil
        let text = try YAMLWriter.write([.mapping(object)], startMarkers: false)
        return Result(file: ClusterResourceFile(name: "\(name).yaml", contents: text), templateProblem: problem)
    }

    /// oc-mirror's template rules: a CatalogSource of operators.coreos.com/v1alpha1, sourceType
    /// empty or grpc, no configMap.
    private static func checkedTemplate(_ text: String) throws(ClusterResourcesError) -> [String: YAMLNode] {
        let documents = try YAMLReader.documents(text)
        guard documents.count == 1, let object = documents[0].mappingValue else {
            throw ClusterResourcesError(.invalidDocument, "the template must hold exactly one CatalogSource object")
        }
        guard object["apiVersion"]?.stringValue == "operators.coreos.com/v1alpha1", object["kind"]?.stringValue == "CatalogSource" else {
            throw ClusterResourcesError(.invalidDocument, "the template is not an operators.coreos.com/v1alpha1 CatalogSource")
        }
        let spec = object["spec"]?.mappingValue ?? [:]
        if let type = spec["sourceType"]?.stringValue, !type.isEmpty, type != "grpc" {
            throw ClusterResourcesError(.invalidDocument, "the template's sourceType is \(type); only grpc (or none) applies to a catalog image")
        }
        if spec["configMap"] != nil {
            throw ClusterResourcesError(.invalidDocument, "the template names a configMap; a catalog image source takes none")
        }
        return object
    }
}

/// `cc-<name>.yaml` (spec §6.3): the ClusterCatalog that makes a mirrored catalog available to OLM v1.
public enum ClusterCatalogResource {
    public static func file(catalog: ImageReference, createdBy: String = "ferry") throws(ClusterResourcesError) -> ClusterResourceFile {
        let name = "cc-\(CatalogResourceName.base(for: catalog))"
        let object = YAMLNode.mapping([
            "apiVersion": .string("olm.operatorframework.io/v1"),
            "kind": .string("ClusterCatalog"),
            "metadata": .mapping(["name": .string(name), "annotations": .mapping(["createdBy": .string(createdBy)])]),
            "spec": .mapping(["source": .mapping(["type": .string("Image"),
                                                 "image": .mapping(["ref": .string(catalog.description)])])]),
        ])
        return ClusterResourceFile(name: "\(name).yaml", contents: try YAMLWriter.write([object], startMarkers: false))
    }
}
