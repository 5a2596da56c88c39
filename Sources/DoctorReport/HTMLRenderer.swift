import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

/// Renders the report as one self-contained HTML page to attach to a ticket.
///
/// The page has inline CSS only: no script, no external stylesheet, font or image, so it
/// opens the same offline and cannot call out. Every piece of text, the program's own
/// labels included, is HTML-escaped. Content and order follow the text report, with one
/// section more after the ticket facts: the timeline of calls (`Report.timeline`), whose rows
/// the findings' calls and evidence link to (`#call-N`, the only links of the page).
public struct HTMLRenderer: ReportRenderer {
    /// Characters kept of one evidence excerpt.
    public var excerptLimit: Int
    /// Lists every rule not evaluated and why; otherwise one line counts them.
    public var verbose: Bool

    public init(excerptLimit: Int = 300, verbose: Bool = false) { self.excerptLimit = excerptLimit; self.verbose = verbose }

    public func render(_ report: Report) -> String {
        let l = Labels.of(report.lang)
        let title = Self.esc("\(report.tool) \(l.report)")
        var out: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"\(report.lang == .zh ? "zh-Hans" : "en")\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(title)</title>",
            "<style>\(Self.css)</style>",
            "</head>",
            "<body>",
            "<h1>\(title)</h1>",
        ]
        if report.unredacted { out.append("<p class=\"banner\">\(Self.esc(l.unredactedBanner))</p>") }
        findings(report, l, into: &out)
        if !report.askFor.isEmpty {
            out.append("<section><h2>\(Self.esc(l.askCustomerFor))</h2>")
            out.append(Self.list(report.askFor.map { Self.esc($0.value) }))
            out.append("</section>")
        }
        facts(report.facts, l, into: &out)
        timeline(report.timeline, l, into: &out)
        inventory(report.inputs, l, into: &out)
        trailer(report, l, into: &out)
        out += ["</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    private func findings(_ r: Report, _ l: Labels, into out: inout [String]) {
        out.append("<section>")
        if r.isHealthy {
            let headline = l.healthyHeadline(r)
            out.append("<p class=\"\(headline == l.noProblemFound ? "healthy" : "unsettled")\">\(Self.esc(headline))</p>")
            if !r.findings.isEmpty { out.append("<h2>\(Self.esc(l.otherObservations))</h2>") }
        } else {
            out.append("<h2>\(Self.esc(l.mostLikelyCause))</h2>")
        }
        for (i, group) in r.findingsByCause.enumerated() {
            let f = group.top
            out.append("<article class=\"finding sev-\(f.severity.rawValue)\">")
            out.append("<h3><span class=\"rank\">#\(i + 1)</span> <span class=\"sev\">\(f.severity.rawValue.uppercased())"
                       + " \(ReportFormat.confidence(f.confidence))</span> \(Self.esc(ReportFormat.oneLine(f.title.value, limit: 300)))"
                       + " <code>\(Self.esc(f.cause))</code></h3>")
            out.append("<p class=\"meta\">\(Self.esc(l.rule)) <code>\(Self.esc(f.rule))</code> · \(Self.esc(l.symptom))"
                       + " <code>\(Self.esc(f.symptom))</code>"
                       + (f.occurrences > 1 ? " · \(Self.esc(l.occurrences)) \(f.occurrences)" : "")
                       + callLinks(f.exchanges, r.timeline, l) + "</p>")
            if !f.message.isEmpty { out.append("<p class=\"message\">\(Self.esc(ReportFormat.printable(f.message.value)))</p>") }
            if !f.fix.isEmpty {
                out.append("<p class=\"fix\"><strong>\(Self.esc(l.fix)):</strong> \(Self.esc(ReportFormat.printable(f.fix.value)))</p>")
            }
            evidence(l.evidence, f.evidence, r.timeline, into: &out)
            evidence(l.evidenceAgainst, f.evidenceAgainst, r.timeline, into: &out)
            if !f.missing.isEmpty {
                out.append("<h4>\(Self.esc(l.askCustomerFor))</h4>")
                out.append(Self.list(f.missing.map { Self.esc($0.value) }))
            }
            if !f.supersedes.isEmpty {
                out.append("<p class=\"meta\">\(Self.esc(l.explains)): "
                           + f.supersedes.map { "<code>\(Self.esc($0))</code>" }.joined(separator: ", ") + "</p>")
            }
            if !group.others.isEmpty {
                out.append("<h4>\(Self.esc(l.alsoFoundSameCause))</h4>")
                out.append(Self.list(group.others.map {
                    "<span class=\"sev\">\($0.severity.rawValue.uppercased()) \(ReportFormat.confidence($0.confidence))</span> "
                        + "\(Self.esc(ReportFormat.oneLine($0.title.value, limit: 300))) <code>\(Self.esc($0.rule))</code>"
                }))
            }
            out.append("</article>")
        }
        out.append("</section>")
    }

    private func evidence(_ label: String, _ items: [Evidence], _ t: Timeline, into out: inout [String]) {
        guard !items.isEmpty else { return }
        out.append("<h4>\(Self.esc(label))</h4>")
        out.append(Self.list(items.map { e in
            let call = t.evidenceCalls[e.source].flatMap { Self.callLink($0, t) }.map { " " + $0 } ?? ""
            return "<code class=\"src\">\(Self.esc(e.source))</code>\(call) <code>\(Self.esc(ReportFormat.oneLine(e.excerpt.value, limit: excerptLimit)))</code>"
        }, cssClass: "evidence"))
    }

    /// ` · Calls #0 #1`: links to a finding's calls in the timeline (the first 12); empty
    /// without a timeline.
    private func callLinks(_ indexes: [Int], _ t: Timeline, _ l: Labels) -> String {
        guard !indexes.isEmpty, !t.rows.isEmpty else { return "" }
        let shown = indexes.prefix(12).map { Self.callLink($0, t) ?? "#\($0)" }
        let more = indexes.count > 12 ? " +\(indexes.count - 12)" : ""
        return " · \(Self.esc(l.calls)) " + shown.joined(separator: " ") + more
    }

    /// `#N` linking to the timeline row that shows call N; nil when the call is left out.
    private static func callLink(_ index: Int, _ t: Timeline) -> String? {
        t.row(of: index).map { "<a class=\"call\" href=\"#call-\($0.index)\">#\(index)</a>" }
    }

    /// Every call in order: number, time, method and URL, status or failure, model. Failed
    /// calls are marked by colour and by ✗; left-out calls are one line saying how many.
    private func timeline(_ t: Timeline, _ l: Labels, into out: inout [String]) {
        guard !t.rows.isEmpty else { return }
        let total = t.rows.reduce(0) { $0 + $1.count } + (t.omitted?.calls ?? 0)
        out.append("<section><h2>\(Self.esc(l.timeline))</h2>")
        out.append("<p class=\"meta\">\(Self.esc(l.timelineSummary(total)))"
                   + (t.rows.contains { $0.count > 1 } ? " \(Self.esc(l.timelineFolded))" : "") + "</p>")
        // One day for every call: the date goes in the header and the rows show the time of day.
        let days = Set(t.rows.flatMap { [$0.time, $0.lastTime] }.compactMap { $0.map { ReportFormat.iso8601($0).prefix(10) } })
        let day = days.count == 1 ? days.first.map { "<br><span class=\"none\">\($0)</span>" } ?? "" : ""
        out.append("<table class=\"timeline\">")
        out.append("<tr><th class=\"num\">#</th><th class=\"when\">\(Self.esc(l.time))\(day)</th><th>\(Self.esc(l.endpoint))</th>"
                   + "<th>\(Self.esc(l.statusOrError))</th><th>\(Self.esc(l.modelRequested))</th></tr>")
        for (i, row) in t.rows.enumerated() {
            if let gap = t.omitted, gap.position == i { out.append(omitted(gap, l)) }
            out.append(timelineRow(row, timeOfDay: days.count == 1))
        }
        if let gap = t.omitted, gap.position >= t.rows.count { out.append(omitted(gap, l)) }
        out.append("</table></section>")
    }

    private func timelineRow(_ row: TimelineRow, timeOfDay: Bool) -> String {
        let none = "<span class=\"none\">–</span>"
        func time(_ d: Date?) -> String {
            guard let d else { return none }
            let iso = ReportFormat.iso8601(d)
            let shown = timeOfDay ? String(iso.dropFirst(11).dropLast()) : iso
            return "<time datetime=\"\(iso)\">\(Self.esc(shown))</time>"
        }
        var number = "#\(row.index)"
        var when = time(row.time)
        if row.count > 1 {
            number += "–#\(row.index + row.count - 1)<br><span class=\"count\">×\(row.count)</span>"
            if let last = row.lastTime, last != row.time { when += " –<br>" + time(last) }
        }
        var request = [row.method.map { "<b>\(Self.esc(ReportFormat.oneLine($0.value, limit: 20)))</b>" }, row.url.map(Self.url)]
            .compactMap { $0 }.joined(separator: " ")
        request = request.isEmpty ? none : "<code>\(request)</code>"
        var status = row.status.map { code in "\(code)" + (row.statusText.map { " " + Self.esc(ReportFormat.oneLine($0.value, limit: 60)) } ?? "") }
            ?? row.failure.map(Self.esc) ?? none
        if row.failed { status = "✗ " + status }
        if let error = row.error, !error.isEmpty {
            status += "<br><span class=\"detail\">\(Self.esc(ReportFormat.oneLine(error.value, limit: 160)))</span>"
        }
        let model = row.model.map { "<code>\(Self.esc(ReportFormat.oneLine($0.value, limit: 120)))</code>" } ?? none
        return "<tr id=\"call-\(row.index)\"\(row.failed ? " class=\"failed\"" : "")><td class=\"num\">\(number)</td>"
            + "<td class=\"when\">\(when)</td><td>\(request)</td><td class=\"status\">\(status)</td><td>\(model)</td></tr>"
    }

    /// A URL as the facts show it, the scheme and host greyed so the paths line up to the eye;
    /// a long one wraps after a `/` or before a `?` rather than inside a word.
    private static func url(_ url: RedactedText) -> String {
        let text = ReportFormat.oneLine(url.value, limit: 300)
        let scheme = text.range(of: "://")
        let pathStart = scheme.map { s in text[s.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex }
            ?? text.startIndex
        let path = esc(String(text[pathStart...])).replacingOccurrences(of: "/", with: "/<wbr>")
            .replacingOccurrences(of: "?", with: "<wbr>?")
        return pathStart == text.startIndex ? path : "<span class=\"origin\">\(esc(String(text[..<pathStart])))</span>\(path)"
    }

    private func omitted(_ gap: OmittedCalls, _ l: Labels) -> String {
        let text = Self.esc(l.callsNotShown)
            .replacingOccurrences(of: "{n}", with: String(gap.calls))
            .replacingOccurrences(of: "{first}", with: String(gap.first))
            .replacingOccurrences(of: "{last}", with: String(gap.last))
            .replacingOccurrences(of: "{failed}", with: String(gap.failed))
            .replacingOccurrences(of: "{cmd}", with: "<code>modeldoctor exchanges</code>")
        return "<tr class=\"gap\"><td colspan=\"5\">\(text)</td></tr>"
    }

    private func facts(_ f: TicketFacts, _ l: Labels, into out: inout [String]) {
        let rows = f.rows(l)
        guard !rows.isEmpty else { return }
        out.append("<section><h2>\(Self.esc(l.ticketFacts))</h2>")
        out.append("<table class=\"facts\">")
        for row in rows {
            let values = row.values.map { "<code>\(Self.esc(ReportFormat.oneLine($0, limit: excerptLimit)))</code>" }
            out.append("<tr><th>\(Self.esc(row.label))</th><td>\(values.joined(separator: "<br>"))</td></tr>")
        }
        out.append("</table></section>")
    }

    private func inventory(_ inputs: [InventoryEntry], _ l: Labels, into out: inout [String]) {
        out.append("<section><h2>\(Self.esc(l.inventory))</h2>")
        guard !inputs.isEmpty else { out.append("<p>\(Self.esc(l.noInputs))</p></section>"); return }
        out.append("<table class=\"inventory\">")
        let header = [l.path, l.kind, l.format, l.bytes, l.exchanges, l.skippedLines]
        out.append("<tr>" + header.map { "<th>\(Self.esc($0))</th>" }.joined() + "</tr>")
        for e in inputs {
            let cells = ["<td><code>\(Self.esc(e.path))</code></td>", "<td>\(Self.esc(e.kind.rawValue))</td>",
                         "<td>\(Self.esc(e.format ?? "-"))</td>", "<td class=\"num\">\(e.bytes)</td>",
                         "<td class=\"num\">\(e.exchanges)</td>", "<td class=\"num\">\(e.skippedLines)</td>"]
            out.append("<tr>" + cells.joined() + "</tr>")
            var details: [String] = []
            if !e.compression.isEmpty { details.append("\(Self.esc(l.compression)): \(Self.esc(e.compression.joined(separator: ", ")))") }
            details += e.problems.map {
                "<span class=\"\($0.level.rawValue)\">\(Self.esc(l.level($0.level)))</span> <code>\(Self.esc($0.location))</code>: \(Self.esc(l.note($0.message)))"
            }
            details += e.skipped.map { "\(Self.esc(l.skipped)): \(Self.esc(l.note($0)))" }
            details += e.notes.map { "\(Self.esc(l.notes)): \(Self.esc(l.note($0)))" }
            if !details.isEmpty { out.append("<tr class=\"details\"><td colspan=\"6\">\(Self.list(details))</td></tr>") }
        }
        out.append("</table></section>")
    }

    private func trailer(_ r: Report, _ l: Labels, into out: inout [String]) {
        if !r.notEvaluated.isEmpty {
            out.append("<section><h2>\(Self.esc(l.notEvaluated))</h2>")
            if !verbose { out.append("<p>\(Self.esc(l.notEvaluatedSummary(r.notEvaluated.count)))</p>") }
            if verbose { out.append(Self.list(r.notEvaluated.map {
                "<code>\(Self.esc($0.rule))</code> (<code>\(Self.esc($0.cause))</code>): \(Self.esc(l.note($0.reason)))"
            })) }
            out.append("</section>")
        }
        if !r.rulePacks.isEmpty {
            out.append("<section><h2>\(Self.esc(l.rulePacks))</h2>")
            out.append(Self.list(r.rulePacks.map {
                "<code>\(Self.esc($0.name))</code> \(Self.esc($0.version)), sha256 <code>\(Self.esc(String($0.sha256.prefix(12))))</code>,"
                    + " \($0.rules) \(Self.esc(l.rules)), <code>\(Self.esc(ReportFormat.displayPath($0.path)))</code>"
            }))
            out.append("</section>")
        }
        out.append("<section><h2>\(Self.esc(l.redaction))</h2>")
        // This page shows the timeline too, and counts what was redacted in it.
        let s = r.redaction.adding(r.timeline.redaction)
        if s.total == 0 {
            out.append("<p>\(Self.esc(l.redactedNothing))</p>")
        } else {
            out.append("<p>\(s.total) \(Self.esc(l.redactedValues)): "
                       + s.sortedByKind.map { "<code>\(Self.esc($0.key))</code> \($0.value)" }.joined(separator: ", ") + "</p>")
            if !s.byFile.isEmpty {
                out.append("<p>\(Self.esc(l.byFile)): "
                           + s.sortedByFile.map { "<code>\(Self.esc($0.key))</code> \($0.value)" }.joined(separator: ", ") + "</p>")
            }
        }
        out.append("</section>")
    }

    /// `<ul>` of items that are already HTML.
    private static func list(_ items: [String], cssClass: String? = nil) -> String {
        let open = cssClass.map { "<ul class=\"\($0)\">" } ?? "<ul>"
        return open + items.map { "<li>\($0)</li>" }.joined() + "</ul>"
    }

    /// Text escaped for element content and quoted attribute values; control characters
    /// other than line breaks become spaces.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "\n"
            default:
                if scalar.properties.generalCategory == .control { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private static let css = """
    body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
    h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}\
    h3{font-size:1.05rem;margin:.2rem 0}h4{font-size:.95rem;margin:.8rem 0 .2rem}\
    code{font:13px ui-monospace,monospace;background:#f3f3f3;padding:0 .2rem;border-radius:3px;word-break:break-all}\
    .banner{background:#b00020;color:#fff;font-weight:bold;padding:.5rem 1rem}\
    .healthy{background:#e7f6ea;border-left:4px solid #2e7d32;padding:.5rem 1rem;font-weight:bold}\
    .unsettled{background:#fff4e5;border-left:4px solid #b26a00;padding:.5rem 1rem;font-weight:bold}\
    .finding{border-left:4px solid #999;padding:.2rem 1rem;margin:1rem 0;background:#fafafa}\
    .sev-critical,.sev-high{border-color:#b00020}.sev-medium{border-color:#e08e00}.sev-low{border-color:#1e88e5}\
    .sev{font-weight:bold;font-size:.85rem}.rank{color:#666}.meta{color:#555;font-size:.9rem;margin:.2rem 0}\
    .message,.fix{white-space:pre-wrap}ul.evidence{list-style:none;padding-left:.5rem}.src{background:#e8eef7}\
    table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\
    td.num{text-align:right}tr.details td{background:#fcfcfc;font-size:.9rem}tr.details ul{margin:0;padding-left:1.2rem}\
    .error{color:#b00020;font-weight:bold}.warning{color:#a05a00;font-weight:bold}\
    .timeline{font-size:.9rem}.timeline code{word-break:normal;overflow-wrap:anywhere}.timeline .num,.timeline .when{white-space:nowrap}.origin,.none{color:#777}\
    .count{font-weight:bold}.detail{color:#555;font-size:.85rem}\
    tr.failed td{background:#fdecee}tr.failed td:first-child{border-left:4px solid #b00020}\
    tr.failed td.status{color:#b00020;font-weight:bold}tr.failed .detail{font-weight:normal}\
    tr.gap td{text-align:center;font-style:italic;background:#f3f3f3}tr:target td{background:#fff3c4}\
    a.call{font:13px ui-monospace,monospace;color:#1e5bb8;text-decoration:none}a.call:hover{text-decoration:underline}
    """
}
