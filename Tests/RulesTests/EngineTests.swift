import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct EngineTests {
    func exchange(_ method: String, _ url: String, status: Int?, model: String? = nil, error: APIError? = nil) -> Exchange {
        var e = Exchange()
        e.method = method; e.url = url; e.status = status; e.model = model; e.error = error
        e.sources = [SourceRef(file: "t.log", line: 1)]
        e.lines = [SourceLine(ref: SourceRef(file: "t.log", line: 1), text: "\(method) \(url) \(status ?? 0)")]
        return e
    }

    func rule(_ id: String, cause: String, severity: Severity = .high, confidence: Double = 0.8, when: Condition,
              supersedes: [String] = [], scope: Rule.Scope = .exchange, subject: String? = nil) -> Rule {
        Rule(id: id, cause: cause, symptom: "either", severity: severity, confidence: confidence, scope: scope,
             title: LocalizedText(en: "T {path}"), message: LocalizedText(en: "M"), fix: LocalizedText(en: "F"), ask: nil,
             subject: subject, when: when, against: nil, supersedes: supersedes, requires: [], examplesFire: [], examplesQuiet: [],
             position: RulePosition(file: "t", line: 1, column: 1), pack: "t")
    }

    func test(_ field: String, _ op: FieldTest.Op, _ values: [String] = [], bool: Bool = true) -> Condition {
        .test(FieldTest(field: field, op: op, values: values, boolValue: bool, ignoreCase: false, regex: nil,
                        position: RulePosition(file: "t", line: 1, column: 1)))
    }

    @Test func unknownFieldsGiveNotEvaluatedNotPassed() {
        var e = Exchange()
        e.status = 404  // no URL: endpoint unknown
        var b = TicketBundle(); b.exchanges = [e]
        let r = rule("needs-endpoint", cause: "base-url-missing-version", when: .all([test("endpoint", .equals, ["models"]), test("status", .equals, ["404"])]))
        let out = RuleEngine(rules: [r], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(!out.findings.contains { $0.rule == "needs-endpoint" })
        // The failed call is still not passed over in silence: a low pointer, not a diagnosis.
        #expect(out.findings.map(\.cause) == ["unexplained-failure"])
        #expect(out.notEvaluated.map(\.rule) == ["needs-endpoint"])
        #expect(out.notEvaluated[0].reason.contains("endpoint"))
    }

    @Test func falseOnAnyExchangeMeansEvaluated() {
        var b = TicketBundle()
        b.exchanges = [exchange("GET", "http://h/v1/models", status: 200)]
        let r = rule("r", cause: "base-url-missing-version", when: test("status", .equals, ["404"]))
        let out = RuleEngine(rules: [r], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(out.findings.isEmpty)
        #expect(out.notEvaluated.isEmpty)
    }

    @Test func oneFindingPerSubjectWithOccurrences() {
        var b = TicketBundle()
        b.exchanges = [exchange("POST", "http://h/v1/chat/completions", status: 404, model: "a"),
                       exchange("POST", "http://h/v1/chat/completions", status: 404, model: "a"),
                       exchange("POST", "http://h/v1/chat/completions", status: 404, model: "b")]
        for i in b.exchanges.indices { b.exchanges[i].index = i }
        let r = rule("r", cause: "model-not-in-catalog", when: test("status", .equals, ["404"]), subject: "request.model")
        let out = RuleEngine(rules: [r], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(out.findings.map(\.subject) == ["a", "b"])
        #expect(out.findings.map(\.occurrences) == [2, 1])
        #expect(out.findings[0].exchanges == [0, 1])
    }

    /// More distinct combinations of shapes than the engine keeps rows for (`ShapeTables.maxRows`):
    /// past them every table keeps its own column, and each call still gets its own verdict.
    @Test func manyShapeRowsKeepEveryVerdict() {
        var b = TicketBundle()
        let n = 8000
        // Model and request id each take fewer values than a table may have shapes, but
        // together every call is a combination of its own.
        b.exchanges = (0..<n).map { i in
            var e = exchange("POST", "http://h/v1/chat/completions", status: 404, model: "m\(i % 2000)")
            e.requestID = "r\(i % 1999)"
            e.index = i
            return e
        }
        let byModel = rule("by-model", cause: "model-not-in-catalog", when: test("request.model", .equals, ["m7"]))
        let byID = rule("by-id", cause: "auth-invalid-key", when: test("request_id", .equals, ["r5"]))
        let out = RuleEngine(rules: [byModel, byID], definitions: [:], aliases: AliasTables()).run(b)
        #expect(Array(out.trace["by-model"]!.matched) == [7, 2007, 4007, 6007])
        #expect(Array(out.trace["by-id"]!.matched) == [5, 2004, 4003, 6002])
        #expect(out.trace["by-model"]!.failed.count == n - 4)
        #expect(out.trace["by-id"]!.failed.count == n - 4)
    }

    @Test func supersedingRuleRanksFirst() {
        var b = TicketBundle()
        b.exchanges = [exchange("GET", "http://h/models", status: 404)]
        let weak = rule("weak", cause: "models-endpoint-unsupported", severity: .critical, confidence: 1, when: test("status", .equals, ["404"]))
        let strong = rule("strong", cause: "base-url-missing-version", severity: .medium, confidence: 0.5,
                          when: test("base.version_missing", .equals, ["true"]), supersedes: ["models-endpoint-unsupported"])
        let out = RuleEngine(rules: [weak, strong], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(out.findings.map(\.rule) == ["strong", "weak"])
    }

    @Test func bundleQuantifiers() {
        var b = TicketBundle()
        b.exchanges = [exchange("POST", "http://h/v1/chat/completions", status: 200), exchange("POST", "http://h/v1/chat/completions", status: 200)]
        let noList = rule("no-list", cause: "client-cache", when: .all([.none(test("endpoint", .equals, ["models"])),
                                                                          .count(test("status", .equals, ["200"]), .gte, 2)]), scope: .bundle)
        let out = RuleEngine(rules: [noList], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(out.findings.count == 1)
        #expect(out.findings[0].exchanges == [0, 1])
        b.exchanges.append(exchange("GET", "http://h/v1/models", status: 200))
        let out2 = RuleEngine(rules: [noList], definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
        #expect(out2.findings.isEmpty)
    }

    @Test func derivesBasePathFacts() {
        let ctx = BundleContext(exchanges: [], userCatalog: [], aliases: AliasTables(), signals: [])
        let missing = Facts.derive(exchange("GET", "http://h:3000/models", status: 404), in: ctx)
        #expect(missing["base.version_missing"] == .bool(true))
        let dup = Facts.derive(exchange("GET", "http://h/api/v1/v1/models", status: 404), in: ctx)
        #expect(dup["base.version_duplicated"] == .bool(true))
        let slash = Facts.derive(exchange("GET", "http://h//v1/models", status: 200), in: ctx)
        #expect(slash["base.malformed"] == .bool(true))
        let inc = Facts.derive(exchange("GET", "http://h/v1/chat/completions/models", status: 404), in: ctx)
        #expect(inc["base.includes_endpoint"] == .bool(true))
        let ok = Facts.derive(exchange("GET", "http://h/v1/models", status: 200), in: ctx)
        #expect(ok["base.version_missing"] == .bool(false))
        #expect(ok["base.version"] == .string("/v1"))
    }

    @Test func deterministicOrder() {
        var b = TicketBundle()
        b.exchanges = [exchange("GET", "http://h/models", status: 404, model: "x")]
        let rules = (0..<5).map { rule("r\($0)", cause: "model-not-in-catalog", when: test("status", .equals, ["404"])) }
        let a = RuleEngine(rules: rules, definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor()).findings.map(\.rule)
        let c = RuleEngine(rules: rules.reversed(), definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor()).findings.map(\.rule)
        #expect(a == c)
        #expect(a == ["r0", "r1", "r2", "r3", "r4"])
    }
}
