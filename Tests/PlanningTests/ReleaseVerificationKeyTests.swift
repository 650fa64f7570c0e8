import Foundation
@testable import Planning
import Testing

/// Which key release signatures are checked against, and the copy of Red Hat's key built in.
struct ReleaseVerificationKeyTests {
    /// GnuPG reads the built-in block (its armor checksum holds) and finds exactly Red Hat's
    /// release key 2 and beta key 2, by fingerprint.
    @Test func theBuiltInKeyIsRedHatsPublishedReleaseKey() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-rhkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("home"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("key.asc")
        try ReleaseVerificationKey.redHat.contents().write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gpg", "--homedir", scratch.appendingPathComponent("home").path, "--batch",
                             "--with-colons", "--show-keys", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let lines = output.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false) }
        // `fpr` lines follow each `pub` line; subkeys would add more, and these keys have none.
        let fingerprints = lines.filter { $0.first == "fpr" }.map { String($0[9]) }
        #expect(fingerprints == RedHatReleaseKey.fingerprints)
        let userIDs = lines.filter { $0.first == "uid" }.map { String($0[9]) }
        #expect(userIDs.first == "Red Hat, Inc. (release key 2) <security@redhat.com>")
    }

    @Test func theOptionWinsThenTheVariableThenTheSystemFileThenTheBuiltInKey() {
        let variable = ["OCP_SIGNATURE_VERIFICATION_PK": "/keys/env.asc"]
        let present: (String) -> Bool = { _ in true }
        let absent: (String) -> Bool = { _ in false }
        #expect(ReleaseVerificationKey.resolve(option: "/keys/opt.asc", environment: variable, isReadable: present)
            == ReleaseVerificationKey(origin: .option, path: "/keys/opt.asc"))
        #expect(ReleaseVerificationKey.resolve(option: nil, environment: variable, isReadable: present)
            == ReleaseVerificationKey(origin: .environment, path: "/keys/env.asc"))
        #expect(ReleaseVerificationKey.resolve(option: nil, environment: [:], isReadable: present)
            == ReleaseVerificationKey(origin: .systemFile, path: ReleaseVerificationKey.systemKeyPath))
        #expect(ReleaseVerificationKey.resolve(option: nil, environment: [:], isReadable: absent) == .redHat)
        // An empty variable is unset, as oc-mirror reads it.
        #expect(ReleaseVerificationKey.resolve(option: nil, environment: ["OCP_SIGNATURE_VERIFICATION_PK": ""],
                                               isReadable: absent) == .redHat)
    }

    @Test func descriptionsSayWhereTheKeyCameFrom() {
        #expect(ReleaseVerificationKey(origin: .option, path: "/k.asc").description == "/k.asc (--release-signature-key)")
        #expect(ReleaseVerificationKey(origin: .environment, path: "/k.asc").description == "/k.asc (OCP_SIGNATURE_VERIFICATION_PK)")
        #expect(ReleaseVerificationKey.redHat.description == "Red Hat's release key (built in)")
    }

    /// A file the user named and Ferry cannot read is an error naming it, not a silent switch to
    /// another key (what oc-mirror does).
    @Test func anUnreadableNamedKeyIsAnErrorNamingTheFileAndTheVariable() {
        let key = ReleaseVerificationKey(origin: .environment, path: "/nonexistent/ferry-key.asc")
        #expect {
            _ = try key.contents()
        } throws: { error in
            let text = "\(error)"
            return text.contains("/nonexistent/ferry-key.asc (OCP_SIGNATURE_VERIFICATION_PK)") && text.contains("hint:")
        }
    }
}
