import Foundation

/// When and how long to wait before sending a request again.
///
/// Retries happen on 408, 429, 499, 5xx and on connection failures; waits grow exponentially
/// with jitter, and a registry's `Retry-After` is honoured first (capped at `maxDelay`). A host
/// never reached in the run that does not resolve or refuses connections gets
/// `firstContactAttempts` tries (about 1.5 s by default), then is down for the run.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var multiplier: Double
    public var maxDelay: Duration
    /// Fraction of each wait added or removed at random, so clients do not retry in lockstep.
    public var jitter: Double
    /// Attempts, at most, when a host that has not answered yet in the run does not resolve or
    /// refuses the connection; after them the host is down for the run.
    public var firstContactAttempts: Int

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), multiplier: Double = 2,
                maxDelay: Duration = .seconds(60), jitter: Double = 0.2, firstContactAttempts: Int = 3) {
        self.maxAttempts = maxAttempts
        self.firstContactAttempts = firstContactAttempts
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// Statuses worth another try: timeouts, throttling, server errors (nginx's 499, Cloudflare's 522 included).
    public static let retryableStatuses: Set<Int> = [408, 429, 499, 500, 502, 503, 504, 522]

    /// The wait before attempt `attempt + 1`, after `attempt` failures (1-based).
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil) -> Duration {
        if let retryAfter, let wait = Self.parseRetryAfter(retryAfter) {
            return min(wait, maxDelay)
        }
        let base = baseDelay * pow(multiplier, Double(max(0, attempt - 1)))
        let spread = 1 + Double.random(in: -jitter...jitter)
        return min(base * spread, maxDelay)
    }

    /// `Retry-After` is either seconds or an HTTP date (RFC 9110 §10.2.3).
    static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
