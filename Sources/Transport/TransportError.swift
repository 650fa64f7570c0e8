import Foundation

/// A request that got no complete HTTP answer: connection refused or reset, TLS failure, timeout,
/// an aborted stream. HTTP error statuses are not transport errors; they come back as responses.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libcurl's own result code and text.
        case curl(code: Int32)
        /// The relay's download did not match the expected digest or size.
        case contentMismatch
        /// The response body was larger than the request allowed.
        case responseTooLarge
        /// The other half of a relay failed, so this half was stopped.
        case relayAborted
        case cancelled
        /// A `.file` request body could not be read whole (missing, unreadable or short):
        /// sending it again cannot help.
        case localFile
    }

    public let kind: Kind
    public let url: String
    public let message: String

    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    public var description: String { "\(message) (\(Self.redacted(url)))" }

    /// Whether sending the request again may succeed: resets, timeouts, refused connections and
    /// streams cut or corrupted in flight.
    public var isTransient: Bool {
        switch kind {
        case .contentMismatch, .relayAborted: return true
        case .responseTooLarge, .cancelled, .localFile: return false
        case .curl(let code):
            let transient: [CURLcodeValue] = [.couldntConnect, .partialFile, .operationTimedOut, .sendError, .recvError,
                                              .gotNothing, .http2, .http2Stream, .sslConnectError, .couldntResolveHost,
                                              .readError, .writeError]
            return transient.contains { $0.rawValue == code }
        }
    }

    /// Whether no connection to the host could be made at all: its name (or the proxy's) does
    /// not resolve, or nothing accepts the connection. Retrying it for each image of a run only
    /// repeats the wait, so a registry client marks the host down after its first such failures.
    public var isHostFailure: Bool {
        guard case .curl(let code) = kind else { return false }
        return [CURLcodeValue.couldntResolveProxy, .couldntResolveHost, .couldntConnect].contains { $0.rawValue == code }
    }

    /// Whether the transfer was cut for going slower than its minimum rate (libcurl's low-speed
    /// check), as opposed to an overall timeout.
    public var isTooSlow: Bool {
        guard case .curl(let code) = kind, code == CURLcodeValue.operationTimedOut.rawValue else { return false }
        return message.contains("too slow")
    }

    /// Whether the host name (or the proxy's) did not resolve.
    public var isNameResolutionFailure: Bool {
        guard case .curl(let code) = kind else { return false }
        return code == CURLcodeValue.couldntResolveHost.rawValue || code == CURLcodeValue.couldntResolveProxy.rawValue
    }

    /// Whether this is a TLS trust failure (a person must supply a CA or turn verification off).
    public var isCertificateProblem: Bool {
        if case .curl(let code) = kind { return code == CURLcodeValue.peerFailedVerification.rawValue }
        return false
    }

    /// URLs are printed without query strings: upload locations carry state tokens.
    public static func redacted(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q])
    }
}

/// libcurl result codes that the transport reasons about (values from curl.h).
enum CURLcodeValue: Int32 {
    case couldntResolveProxy = 5, couldntResolveHost = 6, couldntConnect = 7, http2 = 16, partialFile = 18, writeError = 23, readError = 26
    case operationTimedOut = 28, sslConnectError = 35, abortedByCallback = 42, tooManyRedirects = 47, gotNothing = 52
    case sendError = 55, recvError = 56, peerFailedVerification = 60, http2Stream = 92
}
