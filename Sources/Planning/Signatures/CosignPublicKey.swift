internal import Crypto
internal import CryptoExtras
import Foundation

/// A public key that cosign (sigstore) signatures are checked against: what `--signature-key FILE`
/// names, usually the `cosign.pub` of a key pair made by `cosign generate-key-pair`.
///
/// The file holds one PEM `PUBLIC KEY` block (a SubjectPublicKeyInfo, RFC 5280 §4.1.2.7).
/// Signatures are checked as cosign checks them for a key:
/// - ECDSA P-256: ASN.1 DER signature over SHA-256 of the payload.
/// - ECDSA P-384 / P-521: DER over SHA-384 / SHA-512 (the curve's own hash, what current cosign
///   and sigstore use), or over SHA-256 (what cosign 2.x's `--key` verifier hashes with for every
///   ECDSA key); either is accepted.
/// - Ed25519: over the payload bytes themselves (pure Ed25519, not Ed25519ph).
/// - RSA, 2048 bits or more: PKCS #1 v1.5 over SHA-256.
public struct CosignPublicKey: Sendable {
    /// The kind of key.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case ecdsaP256
        case ecdsaP384
        case ecdsaP521
        case ed25519
        case rsa(bits: Int)

        public var description: String {
            switch self {
            case .ecdsaP256: "ECDSA P-256"
            case .ecdsaP384: "ECDSA P-384"
            case .ecdsaP521: "ECDSA P-521"
            case .ed25519: "Ed25519"
            case .rsa(let bits): "RSA \(bits)"
            }
        }
    }

    private enum Backing: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    /// The file the key was read from, or the name given with the PEM text; messages use it.
    public let source: String
    public let kind: Kind
    private let backing: Backing

    /// The key types this type can load, for messages.
    static let supportedKinds = "ECDSA P-256, P-384, P-521, Ed25519, RSA of 2048 bits or more"

    /// Reads a PEM public key file.
    /// - Parameter path: the file, as the user gave it (messages quote it as given).
    /// - Throws: `.unreadable` when the file cannot be read or is empty; otherwise as
    ///   ``init(pemRepresentation:source:)``.
    public init(contentsOfFile path: String) throws(CosignSignatureError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            let reason = if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                "no such file"
            } else if isDirectory.boolValue {
                "it is a directory"
            } else if !FileManager.default.isReadableFile(atPath: path) {
                "permission denied"
            } else {
                "cannot read it (\(error.localizedDescription))"
            }
            throw CosignSignatureError(.unreadable, source: path, "cannot read the cosign public key \(path): \(reason)\n"
                + "  hint: check the path given to --signature-key")
        }
        guard !data.isEmpty else {
            throw CosignSignatureError(.unreadable, source: path, "the cosign public key file \(path) is empty\n"
                + "  hint: \(Self.publicHalfHint)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CosignSignatureError(.notPublicKey, source: path, "\(path) is not a PEM public key (it is not text; a DER "
                + "file?)\n  hint: \(Self.publicHalfHint); a DER key converts with `openssl pkey -pubin -inform DER -in \(path) -pubout`")
        }
        try self.init(pemRepresentation: text, source: path)
    }

    /// Reads PEM text holding exactly one `PUBLIC KEY` block; text around it is ignored.
    /// - Parameters:
    ///   - pemRepresentation: the PEM text.
    ///   - source: what to call the key in messages (a file name, "the key in the configuration").
    /// - Throws: `.notPublicKey` for text without a `PUBLIC KEY` block (a private key, a
    ///   certificate, an OpenPGP key, garbage) or with several; `.invalidKey` when the block is not
    ///   base64 of a valid key; `.unsupportedKey` for other key types and RSA under 2048 bits.
    public init(pemRepresentation: String, source: String) throws(CosignSignatureError) {
        let blocks = PEMBlock.blocks(in: pemRepresentation)
        let keys = blocks.filter { $0.label == "PUBLIC KEY" }
        guard let block = keys.first else {
            throw Self.notPublicKey(blocks, source: source)
        }
        guard keys.count == 1 else {
            throw CosignSignatureError(.notPublicKey, source: source, "\(source) holds \(keys.count) PUBLIC KEY blocks; "
                + "one file must hold one key\n  hint: put each key in its own file and give each with its own --signature-key")
        }
        guard block.complete else {
            throw CosignSignatureError(.invalidKey, source: source, "\(source): the PUBLIC KEY block that starts on line "
                + "\(block.line) has no \"-----END PUBLIC KEY-----\" line; the file is truncated\n  hint: \(Self.publicHalfHint)")
        }
        guard let der = Data(base64Encoded: block.base64) else {
            throw CosignSignatureError(.invalidKey, source: source, "\(source): the PUBLIC KEY block that starts on line "
                + "\(block.line) is not valid base64; the file was damaged (edited, or copied with a line cut)\n  hint: \(Self.publicHalfHint)")
        }
        let info: PublicKeyInfo
        do {
            info = try PublicKeyInfo(der: [UInt8](der))
        } catch {
            throw CosignSignatureError(.invalidKey, source: source, "\(source): the PUBLIC KEY block is not a "
                + "SubjectPublicKeyInfo (\(error.problem))\n  hint: \(Self.publicHalfHint)")
        }
        (kind, backing) = try Self.load(info, der: der, source: source)
        self.source = source
    }

    /// Checks a signature the way cosign does for this kind of key (see the type's documentation).
    /// - Parameters:
    ///   - signature: the signature bytes (decoded from base64).
    ///   - payload: the bytes that were signed, exactly as stored.
    /// - Returns: true when the signature is this key's over `payload`; false for any other
    ///   signature, including one that is not even well formed (an ECDSA signature not in DER).
    public func isValidSignature(_ signature: Data, for payload: Data) -> Bool {
        switch backing {
        case .p256(let key):
            guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA256.hash(data: payload))
        case .p384(let key):
            guard let signature = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA384.hash(data: payload))
                || key.isValidSignature(signature, for: SHA256.hash(data: payload))
        case .p521(let key):
            guard let signature = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA512.hash(data: payload))
                || key.isValidSignature(signature, for: SHA256.hash(data: payload))
        case .ed25519(let key):
            return key.isValidSignature(signature, for: payload)
        case .rsa(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                        for: SHA256.hash(data: payload), padding: .insecurePKCS1v1_5)
        }
    }

    // MARK: Loading

    private static let publicHalfHint = "a cosign key pair's cosign.pub is what is needed, not cosign.key "
        + "(`cosign public-key --key cosign.key > cosign.pub` writes it)"

    /// The key of the algorithm the SubjectPublicKeyInfo names, checked by swift-crypto.
    private static func load(_ info: PublicKeyInfo, der: Data,
                             source: String) throws(CosignSignatureError) -> (Kind, Backing) {
        func invalid(_ kind: String, _ error: any Error) -> CosignSignatureError {
            CosignSignatureError(.invalidKey, source: source, "\(source): the \(kind) public key is not valid "
                + "(swift-crypto: \(error))\n  hint: \(publicHalfHint)")
        }
        switch info.algorithm {
        case KeyAlgorithmOID.ecPublicKey:
            switch info.parameter {
            case KeyAlgorithmOID.p256?:
                do { return (.ecdsaP256, .p256(try P256.Signing.PublicKey(derRepresentation: der))) } catch { throw invalid("ECDSA P-256", error) }
            case KeyAlgorithmOID.p384?:
                do { return (.ecdsaP384, .p384(try P384.Signing.PublicKey(derRepresentation: der))) } catch { throw invalid("ECDSA P-384", error) }
            case KeyAlgorithmOID.p521?:
                do { return (.ecdsaP521, .p521(try P521.Signing.PublicKey(derRepresentation: der))) } catch { throw invalid("ECDSA P-521", error) }
            case let curve:
                let name = curve.map { KeyAlgorithmOID.name($0) } ?? "an unnamed curve"
                throw CosignSignatureError(.unsupportedKey, source: source, "\(source) holds an ECDSA key on \(name), "
                    + "which cannot be used here; supported: \(supportedKinds)")
            }
        case KeyAlgorithmOID.ed25519:
            guard info.parameter == nil, info.key.count == 32 else {
                throw CosignSignatureError(.invalidKey, source: source, "\(source): the Ed25519 public key is not valid "
                    + "(\(info.key.count) key bytes; an Ed25519 key has 32)\n  hint: \(publicHalfHint)")
            }
            do { return (.ed25519, .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: info.key))) } catch { throw invalid("Ed25519", error) }
        case KeyAlgorithmOID.rsaEncryption:
            let key: _RSA.Signing.PublicKey
            do {
                // Parsed without the size floor first, so a small key is named as such.
                key = try _RSA.Signing.PublicKey(unsafeDERRepresentation: der)
            } catch {
                throw invalid("RSA", error)
            }
            guard key.keySizeInBits >= 2048 else {
                throw CosignSignatureError(.unsupportedKey, source: source, "\(source) holds an RSA key of "
                    + "\(key.keySizeInBits) bits; at least 2048 bits are required\n  hint: sign with a stronger key")
            }
            return (.rsa(bits: key.keySizeInBits), .rsa(key))
        case KeyAlgorithmOID.rsaPSS:
            throw CosignSignatureError(.unsupportedKey, source: source, "\(source) holds an RSA-PSS key; cosign signs with "
                + "RSA keys using PKCS #1 v1.5, and PSS-only keys are not supported; supported: \(supportedKinds)")
        case let other:
            throw CosignSignatureError(.unsupportedKey, source: source, "\(source) holds a key of type "
                + "\(KeyAlgorithmOID.name(other)), which cannot be used here; supported: \(supportedKinds)")
        }
    }

    /// The error for PEM text without a `PUBLIC KEY` block, with a hint fitting what it holds.
    private static func notPublicKey(_ blocks: [PEMBlock], source: String) -> CosignSignatureError {
        guard let label = blocks.first?.label else {
            return CosignSignatureError(.notPublicKey, source: source, "\(source) is not a PEM public key (no "
                + "\"-----BEGIN PUBLIC KEY-----\" line)\n  hint: \(publicHalfHint)")
        }
        let hint: String
        switch label {
        case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY":
            hint = "this is a cosign private key (cosign.key); \(publicHalfHint)"
        case let label where label.hasSuffix("PRIVATE KEY"):
            hint = "this is a private key, which a mirror must never be given; pass its public half "
                + "(`openssl pkey -in \(source) -pubout`); \(publicHalfHint)"
        case "CERTIFICATE":
            hint = "this is a certificate; its public key is `openssl x509 -in \(source) -pubkey -noout` (certificate "
                + "chains and keyless signing are not checked here)"
        case "RSA PUBLIC KEY":
            hint = "this is a PKCS #1 RSA key; `openssl rsa -RSAPublicKey_in -in \(source) -pubout` converts it to the "
                + "PUBLIC KEY form cosign writes"
        case "PGP PUBLIC KEY BLOCK", "PGP PRIVATE KEY BLOCK":
            hint = "this is an OpenPGP key, which is what --release-signature-key takes for release signatures; "
                + "cosign keys are PEM PUBLIC KEYs (cosign.pub)"
        default:
            hint = publicHalfHint
        }
        let block = label.hasSuffix("BLOCK") ? label : "\(label) block"
        return CosignSignatureError(.notPublicKey, source: source, "\(source) is not a PEM public key: it holds a "
            + "\(block), not PUBLIC KEY\n  hint: \(hint)")
    }
}

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block of PEM text (RFC 7468).
struct PEMBlock: Equatable {
    var label: String
    /// The base64 body, lines joined, surrounding spaces removed.
    var base64: String
    /// The line of the BEGIN line, from 1.
    var line: Int
    /// False when the text ends before the END line.
    var complete: Bool

    static func blocks(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var current: PEMBlock?
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var block = current {
                if line == "-----END \(block.label)-----" {
                    block.complete = true
                    blocks.append(block)
                    current = nil
                } else {
                    block.base64 += line
                    current = block
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                let label = String(line.dropFirst(11).dropLast(5))
                current = PEMBlock(label: label, base64: "", line: number + 1, complete: false)
            }
        }
        if let current { blocks.append(current) }
        return blocks
    }
}

/// The parts of a DER SubjectPublicKeyInfo needed to pick the key type (RFC 5280 §4.1.2.7):
/// `SEQUENCE { SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, subjectPublicKey BIT STRING }`.
/// swift-crypto parses and checks the whole key afterwards.
struct PublicKeyInfo {
    /// The algorithm's object identifier, as its DER content bytes.
    var algorithm: [UInt8]
    /// The parameters when they are an object identifier (the curve of an EC key); nil otherwise.
    var parameter: [UInt8]?
    /// The BIT STRING's bytes, without the unused-bits byte.
    var key: [UInt8]

    struct ParseError: Error {
        var problem: String
    }

    init(der: [UInt8]) throws(ParseError) {
        var outer = DERReader(der[...])
        let info = try outer.read(tag: 0x30, "the outer SEQUENCE")
        guard outer.isAtEnd else { throw ParseError(problem: "bytes after the outer SEQUENCE") }
        var fields = DERReader(info)
        var algorithmIdentifier = DERReader(try fields.read(tag: 0x30, "the AlgorithmIdentifier SEQUENCE"))
        let bits = try fields.read(tag: 0x03, "the subjectPublicKey BIT STRING")
        guard fields.isAtEnd else { throw ParseError(problem: "fields after the subjectPublicKey BIT STRING") }
        algorithm = Array(try algorithmIdentifier.read(tag: 0x06, "the algorithm OBJECT IDENTIFIER"))
        if algorithmIdentifier.peekTag == 0x06 {
            parameter = Array(try algorithmIdentifier.read(tag: 0x06, "the parameters"))
        } else {
            parameter = nil
        }
        guard let unused = bits.first, unused == 0 else {
            throw ParseError(problem: "the subjectPublicKey BIT STRING is empty or not made of whole bytes")
        }
        key = Array(bits.dropFirst())
    }

    /// Reads DER tag-length-value elements (definite lengths only, as DER requires).
    private struct DERReader {
        var bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { bytes.isEmpty }
        var peekTag: UInt8? { bytes.first }

        mutating func read(tag: UInt8, _ what: String) throws(ParseError) -> ArraySlice<UInt8> {
            guard let found = bytes.first else { throw ParseError(problem: "\(what) is missing") }
            guard found == tag else {
                throw ParseError(problem: "\(what) is missing (tag 0x\(String(found, radix: 16)) where 0x\(String(tag, radix: 16)) belongs)")
            }
            var rest = bytes.dropFirst()
            guard let first = rest.popFirst() else { throw ParseError(problem: "\(what) has no length") }
            var length = 0
            if first < 0x80 {
                length = Int(first)
            } else {
                let count = Int(first & 0x7f)
                guard count >= 1, count <= 4, rest.count >= count else { throw ParseError(problem: "\(what) has a bad length") }
                for _ in 0..<count { length = length << 8 | Int(rest.removeFirst()) }
            }
            guard rest.count >= length else { throw ParseError(problem: "\(what) is cut short") }
            let content = rest.prefix(length)
            bytes = rest.dropFirst(length)
            return content
        }
    }
}

/// The object identifiers of the key algorithms and curves, as DER content bytes.
enum KeyAlgorithmOID {
    static let ecPublicKey: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]            // 1.2.840.10045.2.1
    static let p256: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]             // 1.2.840.10045.3.1.7
    static let p384: [UInt8] = [0x2b, 0x81, 0x04, 0x00, 0x22]                               // 1.3.132.0.34
    static let p521: [UInt8] = [0x2b, 0x81, 0x04, 0x00, 0x23]                               // 1.3.132.0.35
    static let ed25519: [UInt8] = [0x2b, 0x65, 0x70]                                        // 1.3.101.112
    static let rsaEncryption: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] // 1.2.840.113549.1.1.1
    static let rsaPSS: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]        // 1.2.840.113549.1.1.10

    private static let names: [String: String] = [
        "1.3.132.0.10": "secp256k1",
        "1.3.101.113": "Ed448",
        "1.3.101.110": "X25519",
        "1.3.101.111": "X448",
        "1.2.840.10040.4.1": "DSA",
        "1.2.840.10045.3.1.1": "P-192",
        "1.3.132.0.33": "P-224",
    ]

    /// A readable name: the known name with the dotted form, or the dotted form alone.
    static func name(_ bytes: [UInt8]) -> String {
        let dotted = dottedForm(bytes)
        if let name = names[dotted] { return "\(name) (\(dotted))" }
        return dotted
    }

    static func dottedForm(_ bytes: [UInt8]) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in bytes {
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    let first = min(value / 40, 2)
                    arcs += [first, value - first * 40]
                } else {
                    arcs.append(value)
                }
                value = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }
}
