import Copying
import Foundation

/// Shows progress on stderr: one live line on a terminal, a plain line every few seconds
/// elsewhere (CI logs stay readable).
struct ProgressDisplay: Sendable {
    let progress: CopyProgress
    let enabled: Bool

    func run() async {
        guard enabled else { return }
        let terminal = isatty(STDERR_FILENO) == 1
        let interval: Duration = terminal ? .milliseconds(250) : .seconds(5)
        let started = ContinuousClock.now
        var drawn = false
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let line = Self.line(progress.snapshot, bytes: progress.bytes.total, elapsed: ContinuousClock.now - started)
            if terminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                drawn = true
            } else {
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
        }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func line(_ counts: CopyProgress.Counts, bytes: Int64, elapsed: Duration) -> String {
        let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        let rate = Double(bytes) / seconds
        var text = "images \(counts.imagesDone)/\(counts.imagesTotal)"
        if counts.imagesFailed > 0 { text += " (\(counts.imagesFailed) failed)" }
        // The total grows as manifests are read: it is what was found missing so far.
        text += " · \(ByteFormat.string(bytes)) of \(ByteFormat.string(max(bytes, counts.bytesToMove)))"
        text += " · \(ByteFormat.string(Int64(rate)))/s"
        let remaining = counts.bytesToMove - bytes
        if rate > 0, remaining > 0 { text += " · ETA \(ByteFormat.duration(Double(remaining) / rate))" }
        return text
    }
}

enum ByteFormat {
    static func string(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
