import Crypto
import CryptoExtras
import Foundation
import OCI
import Planning
import Testing

/// Keys and signatures are made here with swift-crypto, signing as cosign does; the payloads and
/// signature manifests are built as cosign writes them.
struct CosignSignatureTests {
    // MARK: Fixtures

    enum KeyType: String, CaseIterable, Sendable {
        case p256, p384, p521, ed25519, rsa

        var kind: CosignPublicKey.Kind {
            switch self {
            case .p256: .ecdsaP256
            case .p384: .ecdsaP384
            case .p521: .ecdsaP521
            case .ed25519: .ed25519
            case .rsa: .rsa(bits: 2048)
            }
        }
    }

    /// A private key of one type, signing a payload the way cosign does for that type.
    struct Signer: Sendable {
        var publicKeyPEM: String
        var sign: @Sendable (Data) throws -> Data

        init(_ type: KeyType) throws {
            switch type {
            case .p256:
                let key = P256.Signing.PrivateKey()
                publicKeyPEM = key.publicKey.pemRepresentation
                sign = { try key.signature(for: SHA256.hash(data: $0)).derRepresentation }
            case .p384:
                let key = P384.Signing.PrivateKey()
                publicKeyPEM = key.publicKey.pemRepresentation
                sign = { try key.signature(for: SHA384.hash(data: $0)).derRepresentation }
            case .p521:
                let key = P521.Signing.PrivateKey()
                publicKeyPEM = key.publicKey.pemRepresentation
                sign = { try key.signature(for: SHA512.hash(data: $0)).derRepresentation }
            case .ed25519:
                let key = Curve25519.Signing.PrivateKey()
                publicKeyPEM = key.publicKey.pemRepresentation
                sign = { try key.signature(for: $0) }
            case .rsa:
                let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                publicKeyPEM = key.publicKey.pemRepresentation
                sign = { try key.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation }
            }
        }

        func publicKey(source: String = "cosign.pub") throws -> CosignPublicKey {
            try CosignPublicKey(pemRepresentation: publicKeyPEM, source: source)
        }
    }

    static let subject = OCI.Digest.sha256(Data("the signed image's manifest".utf8))
    static let otherImage = OCI.Digest.sha256(Data("another image's manifest".utf8))
    static let dsseMediaType: MediaType = "application/vnd.dsse.envelope.v1+json"

    /// A simple-signing payload as `cosign sign` writes it.
    static func payload(naming digest: OCI.Digest, reference: String = "quay.io/example/app") -> Data {
        Data(#"{"critical":{"identity":{"docker-reference":"\#(reference)"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"},"optional":null}"#.utf8)
    }

    /// A `.sig` manifest being put together, with the payload blobs its layers name.
    struct SignatureManifest {
        var layers: [Descriptor] = []
        var payloads: [OCI.Digest: Data] = [:]

        /// Adds a signature layer: `payload` as the blob, `signature` base64 in the annotation.
        mutating func add(payload: Data, signature: Data, mediaType: MediaType = CosignSignatureVerifier.signatureMediaType) {
            add(payload: payload, annotation: signature.base64EncodedString(), mediaType: mediaType)
        }

        mutating func add(payload: Data, annotation: String?, mediaType: MediaType = CosignSignatureVerifier.signatureMediaType) {
            let digest = OCI.Digest.sha256(payload)
            layers.append(Descriptor(mediaType: mediaType, digest: digest, size: Int64(payload.count),
                                     annotations: annotation.map { [CosignSignatureVerifier.signatureAnnotation: $0] }))
            payloads[digest] = payload
        }

        /// Adds a layer whose payload `signer` signed, naming `digest`.
        mutating func addSigned(by signer: Signer, naming digest: OCI.Digest = CosignSignatureTests.subject) throws {
            let payload = CosignSignatureTests.payload(naming: digest)
            add(payload: payload, signature: try signer.sign(payload))
        }

        func document() throws -> ManifestDocument {
            let config = Data(#"{"architecture":"","config":{},"os":"","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
            let manifest = ImageManifest(config: Descriptor(mediaType: "application/vnd.oci.image.config.v1+json",
                                                            digest: .sha256(config), size: Int64(config.count)),
                                         layers: layers)
            return try ManifestDocument(encoding: .image(manifest))
        }
    }

    func verify(_ manifest: SignatureManifest, keys: [CosignPublicKey],
                subject: OCI.Digest = CosignSignatureTests.subject) throws -> CosignVerdict {
        CosignSignatureVerifier(keys: keys).verify(try manifest.document(), payloads: manifest.payloads, subject: subject)
    }

    /// A scratch directory, removed when `body` returns.
    func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cosign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    func keyLoadingError(_ text: String, file name: String = "key.pub") throws -> (CosignSignatureError, String) {
        try withDirectory { directory in
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: CosignSignatureError.self) { try CosignPublicKey(contentsOfFile: path) }
            return (error, path)
        }
    }

    // MARK: Verification

    @Test func goodP256SignatureVerifies() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        let verdict = try verify(manifest, keys: [signer.publicKey(source: "keys/cosign.pub")])
        let verified = try #require(verdict.verified, "\(verdict)")
        #expect(verified.subject == Self.subject)
        #expect(verified.layerIndex == 0 && verified.layer == manifest.layers[0])
        #expect(verified.keyIndex == 0 && verified.keySource == "keys/cosign.pub")
        #expect(verified.dockerReference == "quay.io/example/app")
        #expect(verdict.refusal == nil)
    }

    @Test(arguments: KeyType.allCases) func eachKeyTypeVerifiesItsOwnSignaturesOnly(_ type: KeyType) throws {
        let signer = try Signer(type)
        let key = try signer.publicKey()
        #expect(key.kind == type.kind)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        #expect(try verify(manifest, keys: [key]).isVerified)
        // Another key of the same type must not verify it.
        let stranger = try Signer(type).publicKey(source: "stranger.pub")
        #expect(try verify(manifest, keys: [stranger]).refusal?.problem == .notVerified)
    }

    @Test func ecdsaSignatureInCosignsDERFormVerifiesAndRawFormDoesNot() throws {
        let key = P256.Signing.PrivateKey()
        let payload = Self.payload(naming: Self.subject)
        let signature = try key.signature(for: SHA256.hash(data: payload))
        let der = signature.derRepresentation
        #expect(der.first == 0x30, "an ASN.1 SEQUENCE { r, s }")
        let publicKey = try CosignPublicKey(pemRepresentation: key.publicKey.pemRepresentation, source: "cosign.pub")

        var cosignForm = SignatureManifest()
        cosignForm.add(payload: payload, signature: der)
        #expect(try verify(cosignForm, keys: [publicKey]).isVerified)

        // r || s is what some other tools write; cosign's verifier takes DER only, and so does this one.
        var rawForm = SignatureManifest()
        rawForm.add(payload: payload, signature: signature.rawRepresentation)
        #expect(try verify(rawForm, keys: [publicKey]).refusal?.problem == .notVerified)
    }

    @Test func p384AndP521SignaturesOverSHA256AsCosign2SignsAreAccepted() throws {
        let payload = Self.payload(naming: Self.subject)
        let p384 = P384.Signing.PrivateKey()
        var manifest384 = SignatureManifest()
        manifest384.add(payload: payload, signature: try p384.signature(for: SHA256.hash(data: payload)).derRepresentation)
        let key384 = try CosignPublicKey(pemRepresentation: p384.publicKey.pemRepresentation, source: "p384.pub")
        #expect(try verify(manifest384, keys: [key384]).isVerified)

        let p521 = P521.Signing.PrivateKey()
        var manifest521 = SignatureManifest()
        manifest521.add(payload: payload, signature: try p521.signature(for: SHA256.hash(data: payload)).derRepresentation)
        let key521 = try CosignPublicKey(pemRepresentation: p521.publicKey.pemRepresentation, source: "p521.pub")
        #expect(try verify(manifest521, keys: [key521]).isVerified)

        // Any other hash is not accepted.
        var sha1 = SignatureManifest()
        sha1.add(payload: payload, signature: try p384.signature(for: Insecure.SHA1.hash(data: payload)).derRepresentation)
        #expect(try verify(sha1, keys: [key384]).refusal?.problem == .notVerified)
    }

    @Test func payloadNamingAnotherDigestIsRefusedNamingBoth() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer, naming: Self.otherImage)
        let verdict = try verify(manifest, keys: [signer.publicKey(source: "team.pub")])
        let refusal = try #require(verdict.refusal)
        #expect(refusal.problem == .otherDigest(Self.otherImage.description))
        #expect(refusal.layers.map(\.problem) == [.otherDigest(Self.otherImage.description)])
        #expect(refusal.layers.first?.keySource == "team.pub")
        #expect(refusal.description.contains(Self.subject.description))
        #expect(refusal.description.contains(Self.otherImage.description))
        #expect(refusal.description.contains("team.pub"))
    }

    @Test func signatureByAnotherKeyIsRefusedNamingTheKeyFiles() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        try withDirectory { directory in
            var files: [String] = []
            for (name, type) in [("ops.pub", KeyType.p256), ("release.pub", KeyType.ed25519)] {
                let path = directory.appendingPathComponent(name).path
                try Data(try Signer(type).publicKeyPEM.utf8).write(to: URL(fileURLWithPath: path))
                files.append(path)
            }
            let verifier = try CosignSignatureVerifier(keyFiles: files)
            let verdict = verifier.verify(try manifest.document(), payloads: manifest.payloads, subject: Self.subject)
            let refusal = try #require(verdict.refusal)
            #expect(refusal.problem == .notVerified)
            #expect(refusal.keysTried == files)
            for file in files { #expect(refusal.description.contains(file)) }
        }
    }

    @Test func aKeyAmongSeveralIsEnough() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        let keys = [try Signer(.p384).publicKey(source: "old.pub"), try signer.publicKey(source: "current.pub")]
        let verified = try #require(try verify(manifest, keys: keys).verified)
        #expect(verified.keyIndex == 1 && verified.keySource == "current.pub")
    }

    @Test func payloadBytesNotMatchingTheirDescriptorAreRefused() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        let digest = manifest.layers[0].digest
        // Bytes that name the image and carry a valid signature of their own, under the
        // descriptor of other bytes: the descriptor decides, before any signature is looked at.
        let tampered = Self.payload(naming: Self.subject, reference: "quay.io/evil/app")
        manifest.layers[0].annotations = [CosignSignatureVerifier.signatureAnnotation: try signer.sign(tampered).base64EncodedString()]
        manifest.payloads[digest] = tampered
        let refusal = try #require(try verify(manifest, keys: [signer.publicKey()]).refusal)
        #expect(refusal.problem == .payloadMismatch(actual: .sha256(tampered), actualSize: tampered.count))
        #expect(refusal.description.contains(digest.description))
        #expect(refusal.description.contains(OCI.Digest.sha256(tampered).description))
    }

    @Test func goodLayerIsAcceptedBesideBadOnes() throws {
        let signer = try Signer(.p256)
        let stranger = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: stranger)                                   // 0: another key
        manifest.add(payload: Data(#"{"payloadType":"application/vnd.in-toto+json"}"#.utf8),
                     annotation: nil, mediaType: Self.dsseMediaType)          // 1: an attestation, not a signature
        try manifest.addSigned(by: signer, naming: Self.otherImage)            // 2: good key, another image
        try manifest.addSigned(by: signer)                                     // 3: good
        let verified = try #require(try verify(manifest, keys: [signer.publicKey()]).verified)
        #expect(verified.layerIndex == 3)
        #expect(verified.layer == manifest.layers[3])

        // Without the good layer, every signature layer's problem is listed, and the signed one
        // naming another image is the headline.
        var withoutGood = manifest
        withoutGood.layers.removeLast()
        let refusal = try #require(try verify(withoutGood, keys: [signer.publicKey()]).refusal)
        #expect(refusal.problem == .otherDigest(Self.otherImage.description))
        #expect(refusal.layers.map(\.layerIndex) == [0, 2])
        #expect(refusal.layers.map(\.problem) == [.notVerified, .otherDigest(Self.otherImage.description)])
    }

    @Test func manifestWithoutSignatureLayerIsRefused() throws {
        var manifest = SignatureManifest()
        manifest.add(payload: Data(#"{"payloadType":"application/vnd.in-toto+json"}"#.utf8), annotation: nil,
                     mediaType: Self.dsseMediaType)
        let refusal = try #require(try verify(manifest, keys: [Signer(.p256).publicKey()]).refusal)
        #expect(refusal.problem == .noSignatureLayer)
        #expect(refusal.description.contains(CosignSignatureVerifier.signatureMediaType.rawValue))
    }

    @Test func annotationThatIsNotBase64IsRefused() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        manifest.add(payload: Self.payload(naming: Self.subject), annotation: "MEUCIQ*not base64*")
        let refusal = try #require(try verify(manifest, keys: [signer.publicKey()]).refusal)
        #expect(refusal.problem == .invalidBase64)
        #expect(refusal.description.contains(CosignSignatureVerifier.signatureAnnotation))

        var unsigned = SignatureManifest()
        unsigned.add(payload: Self.payload(naming: Self.subject), annotation: nil)
        #expect(try verify(unsigned, keys: [signer.publicKey()]).refusal?.problem == .signatureMissing)
    }

    @Test func signedPayloadThatIsNotSimpleSigningIsRefused() throws {
        let signer = try Signer(.ed25519)
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"["a"]"#, "not a JSON object"),
            (#"{"critical":{"type":"atomic container signature","image":{"docker-manifest-digest":"\#(Self.subject)"}}}"#, "critical.type"),
            (#"{"critical":{"type":"cosign container image signature","image":{}}}"#, "docker-manifest-digest"),
        ]
        for (payload, detail) in cases {
            var manifest = SignatureManifest()
            let bytes = Data(payload.utf8)
            manifest.add(payload: bytes, signature: try signer.sign(bytes))
            let refusal = try #require(try verify(manifest, keys: [signer.publicKey()]).refusal)
            guard case .invalidPayload(let found) = refusal.problem else {
                Issue.record("\(payload): \(refusal.problem)")
                continue
            }
            #expect(found.contains(detail), "\(payload): \(found)")
        }
    }

    @Test func payloadNotFetchedIsRefused() throws {
        let signer = try Signer(.p256)
        var manifest = SignatureManifest()
        try manifest.addSigned(by: signer)
        manifest.payloads = [:]
        #expect(try verify(manifest, keys: [signer.publicKey()]).refusal?.problem == .payloadMissing)
    }

    @Test func indexAndNoKeysAreRefused() throws {
        let child = Descriptor(mediaType: .ociImageManifest, digest: Self.subject, size: 10)
        let index = try ManifestDocument(encoding: .index(ImageIndex(manifests: [child])))
        let verdict = CosignSignatureVerifier(keys: [try Signer(.p256).publicKey()])
            .verify(index, payloads: [:], subject: Self.subject)
        #expect(verdict.refusal?.problem == .notAnImageManifest(.ociImageIndex))
        #expect(verdict.refusal?.signatureManifest == index.digest)

        var manifest = SignatureManifest()
        try manifest.addSigned(by: Signer(.p256))
        #expect(try verify(manifest, keys: []).refusal?.problem == .noKeys)
    }

    @Test func signatureTagIsCosigns() throws {
        #expect(CosignSignatureVerifier.signatureTag(for: Self.subject) == "sha256-\(Self.subject.encoded).sig")
    }

    // MARK: Key files

    @Test func keyFileLoads() throws {
        let signer = try Signer(.p384)
        try withDirectory { directory in
            let path = directory.appendingPathComponent("cosign.pub").path
            try Data(("# the release team's key\n" + signer.publicKeyPEM).utf8).write(to: URL(fileURLWithPath: path))
            let key = try CosignPublicKey(contentsOfFile: path)
            #expect(key.source == path)
            #expect(key.kind == .ecdsaP384)
        }
    }

    @Test func privateKeyFileIsRefusedNamingTheFile() throws {
        let (error, path) = try keyLoadingError(P256.Signing.PrivateKey().pemRepresentation, file: "cosign.key")
        #expect(error.kind == .notPublicKey)
        #expect(error.source == path)
        #expect(error.description.contains(path))
        #expect(error.description.contains("private key"))
        #expect(error.description.contains("cosign.pub"))
    }

    @Test func cosignPrivateKeyFileIsRefusedWithTheCosignHint() throws {
        let cosignKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnsibmFtZSI6InNjcnlwdCJ9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
        let (error, path) = try keyLoadingError(cosignKey, file: "cosign.key")
        #expect(error.kind == .notPublicKey)
        #expect(error.description.contains(path))
        #expect(error.description.contains("cosign private key"))
        #expect(error.description.contains("cosign public-key --key"))
    }

    @Test func garbageAndMissingFilesAreRefusedNamingTheFile() throws {
        let (garbage, path) = try keyLoadingError("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@host\n")
        #expect(garbage.kind == .notPublicKey)
        #expect(garbage.description.contains(path))
        #expect(garbage.description.contains("not a PEM public key"))

        let (damaged, damagedPath) = try keyLoadingError("-----BEGIN PUBLIC KEY-----\nMFkw!!!!\n-----END PUBLIC KEY-----\n")
        #expect(damaged.kind == .invalidKey)
        #expect(damaged.description.contains(damagedPath) && damaged.description.contains("base64"))

        let (truncated, _) = try keyLoadingError(String(try Signer(.p256).publicKeyPEM.prefix(60)))
        #expect(truncated.kind == .invalidKey)
        #expect(truncated.description.contains("END PUBLIC KEY"))

        let missing = "/nonexistent/ferry/cosign.pub"
        let error = try #require(throws: CosignSignatureError.self) { try CosignPublicKey(contentsOfFile: missing) }
        #expect(error.kind == .unreadable)
        #expect(error.description.contains(missing) && error.description.contains("no such file"))
    }

    @Test func unsupportedKeysAreRefused() throws {
        // secp256k1: SEQUENCE { SEQUENCE { ecPublicKey, 1.3.132.0.10 }, BIT STRING { 04 || x || y } }
        let k1: [UInt8] = [0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                           0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x42, 0x00, 0x04] + Array(repeating: 7, count: 64)
        let pem = "-----BEGIN PUBLIC KEY-----\n\(Data(k1).base64EncodedString(options: .lineLength64Characters))\n-----END PUBLIC KEY-----\n"
        let error = try #require(throws: CosignSignatureError.self) { try CosignPublicKey(pemRepresentation: pem, source: "k1.pub") }
        #expect(error.kind == .unsupportedKey)
        #expect(error.description.contains("k1.pub") && error.description.contains("secp256k1"))

        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let rsa = try #require(throws: CosignSignatureError.self) {
            try CosignPublicKey(pemRepresentation: small.publicKey.pemRepresentation, source: "small.pub")
        }
        #expect(rsa.kind == .unsupportedKey)
        #expect(rsa.description.contains("1024 bits"))

        let two = try Signer(.p256).publicKeyPEM + "\n" + (try Signer(.p256).publicKeyPEM)
        let both = try #require(throws: CosignSignatureError.self) { try CosignPublicKey(pemRepresentation: two, source: "both.pub") }
        #expect(both.kind == .notPublicKey && both.description.contains("2 PUBLIC KEY blocks"))
    }
}
