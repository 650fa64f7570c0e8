import Foundation
import ImageSet
import Testing

/// Loading from paths: the file name in every diagnostic, and clear errors for unreadable paths.
struct LoaderFileTests {
    /// A fresh directory under the temporary directory, removed by the caller.
    func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imageset-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func loadsAFileAndNamesItInMarks() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("imageset-config.yaml").path
        try ValidConfigurationTests.typical.write(toFile: path, atomically: true, encoding: .utf8)

        let loaded = try ImageSetLoader.loadImageSetConfiguration(path: path)
        #expect(loaded.value.mirror.additionalImages.first?.mark == SourceMark(file: path, line: 16, column: 6))
    }

    @Test func reportsProblemsWithThePath() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("disc.yaml").path
        try "kind: DeleteImageSetConfiguration\ndelete:\n  operator: []\n".write(toFile: path, atomically: true, encoding: .utf8)

        #expect(throws: ImageSetError(file: path, diagnostics: [Diagnostic(
            mark: SourceMark(file: path, line: 3, column: 3), path: "delete.operator",
            message: "unknown field 'operator'; did you mean 'operators'?")])) {
            try ImageSetLoader.loadDeleteImageSetConfiguration(path: path)
        }
    }

    @Test func reportsBadEncodingAtItsPosition() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("latin1.yaml").path
        // "é" in Latin-1 is the one byte 0xE9: in UTF-8 it starts a 3-byte sequence the file cuts off.
        var bytes = Array("kind: ImageSetConfiguration\nmirror:\n  additionalImages: [{name: caf".utf8)
        bytes.append(0xE9)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        do {
            _ = try ImageSetLoader.loadImageSetConfiguration(path: path)
            Issue.record("invalid UTF-8 loaded")
        } catch {
            #expect(error.diagnostics.map(\.summary) == ["\(path):3:32: YAML syntax error: incomplete UTF-8 octet sequence"])
        }
    }

    @Test func namesAMissingFile() {
        #expect(throws: ImageSetError(unreadableFile: "/nonexistent/isc.yaml", reason: "no such file")) {
            try ImageSetLoader.loadImageSetConfiguration(path: "/nonexistent/isc.yaml")
        }
        let error = ImageSetError(unreadableFile: "/nonexistent/isc.yaml", reason: "no such file")
        #expect(error.description == "cannot read image set configuration '/nonexistent/isc.yaml': no such file")
    }

    /// A device that never ends is refused at the size cap, not read forever or misreported as
    /// a permission problem.
    @Test func refusesAnEndlessDevice() {
        do {
            _ = try ImageSetLoader.loadImageSetConfiguration(path: "/dev/zero")
            Issue.record("/dev/zero loaded")
        } catch {
            #expect(error.kind == .unreadableFile)
            #expect(error.description.contains("it is larger than 64 MiB"), "\(error)")
            #expect(!error.description.contains("permission"), "\(error)")
        }
    }

    /// A pipe (`-c <(generate-config)`) reads like a file.
    @Test func readsAPipe() throws {
        let pipe = Pipe()
        let yaml = "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages: [{name: quay.io/a/b:1}]\n"
        pipe.fileHandleForWriting.write(Data(yaml.utf8))
        try pipe.fileHandleForWriting.close()
        let loaded = try ImageSetLoader.loadImageSetConfiguration(path: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        #expect(loaded.value.mirror.additionalImages.count == 1)
    }

    @Test func refusesADirectory() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try ImageSetLoader.loadImageSetConfiguration(path: directory.path)
            Issue.record("a directory loaded")
        } catch {
            #expect(error.kind == .unreadableFile)
            #expect(error.description.hasSuffix("it is a directory; give the path of the YAML file"))
        }
    }
}
