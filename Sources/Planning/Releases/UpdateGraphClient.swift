import Foundation
import ImageSet
import Transport

/// Reads update graphs from the update service (Cincinnati), or, offline, from the graph data a
/// mirror-to-disk run saved.
///
/// Online: `GET <base>?channel=C&arch=A[&version=V]&id=<uuid>` with `Accept: application/json`,
/// through the shared libcurl engine (so the proxy variables and TLS settings apply); every valid
/// answer is saved, as received, as `<arch>-<channel>.json` (`<arch>-<channel>-<version>.json`
/// for a version query) in the graph data directory, written to a temporary file and renamed.
/// Offline: the same files are read back and nothing is sent (spec §4.1, `getGraphData`).
public struct UpdateGraphClient: UpdateGraphSource {
    /// Where graphs come from.
    public enum Mode: Sendable, Hashable {
        /// Ask the update service, save what it answers.
        case online
        /// Read the saved graph data only (disk-to-mirror).
        case offline
    }

    /// The OpenShift update service.
    public static let defaultOCPURL = "https://api.openshift.com/api/upgrades_info/v1/graph"
    /// The OKD update service.
    public static let defaultOKDURL = "https://origin-release.ci.openshift.org/graph"
    /// oc-mirror's environment variable replacing the OCP update service URL.
    public static let overrideVariable = "UPDATE_URL_OVERRIDE"

    /// `working-dir/hold-release/cincinnati-graph-data/` in oc-mirror's layout.
    public let graphDataDirectory: URL
    public let mode: Mode
    /// The URL given by the caller (the command-line flag), used for every product.
    public let updateURL: String?
    /// `UPDATE_URL_OVERRIDE`, used for OCP channels when no URL was given (as oc-mirror does;
    /// oc-mirror never overrides the OKD service).
    public let environmentOverride: String?
    public let tls: TLSSettings
    /// Sent as `id=`, as oc-mirror sends a fresh UUID per run; nil sends none.
    public let clientID: UUID?
    /// A limit on one graph request (oc-mirror: 60 minutes); the transport's stall watchdog
    /// still ends a transfer that stops moving.
    public let timeout: Duration
    private let engine: CurlEngine

    /// Graph documents above this size are refused (a whole channel is a few megabytes).
    static let maxGraphBytes = 64 << 20

    /// - Parameters:
    ///   - graphDataDirectory: where answers are saved, and read from offline.
    ///   - updateURL: the update service to ask instead of the default, for every product.
    ///   - environment: read for `UPDATE_URL_OVERRIDE` (an empty value counts as unset).
    public init(graphDataDirectory: URL, mode: Mode = .online, updateURL: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                tls: TLSSettings = TLSSettings(), clientID: UUID? = UUID(), timeout: Duration = .seconds(3600),
                engine: CurlEngine = .shared) {
        self.graphDataDirectory = graphDataDirectory
        self.mode = mode
        self.updateURL = updateURL.flatMap { $0.isEmpty ? nil : $0 }
        self.environmentOverride = environment[Self.overrideVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.tls = tls
        self.clientID = clientID
        self.timeout = timeout
        self.engine = engine
    }

    /// The update service asked for a product's channels: the caller's URL, else (OCP only)
    /// `UPDATE_URL_OVERRIDE`, else the product's default.
    public func baseURL(for product: ReleaseChannel.Product) -> String {
        if let updateURL { return updateURL }
        switch product {
        case .ocp: return environmentOverride ?? Self.defaultOCPURL
        case .okd: return Self.defaultOKDURL
        }
    }

    /// The full request URL for a query.
    public func requestURL(for query: UpdateGraphQuery) -> String {
        var parameters = [("channel", query.channel), ("arch", query.architecture.rawValue)]
        if let version = query.version { parameters.append(("version", version.description)) }
        if let clientID { parameters.append(("id", clientID.uuidString.lowercased())) }
        let base = baseURL(for: query.product)
        let separator = base.contains("?") ? "&" : "?"
        return base + separator + parameters.map { "\($0.0)=\(Self.queryEncoded($0.1))" }.joined(separator: "&")
    }

    /// `<arch>-<channel>.json`, or `<arch>-<channel>-<version>.json` for a version query.
    public static func fileName(for query: UpdateGraphQuery) -> String {
        "\(query.architecture.rawValue)-\(query.channel)" + (query.version.map { "-\($0)" } ?? "") + ".json"
    }

    /// The graph for a query: downloaded and saved when online, read from the saved file offline.
    public func graph(for query: UpdateGraphQuery) async throws(UpdateGraphError) -> UpdateGraph {
        try checkChannelName(query)
        switch mode {
        case .online: return try await download(query)
        case .offline: return try readSaved(query)
        }
    }

    // MARK: Online

    private func download(_ query: UpdateGraphQuery) async throws(UpdateGraphError) -> UpdateGraph {
        let base = baseURL(for: query.product)
        guard let scheme = URL(string: base)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw UpdateGraphError(.invalidURL, query: query, location: base, message: "not an http(s) URL",
                                   hint: "give the update service as https://HOST/PATH (the update URL flag or \(Self.overrideVariable))")
        }
        var request = HTTPRequest(.get, requestURL(for: query), headers: HTTPHeaders([("Accept", "application/json")]),
                                  tls: tls, maxResponseBytes: Self.maxGraphBytes)
        request.timeout = timeout
        let response: HTTPResponse
        do {
            response = try await engine.perform(request)
        } catch let error as TransportError {
            throw UpdateGraphError(.unreachable, query: query, location: base, message: "no answer: \(error.message)",
                                   hint: error.isCertificateProblem
                                       ? "the update service's certificate is not trusted; add its CA to the system trust store"
                                       : "check network access and the proxy variables (https_proxy, no_proxy); a disconnected "
                                       + "run reads the graph data saved by mirror-to-disk instead")
        } catch {
            throw UpdateGraphError(.cancelled, query: query, location: base, message: "cancelled")
        }
        guard response.status == 200 else {
            throw UpdateGraphError(.status(response.status), query: query, location: base,
                                   message: "answered HTTP \(response.status)" + Self.excerpt(response.body),
                                   hint: Self.hint(forStatus: response.status, product: query.product))
        }
        let graph: UpdateGraph
        do {
            graph = try UpdateGraph(parsing: response.body)
        } catch {
            throw UpdateGraphError(.invalidGraph(error), query: query, location: base, message: "not an update graph: \(error)",
                                   hint: "check that the URL is the graph endpoint of an update service (…/graph)")
        }
        try save(response.body, for: query)
        return graph
    }

    private static func hint(forStatus status: Int, product: ReleaseChannel.Product) -> String {
        switch status {
        case 400, 404, 422:
            return "check the channel name (for example stable-4.18) and the architecture, and that the URL is the "
                + "graph endpoint (\(product == .ocp ? defaultOCPURL : defaultOKDURL))"
        case 401, 403, 407:
            return "the update service (or a proxy in front of it) refused the request; check the update URL and proxy settings"
        case 429, 500...599:
            return "the update service is overloaded or failing; try again later"
        default:
            return "the update service answers 200 with a graph; check the update URL"
        }
    }

    /// The first few hundred characters of an error body, on one line.
    private static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "" : ": \(text)" + (body.count > 300 ? "…" : "")
    }

    /// Written atomically (a temporary file renamed over the target): a reader never sees half a
    /// graph, and an interrupted run leaves the previous file.
    private func save(_ body: Data, for query: UpdateGraphQuery) throws(UpdateGraphError) {
        let target = graphDataDirectory.appendingPathComponent(Self.fileName(for: query))
        do {
            try FileManager.default.createDirectory(at: graphDataDirectory, withIntermediateDirectories: true)
            try body.write(to: target, options: .atomic)
        } catch {
            throw UpdateGraphError(.cannotSave, query: query, location: target.path,
                                   message: "cannot save the graph: \(error.localizedDescription)",
                                   hint: "check free space and permissions of the working directory")
        }
    }

    // MARK: Offline

    private func readSaved(_ query: UpdateGraphQuery) throws(UpdateGraphError) -> UpdateGraph {
        var candidates = [graphDataDirectory.appendingPathComponent(Self.fileName(for: query))]
        // oc-mirror saves one file per channel and architecture, whatever the version asked.
        if query.version != nil {
            var channelQuery = query
            channelQuery.version = nil
            candidates.append(graphDataDirectory.appendingPathComponent(Self.fileName(for: channelQuery)))
        }
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            let saved = (try? FileManager.default.contentsOfDirectory(atPath: graphDataDirectory.path))?
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted() ?? []
            throw UpdateGraphError(.notSaved, query: query, location: candidates[0].path,
                                   message: "no saved graph" + (saved.isEmpty ? " (the directory holds none)" : " (saved: \(saved.joined(separator: ", ")))"),
                                   hint: "disk-to-mirror reads the graphs mirror-to-disk saved; run mirror-to-disk with the same "
                                       + "channels and architectures, and unpack its archive into this workspace")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw UpdateGraphError(.notSaved, query: query, location: file.path,
                                   message: "cannot read: \(error.localizedDescription)", hint: "check the file's permissions")
        }
        do {
            return try UpdateGraph(parsing: data)
        } catch {
            throw UpdateGraphError(.invalidGraph(error), query: query, location: file.path, message: "not an update graph: \(error)",
                                   hint: "the saved file is damaged; run mirror-to-disk again to save a fresh one")
        }
    }

    // MARK: Names

    /// A channel name goes into a query string and a file name: letters, digits, `.`, `_`, `-`.
    private func checkChannelName(_ query: UpdateGraphQuery) throws(UpdateGraphError) {
        let allowed = query.channel.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
        }
        guard !query.channel.isEmpty, allowed, !query.channel.hasPrefix(".") else {
            throw UpdateGraphError(.invalidChannelName, query: query, location: graphDataDirectory.path,
                                   message: "'\(query.channel)' is not a channel name",
                                   hint: "channel names hold letters, digits, '.', '_' and '-', for example stable-4.18")
        }
    }

    private static func queryEncoded(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
