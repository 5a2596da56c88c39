import Foundation

/// The calls of the bundle in order (exchange index order: by time when every call has one),
/// for the HTML report's timeline. Everything in it that came from the bundle is
/// `RedactedText`, made by the same redactor as the rest of the report.
///
/// A bundle of up to `limit` calls has one row per call. A longer one folds runs of identical
/// consecutive calls (same method, URL, status, error and model) into one row each; when that
/// still leaves too many rows, the first and the last ones are kept and `omitted` counts the
/// calls between them, so no call is left out without saying so.
public struct Timeline: Sendable, Hashable {
    public var rows: [TimelineRow] = []
    /// The calls not shown, nil when every call has a row.
    public var omitted: OmittedCalls?
    /// Each evidence source of the findings (`file:line`, as `Evidence.source` says it) that
    /// lies in a call → that call's exchange index; sources in no call are absent.
    public var evidenceCalls: [String: Int] = [:]
    /// What redacting the rows replaced. Kept apart from `Report.redaction`, which the other
    /// formats show, because only the HTML report shows the timeline.
    public var redaction = RedactionSummary()

    public init() {}

    /// The row that shows exchange `index`, nil when the call is among the omitted ones.
    public func row(of index: Int) -> TimelineRow? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].index + rows[mid].count <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.count && rows[lo].index <= index ? rows[lo] : nil
    }
}

/// One row of the timeline: a call, or a run of identical consecutive calls.
public struct TimelineRow: Sendable, Hashable {
    /// Exchange index of the (first) call, as `modeldoctor exchanges` numbers them.
    public var index: Int
    /// How many identical consecutive calls the row stands for, the first included.
    public var count: Int = 1
    public var time: Date?
    /// Time of the last call of a folded run, when known.
    public var lastTime: Date?
    public var method: RedactedText?
    /// The request URL, or the path alone when the source logged no host.
    public var url: RedactedText?
    public var status: Int?
    public var statusText: RedactedText?
    /// Why no HTTP response came (`Failure.Kind`: `timeout`, `connection-error` …).
    public var failure: String?
    /// The error message of the response or of the failure.
    public var error: RedactedText?
    public var model: RedactedText?
    /// Status 400 or above, an error object or no response at all.
    public var failed = false

    public init(index: Int) { self.index = index }
}

/// The calls a timeline leaves out: a run of consecutive exchanges shown as one line.
public struct OmittedCalls: Sendable, Hashable {
    /// Position in `Timeline.rows` the gap stands before.
    public var position: Int
    /// Exchange indexes of the first and the last call left out.
    public var first: Int
    public var last: Int
    /// How many of them failed.
    public var failed: Int

    public var calls: Int { last - first + 1 }

    public init(position: Int, first: Int, last: Int, failed: Int) {
        self.position = position; self.first = first; self.last = last; self.failed = failed
    }
}
