import Distribution
import Foundation
import OCI
import Planning

extension MirrorToMirror {
    /// Pushes every filtered catalog, rebuilt (spec §5.5), to its destination tag — after its
    /// bundles and operands, so a cluster never sees a catalog naming what is not there yet.
    /// A failure is an operator failure (exit bit 4).
    func rebuildCatalogs(into outcome: inout MirrorOutcome) async -> [LandedImage] {
        var landed: [LandedImage] = []
        let sources = RegistryClientPool(settings: options.copy.source, credentials: options.copy.credentials)
        let destinations = RegistryClientPool(settings: options.copy.destination, credentials: options.copy.credentials)
        for catalog in outcome.catalogs {
            guard let filtered = catalog.filtered else { continue }
            do {
                let rebuilder = CatalogRebuilder(source: sources.client(for: catalog.source.repository.registry),
                                                 destination: destinations.client(for: catalog.destination.repository.registry),
                                                 scratchDirectory: options.workspace.url("operator-catalogs/.scratch"))
                let digest = try await rebuilder.rebuild(catalog.source, filteredCatalog: filtered, configsPath: catalog.configsPath,
                                                         target: catalog.destination)
                log("catalog \(catalog.destination) rebuilt with the filtered catalog (\(digest))")
                outcome.landedByOrigin[.operatorCatalog, default: 0] += 1
                landed.append(LandedImage(image: CollectedImage(source: catalog.source, destination: catalog.destination,
                                                                origin: .operatorCatalog), digest: digest))
            } catch {
                outcome.collectionFailures.append("\(catalog.entry.mark): catalog \(catalog.source): rebuild: \(error)")
                outcome.failedByOrigin[.operatorCatalog, default: 0] += 1
            }
        }
        return landed
    }

    /// Destination → `targetCatalogSourceTemplate` of each catalog that has one.
    func catalogTemplates(_ outcome: MirrorOutcome) -> [String: String] {
        var templates: [String: String] = [:]
        for catalog in outcome.catalogs {
            if let path = catalog.entry.targetCatalogSourceTemplate { templates[catalog.destination.description] = path }
        }
        return templates
    }
}
