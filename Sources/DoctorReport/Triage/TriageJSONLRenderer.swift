import DoctorModel

/// The triage as JSON Lines: one `"type":"ticket"` record per row, in row order, then one
/// `"type":"rollup"` record. Every record carries `"schema":"modeldoctor/triage@1"`.
///
/// A ticket record holds everything the roll-up is computed from (all causes, models not
/// found with suggestions, error texts, day), so `modeldoctor triage merge` can rebuild rows
/// and roll-up from shard outputs; the roll-up record is for readers and is recomputed on
/// merge. Keys are in a fixed order and confidences have two decimals, so the same rows
/// always give the same bytes. Field meanings: docs/triage.md.
public struct TriageJSONLRenderer: TriageRenderer {
    public init() {}

    public func render(_ report: TriageReport) -> String {
        var lines = report.rows.map { Self.record($0, unredacted: report.unredacted).compact() }
        lines.append(Self.rollup(report.rollup, tool: report.tool, unredacted: report.unredacted).compact())
        return lines.joined(separator: "\n") + "\n"
    }

    static func record(_ r: TriageRow, unredacted: Bool) -> OrderedJSON {
        func text(_ t: RedactedText?) -> OrderedJSON { .string(t?.value) }
        var members: [(String, OrderedJSON)] = [
            ("schema", .string(TriageReport.schema)), ("type", .string("ticket")),
            ("ticket", .string(r.ticket)), ("cause", .string(r.cause)),
            ("confidence", r.confidence.map { .number(ReportFormat.confidence($0)) } ?? .null),
            ("candidates", .strings(r.candidates)), ("causes", .strings(r.causes)),
            ("symptom", .string(r.symptom)), ("sdk", text(r.sdk)), ("models", .strings(r.models.map(\.value))),
            ("host", text(r.host)), ("error_family", text(r.errorFamily)), ("day", .string(r.day)),
            ("not_found", .array(r.notFound.map { .object([("model", .string($0.model.value)), ("suggestion", text($0.suggestion))]) })),
            ("errors", .strings(r.errors.map(\.value))), ("problem", text(r.problem)), ("findings", .int(r.findings)),
        ]
        if unredacted { members.append(("unredacted", .bool(true))) }
        return .object(members)
    }

    static func rollup(_ r: TriageRollup, tool: String, unredacted: Bool) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("schema", .string(TriageReport.schema)), ("type", .string("rollup")), ("tool", .string(tool)),
            ("tickets", .int(r.tickets)), ("with_problems", .int(r.withProblems)),
            ("by_cause", .array(r.byCause.map { .object([("cause", .string($0.cause)), ("count", .int($0.count))]) })),
            ("not_found", .array(r.notFound.map {
                .object([("model", .string($0.model.value)), ("suggestions", .strings($0.suggestions.map(\.value))), ("count", .int($0.count))])
            })),
            ("errors", .array(r.errors.map { .object([("text", .string($0.text.value)), ("count", .int($0.count))]) })),
            ("base_url_mistakes", .array(r.baseURLMistakes.map {
                .object([("host", .string($0.host?.value)), ("cause", .string($0.cause)), ("count", .int($0.count))])
            })),
            ("per_day", .array(r.perDay.map { .object([("day", .string($0.day)), ("count", .int($0.count))]) })),
            ("undated", .int(r.undated)),
        ]
        if unredacted { members.append(("unredacted", .bool(true))) }
        return .object(members)
    }
}
