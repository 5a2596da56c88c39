import DoctorModel

/// Turns a batch triage (rows and roll-up) into the text of one output format.
///
/// Like `ReportRenderer`: renderers only read, everything from bundles is already
/// `RedactedText`, output is deterministic (rows come sorted, roll-up lists are in a total
/// order), and the executable passes the result through `Redactor.gate(_:)` before writing.
public protocol TriageRenderer: Sendable {
    /// The whole output as one string, ending with a newline.
    func render(_ report: TriageReport) -> String
}

/// The output formats of `modeldoctor triage`, one renderer file each.
///
/// `text` is a table for a terminal, `csv` for a spreadsheet, `jsonl` for machines and for
/// `triage merge` (it carries everything the roll-up needs), `markdown` for an issue or a
/// wiki page and `html` a self-contained page with a chart.
public enum TriageFormat: String, CaseIterable, Sendable {
    case text, csv, jsonl, markdown, html

    public var renderer: any TriageRenderer {
        switch self {
        case .text: return TriageTextRenderer()
        case .csv: return TriageCSVRenderer()
        case .jsonl: return TriageJSONLRenderer()
        case .markdown: return TriageMarkdownRenderer()
        case .html: return TriageHTMLRenderer()
        }
    }

    /// The format a file name asks for by its extension (`.csv`, `.jsonl`, `.md`, `.html` …),
    /// nil for an unknown one.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "txt", "text": self = .text
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonl
        case "md", "markdown": self = .markdown
        case "html", "htm": self = .html
        default: return nil
        }
    }
}

/// The table's columns and how a row fills them, shared by the tabular formats so they show
/// the same thing in the same order.
enum TriageColumns {
    static let headers = ["ticket", "cause", "confidence", "next causes", "symptom", "sdk", "models",
                          "host", "error", "day", "problem"]

    /// The cells of one row; `empty` stands for a missing value.
    static func cells(_ r: TriageRow, empty: String) -> [String] {
        func or(_ s: String?) -> String { s.flatMap { $0.isEmpty ? nil : $0 } ?? empty }
        return [
            r.ticket, r.cause, or(r.confidence.map(ReportFormat.confidence)),
            or(r.candidates.joined(separator: ", ")), or(r.symptom), or(r.sdk?.value),
            or(r.models.map(\.value).joined(separator: ", ")), or(r.host?.value), or(r.errorFamily?.value),
            or(r.day), or(r.problem?.value),
        ]
    }

    /// The roll-up as (section, key, detail, count) lines, for the formats that print it as
    /// one more table (CSV) and for the headings the others share.
    static func rollupLines(_ r: TriageRollup) -> [(section: String, key: String, detail: String, count: Int)] {
        var out: [(String, String, String, Int)] = []
        for c in r.byCause { out.append(("cause", c.cause, "", c.count)) }
        for m in r.notFound { out.append(("model-not-found", m.model.value, m.suggestions.map(\.value).joined(separator: " / "), m.count)) }
        for e in r.errors { out.append(("error", e.text.value, "", e.count)) }
        for b in r.baseURLMistakes { out.append(("base-url-mistake", b.host?.value ?? "", b.cause, b.count)) }
        for d in r.perDay { out.append(("day", d.day, "", d.count)) }
        if r.undated > 0 { out.append(("day", "undated", "", r.undated)) }
        out.append(("tickets", "all", "", r.tickets))
        out.append(("tickets", "with input problems", "", r.withProblems))
        return out
    }

    enum Heading {
        static let byCause = "Tickets per cause"
        static let notFound = "Model names most often not found"
        static let errors = "Commonest error texts"
        static let baseURL = "Base-URL mistakes by host"
        static let perDay = "Tickets per day (UTC, first call)"
        static let unredacted = "UNREDACTED: secrets and prompts are shown as found (--no-redact)"
    }
}
