import Foundation
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// A hand-built report of the kind the pipeline makes for a "base URL without /v1" ticket,
/// with evidence lines taken from a real openai-python debug log (corpus case 01).
enum SampleReport {
    static let log = "sdk-debug.log"

    /// Redacted text for tests (the redactor is not under test here).
    static func r(_ s: String) -> RedactedText { RedactedText(unchecked: s) }

    /// Line `n` (1-based) of the real capture, as evidence.
    static func line(_ n: Int) throws -> Evidence {
        let lines = try Repo.text("report/base-url-missing-version-sdk-debug.log")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return Evidence(source: "\(log):\(n)", excerpt: r(String(lines[n - 1])))
    }

    static func make(lang: Lang = .en, unredacted: Bool = false) throws -> Report {
        var report = Report()
        report.tool = "modeldoctor 0.1.0"
        report.lang = lang
        report.unredacted = unredacted
        report.rulePacks = [RulePackInfo(name: "openai-gateway", version: "1.2.0",
                                         sha256: "3f1a9c0e5b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468",
                                         path: "rules/openai-gateway.yaml", rules: 24)]
        report.inputs = [
            InventoryEntry(path: log, kind: .pythonSDKLog, format: "openai-python-1.x", bytes: 3920, lines: 41,
                           exchanges: 2, skippedLines: 3, skipped: ["3 lines: traceback frames"]),
            InventoryEntry(path: "capture.har.gz", kind: .har, format: "mitmproxy", bytes: 18211, compression: ["gzip"],
                           lines: 412, exchanges: 2,
                           problems: [Problem(.warning, location: "capture.har.gz@9120", message: "entry 3 has no response")]),
            InventoryEntry(path: "ticket.txt", kind: .unknown, bytes: 112, lines: 1, skippedLines: 1,
                           skipped: ["no parser for this content"],
                           notes: ["customer's own words; not parsed"]),
        ]
        var facts = TicketFacts()
        facts.sdks = ["openai-python 1.54.4"]
        facts.runtimes = ["CPython 3.11"]
        facts.baseURLs = [r("http://127.0.0.1:3000")]
        facts.requestURLs = [r("http://127.0.0.1:3000/models"), r("http://127.0.0.1:3000/chat/completions")]
        facts.hosts = ["127.0.0.1:3000"]
        facts.models = ["gpt-4o-mini"]
        facts.firstTime = Date(timeIntervalSince1970: 1_795_922_261)          // 2026-11-29T03:17:41Z
        facts.lastTime = Date(timeIntervalSince1970: 1_795_922_261.5)
        facts.statusCodes = [404: 2, 200: 1]
        facts.errors = [r("Invalid URL (GET /models)")]
        facts.requestIDs = ["req_bdbfc5c9cafc34fa6c72fba73bdce45c"]
        facts.keys = [KeyUse(fingerprint: "sk-…AbCd", calls: ["GET /models", "POST /chat/completions"])]
        facts.exchanges = 2
        facts.unknown = [r("API version path: none in any request URL")]
        report.facts = facts
        report.findings = [
            Finding(rule: "base-url.missing-version", cause: "base-url-missing-version", symptom: "model-list-empty",
                    severity: .high, confidence: 0.9, score: 2.7, subject: "http://127.0.0.1:3000",
                    title: r("Base URL lacks the API version path"),
                    message: r("GET http://127.0.0.1:3000/models answered 404 \"Invalid URL (GET /models)\": the base URL has no /v1, so every endpoint misses."),
                    fix: r("Set base_url to http://127.0.0.1:3000/v1."),
                    occurrences: 2, evidence: [try line(6), try line(38)],
                    missing: [r("a screenshot of the client's API address setting")],
                    supersedes: ["models-endpoint-unsupported"], exchanges: [0, 1]),
            Finding(rule: "models.endpoint-unsupported", cause: "models-endpoint-unsupported", symptom: "model-list-empty",
                    severity: .medium, confidence: 0.35, score: 0.7,
                    title: r("The gateway does not serve GET /models"),
                    message: r("The model list request failed with 404."),
                    fix: r("Type the model name by hand."),
                    evidence: [try line(7)], evidenceAgainst: [try line(41)],
                    exchanges: [0]),
        ]
        report.notEvaluated = [NotEvaluated(rule: "model.name-case", cause: "model-name-case",
                                            reason: "no /models list in the bundle")]
        report.askFor = [r("a HAR capture of the model list request")]
        var redaction = RedactionSummary()
        redaction.byKind = ["bearer": 1, "api-key": 2]
        redaction.byFile = [log: 1, "capture.har.gz": 2]
        report.redaction = redaction
        report.timeline = timeline()
        return report
    }

    /// The sample's two calls, both failed, and where its evidence lines lie.
    static func timeline() -> Timeline {
        func failed(_ index: Int, _ method: String, _ path: String, model: String?) -> TimelineRow {
            var row = TimelineRow(index: index)
            row.time = Date(timeIntervalSince1970: 1_795_922_261 + Double(index) / 2)
            row.method = r(method)
            row.url = r("http://127.0.0.1:3000" + path)
            (row.status, row.statusText) = (404, r("Not Found"))
            row.error = r("Invalid URL (\(method) \(path))")
            row.model = model.map(r)
            row.failed = true
            return row
        }
        var t = Timeline()
        t.rows = [failed(0, "GET", "/models", model: nil), failed(1, "POST", "/chat/completions", model: "gpt-4o-mini")]
        t.evidenceCalls = ["\(log):6": 0, "\(log):7": 0, "\(log):38": 0, "\(log):41": 1]
        return t
    }

    /// A bundle with nothing wrong: one info finding only.
    static func healthy() -> Report {
        var report = Report()
        report.tool = "modeldoctor 0.1.0"
        report.inputs = [InventoryEntry(path: "sdk-debug.log", kind: .pythonSDKLog, format: "openai-python-1.x",
                                        bytes: 2048, lines: 30, exchanges: 2)]
        report.facts.exchanges = 2
        report.facts.statusCodes = [200: 2]
        report.findings = [Finding(rule: "models.list-ok", cause: "no-problem", symptom: "none", severity: .info,
                                   confidence: 0.8, title: r("The model list came back with 12 models"),
                                   message: r("GET /v1/models answered 200 with 12 models."), fix: r(""))]
        return report
    }
}
