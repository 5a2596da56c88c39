import DoctorModel

/// The triage as a table for a terminal, then the roll-up.
///
/// Columns are as wide as their longest cell up to a cap; longer cells are cut with `…`.
/// Widths count East Asian characters as two columns. Bundle text is put on one line with
/// control characters removed, so it cannot drive the terminal.
public struct TriageTextRenderer: TriageRenderer {
    /// Widest a column gets, by column (see `TriageColumns.headers`).
    public var caps = [48, 28, 10, 44, 16, 24, 32, 24, 24, 10, 60]

    public init() {}

    public func render(_ report: TriageReport) -> String {
        var out: [String] = []
        out.append("\(report.tool) triage: \(report.rows.count) ticket(s)")
        if report.unredacted { out.append("!! \(TriageColumns.Heading.unredacted) !!") }
        out.append("")
        let table = [TriageColumns.headers] + report.rows.map { TriageColumns.cells($0, empty: "-") }
            .map { $0.enumerated().map { ReportFormat.oneLine($0.element, limit: caps[$0.offset]) } }
        var widths = Array(repeating: 0, count: TriageColumns.headers.count)
        for line in table { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], ReportFormat.displayWidth(cell)) } }
        for line in table { out.append(row(line, widths)) }
        out.append("")
        rollup(report.rollup, into: &out)
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    private func row(_ cells: [String], _ widths: [Int]) -> String {
        var s = ""
        for (i, cell) in cells.enumerated() {
            let isLast = i == cells.count - 1
            s += cell
            if !isLast { s += String(repeating: " ", count: widths[i] - ReportFormat.displayWidth(cell) + 2) }
        }
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    private func rollup(_ r: TriageRollup, into out: inout [String]) {
        out.append("Roll-up: \(r.tickets) ticket(s), \(r.withProblems) with input problems")
        out.append("")
        section(TriageColumns.Heading.byCause, r.byCause.map { ($0.cause, $0.count) }, into: &out)
        section(TriageColumns.Heading.notFound, r.notFound.map {
            ($0.model.value + ($0.suggestions.isEmpty ? "" : "  → " + $0.suggestions.map(\.value).joined(separator: " / ")), $0.count)
        }, into: &out)
        section(TriageColumns.Heading.errors, r.errors.map { ($0.text.value, $0.count) }, into: &out)
        section(TriageColumns.Heading.baseURL, r.baseURLMistakes.map { (($0.host?.value ?? "(host unknown)") + "  " + $0.cause, $0.count) }, into: &out)
        section(TriageColumns.Heading.perDay, r.perDay.map { ($0.day, $0.count) } + (r.undated > 0 ? [("undated", r.undated)] : []), into: &out)
    }

    /// A heading and `count  text` lines, counts right-aligned; `(none)` when empty.
    private func section(_ title: String, _ items: [(String, Int)], into out: inout [String]) {
        out.append(title)
        if items.isEmpty { out.append("  (none)") }
        let w = items.map { String($0.1).count }.max() ?? 0
        for (text, count) in items {
            let n = String(count)
            out.append("  " + String(repeating: " ", count: w - n.count) + n + "  " + ReportFormat.oneLine(text, limit: 200))
        }
        out.append("")
    }
}
