import Testing
import ModelDoctorKit

/// The progress line of a long analysis (issue #10): wording and throttle, without a clock.
@Suite struct ProgressLineTests {
    @Test func sizesAreDecimalWithOneDecimal() {
        #expect(ProgressLine.size(950) == "950 B")
        #expect(ProgressLine.size(1_500) == "1.5 kB")
        #expect(ProgressLine.size(12_000_000) == "12.0 MB")
        #expect(ProgressLine.size(3_449_000_000) == "3.4 GB")
        #expect(ProgressLine.size(999_960) == "1000.0 kB")
    }

    @Test func textShowsReadOfTotalAndPercent() {
        #expect(ProgressLine.text(read: 1_200_000_000, total: 3_400_000_000) == "reading 1.2 GB / 3.4 GB (35%)")
        #expect(ProgressLine.text(read: 12_000_000, total: nil) == "reading 12.0 MB")
        #expect(ProgressLine.text(read: 5, total: 0) == "reading 5 B")
    }

    @Test func nothingDuringTheFirstHalfSecond() {
        var line = ProgressLine()
        #expect(line.update(read: 1, total: 100, now: 10.0) == nil)
        #expect(line.update(read: 50, total: 100, now: 10.4) == nil)
        #expect(line.update(read: 100, total: 100, now: 10.45) == nil)  // a small bundle never shows
        #expect(line.finish() == "")
    }

    @Test func thenAtMostOneLineEachIntervalAndTheLastOneOnce() {
        var line = ProgressLine(delay: 0.5, interval: 0.2)
        var shown: [String] = []
        var now = 0.0
        for read in stride(from: Int64(0), through: 1_000_000, by: 10_000) {  // 101 chunks, 0.05 s apart
            if let s = line.update(read: read, total: 1_000_000, now: now) { shown.append(s) }
            now += 0.05
        }
        // From 0.5 s to 5.0 s, one line per 0.2 s (≈ 23), never one per chunk, and the 100% line.
        #expect(shown.count >= 20 && shown.count <= 26, "\(shown.count)")
        #expect(shown.allSatisfy { $0.hasPrefix("\r\u{1B}[K") })
        #expect(shown.last == "\r\u{1B}[Kreading 1.0 MB / 1.0 MB (100%)")
        #expect(line.update(read: 1_000_000, total: 1_000_000, now: now + 1) == nil)
        #expect(line.finish() == "\r\u{1B}[K")
        #expect(line.finish() == "")
    }

    @Test func reporterWritesThrottledLinesFromTheReadProgress() {
        final class Box: @unchecked Sendable { var lines: [String] = []; var now = 0.0 }
        let box = Box()
        let reporter = ProgressReporter(write: { box.lines.append($0) }, clock: { box.now })
        let progress = reporter.readProgress()
        for _ in 0..<10 { box.now += 0.3; progress.add(100) }
        reporter.finish()
        #expect(box.lines.count >= 8)
        #expect(box.lines.dropLast().last == "\r\u{1B}[Kreading 1.0 kB")
        #expect(box.lines.last == "\r\u{1B}[K")
    }
}
