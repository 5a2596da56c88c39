import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// Renders the report as a ticket-reply draft in GitHub-flavoured Markdown.
///
/// Same content and order as the text report: headings per section, one sub-heading per
/// ranked finding, tables for the ticket facts and the inventory. Bundle text in prose is
/// backslash-escaped so it cannot turn into markup or HTML; excerpts and values go into code
/// spans with a fence longer than any backtick run inside, and pipes are escaped in tables.
public struct MarkdownRenderer: ReportRenderer {
    /// Characters kept of one evidence excerpt.
    public var excerptLimit: Int
    /// Lists every rule not evaluated and why; otherwise one line counts them.
    public var verbose: Bool

    public init(excerptLimit: Int = 200, verbose: Bool = false) { self.excerptLimit = excerptLimit; self.verbose = verbose }

    public func render(_ report: Report) -> String {
        let l = Labels.of(report.lang)
        var out: [String] = ["# \(Self.text("\(report.tool) \(l.report)"))", ""]
        if report.unredacted { out += ["> **\(Self.text(l.unredactedBanner))**", ""] }
        findings(report, l, into: &out)
        if !report.askFor.isEmpty {
            out += ["## \(Self.text(l.askCustomerFor))", ""]
            out += report.askFor.map { "- " + Self.text($0.value, lineStart: true) }
            out.append("")
        }
        facts(report.facts, l, into: &out)
        inventory(report.inputs, l, into: &out)
        trailer(report, l, into: &out)
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    private func findings(_ r: Report, _ l: Labels, into out: inout [String]) {
        if r.isHealthy {
            out += ["**\(Self.text(l.healthyHeadline(r)))**", ""]
            guard !r.findings.isEmpty else { return }
            out += ["## \(Self.text(l.otherObservations))", ""]
        } else {
            out += ["## \(Self.text(l.mostLikelyCause))", ""]
        }
        for (i, group) in r.findingsByCause.enumerated() {
            let f = group.top
            out += ["### \(i + 1). \(Self.text(f.title.value)) (\(Self.code(f.cause)))", ""]
            out += ["**\(f.severity.rawValue.uppercased())** · \(l.confidence) \(ReportFormat.confidence(f.confidence))"
                    + " · \(l.rule) \(Self.code(f.rule)) · \(l.symptom) \(Self.code(f.symptom))", ""]
            if !f.message.isEmpty { out += [Self.text(f.message.value, lineStart: true), ""] }
            if !f.fix.isEmpty { out += ["**\(Self.text(l.fix)):** \(Self.text(f.fix.value))", ""] }
            evidence(l.evidence, f.evidence, into: &out)
            evidence(l.evidenceAgainst, f.evidenceAgainst, into: &out)
            if !f.missing.isEmpty {
                out += ["**\(Self.text(l.askCustomerFor))**", ""]
                out += f.missing.map { "- " + Self.text($0.value, lineStart: true) }
                out.append("")
            }
            var extra: [String] = []
            if !f.supersedes.isEmpty { extra.append("\(Self.text(l.explains)): " + f.supersedes.map(Self.code).joined(separator: ", ")) }
            if f.occurrences > 1 { extra.append("\(Self.text(l.occurrences)): \(f.occurrences)") }
            if !extra.isEmpty { out += [extra.joined(separator: " · "), ""] }
            if !group.others.isEmpty {
                out += ["**\(Self.text(l.alsoFoundSameCause))**", ""]
                out += group.others.map {
                    "- **\($0.severity.rawValue.uppercased())** \(ReportFormat.confidence($0.confidence)) "
                        + "\(Self.text($0.title.value)) (\(Self.code($0.rule)))"
                }
                out.append("")
            }
        }
    }

    private func evidence(_ label: String, _ items: [Evidence], into out: inout [String]) {
        guard !items.isEmpty else { return }
        out += ["**\(Self.text(label))**", ""]
        for e in items {
            out.append("- \(Self.code(e.source)) \(Self.code(ReportFormat.oneLine(e.excerpt.value, limit: excerptLimit)))")
        }
        out.append("")
    }

    private func facts(_ f: TicketFacts, _ l: Labels, into out: inout [String]) {
        let rows = f.rows(l)
        guard !rows.isEmpty else { return }
        out += ["## \(Self.text(l.ticketFacts))", "", "| \(Self.cell(l.fact)) | \(Self.cell(l.value)) |", "|---|---|"]
        for row in rows {
            let values = row.values.map { Self.cell(Self.code(ReportFormat.oneLine($0, limit: excerptLimit))) }
            out.append("| \(Self.cell(row.label)) | \(values.joined(separator: "<br>")) |")
        }
        out.append("")
    }

    private func inventory(_ inputs: [InventoryEntry], _ l: Labels, into out: inout [String]) {
        out += ["## \(Self.text(l.inventory))", ""]
        guard !inputs.isEmpty else { out += [Self.text(l.noInputs, lineStart: true), ""]; return }
        let header = [l.path, l.kind, l.format, l.bytes, l.exchanges, l.skippedLines].map(Self.cell)
        out.append("| " + header.joined(separator: " | ") + " |")
        out.append("|---|---|---|--:|--:|--:|")
        for e in inputs {
            let cells = [Self.code(e.path), Self.code(e.kind.rawValue), e.format.map(Self.code) ?? "-",
                         String(e.bytes), String(e.exchanges), String(e.skippedLines)]
            out.append("| " + cells.map(Self.cell).joined(separator: " | ") + " |")
        }
        out.append("")
        var details: [String] = []
        for e in inputs {
            if !e.compression.isEmpty {
                details.append("- \(Self.code(e.path)): \(Self.text(l.compression)) \(e.compression.map(Self.code).joined(separator: ", "))")
            }
            for p in e.problems {
                details.append("- **\(Self.text(l.level(p.level)))** \(Self.code(p.location)): \(Self.text(l.note(p.message)))")
            }
            for s in e.skipped { details.append("- \(Self.code(e.path)): \(Self.text(l.skipped)): \(Self.text(l.note(s)))") }
            for n in e.notes { details.append("- \(Self.code(e.path)): \(Self.text(l.notes)): \(Self.text(l.note(n)))") }
        }
        if !details.isEmpty { out += details + [""] }
    }

    private func trailer(_ r: Report, _ l: Labels, into out: inout [String]) {
        if !r.notEvaluated.isEmpty {
            out += ["## \(Self.text(l.notEvaluated))", ""]
            if !verbose { out.append(Self.text(l.notEvaluatedSummary(r.notEvaluated.count), lineStart: true)) }
            out += r.notEvaluated.filter { _ in verbose }.map { "- \(Self.code($0.rule)) (\(Self.code($0.cause))): \(Self.text(l.note($0.reason)))" }
            out.append("")
        }
        if !r.rulePacks.isEmpty {
            out += ["## \(Self.text(l.rulePacks))", ""]
            out += r.rulePacks.map {
                "- \(Self.code($0.name)) \(Self.text($0.version)), sha256 \(Self.code(String($0.sha256.prefix(12)))),"
                    + " \($0.rules) \(Self.text(l.rules)), \(Self.code(ReportFormat.displayPath($0.path)))"
            }
            out.append("")
        }
        out += ["## \(Self.text(l.redaction))", ""]
        let s = r.redaction
        if s.total == 0 {
            out.append(Self.text(l.redactedNothing, lineStart: true))
        } else {
            out.append("\(s.total) \(Self.text(l.redactedValues)): "
                       + s.sortedByKind.map { "\(Self.code($0.key)) \($0.value)" }.joined(separator: ", "))
            if !s.byFile.isEmpty {
                out += ["", "\(Self.text(l.byFile)): " + s.sortedByFile.map { "\(Self.code($0.key)) \($0.value)" }.joined(separator: ", ")]
            }
        }
    }

    // MARK: Escaping

    /// Prose on one line with every Markdown-active ASCII character backslash-escaped.
    ///
    /// - Parameter lineStart: the text begins a line (a paragraph or a list item), where a
    ///   leading `-`, `+`, `=` or `1.` would start a list or a heading underline.
    static func text(_ s: String, lineStart: Bool = false) -> String {
        var out = ""
        for ch in ReportFormat.oneLine(s, limit: Int.max) {
            if "\\`*_[]<>|#~&!{}".contains(ch) || (lineStart && out.isEmpty && "-+=".contains(ch)) { out.append("\\") }
            out.append(ch)
        }
        return lineStart ? escapeOrderedListStart(out) : out
    }

    /// `1. text` at the start of a line would become a list; escape its dot.
    private static func escapeOrderedListStart(_ s: String) -> String {
        let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count < 10 else { return s }
        let rest = s.dropFirst(digits.count)
        guard let next = rest.first, next == "." || next == ")" else { return s }
        return digits + "\\" + rest
    }

    /// A code span holding `s` literally: the fence is one backtick longer than the longest
    /// run inside, and a space pads content that starts or ends with a backtick.
    static func code(_ s: String) -> String {
        let content = ReportFormat.oneLine(s, limit: Int.max)
        var longest = 0, run = 0
        for ch in content { run = ch == "`" ? run + 1 : 0; longest = max(longest, run) }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") || content.isEmpty ? " " : ""
        return fence + pad + content + pad + fence
    }

    /// Table-cell text: a pipe would end the cell even inside a code span, so it is escaped.
    static func cell(_ s: String) -> String {
        var out = ""
        var previous: Character?
        for ch in s {
            if ch == "|" && previous != "\\" { out.append("\\") }
            out.append(ch); previous = ch
        }
        return out
    }
}
