import Distribution
import Testing

/// Work that ignored the limit would hang until the suite's time limit fails it.
@Suite(.timeLimit(.minutes(1)))
struct TimeLimitTests {
    @Test("work past its limit is cancelled and reported as over the limit")
    func pastTheLimit() async throws {
        await #expect(throws: TimeLimitExceeded.self) {
            try await withTimeLimit(.milliseconds(200)) {
                // Ends only when cancelled (Task.sleep throws then).
                try await Task.sleep(for: .seconds(300))
                return 1
            }
        }
    }

    @Test("work within its limit gives its value or its own error")
    func withinTheLimit() async throws {
        #expect(try await withTimeLimit(.seconds(60)) { 7 } == 7)
        #expect(try await withTimeLimit(nil) { 8 } == 8)
        struct Failure: Error {}
        await #expect(throws: Failure.self) { try await withTimeLimit(.seconds(60)) { () async throws -> Int in throw Failure() } }
    }
}
