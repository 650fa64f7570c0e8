import Distribution
import Foundation
@testable import MirrorKit
import OCI
import RegistryLab
import Testing

/// A mirror that has the OCI referrers API (distribution 3, Quay, Harbor) indexes referrers from
/// their `subject` itself; no local registry here has the API, so a scripted server answers the
/// few requests this is about.
struct ReferrersAPITests {
    static let subject = Digest.compute(.sha256, Data("subject".utf8))
    static let referrer = Descriptor(mediaType: .ociImageManifest, digest: Digest.compute(.sha256, Data("sbom".utf8)), size: 400,
                                     artifactType: "application/spdx+json")

    /// Answers `/v2/` and the referrers endpoint of `subject` (in pages when `pages` > 1); 404 otherwise.
    static func server(referrersStatus: Int, pages: Int = 1) throws -> ScriptedServer {
        try ScriptedServer { request in
            if request.target == "/v2/" { return .init(status: 200) }
            guard request.target.hasPrefix("/v2/ns/app/referrers/\(subject)") else { return .init(status: 404) }
            guard referrersStatus == 200 else { return .init(status: referrersStatus, body: Array("404 page not found".utf8)) }
            let page = request.target.hasSuffix("page=2") ? 2 : 1
            let entries = page == pages ? [referrer] : []
            let body = try! JSONEncoder().encode(ImageIndex(manifests: entries))
            var headers = [("Content-Type", MediaType.ociImageIndex.rawValue)]
            if page < pages { headers.append(("Link", "</v2/ns/app/referrers/\(subject)?page=2>; rel=\"next\"")) }
            return .init(status: 200, headers: headers, body: Array(body))
        }
    }

    @Test func aMirrorWithTheReferrersAPIGetsNoFallbackTag() async throws {
        let server = try Self.server(referrersStatus: 200)
        defer { server.stop() }
        let pool = RegistryClientPool(settings: RegistrySettings(), credentials: .none)
        let group = ReferrerIndexes.Group(repository: try RepositoryName(registry: server.host, path: "ns/app"),
                                          subject: Self.subject, referrers: [Self.referrer])
        let planned = await ReferrerIndexes(destinations: pool).plan([group], imageTags: [])
        #expect(planned.writes.isEmpty)
        #expect(planned.notes.isEmpty, "\(planned.notes)")
        // Only the referrers endpoint was asked: no fallback tag read or written.
        #expect(!server.requests().contains { $0.target.contains("/manifests/") })
    }

    @Test func aMirrorWithoutItGetsTheFallbackTagIndex() async throws {
        let server = try Self.server(referrersStatus: 404)
        defer { server.stop() }
        let pool = RegistryClientPool(settings: RegistrySettings(), credentials: .none)
        let group = ReferrerIndexes.Group(repository: try RepositoryName(registry: server.host, path: "ns/app"),
                                          subject: Self.subject, referrers: [Self.referrer])
        let planned = await ReferrerIndexes(destinations: pool).plan([group], imageTags: [])
        let write = try #require(planned.writes.first)
        #expect(write.target.tag == "sha256-\(Self.subject.encoded)")
        #expect(write.document.children == [Self.referrer])
    }

    @Test func theReferrersListIsReadAcrossPages() async throws {
        let server = try Self.server(referrersStatus: 200, pages: 2)
        defer { server.stop() }
        let client = RegistryClient(registry: server.host)
        #expect(try await client.referrers(of: Self.subject, in: "ns/app") == .listed([Self.referrer]))
        #expect(server.requests().filter { $0.target.contains("/referrers/") }.count == 2)
    }
}
