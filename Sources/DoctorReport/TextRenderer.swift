import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// Renders the report for people at a terminal (the default format).
///
/// Order: header (and the UNREDACTED banner), the ranked findings with fix, evidence and
/// what to ask for, the ticket facts, the inventory of input files with their problems, then
/// rules not evaluated, rule packs and the redaction summary. Every line fits `width` columns
/// (`TextWrap`: CJK counts two, redaction marks stay whole, long URLs are cut): wrapped lines
/// hang under the start of their text, so evidence, facts and notes stay readable as columns.
/// Excerpts are cut to `excerptLimit` characters with `…` first. Bundle text is stripped of
/// control characters so it cannot drive the terminal. Colour only when `colour` is set
/// (the CLI sets it for a terminal without `NO_COLOR`, see `Terminal`).
public struct TextRenderer: ReportRenderer {
    /// Adds ANSI colour to severities, headings and the UNREDACTED banner.
    public var colour: Bool
    /// Columns no line may exceed (the terminal's width, 100 when not a terminal).
    public var width: Int
    /// Characters kept of one evidence excerpt.
    public var excerptLimit: Int
    /// Lists every rule not evaluated and why; otherwise one line counts them.
    public var verbose: Bool

    /// The narrowest width honoured; below it, lines would hold a word or two.
    public static let minimumWidth = 40

    public init(colour: Bool = false, width: Int = 100, excerptLimit: Int = 160, verbose: Bool = false) {
        self.colour = colour; self.width = max(Self.minimumWidth, width); self.excerptLimit = excerptLimit
        self.verbose = verbose
    }

    public func render(_ report: Report) -> String {
        let l = Labels.of(report.lang)
        var out: [String] = []
        out.append(paint("\(report.tool) \(l.report)", .bold))
        if report.unredacted { out.append(paint("!! \(l.unredactedBanner) !!", .banner)) }
        out.append("")
        findings(report, l, into: &out)
        if !report.askFor.isEmpty {
            heading(l.askCustomerFor, into: &out)
            for item in report.askFor { bullet(item.value, indent: 2, into: &out) }
            out.append("")
        }
        facts(report.facts, l, into: &out)
        inventory(report.inputs, l, into: &out)
        trailer(report, l, into: &out)
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    private func findings(_ r: Report, _ l: Labels, into out: inout [String]) {
        if r.isHealthy {
            let headline = l.healthyHeadline(r)
            block(paint(headline, headline == l.noProblemFound ? .good : .warn), hang: 0, into: &out)
            out.append("")
            guard !r.findings.isEmpty else { return }
            heading(l.otherObservations, into: &out)
        } else {
            heading(l.mostLikelyCause, into: &out)
        }
        for (i, group) in r.findingsByCause.enumerated() {
            finding(group.top, rank: i + 1, l, into: &out)
            if !group.others.isEmpty {
                out.append("   \(l.alsoFoundSameCause):")
                for f in group.others {
                    let tag = paint("[\(f.severity.rawValue.uppercased()) \(ReportFormat.confidence(f.confidence))]", Style(severity: f.severity))
                    block("\(tag) \(ReportFormat.oneLine(f.title.value, limit: 200)) (\(f.rule))", prefix: "     - ", hang: 7, into: &out)
                }
            }
            out.append("")
        }
    }

    private func finding(_ f: Finding, rank: Int, _ l: Labels, into out: inout [String]) {
        let tag = paint("[\(f.severity.rawValue.uppercased()) \(ReportFormat.confidence(f.confidence))]",
                        Style(severity: f.severity))
        let title = ReportFormat.oneLine(f.title.value, limit: 200)
        block("#\(rank) \(tag) \(paint(title, .bold)) (\(f.cause))", hang: 3, into: &out)
        if !f.message.isEmpty { prose(f.message.value, indent: 3, into: &out) }
        if !f.fix.isEmpty { prose("\(l.fix): \(f.fix.value)", indent: 3, into: &out) }
        evidenceBlock(l.evidence, f.evidence, into: &out)
        evidenceBlock(l.evidenceAgainst, f.evidenceAgainst, into: &out)
        if !f.missing.isEmpty {
            out.append("   \(l.askCustomerFor):")
            for m in f.missing { bullet(m.value, indent: 5, into: &out) }
        }
        if !f.supersedes.isEmpty { block("\(l.explains): \(f.supersedes.joined(separator: ", "))", prefix: "   ", hang: 5, into: &out) }
        if f.occurrences > 1 { block("\(l.occurrences): \(f.occurrences)", prefix: "   ", hang: 5, into: &out) }
    }

    private func evidenceBlock(_ label: String, _ items: [Evidence], into out: inout [String]) {
        guard !items.isEmpty else { return }
        out.append("   \(label):")
        let sources = items.map { ReportFormat.oneLine($0.source, limit: 200) }
        let sourceWidth = sources.map(ReportFormat.displayWidth).max() ?? 0
        // Excerpts hang under their own column; when the sources are so wide that the column
        // would be a sliver, each excerpt goes under its source instead.
        let beside = 5 + sourceWidth + 2 <= width * 2 / 5
        for (source, e) in zip(sources, items) {
            let excerpt = ReportFormat.oneLine(e.excerpt.value, limit: excerptLimit)
            if beside {
                block(excerpt, prefix: "     \(pad(source, sourceWidth))  ", hang: 5 + sourceWidth + 2, into: &out)
            } else {
                block(source, prefix: "     ", hang: 7, into: &out)
                block(excerpt, prefix: "       ", hang: 7, into: &out)
            }
        }
    }

    private func facts(_ f: TicketFacts, _ l: Labels, into out: inout [String]) {
        let rows = f.rows(l)
        guard !rows.isEmpty else { return }
        heading(l.ticketFacts, into: &out)
        let labelWidth = rows.map { ReportFormat.displayWidth($0.label) }.max() ?? 0
        for row in rows {
            for (i, value) in row.values.enumerated() {
                let label = i == 0 ? row.label : ""
                block(ReportFormat.oneLine(value, limit: excerptLimit), prefix: "  " + pad(label, labelWidth) + "  ",
                      hang: labelWidth + 4, into: &out)
            }
        }
        out.append("")
    }

    private func inventory(_ inputs: [InventoryEntry], _ l: Labels, into out: inout [String]) {
        heading(l.inventory, into: &out)
        guard !inputs.isEmpty else { out.append("  \(l.noInputs)"); out.append(""); return }
        let header = [l.path, l.kind, l.format, l.bytes, l.exchanges, l.skippedLines]
        let rows = inputs.map { e in
            [ReportFormat.oneLine(e.path, limit: 200), e.kind.rawValue, e.format ?? "-",
             String(e.bytes), String(e.exchanges), String(e.skippedLines)]
        }
        var widths = header.map(ReportFormat.displayWidth)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], ReportFormat.displayWidth(cell)) } }
        // Too wide for the terminal: narrow the path column, and give a longer path a line of
        // its own above the rest of its row. When even that does not fit, list the files one
        // under another with their numbers labelled.
        let others = widths.dropFirst().reduce(0, +) + 2 * (widths.count - 1) + 2
        let tabular = others + 12 <= width
        widths[0] = min(widths[0], max(12, width - others))
        func line(_ cells: [String]) -> String {
            let parts = cells.enumerated().map { i, cell in i >= 3 ? pad(cell, widths[i], right: true) : pad(cell, widths[i]) }
            return "  " + trimTrailing(parts.joined(separator: "  "))
        }
        if tabular { out.append(paint(line(header), .bold)) }
        for (e, row) in zip(inputs, rows) {
            if !tabular {
                block(row[0], prefix: "  ", hang: 4, into: &out)
                let fields = zip(header.dropFirst(), row.dropFirst()).map { "\($0): \($1)" }
                block(fields.joined(separator: ", "), prefix: "      ", hang: 8, into: &out)
            } else if ReportFormat.displayWidth(row[0]) > widths[0] {
                block(row[0], prefix: "  ", hang: 4, into: &out)
                out.append(line([""] + row.dropFirst()))
            } else {
                out.append(line(row))
            }
            if !e.compression.isEmpty { block("\(l.compression): \(e.compression.joined(separator: ", "))", prefix: "      ", hang: 8, into: &out) }
            for p in e.problems {
                let text = "\(l.level(p.level)) \(p.location): \(l.note(p.message))"
                block(paint(ReportFormat.oneLine(text, limit: 240), p.level == .error ? .bad : .warn), prefix: "      ", hang: 8, into: &out)
            }
            for s in e.skipped { block("\(l.skipped): \(ReportFormat.oneLine(l.note(s), limit: 240))", prefix: "      ", hang: 8, into: &out) }
            for n in e.notes { block("\(l.notes): \(ReportFormat.oneLine(l.note(n), limit: 240))", prefix: "      ", hang: 8, into: &out) }
        }
        out.append("")
    }

    private func trailer(_ r: Report, _ l: Labels, into out: inout [String]) {
        if !r.notEvaluated.isEmpty {
            heading(l.notEvaluated, into: &out)
            if !verbose { block(l.notEvaluatedSummary(r.notEvaluated.count), prefix: "  ", hang: 4, into: &out) }
            for n in r.notEvaluated where verbose { block("\(n.rule) (\(n.cause)): \(ReportFormat.oneLine(l.note(n.reason), limit: 240))", prefix: "  ", hang: 4, into: &out) }
            out.append("")
        }
        if !r.rulePacks.isEmpty || !r.problems.isEmpty {
            heading(l.rulePacks, into: &out)
            for p in r.rulePacks {
                block("\(p.name) \(p.version) sha256:\(p.sha256.prefix(12)) (\(p.rules) \(l.rules))  \(ReportFormat.displayPath(p.path))",
                      prefix: "  ", hang: 4, into: &out)
            }
            // Refused packs and catalogs: the report must show what it was made without.
            for p in r.problems {
                let text = "\(p.level.rawValue) \(p.location): \(p.message)"
                block(paint(ReportFormat.oneLine(text, limit: 240), p.level == .error ? .bad : .warn), prefix: "  ", hang: 4, into: &out)
            }
            out.append("")
        }
        heading(l.redaction, into: &out)
        let s = r.redaction
        if s.total == 0 {
            out.append("  \(l.redactedNothing)")
        } else {
            let kinds = s.sortedByKind.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            block("\(s.total) \(l.redactedValues): \(kinds)", prefix: "  ", hang: 4, into: &out)
            if !s.byFile.isEmpty {
                block("\(l.byFile): " + s.sortedByFile.map { "\($0.key) \($0.value)" }.joined(separator: ", "), prefix: "  ", hang: 4, into: &out)
            }
        }
    }

    // MARK: Helpers

    private func heading(_ title: String, into out: inout [String]) {
        block(paint(title, .bold), hang: 0, into: &out)
        out.append(String(repeating: "-", count: min(width, ReportFormat.displayWidth(title))))
    }

    /// One logical line, wrapped: `prefix` + `text` on the first line, `hang` spaces before
    /// every later one.
    private func block(_ text: String, prefix: String = "", hang: Int, into out: inout [String]) {
        out += TextWrap.lines(text, prefix: prefix, hang: hang, width: width)
    }

    /// Prose from rule packs or the bundle: its own line breaks kept, every line indented.
    private func prose(_ text: String, indent: Int, into out: inout [String]) {
        let margin = String(repeating: " ", count: indent)
        out += TextWrap.lines(ReportFormat.printable(text), prefix: margin, hang: indent, width: width)
    }

    private func bullet(_ text: String, indent: Int, into out: inout [String]) {
        let margin = String(repeating: " ", count: indent)
        let text = ReportFormat.printable(text).split(separator: "\n").joined(separator: " ")
        out += TextWrap.lines(text, prefix: margin + "- ", hang: indent + 2, width: width)
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - ReportFormat.displayWidth(s)))
        return right ? fill + s : s + fill
    }

    private func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    private enum Style {
        case bold, banner, bad, warn, info, dim, good
        init(severity: Severity) {
            switch severity {
            case .critical, .high: self = .bad
            case .medium: self = .warn
            case .low: self = .info
            case .info: self = .dim
            }
        }
        var code: String {
            switch self {
            case .bold: return "1"
            case .banner: return "1;41;97"
            case .bad: return "1;31"
            case .warn: return "33"
            case .info: return "36"
            case .dim: return "2"
            case .good: return "32"
            }
        }
    }

    private func paint(_ s: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.code)m\(s)\u{1B}[0m" : s
    }
}
