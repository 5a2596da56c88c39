import DoctorModel

/// The triage as one self-contained HTML page: the rows table, the roll-up, and an inline
/// SVG bar chart of tickets per cause.
///
/// Inline CSS and SVG only: no script, no external stylesheet, font or image, so the page
/// opens offline and cannot call out. Every text is HTML-escaped.
public struct TriageHTMLRenderer: TriageRenderer {
    public init() {}

    public func render(_ report: TriageReport) -> String {
        let esc = HTMLRenderer.esc
        let title = esc("\(report.tool) triage: \(report.rows.count) ticket(s)")
        var out: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(title)</title>", "<style>\(Self.css)</style>", "</head>", "<body>", "<h1>\(title)</h1>",
        ]
        if report.unredacted { out.append("<p class=\"banner\">\(esc(TriageColumns.Heading.unredacted))</p>") }
        let r = report.rollup
        out.append("<section><h2>\(esc(TriageColumns.Heading.byCause))</h2>")
        out.append(Self.chart(r.byCause))
        out.append("</section>")
        out.append("<section><h2>Tickets</h2><table>")
        out.append("<tr>" + TriageColumns.headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr>")
        for row in report.rows {
            let cls = row.problem == nil ? "" : " class=\"problem\""
            out.append("<tr\(cls)>" + TriageColumns.cells(row, empty: "").map { "<td>\(esc($0))</td>" }.joined() + "</tr>")
        }
        out.append("</table></section>")
        out.append("<section><h2>Roll-up: \(r.tickets) ticket(s), \(r.withProblems) with input problems</h2>")
        table(TriageColumns.Heading.notFound, ["model", "what a finding says to use", "tickets"],
              r.notFound.map { [$0.model.value, $0.suggestions.map(\.value).joined(separator: " / "), String($0.count)] }, into: &out)
        table(TriageColumns.Heading.errors, ["error text", "tickets"], r.errors.map { [$0.text.value, String($0.count)] }, into: &out)
        table(TriageColumns.Heading.baseURL, ["host", "cause", "tickets"],
              r.baseURLMistakes.map { [$0.host?.value ?? "(host unknown)", $0.cause, String($0.count)] }, into: &out)
        table(TriageColumns.Heading.perDay, ["day", "tickets"],
              r.perDay.map { [$0.day, String($0.count)] } + (r.undated > 0 ? [["undated", String(r.undated)]] : []), into: &out)
        out += ["</section>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    private func table(_ title: String, _ headers: [String], _ rows: [[String]], into out: inout [String]) {
        let esc = HTMLRenderer.esc
        out.append("<h3>\(esc(title))</h3>")
        guard !rows.isEmpty else { out.append("<p>(none)</p>"); return }
        out.append("<table><tr>" + headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr>")
        for row in rows {
            out.append("<tr>" + row.enumerated().map { i, cell in
                i == row.count - 1 ? "<td class=\"num\">\(esc(cell))</td>" : "<td>\(esc(cell))</td>"
            }.joined() + "</tr>")
        }
        out.append("</table>")
    }

    /// A horizontal bar per cause, longest bar for the largest count.
    static func chart(_ causes: [TriageRollup.CauseCount]) -> String {
        guard let top = causes.map(\.count).max(), top > 0 else { return "<p>(none)</p>" }
        let esc = HTMLRenderer.esc
        let bar = 22, label = 240, width = 400
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"tickets per cause\" "
                   + "width=\"\(label + width + 60)\" height=\"\(causes.count * bar + 4)\">"]
        for (i, c) in causes.enumerated() {
            let y = i * bar + 2
            let w = max(1, c.count * width / top)
            svg.append("<text x=\"\(label - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(esc(c.cause))</text>")
            svg.append("<rect x=\"\(label)\" y=\"\(y)\" width=\"\(w)\" height=\"\(bar - 4)\" class=\"\(Self.barClass(c.cause))\"/>")
            svg.append("<text x=\"\(label + w + 6)\" y=\"\(y + 15)\">\(c.count)</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    private static func barClass(_ cause: String) -> String {
        cause == TriageRow.noCause ? "bar none" : cause == TriageRow.unreadableCause ? "bar unreadable" : "bar"
    }

    private static let css = """
    body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}h1{font-size:1.4rem}\
    h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1rem}\
    table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:left;vertical-align:top}\
    td{max-width:28rem;overflow-wrap:anywhere}td.num{text-align:right}tr.problem td{background:#fdecee}\
    .banner{background:#b00020;color:#fff;font-weight:bold;padding:.5rem 1rem}\
    svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}.bar{fill:#1e88e5}.bar.none{fill:#2e7d32}.bar.unreadable{fill:#b00020}
    """
}
