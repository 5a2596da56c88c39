import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

extension TriageRow {
    /// Reduces one ticket's analysis to its row. Every text taken from the bundle goes through
    /// the ticket's own redactor here; the roll-up and the renderers only see the results.
    static func build(ticket: TriageTicket, result: AnalysisPipeline.Result) -> TriageRow {
        let report = result.report, redactor = result.redactor, xs = result.bundle.exchanges
        // Redact first, then shape: cutting raw text could cut a secret below the shape redaction knows.
        func red(_ s: String) -> RedactedText { ReportText.oneLine(redactor.redact(s), limit: 200) }
        // Findings at `low` or below are observations, not a cause (the report calls such a
        // bundle healthy); they count in `findings` only.
        let real = report.findings.filter { $0.severity > .low }
        var causes: [String] = []
        for f in real where !causes.contains(f.cause) { causes.append(f.cause) }
        var row = TriageRow(ticket: ticket.label, cause: causes.first ?? TriageRow.noCause, findings: report.findings.count)
        row.confidence = real.first?.confidence
        row.causes = causes
        row.candidates = Array(causes.dropFirst().prefix(2))
        row.symptom = real.first?.symptom
        row.sdk = report.facts.sdks.first.map(red)
        row.models = report.facts.models.map(red)
        row.host = report.facts.hosts.first.map(red)
        row.errorFamily = xs.lazy.compactMap(Self.errorFamily).first.map(red)
        row.day = report.facts.firstTime.map(Self.day)
        row.notFound = notFound(real, exchanges: xs, redact: red)
        var errors: [RedactedText] = []
        for e in xs {
            guard let m = e.error?.message ?? e.failure?.message, !m.isEmpty else { continue }
            let text = ReportText.maskIDs(red(m))
            if !errors.contains(text) { errors.append(text) }
        }
        row.errors = errors
        let problems = report.inputs.flatMap(\.problems).filter { $0.level == .error }
        if let p = problems.first {
            // Ingest messages usually start with their location already; don't say it twice.
            let text = p.message.contains(p.location) ? p.message : p.description
            row.problem = red(text.replacingOccurrences(of: ticket.path, with: ticket.label))
        } else if report.inputs.isEmpty {
            row.problem = RedactedText(literal: "no input file found in the ticket")
        }
        if causes.isEmpty && xs.isEmpty && row.problem != nil { row.cause = TriageRow.unreadableCause }
        return row
    }

    /// Model names refused as not found: those a model-not-found finding is about (with its
    /// fix as what to use instead), then those whose error says the model does not exist.
    private static func notFound(_ findings: [Finding], exchanges: [Exchange],
                                 redact: (String) -> RedactedText) -> [NotFoundModel] {
        let requested = Set(exchanges.compactMap(\.model))
        var out: [NotFoundModel] = []
        var seen: Set<String> = []
        for f in findings where f.symptom == "model-not-found" {
            guard let s = f.subject, requested.contains(s), seen.insert(s).inserted else { continue }
            out.append(NotFoundModel(model: redact(s), suggestion: f.fix.isEmpty ? nil : f.fix))
        }
        for e in exchanges {
            guard let m = e.model, Self.saysModelNotFound(e), seen.insert(m).inserted else { continue }
            out.append(NotFoundModel(model: redact(m)))
        }
        return out
    }

    static func saysModelNotFound(_ e: Exchange) -> Bool {
        if e.error?.code?.lowercased() == "model_not_found" { return true }
        let m = (e.error?.message ?? "").lowercased()
        return m.contains("model") && (m.contains("not found") || m.contains("does not exist") || m.contains("no available channel"))
    }

    /// The first error code or type, a failure kind, or the status class of an error status.
    static func errorFamily(_ e: Exchange) -> String? {
        if let c = e.error?.code, !c.isEmpty, c.lowercased() != "none" { return c }
        if let t = e.error?.type, !t.isEmpty, t.lowercased() != "none" { return t }
        if let f = e.failure { return f.kind.rawValue }
        if let s = e.status, s >= 400 { return "\(s / 100)xx" }
        return nil
    }

    /// `YYYY-MM-DD` in UTC.
    static func day(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&t, &c)
        func pad(_ n: Int32, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(c.tm_year + 1900, 4))-\(pad(c.tm_mon + 1, 2))-\(pad(c.tm_mday, 2))"
    }

    /// Rows in the order every output uses: by ticket label, then by content for equal labels
    /// (two folders of the same name given at once), so the order never depends on `--jobs`
    /// or on which shard a row came from.
    public static func sorted(_ rows: [TriageRow]) -> [TriageRow] {
        rows.sorted { a, b in
            if a.ticket != b.ticket { return a.ticket < b.ticket }
            return a.tieKey < b.tieKey
        }
    }

    private var tieKey: String {
        ([cause, problem?.value ?? "", sdk?.value ?? "", host?.value ?? ""] + models.map(\.value) + errors.map(\.value))
            .joined(separator: "\u{1F}")
    }
}

/// Text shaping for triage rows, always on redacted text: it only drops or replaces
/// characters, so what it returns is still redacted.
enum ReportText {
    /// One line of at most `limit` characters: whitespace and control runs become one space.
    static func oneLine(_ text: RedactedText, limit: Int) -> RedactedText {
        let words = text.value.split(whereSeparator: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 32 || $0 == 127 } == true })
        var joined = words.joined(separator: " ")
        if joined.count > limit { joined = String(joined.prefix(limit - 1)) + "…" }
        return RedactedText(unchecked: joined)
    }

    /// Request ids and other long id-like tokens become `…`, so the same gateway error seen
    /// in many tickets counts as one text: a token after `id:`/`ID`, a hexadecimal or UUID-like
    /// token of 12+ characters with 6+ digits, or a letters-and-digits token of 16+ characters
    /// with 8+ digits (a model name has dashes and fewer digits).
    static func maskIDs(_ text: RedactedText) -> RedactedText {
        var out: [String] = []
        var afterID = false
        for word in text.value.split(separator: " ", omittingEmptySubsequences: false) {
            let core = word.trimmingCharacters(in: CharacterSet(charactersIn: "()[]{}<>,.;:'\"`"))
            let digits = core.filter(\.isNumber).count
            let hexish = core.count >= 12 && digits >= 6 && core.allSatisfy { $0.isHexDigit || $0 == "-" }
            let alnum = core.count >= 16 && digits >= 8 && core.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            let idValue = afterID && core.count >= 8 && digits >= 2 && core.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            out.append(hexish || alnum || idValue ? word.replacingOccurrences(of: core, with: "…") : String(word))
            let lower = word.lowercased()
            afterID = lower.hasSuffix("id:") || lower.hasSuffix("id") || lower.hasSuffix("id=")
        }
        return RedactedText(unchecked: out.joined(separator: " "))
    }
}
