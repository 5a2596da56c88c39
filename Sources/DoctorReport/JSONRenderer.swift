import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// Renders the report as the versioned JSON contract `modeldoctor/report@1`.
///
/// Every field is described in `docs/report-format.md`. Keys come in a fixed order,
/// dictionaries are sorted by key, confidence and score have two decimals, times are ISO 8601
/// UTC, and nothing about the run itself (clock, machine paths) is included, so the same
/// bundle always gives the same bytes. Adding a field keeps `@1`; renaming, removing or
/// changing the meaning of one bumps the schema.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        document(report).serialised()
    }

    /// The whole report as an ordered JSON tree.
    func document(_ r: Report) -> OrderedJSON {
        .object([
            ("schema", .string(Report.schema)),
            ("tool", .string(r.tool)),
            ("unredacted", .bool(r.unredacted)),
            ("lang", .string(r.lang.rawValue)),
            ("rule_packs", .array(r.rulePacks.map(rulePack))),
            ("inputs", .array(r.inputs.map(input))),
            ("facts", facts(r.facts)),
            ("findings", .array(r.findings.map(finding))),
            ("not_evaluated", .array(r.notEvaluated.map {
                .object([("rule", .string($0.rule)), ("cause", .string($0.cause)), ("reason", .string($0.reason))])
            })),
            ("ask_for", .strings(r.askFor.map(\.value))),
            ("redaction", .object([
                ("total", .int(r.redaction.total)),
                ("by_kind", .sortedObject(r.redaction.byKind)),
                ("by_file", .sortedObject(r.redaction.byFile)),
            ])),
            ("problems", .array(r.problems.map(problem))),
        ])
    }

    private func rulePack(_ p: RulePackInfo) -> OrderedJSON {
        .object([
            ("name", .string(p.name)),
            ("version", .string(p.version)),
            ("sha256", .string(p.sha256)),
            ("path", .string(ReportFormat.displayPath(p.path))),
            ("rules", .int(p.rules)),
        ])
    }

    private func input(_ e: InventoryEntry) -> OrderedJSON {
        .object([
            ("path", .string(e.path)),
            ("kind", .string(e.kind.rawValue)),
            ("format", .string(e.format)),
            ("bytes", .int(e.bytes)),
            ("compression", .strings(e.compression)),
            ("lines", .int(e.lines)),
            ("exchanges", .int(e.exchanges)),
            ("skipped_lines", .int(e.skippedLines)),
            ("skipped", .strings(e.skipped)),
            ("problems", .array(e.problems.map(problem))),
            ("notes", .strings(e.notes)),
        ])
    }

    private func problem(_ p: Problem) -> OrderedJSON {
        .object([("level", .string(p.level.rawValue)), ("location", .string(p.location)), ("message", .string(p.message))])
    }

    private func facts(_ f: TicketFacts) -> OrderedJSON {
        .object([
            ("sdks", .strings(f.sdks)),
            ("runtimes", .strings(f.runtimes)),
            ("base_urls", .strings(f.baseURLs.map(\.value))),
            ("request_urls", .strings(f.requestURLs.map(\.value))),
            ("api_version_paths", .strings(f.apiVersionPaths)),
            ("hosts", .strings(f.hosts)),
            ("models", .strings(f.models)),
            ("first_time", .string(f.firstTime.map(ReportFormat.iso8601))),
            ("last_time", .string(f.lastTime.map(ReportFormat.iso8601))),
            ("status_codes", .object(f.sortedStatusCodes.map { (String($0.code), .int($0.count)) })),
            ("errors", .strings(f.errors.map(\.value))),
            ("request_ids", .strings(f.requestIDs)),
            ("keys", .array(f.keys.map {
                .object([("fingerprint", .string($0.fingerprint)), ("calls", .strings($0.calls))])
            })),
            ("exchanges", .int(f.exchanges)),
            ("unknown", .strings(f.unknown.map(\.value))),
        ])
    }

    private func finding(_ f: Finding) -> OrderedJSON {
        .object([
            ("rule", .string(f.rule)),
            ("cause", .string(f.cause)),
            ("symptom", .string(f.symptom)),
            ("severity", .string(f.severity.rawValue)),
            ("confidence", .number(ReportFormat.confidence(f.confidence))),
            ("score", .number(ReportFormat.decimal2(f.score))),
            ("subject", .string(f.subject)),
            ("title", .string(f.title.value)),
            ("message", .string(f.message.value)),
            ("fix", .string(f.fix.value)),
            ("occurrences", .int(f.occurrences)),
            ("evidence", .array(f.evidence.map(evidence))),
            ("evidence_against", .array(f.evidenceAgainst.map(evidence))),
            ("missing", .strings(f.missing.map(\.value))),
            ("supersedes", .strings(f.supersedes)),
            ("exchanges", .ints(f.exchanges)),
        ])
    }

    private func evidence(_ e: Evidence) -> OrderedJSON {
        .object([("source", .string(e.source)), ("excerpt", .string(e.excerpt.value))])
    }
}
