import Foundation
import OCI
import Testing

struct PlatformTests {
    @Test(arguments: [
        ("linux/amd64", "linux", "amd64", nil),
        ("linux/arm64/v8", "linux", "arm64", "v8"),
        ("linux/ppc64le", "linux", "ppc64le", nil),
        ("linux/s390x", "linux", "s390x", nil),
        ("windows/amd64", "windows", "amd64", nil),
        ("linux/arm/v7", "linux", "arm", "v7"),
    ] as [(String, String, String, String?)])
    func parses(text: String, os: String, architecture: String, variant: String?) throws {
        let platform = try Platform(parsing: text)
        #expect(platform == Platform(os: os, architecture: architecture, variant: variant))
        #expect(platform.os == os)
        #expect(platform.architecture == architecture)
        #expect(platform.variant == variant)
        #expect(platform.description == text)
    }

    @Test(arguments: ["", "linux", "amd64", "linux/", "/amd64", "linux//v8", "linux/arm64/v8/extra", "linux/amd 64", " linux/amd64"])
    func rejects(text: String) {
        let error = #expect(throws: OCIError.self) { try Platform(parsing: text) }
        #expect(error?.kind == .invalidPlatform)
        #expect(error?.message.contains("\"\(text)\"") == true)
        #expect(error?.message.contains("linux/arm64/v8") == true, "message carries an example")
    }

    @Test
    func decodesDottedKeys() throws {
        let json = #"{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1040","os.features":["win32k"]}"#
        let platform = try JSONDecoder().decode(Platform.self, from: json.bytes)
        #expect(platform.os == "windows")
        #expect(platform.architecture == "amd64")
        #expect(platform.variant == nil)
        #expect(platform.osVersion == "10.0.17763.1040")
        #expect(platform.osFeatures == ["win32k"])
    }

    @Test
    func encodesDottedKeysAndOmitsAbsentFields() throws {
        var platform = Platform(os: "linux", architecture: "arm64", variant: "v8")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(platform), as: UTF8.self) == #"{"architecture":"arm64","os":"linux","variant":"v8"}"#)
        platform.variant = nil
        platform.osVersion = "1.0"
        #expect(String(decoding: try encoder.encode(platform), as: UTF8.self) == #"{"architecture":"arm64","os":"linux","os.version":"1.0"}"#)
    }
}
