import Foundation
import ImageSet
import Planning
import RegistryLab
import Testing

struct ReleaseGraphClientTests {
    typealias G = ReleaseGraphs

    /// A fresh graph data directory under the system temporary directory.
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-graph-\(UUID().uuidString)/hold-release/cincinnati-graph-data", isDirectory: true)
    }

    func queryItems(_ target: String) -> [String: String] {
        let items = URLComponents(string: "http://x\(target)")?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test func asksWithChannelArchAndAcceptAndSavesTheAnswer() async throws {
        let server = try ScriptedServer { request in
            request.target.hasPrefix("/api/upgrades_info/v1/graph?")
                ? .init(status: 200, headers: [("Content-Type", "application/json")], body: Array(G.stable418amd64.utf8))
                : .init(status: 404)
        }
        defer { server.stop() }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        let client = UpdateGraphClient(graphDataDirectory: directory, environment: [
            UpdateGraphClient.overrideVariable: "http://\(server.host)/api/upgrades_info/v1/graph",
        ])

        let graph = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.18", architecture: .amd64))
        #expect(graph.nodes.count == 7)
        let request = try #require(server.requests().first)
        #expect(request.method == "GET")
        #expect(request.headers["accept"] == "application/json")
        let query = queryItems(request.target)
        #expect(query["channel"] == "stable-4.18")
        #expect(query["arch"] == "amd64")
        #expect(query["version"] == nil)
        #expect(UUID(uuidString: query["id"] ?? "") != nil)
        let saved = try Data(contentsOf: directory.appendingPathComponent("amd64-stable-4.18.json"))
        #expect(saved == Data(G.stable418amd64.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["amd64-stable-4.18.json"])

        _ = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.18", architecture: .amd64, version: G.version("4.18.1")))
        #expect(queryItems(try #require(server.requests().last).target)["version"] == "4.18.1")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("amd64-stable-4.18-4.18.1.json").path))
    }

    @Test func anAnswerOtherThan200NamesURLChannelArchAndStatus() async throws {
        let server = try ScriptedServer { _ in
            .init(status: 400, body: Array(#"{"kind":"invalid_params","value":"unknown arch 'amd65'"}"#.utf8))
        }
        defer { server.stop() }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        let client = UpdateGraphClient(graphDataDirectory: directory, updateURL: "http://\(server.host)/graph")
        do {
            _ = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.18", architecture: .arm64))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .status(400))
            #expect(error.description.hasPrefix(
                "update graph (channel stable-4.18, arch arm64) from http://\(server.host)/graph: answered HTTP 400: "
                + #"{"kind":"invalid_params","value":"unknown arch 'amd65'"}"#))
            #expect(error.description.contains("\n  hint: check the channel name (for example stable-4.18) and the architecture"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func anAnswerThatIsNoGraphIsNotSaved() async throws {
        let server = try ScriptedServer { _ in .init(status: 200, body: Array("<html>maintenance</html>".utf8)) }
        defer { server.stop() }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        let client = UpdateGraphClient(graphDataDirectory: directory, updateURL: "http://\(server.host)/graph")
        do {
            _ = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.18", architecture: .amd64))
            Issue.record("no error")
        } catch {
            guard case .invalidGraph(let problem) = error.kind else { Issue.record("\(error)"); return }
            #expect(problem.problem.hasPrefix("not valid JSON"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("amd64-stable-4.18.json").path))
    }

    @Test func offlineReadsTheSavedGraphAndSendsNothing() async throws {
        let server = try ScriptedServer { _ in .init(status: 500) }
        defer { server.stop() }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(G.stable417amd64.utf8).write(to: directory.appendingPathComponent("amd64-stable-4.17.json"))
        let client = UpdateGraphClient(graphDataDirectory: directory, mode: .offline, updateURL: "http://\(server.host)/graph")

        let graph = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.17", architecture: .amd64))
        #expect(graph.nodes.count == 8)
        // A version query falls back to the channel's file, the only one oc-mirror saves.
        let versioned = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.17", architecture: .amd64,
                                                                    version: G.version("4.17.5")))
        #expect(versioned == graph)
        do {
            _ = try await client.graph(for: UpdateGraphQuery(channel: "stable-4.18", architecture: .arm64))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .notSaved)
            #expect(error.location == directory.appendingPathComponent("arm64-stable-4.18.json").path)
            #expect(error.message == "no saved graph (saved: amd64-stable-4.17.json)")
            #expect(error.hint?.contains("run mirror-to-disk") == true)
        }
        #expect(server.requests().isEmpty)
    }

    @Test func channelNamesThatAreNoFileNamesAreRefused() async {
        let directory = temporaryDirectory()
        let client = UpdateGraphClient(graphDataDirectory: directory, mode: .offline)
        for name in ["../../etc/passwd", "", ".hidden", "stable 4.18"] {
            do {
                _ = try await client.graph(for: UpdateGraphQuery(channel: name, architecture: .amd64))
                Issue.record("accepted '\(name)'")
            } catch {
                #expect(error.kind == .invalidChannelName)
            }
        }
    }

    struct BaseURLCase: Sendable, CustomTestStringConvertible {
        var updateURL: String?
        var environment: String?
        var product: ReleaseChannel.Product
        var expected: String
        var testDescription: String { "\(product) flag \(updateURL ?? "-") env \(environment ?? "-")" }
    }

    static let baseURLCases: [BaseURLCase] = [
        BaseURLCase(updateURL: nil, environment: nil, product: .ocp, expected: UpdateGraphClient.defaultOCPURL),
        BaseURLCase(updateURL: nil, environment: nil, product: .okd, expected: UpdateGraphClient.defaultOKDURL),
        BaseURLCase(updateURL: nil, environment: "", product: .ocp, expected: UpdateGraphClient.defaultOCPURL),
        BaseURLCase(updateURL: nil, environment: "https://osus.example/graph", product: .ocp, expected: "https://osus.example/graph"),
        // oc-mirror never overrides the OKD service from the environment
        BaseURLCase(updateURL: nil, environment: "https://osus.example/graph", product: .okd, expected: UpdateGraphClient.defaultOKDURL),
        BaseURLCase(updateURL: "https://flag.example/graph", environment: "https://osus.example/graph", product: .ocp,
                    expected: "https://flag.example/graph"),
        BaseURLCase(updateURL: "https://flag.example/graph", environment: nil, product: .okd, expected: "https://flag.example/graph"),
    ]

    @Test(arguments: baseURLCases)
    func baseURL(_ example: BaseURLCase) {
        let client = UpdateGraphClient(graphDataDirectory: temporaryDirectory(), updateURL: example.updateURL,
                                       environment: example.environment.map { [UpdateGraphClient.overrideVariable: $0] } ?? [:])
        #expect(client.baseURL(for: example.product) == example.expected)
    }

    @Test func requestURLKeepsAQueryOfTheBase() {
        let client = UpdateGraphClient(graphDataDirectory: temporaryDirectory(), updateURL: "https://osus.example/graph?x=1",
                                       clientID: nil)
        let url = client.requestURL(for: UpdateGraphQuery(channel: "eus-4.16", architecture: .multi, version: G.version("4.16.3")))
        #expect(url == "https://osus.example/graph?x=1&channel=eus-4.16&arch=multi&version=4.16.3")
        #expect(UpdateGraphClient.fileName(for: UpdateGraphQuery(channel: "eus-4.16", architecture: .multi)) == "multi-eus-4.16.json")
    }
}
