import DoctorModel

/// The triage as Markdown: the rows as a table, then the roll-up as lists, for an issue or
/// a wiki page. Bundle text is escaped so it cannot add links, HTML or table cells.
public struct TriageMarkdownRenderer: TriageRenderer {
    public init() {}

    public func render(_ report: TriageReport) -> String {
        var out: [String] = ["# \(report.tool) triage: \(report.rows.count) ticket(s)", ""]
        if report.unredacted { out += ["**\(TriageColumns.Heading.unredacted)**", ""] }
        out.append("| " + TriageColumns.headers.joined(separator: " | ") + " |")
        out.append("|" + String(repeating: "---|", count: TriageColumns.headers.count))
        for r in report.rows {
            let cells = TriageColumns.cells(r, empty: "-").map { MarkdownRenderer.cell(MarkdownRenderer.text($0)) }
            out.append("| " + cells.joined(separator: " | ") + " |")
        }
        out.append("")
        let r = report.rollup
        out += ["## Roll-up: \(r.tickets) ticket(s), \(r.withProblems) with input problems", ""]
        section(TriageColumns.Heading.byCause, r.byCause.map { (MarkdownRenderer.code($0.cause), $0.count) }, into: &out)
        section(TriageColumns.Heading.notFound, r.notFound.map {
            (MarkdownRenderer.code($0.model.value)
             + ($0.suggestions.isEmpty ? "" : " → " + $0.suggestions.map { MarkdownRenderer.text($0.value) }.joined(separator: " / ")), $0.count)
        }, into: &out)
        section(TriageColumns.Heading.errors, r.errors.map { (MarkdownRenderer.text($0.text.value), $0.count) }, into: &out)
        section(TriageColumns.Heading.baseURL, r.baseURLMistakes.map {
            (MarkdownRenderer.code($0.host?.value ?? "(host unknown)") + " " + MarkdownRenderer.code($0.cause), $0.count)
        }, into: &out)
        section(TriageColumns.Heading.perDay, r.perDay.map { ($0.day, $0.count) } + (r.undated > 0 ? [("undated", r.undated)] : []), into: &out)
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    private func section(_ title: String, _ items: [(String, Int)], into out: inout [String]) {
        out += ["### \(title)", ""]
        if items.isEmpty { out.append("(none)") }
        for (text, count) in items { out.append("- \(count) × \(text)") }
        out.append("")
    }
}
