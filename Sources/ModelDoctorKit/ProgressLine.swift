import DoctorIngest
import Foundation

/// The "bytes read / total" line a long analysis shows on a terminal's stderr, throttled.
///
/// A value type fed with counts and the time, so the throttle and the wording are tested
/// without a clock or a terminal. Nothing shows for the first `delay` seconds (a small
/// bundle is done before a line would flicker), then at most one line per `interval`, and
/// always the last one once everything is read. Each line starts with `\r` and erases the
/// rest of the row, so it overwrites the previous one.
public struct ProgressLine: Sendable {
    public var delay: Double
    public var interval: Double
    private var start: Double?
    private var lastShown: Double?
    private var shownComplete = false
    /// True once a line was returned: `finish()` then has a line to clear.
    public private(set) var shown = false

    public init(delay: Double = 0.5, interval: Double = 0.2) {
        self.delay = delay; self.interval = interval
    }

    /// The line to write now for `read` of `total` bytes at time `now` (seconds, any origin),
    /// nil when nothing should be written.
    public mutating func update(read: Int64, total: Int64?, now: Double) -> String? {
        let start = self.start ?? now
        self.start = start
        guard now - start >= delay else { return nil }
        let complete = total.map { read >= $0 } ?? false
        if complete && shownComplete { return nil }
        if !complete, let last = lastShown, now - last < interval { return nil }
        lastShown = now
        shownComplete = complete
        shown = true
        return "\r\u{1B}[K" + Self.text(read: read, total: total)
    }

    /// What clears the line before the report or a diagnostic is written ("" if none shown).
    public mutating func finish() -> String {
        defer { shown = false }
        return shown ? "\r\u{1B}[K" : ""
    }

    /// `reading 1.2 GB / 3.4 GB (35%)`, or `reading 12.0 MB` without a total.
    public static func text(read: Int64, total: Int64?) -> String {
        guard let total, total > 0 else { return "reading \(size(read))" }
        let percent = min(100, Int(Double(read) * 100 / Double(total)))
        return "reading \(size(read)) / \(size(total)) (\(percent)%)"
    }

    /// Bytes in decimal units with one decimal from kB on: `950 B`, `1.5 kB`, `12.0 MB`, `3.4 GB`.
    public static func size(_ bytes: Int64) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        guard bytes >= 1000 else { return "\(bytes) B" }
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

/// Shares one `ProgressLine` between the reading threads and writes its lines.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var line: ProgressLine
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - write: where lines go (the executable passes stderr).
    ///   - clock: seconds, monotonic.
    public init(line: ProgressLine = ProgressLine(), write: @escaping @Sendable (String) -> Void,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.line = line; self.write = write; self.clock = clock
    }

    /// A `ReadProgress` that feeds this reporter; hand it to `AnalysisOptions.progress`.
    public func readProgress() -> ReadProgress {
        ReadProgress { [self] read, total in update(read: read, total: total) }
    }

    func update(read: Int64, total: Int64?) {
        let now = clock()
        if let text = lock.withLock({ line.update(read: read, total: total, now: now) }) { write(text) }
    }

    /// Clears the progress line, if one was shown.
    public func finish() {
        let text = lock.withLock { line.finish() }
        if !text.isEmpty { write(text) }
    }
}
