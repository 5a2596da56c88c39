import DoctorModel
import DoctorRedact
import Foundation

extension Timeline {
    /// Rows a timeline has at most; beyond it calls are folded, then left out in the middle.
    public static let rowLimit = 200

    /// The timeline of `bundle`'s calls, redacted by `redactor`, and where the evidence of
    /// `findings` lies.
    ///
    /// Only the rows shown are redacted, so a bundle of 100,000 calls costs `limit` rows of
    /// redaction and one pass to fold. Build it after `Report.redaction` is taken from the
    /// redactor: what the rows replace is counted in `redaction`, apart.
    public static func build(_ bundle: TicketBundle, findings: [Finding], redactor: Redactor,
                             limit: Int = rowLimit) -> Timeline {
        let xs = bundle.exchanges
        var t = Timeline()
        guard !xs.isEmpty else { return t }
        // Runs of calls, each (first position, count): one call each unless there are too many.
        // Of many runs only the first and the last are kept, and the one on each side of
        // them: the omitted calls are counted from where those start and end.
        var runs: [(start: Int, count: Int)] = []
        var total = 0
        if xs.count <= limit {
            runs = xs.indices.map { ($0, 1) }
            total = runs.count
        } else {
            var kept = KeptRuns(keepFirst: limit / 2 + 1, keepLast: limit - limit / 2 + 1)
            // By index, fields compared in place: a copy of each call and a key with a string
            // built per call cost more than the rest of the timeline on a large log.
            // Through a buffer pointer: its elements are read in place, where the array's
            // subscript handed each call to `sameRow` as a copy (a retain per field).
            xs.withUnsafeBufferPointer { b in
                for i in b.indices {
                    if i > 0 && sameRow(b, i - 1, i) { kept.extend() } else { kept.begin(i) }
                }
            }
            runs = kept.runs
            total = kept.total
        }
        var shown = runs[...]
        if total > limit {
            let head = limit / 2, tail = limit - head
            let cut = runs[head..<(runs.count - tail)]
            let first = cut.first!.start, last = cut.last!.start + cut.last!.count - 1
            t.omitted = OmittedCalls(position: head, first: xs[first].index, last: xs[last].index,
                                     failed: xs.withUnsafeBufferPointer { b in
                                         var n = 0
                                         for i in first...last where b[i].failure != nil || b[i].error != nil || (b[i].status ?? 0) >= 400 { n += 1 }
                                         return n
                                     })
            shown = runs[..<head] + runs[(runs.count - tail)...]
        }
        let before = redactor.summary
        t.rows = shown.map { row(xs[$0.start], last: xs[$0.start + $0.count - 1], count: $0.count, redactor: redactor) }
        t.redaction = redactor.summary.subtracting(before)
        t.evidenceCalls = calls(of: findings, in: xs)
        return t
    }

    /// Status 400 or above, an error object, or no response at all.
    static func isFailed(_ e: Exchange) -> Bool {
        e.failure != nil || e.error != nil || (e.status ?? 0) >= 400
    }

    private static func row(_ e: Exchange, last: Exchange, count: Int, redactor: Redactor) -> TimelineRow {
        func r(_ s: String?) -> RedactedText? { s.map { redactor.redact($0) } }
        var row = TimelineRow(index: e.index)
        row.count = count
        row.time = e.time
        if count > 1 { row.lastTime = last.time }
        row.method = r(e.method)
        row.url = r(e.url ?? e.pathOnly)
        row.status = e.status
        row.statusText = r(e.statusText)
        row.failure = e.failure?.kind.rawValue
        row.error = r(e.error?.message ?? e.failure?.message)
        row.model = r(e.model)
        row.failed = isFailed(e)
        return row
    }

    /// What makes two consecutive calls the same row: all a row shows but the time. The
    /// calls' fields are read in place (`isFailed` below counts the same failures).
    private static func sameRow(_ x: UnsafeBufferPointer<Exchange>, _ i: Int, _ j: Int) -> Bool {
        // Every field compared is a common one: calls holding one shared object of them agree.
        if let c = x[i].sharedCommon, c === x[j].sharedCommon { return true }
        return x[i].status == x[j].status && x[i].method == x[j].method && (x[i].url ?? x[i].pathOnly) == (x[j].url ?? x[j].pathOnly)
            && x[i].statusText == x[j].statusText && x[i].error?.message == x[j].error?.message && x[i].model == x[j].model
            && x[i].failure?.kind == x[j].failure?.kind && x[i].failure?.message == x[j].failure?.message
    }

    /// The exchange each evidence source of `findings` lies in: a line the exchange was made
    /// from, else a line inside one of its sources' ranges; the first such exchange wins.
    static func calls(of findings: [Finding], in xs: [Exchange]) -> [String: Int] {
        var wanted: [SourceRef: String] = [:]
        for f in findings {
            for e in f.evidence + f.evidenceAgainst { if let ref = sourceRef(e.source) { wanted[ref] = e.source } }
        }
        guard !wanted.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        // A reference is looked up only where its line is a wanted one: hashing each line's
        // file path was most of this pass on a large log.
        let lines = Set(wanted.keys.map(\.line))
        // By index, without a list of references per call (every call of a large log comes here).
        // Calls read in place through a buffer pointer (no copy of each call).
        xs.withUnsafeBufferPointer { b in
            for i in b.indices {
                for l in b[i].lines where lines.contains(l.ref.line) {
                    if let source = wanted[l.ref], out[source] == nil { out[source] = b[i].index }
                }
                for ref in b[i].sources where lines.contains(ref.line) {
                    if let source = wanted[ref], out[source] == nil { out[source] = b[i].index }
                }
            }
            for (ref, source) in wanted where out[source] == nil {
                let inside = b.firstIndex { $0.sources.contains { $0.file == ref.file && $0.line <= ref.line && ref.endLine <= $0.endLine } }
                if let inside { out[source] = b[inside].index }
            }
        }
        return out
    }

    /// `file:line` or `file:line-end` back into a reference; nil for `bundle` and the like.
    static func sourceRef(_ source: String) -> SourceRef? {
        guard let colon = source.lastIndex(of: ":") else { return nil }
        let range = source[source.index(after: colon)...].split(separator: "-", omittingEmptySubsequences: false)
        guard let line = range.first.flatMap({ Int($0) }), range.count <= 2 else { return nil }
        let end = range.count == 2 ? Int(range[1]) : line
        guard let end else { return nil }
        return SourceRef(file: String(source[..<colon]), line: line, endLine: end)
    }
}

extension RedactionSummary {
    /// The counts of `self` beyond those of `base`, an earlier summary of the same redactor.
    func subtracting(_ base: RedactionSummary) -> RedactionSummary {
        var out = RedactionSummary()
        for (file, kinds) in byFileAndKind {
            for (kind, n) in kinds {
                for _ in 0..<max(0, n - (base.byFileAndKind[file]?[kind] ?? 0)) { out.add(kind: kind, file: file) }
            }
        }
        return out
    }

    /// Both summaries' counts together.
    func adding(_ other: RedactionSummary) -> RedactionSummary {
        var out = self
        for (file, kinds) in other.byFileAndKind {
            for (kind, n) in kinds { for _ in 0..<n { out.add(kind: kind, file: file) } }
        }
        return out
    }
}
