import Foundation
import Testing
import Workspace

/// Two runs within one second must not share log names (the second would replace the first's log).
struct WorkspaceLogStampTests {
    @Test func aRunInTheSameSecondAsAnEarlierOneGetsAStampOfItsOwn() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = Workspace(root: root.appendingPathComponent("working-dir"))
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let base = Workspace.logStamp(date)
        #expect(base == "20270115_080000")
        #expect(workspace.newLogStamp(date) == base, "no logs yet")
        try workspace.write("first", to: "\(Workspace.logs)/ferry-\(base).log")
        #expect(workspace.newLogStamp(date) == "\(base)_2")
        // Any of the run's files marks its stamp as taken.
        try workspace.write("second", to: "\(Workspace.logs)/mirroring_errors_\(base)_2.txt")
        #expect(workspace.newLogStamp(date) == "\(base)_3")
        try workspace.replaceDirectory("\(Workspace.logs)/cluster-resources-\(base)_3", with: ["a.yaml": Data("a".utf8)])
        #expect(workspace.newLogStamp(date) == "\(base)_4")
        #expect(workspace.newLogStamp(date.addingTimeInterval(1)) == "20270115_080001")
    }
}
