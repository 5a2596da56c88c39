import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// The output formats of a report, one renderer each.
///
/// Adding a format means one case here and one renderer file. `text` is the default for
/// people at a terminal, `json` the versioned contract for automation (see
/// `docs/report-format.md`), `markdown` a ticket-reply draft and `html` a page to attach.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html

    /// The renderer for this format, without colour.
    public var renderer: any ReportRenderer { renderer(colour: false) }

    /// The renderer for this format; `colour` adds ANSI colour to `text` and `width` sets the
    /// columns its lines fit in; the other formats ignore both. `verbose` lists every rule not
    /// evaluated in the people-facing formats (JSON always lists them).
    public func renderer(colour: Bool, width: Int = 100, verbose: Bool = false) -> any ReportRenderer {
        switch self {
        case .text: return TextRenderer(colour: colour, width: width, verbose: verbose)
        case .json: return JSONRenderer()
        case .markdown: return MarkdownRenderer(verbose: verbose)
        case .html: return HTMLRenderer(verbose: verbose)
        }
    }

    /// The usual file extension, for writing reports next to their tickets.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json: return "json"
        case .markdown: return "md"
        case .html: return "html"
        }
    }
}
