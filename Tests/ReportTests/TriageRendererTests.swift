import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorReport

/// The triage renderers on hand-made rows: quoting, escaping, self-contained HTML.
@Suite struct TriageRendererTests {
    static func text(_ s: String) -> RedactedText { RedactedText(unchecked: s) }

    static let report: TriageReport = {
        var hostile = TriageRow(ticket: "inbox/a,b \"quoted\"", cause: "model-name-case", confidence: 0.9,
                                candidates: ["key-group-no-access"], causes: ["model-name-case", "key-group-no-access"],
                                symptom: "model-not-found", models: [text("GPT-4o"), text("=cmd|' /C calc'!A0")])
        hostile.errors = [text("line one\nline | two <script>alert(1)</script>")]
        hostile.notFound = [NotFoundModel(model: text("GPT-4o"), suggestion: text("Use gpt-4o."))]
        hostile.day = "2026-11-29"
        let broken = TriageRow(ticket: "inbox/zz.tar.gz", cause: TriageRow.unreadableCause, problem: text("zz.tar.gz@15: truncated gzip data"))
        let rows = [hostile, broken]
        var rollup = TriageRollup()
        rollup.tickets = 2
        rollup.byCause = [.init(cause: "model-name-case", count: 1), .init(cause: "unreadable", count: 1)]
        rollup.notFound = [.init(model: text("GPT-4o"), suggestions: [text("Use gpt-4o.")], count: 1)]
        rollup.perDay = [.init(day: "2026-11-29", count: 1)]
        rollup.undated = 1
        return TriageReport(rows: rows, rollup: rollup)
    }()

    @Test func csvQuotesFieldsAndDefusesFormulas() {
        let csv = TriageFormat.csv.renderer.render(Self.report)
        #expect(csv.hasPrefix("ticket,cause,confidence,next causes,symptom,sdk,models,host,error,day,problem\r\n"))
        #expect(csv.contains("\"inbox/a,b \"\"quoted\"\"\",model-name-case,0.90,key-group-no-access,"))
        #expect(csv.contains("\"GPT-4o, =cmd|' /C calc'!A0\""), "a formula inside a cell is not at its start")
        #expect(csv.contains("\r\n\r\nsection,key,detail,count\r\n"))
        #expect(csv.contains("model-not-found,GPT-4o,Use gpt-4o.,1\r\n"))
        #expect(TriageCSVRenderer.defused("=1+1") == "'=1+1" && TriageCSVRenderer.defused("-") == "'-" && TriageCSVRenderer.defused("a=1") == "a=1")
    }

    @Test func markdownEscapesCellsAndHTML() {
        let md = TriageFormat.markdown.renderer.render(Self.report)
        let rowLine = md.split(separator: "\n").first { $0.contains("inbox/a") }
        // 11 columns: 12 cell borders; the pipes of bundle text are escaped.
        var borders = 0, previous: Character = " "
        for ch in rowLine ?? "" { if ch == "|" && previous != "\\" { borders += 1 }; previous = ch }
        #expect(borders == 12)
        #expect(!md.contains("<script>"))
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let html = TriageFormat.html.renderer.render(Self.report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("<rect"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(html.contains("inbox/a,b &quot;quoted&quot;"))
    }

    @Test func jsonLinesHaveOneRecordPerRowThenTheRollup() throws {
        let lines = TriageFormat.jsonl.renderer.render(Self.report).split(separator: "\n")
        #expect(lines.count == 3)
        let types = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["type"] as? String }
        #expect(types == ["ticket", "ticket", "rollup"])
        #expect(lines[0].contains("\"confidence\":0.90"))
    }

    @Test func textTableAlignsColumnsAndListsTheRollup() {
        let text = TriageFormat.text.renderer.render(Self.report)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.first { $0.hasPrefix("ticket") }.map(String.init) ?? ""
        let row = lines.first { $0.hasPrefix("inbox/zz") }.map(String.init) ?? ""
        #expect(header.range(of: "cause")?.lowerBound.utf16Offset(in: header) == row.range(of: "unreadable")?.lowerBound.utf16Offset(in: row))
        #expect(!text.contains("\n line two"), "bundle line breaks stay inside one line")
        #expect(text.contains("GPT-4o → Use gpt-4o."))
        #expect(text.contains("undated"))
    }

    @Test func formatFollowsTheFileExtension() {
        #expect(TriageFormat(fileName: "out/triage.CSV") == .csv)
        #expect(TriageFormat(fileName: "t.jsonl") == .jsonl)
        #expect(TriageFormat(fileName: "t.md") == .markdown)
        #expect(TriageFormat(fileName: "t.html") == .html)
        #expect(TriageFormat(fileName: "t") == nil)
    }
}
