import Foundation
import OCI
import RegistryLab
import Testing

@Suite("OpenShift release signatures")
struct OpenShiftSignatureTests {
    /// What `gpgv` made of a signature: whether it verified, and the signed content.
    struct Verification {
        var verified: Bool
        var content: [String: Any]?
        var diagnostics: String
    }

    /// Verifies with `gpgv` against the upstream's keyring, in a GnuPG home inside the lab.
    static func verify(_ signature: [UInt8], upstream: OpenShiftUpstream, lab: RegistryLab) async throws -> Verification {
        let work = lab.root.appendingPathComponent("gpgv-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let file = work.appendingPathComponent("signature-1")
        try Data(signature).write(to: file)
        let result = try await runTool("gpgv", ["--homedir", work.path, "--keyring", upstream.publicKeyringPath.path,
                                          "--output", "-", file.path])
        let content = result.status == 0 ? try? jsonObject(Data(result.output.utf8)) : nil
        return Verification(verified: result.status == 0, content: content, diagnostics: result.error)
    }

    static func signedDigest(_ content: [String: Any]?) -> String? {
        ((content?["critical"] as? [String: Any])?["image"] as? [String: Any])?["docker-manifest-digest"] as? String
    }

    static func signedReference(_ content: [String: Any]?) -> String? {
        ((content?["critical"] as? [String: Any])?["identity"] as? [String: Any])?["docker-reference"] as? String
    }

    @Test("every payload digest has a signature-1 that gpgv verifies and that names that digest and the payload's tag")
    func signaturesVerify() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                #expect(upstream.signatureBaseURL.hasSuffix("/pub/openshift-v4/signatures/openshift/release/"))
                let armored = try String(contentsOf: upstream.publicKeyPath, encoding: .utf8)
                #expect(armored.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
                #expect(upstream.signingKeyFingerprint.count == 40)

                for release in upstream.releases + [upstream.brokenPayload, upstream.whitedOutPayload] {
                    let url = "\(upstream.signatureBaseURL)sha256=\(release.payloadDigest.encoded)/signature-1"
                    #expect(url == upstream.signatureURL(for: release.payloadDigest))
                    let response = try RawHTTP.request("GET", url)
                    #expect(response.status == 200, "\(release)")
                    // A binary OpenPGP message, compressed like Red Hat's (old-format compressed-data packet, ZIP).
                    #expect(response.body.prefix(2) == [0xA3, 0x01])
                    #expect(Data(response.body) == upstream.signature(for: release.payloadDigest))
                    let verification = try await Self.verify(response.body, upstream: upstream, lab: lab)
                    #expect(verification.verified, "\(verification.diagnostics)")
                    #expect(Self.signedDigest(verification.content) == release.payloadDigest.description)
                    #expect(Self.signedReference(verification.content) == release.payload.description)
                    let critical = verification.content?["critical"] as? [String: Any]
                    #expect(critical?["type"] as? String == "atomic container signature")
                    #expect((verification.content?["optional"] as? [String: Any])?["creator"] as? String == "ferry lab")
                }

                let digest = try #require(upstream.release("4.18.2")?.payloadDigest)
                #expect(try RawHTTP.request("GET", upstream.signatureURL(for: digest, index: 2)).status == 404)
                let unknown = Digest.sha256(Data("not a payload".utf8))
                #expect(try RawHTTP.request("GET", upstream.signatureURL(for: unknown)).status == 404)
                #expect(upstream.signature(for: unknown) == nil)
            }
        }
    }

    @Test("test hooks: a signature of another digest, a corrupted one, none, an error status; nil restores the good one")
    func signatureFaults() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let release = try #require(upstream.release("4.18.3", .arm64))
                let other = try #require(upstream.release("4.18.2", .arm64)).payloadDigest
                let url = upstream.signatureURL(for: release.payloadDigest)
                let good = try RawHTTP.request("GET", url).body

                try upstream.setSignatureFault(.signsOtherDigest(other), for: release.payloadDigest)
                let swapped = try RawHTTP.request("GET", url)
                #expect(swapped.status == 200)
                let swappedCheck = try await Self.verify(swapped.body, upstream: upstream, lab: lab)
                #expect(swappedCheck.verified, "\(swappedCheck.diagnostics)")
                #expect(Self.signedDigest(swappedCheck.content) == other.description)
                #expect(Self.signedReference(swappedCheck.content) == release.payload.description)

                try upstream.setSignatureFault(.corrupted, for: release.payloadDigest)
                let corrupted = try RawHTTP.request("GET", url)
                #expect(corrupted.status == 200)
                #expect(corrupted.body.count == good.count && corrupted.body != good)
                #expect(try await !Self.verify(corrupted.body, upstream: upstream, lab: lab).verified)

                try upstream.setSignatureFault(.missing, for: release.payloadDigest)
                #expect(try RawHTTP.request("GET", url).status == 404)

                try upstream.setSignatureFault(.status(503), for: release.payloadDigest)
                #expect(try RawHTTP.request("GET", url).status == 503)

                // Other digests are untouched throughout; nil brings the good signature back.
                #expect(try RawHTTP.request("GET", upstream.signatureURL(for: other)).status == 200)
                try upstream.setSignatureFault(nil, for: release.payloadDigest)
                #expect(try RawHTTP.request("GET", url).body == good)
                #expect(upstream.signature(for: release.payloadDigest) == Data(good))
            }
        }
    }
}
