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
import TestSupport

/// The compact fact storage (field ids, lazily built text fields, per-URL memo) and the
/// compiled evaluation (quantifiers once per bundle, exchange-by-exchange walk) give exactly
/// what the name-keyed, rule-by-rule engine gave.
@Suite struct FactsStorageTests {
    static let pos = RulePosition(file: "t", line: 1, column: 1)

    func exchange(_ method: String, _ url: String?, status: Int?, model: String? = nil) -> Exchange {
        var e = Exchange()
        e.method = method; e.url = url; e.status = status; e.model = model
        e.sources = [SourceRef(file: "t.log", line: 1)]
        e.lines = [SourceLine(ref: SourceRef(file: "t.log", line: 1), text: "\(method) \(url ?? "-") \(status ?? 0)")]
        return e
    }

    func test(_ field: String, _ op: FieldTest.Op, _ values: [String] = [], ignoreCase: Bool = false) -> Condition {
        .test(FieldTest(field: field, op: op, values: values, boolValue: true, ignoreCase: ignoreCase, regex: nil, position: Self.pos))
    }

    func rule(_ id: String, when: Condition, scope: Rule.Scope = .exchange, subject: String? = nil,
              against: Condition? = nil, requires: [String] = []) -> Rule {
        Rule(id: id, cause: "model-not-in-catalog", symptom: "either", severity: .high, confidence: 0.8, scope: scope,
             title: LocalizedText(en: "T {status} {error.text}"), message: LocalizedText(en: "M"), fix: LocalizedText(en: "F"),
             ask: nil, subject: subject, when: when, against: against, supersedes: [], requires: requires,
             examplesFire: [], examplesQuiet: [], position: Self.pos, pack: "t")
    }

    func run(_ rules: [Rule], _ xs: [Exchange], definitions: [String: Condition] = [:], signals: [Signal] = []) -> FindingBuilder.Diagnosis {
        var b = TicketBundle()
        b.exchanges = xs
        for i in b.exchanges.indices { b.exchanges[i].index = i }
        b.signals = signals
        return RuleEngine(rules: rules, definitions: definitions, aliases: AliasTables()).diagnose(b, redactor: Redactor())
    }

    /// The bytes a prefilter reads of `text` are those of the joined string.
    @Test func joinedBytesAreTheJoinedText() {
        let ref = SourceRef(file: "t", line: 1)
        let sets: [[SourceLine]] = [
            [],
            [SourceLine(ref: ref, text: "")],
            [SourceLine(ref: ref, text: "one line\r")],
            [SourceLine(ref: ref, head: "[12:00] ", sharedTail: "DEBUG openai"), SourceLine(ref: ref, text: ""),
             SourceLine(ref: ref, head: "", sharedTail: "模型 KELVIN \u{212A}"), SourceLine(ref: ref, text: "cafe\u{301}")],
        ]
        for lines in sets {
            var e = Exchange()
            e.lines = lines
            let h = HeavySource(e)
            var bytes: [UInt8] = [9, 9, 9]
            h.joinedBytes(into: &bytes)
            #expect(bytes == Array(h.joinedText.utf8))
        }
    }

    /// A hit merged in place is the hit merged as a group.
    @Test func mergingAHitInPlaceIsMergingItsGroup() {
        let s = Signal(name: .ticketText, value: "x", line: SourceLine(ref: SourceRef(file: "t", line: 1), text: "x"))
        for (i, witnesses) in [(5, [Int]()), (5, [5, 2, 7]), (3, [2, 9, 2])] {
            var a = RuleEngine.Group(first: 1, exchanges: [1, 2], signals: [s])
            a.members = [1, 2]
            var b = a
            a.merge(RuleEngine.Group(first: i, exchanges: [i] + witnesses.filter { $0 != i }, signals: [s]))
            b.merge(exchange: i, witnesses: witnesses, signals: [s])
            #expect(a.exchanges == b.exchanges && a.members == b.members && a.occurrences == b.occurrences && a.signals == b.signals)
        }
    }

    @Test func everyFieldNameHasOneIdAndBack() {
        for (i, k) in FactKey.allCases.enumerated() {
            #expect(k.slot == i, "storage slot of \(k) is its declaration position")
            #expect(FactKey(slot: i) == k)
            #expect(FactKey.named(k.name) == k)
        }
        #expect(MemoryLayout<FactKey>.size == 1)
        #expect(FactKey.named("error.text") == .errorText)
        #expect(FactKey.named("base.version_missing") == .baseVersionMissing)
        #expect(FactKey.named("no.such.field") == nil)
        // Every field a rule may name is documented for rule authors.
        let doc = (try? String(contentsOfFile: Repo.path("docs/rules.md"), encoding: .utf8)) ?? ""
        for k in FactKey.allCases { #expect(doc.contains("`\(k.name)`"), "docs/rules.md does not list `\(k.name)`") }
        #expect(FactKey.allCases.filter(\.isHeavy) == [.requestBody, .responseBody, .errorText, .errorFamily, .errorOutside, .text])
    }

    @Test func heavyFieldsAreReadFromTheExchangeNotStored() {
        var e = exchange("POST", "http://h/v1/chat/completions", status: 404, model: "m")
        e.statusText = "Not Found"
        e.requestBody = #"{"model":"m"}"#
        e.responseBody = String(repeating: "x", count: 9000)
        e.error = APIError(type: "invalid_request_error", code: "model_not_found", message: "no such model")
        e.lines.append(SourceLine(ref: SourceRef(file: "t.log", line: 2), text: "second"))
        let ctx = BundleContext(exchanges: [e], userCatalog: [], aliases: AliasTables(), signals: [])
        let f = Facts.derive(e, in: ctx)
        for k in FactKey.allCases where k.isHeavy { #expect(f.slots[k.slot] == nil) }
        #expect(f["text"] == .string("POST http://h/v1/chat/completions 404\nsecond"))
        #expect(f["request.body"] == .string(#"{"model":"m"}"#))
        #expect(f["response.body"] == .string(String(repeating: "x", count: 8192)))
        let errorText = "invalid_request_error | model_not_found | no such model | 404 | Not Found | " + String(repeating: "x", count: 4096)
        #expect(f["error.text"] == .string(errorText))
        #expect(f.values["error.text"] == .string(errorText))
        #expect(f.values["status"] == .number(404))
        #expect(f.values.count == f.values.keys.filter { f[$0] != nil }.count)
    }

    @Test func errorTextPresenceFollowsTheAnswer() {
        let ctx = BundleContext(exchanges: [], userCatalog: [], aliases: AliasTables(), signals: [])
        #expect(Facts.derive(exchange("GET", "http://h/v1/models", status: nil), in: ctx)["error.text"] == nil)
        #expect(Facts.derive(exchange("GET", "http://h/v1/models", status: 200), in: ctx)["error.text"] == .string(""))
        var failed = exchange("GET", "http://h/v1/models", status: nil)
        failed.failure = Failure(.timeout, "timed out")
        #expect(Facts.derive(failed, in: ctx)["error.text"] == .string("timed out"))
        #expect(Facts().isEmpty)
        #expect(Facts()["text"] == nil)
    }

    @Test func urlFactsAreSharedAcrossExchangesOfOneURL() {
        let a = exchange("GET", "http://h:3000/models", status: 404)
        let b = exchange("POST", "http://h:3000/models", status: 200)
        let c = exchange("GET", "http://h/v1/v1/models", status: 404)
        let ctx = BundleContext(exchanges: [a, b, c], userCatalog: [], aliases: AliasTables(), signals: [])
        let fa = Facts.derive(a, in: ctx), fb = Facts.derive(b, in: ctx), fc = Facts.derive(c, in: ctx)
        #expect(fa["base.version_missing"] == .bool(true))
        #expect(fb["base.version_missing"] == .bool(true))
        #expect(fb["method"] == .string("POST"))
        #expect(fb["port"] == .number(3000))
        #expect(fc["base.version_duplicated"] == .bool(true))
        #expect(fc["port"] == nil)
    }

    @Test func caseBlindAndExactTestsOnOneFieldDoNotShareACache() {
        var e = exchange("GET", "http://h/v1/models", status: 401)
        e.error = APIError(message: "Invalid API Key")
        let blind = rule("blind", when: test("error.text", .contains, ["invalid api key"], ignoreCase: true))
        let exact = rule("exact", when: test("error.text", .contains, ["invalid api key"]))
        let upper = rule("upper", when: test("error.text", .contains, ["Invalid API"]))
        let out = run([blind, exact, upper], [e])
        #expect(out.findings.map(\.rule).sorted() == ["blind", "upper"])
        #expect(out.findings.first { $0.rule == "blind" }?.title.value == "T 401 Invalid API Key | 401")
    }

    @Test func quantifierInsideAPerExchangeRuleAddsItsWitnesses() {
        let xs = [exchange("POST", "http://h/v1/chat/completions", status: 404, model: "a"),
                  exchange("GET", "http://h/v1/models", status: 200),
                  exchange("POST", "http://h/v1/chat/completions", status: 404, model: "a"),
                  exchange("GET", "http://h/v1/models", status: 200)]
        let r = rule("r", when: .all([test("status", .equals, ["404"]), .exists(test("endpoint", .equals, ["models"]))]),
                     subject: "request.model")
        let out = run([r], xs)
        #expect(out.findings.count == 1)
        #expect(out.findings[0].occurrences == 2)
        #expect(out.findings[0].exchanges == [0, 1, 2, 3])
        #expect(out.trace["r"]?.matched == [0, 2])
        #expect(out.trace["r"]?.failed == [1, 3])
        // `none` and `count` from the same cached pass.
        let none = rule("none", when: .all([test("status", .equals, ["404"]), .none(test("status", .equals, ["500"]))]))
        let count = rule("count", when: .count(test("status", .equals, ["404"]), .eq, 2), scope: .bundle)
        let tooMany = rule("too-many", when: .count(test("status", .equals, ["404"]), .gt, 2), scope: .bundle)
        let out2 = run([none, count, tooMany], xs)
        #expect(out2.findings.map(\.rule).sorted() == ["count", "none"])
        #expect(out2.findings.first { $0.rule == "count" }?.exchanges == [0, 2])
    }

    /// Evidence text unique to every call (a timestamp) is keyed by which tests hold once it
    /// shows many values; every call still gets its own verdict, in order.
    @Test func uniqueTextsShareVerdictsByWhichTestsHold() {
        let xs = (0..<300).map { i -> Exchange in
            var e = exchange("GET", "http://h/v1/models", status: i % 7 == 0 ? 502 : 200)
            let words = i % 5 == 0 ? "Connection refused" : (i % 3 == 0 ? "connection REFUSED" : "ok")
            e.lines = [SourceLine(ref: SourceRef(file: "t.log", line: i + 1), text: "12:00:\(i) \(words)")]
            return e
        }
        let exact = rule("exact", when: test("text", .contains, ["Connection refused"]))
        let blind = rule("blind", when: .all([test("text", .contains, ["connection refused"], ignoreCase: true),
                                              .not(test("status", .equals, ["502"]))]))
        let named = rule("named", when: test("text", .contains, ["refused"], ignoreCase: true), subject: "text")
        let out = run([exact, blind, named], xs)
        let refused = xs.indices.filter { $0 % 5 == 0 }
        let either = xs.indices.filter { $0 % 5 == 0 || $0 % 3 == 0 }
        #expect(out.trace["exact"]?.matched.array == refused)
        #expect(out.trace["exact"]?.failed.array == xs.indices.filter { $0 % 5 != 0 })
        #expect(out.trace["blind"]?.matched.array == either.filter { $0 % 7 != 0 })
        // A rule naming the text as its subject reads the value, not only its tests.
        #expect(out.trace["named"]?.matched.array == either)
    }

    @Test func nestedQuantifiersAreComputedInnermostFirst() {
        let xs = [exchange("GET", "http://h/v1/models", status: 404), exchange("GET", "http://h/v1/models", status: 200)]
        // exists(status 404 and none(status 500)): the inner `none` is a level-1 quantifier.
        let r = rule("nested", when: .exists(.all([test("status", .equals, ["404"]), .none(test("status", .equals, ["500"]))])),
                     scope: .bundle)
        let out = run([r], xs)
        #expect(out.findings.map(\.exchanges) == [[0]])
    }

    @Test func recursiveDefinitionStopsAtTheDepthLimit() {
        let defs: [String: Condition] = ["loop": .any([.ref("loop", Self.pos), test("status", .equals, ["404"])])]
        let r = rule("r", when: .ref("loop", Self.pos))
        let hit = run([r], [exchange("GET", "http://h/v1/models", status: 404)], definitions: defs)
        #expect(hit.findings.map(\.rule) == ["r"])
        // Not a 404: the innermost `ref` is unknown, so the rule cannot be decided.
        let miss = run([r], [exchange("GET", "http://h/v1/models", status: 200)], definitions: defs)
        #expect(miss.findings.isEmpty)
        #expect(miss.trace["r"]?.unknown == [0])
    }

    @Test func unknownFieldNamesAndRequiresStayUnknown() {
        let xs = [exchange("GET", "http://h/v1/models", status: 404)]
        let typo = rule("typo", when: test("stauts", .equals, ["404"]))
        let needs = rule("needs", when: test("status", .equals, ["404"]), requires: ["request.model"])
        let needsText = rule("needs-text", when: test("status", .equals, ["404"]), requires: ["text", "status"])
        let out = run([typo, needs, needsText], xs)
        #expect(out.findings.map(\.rule) == ["needs-text"])
        #expect(out.notEvaluated.map(\.reason).sorted() == ["the bundle does not give: request.model", "the bundle does not give: stauts"])
    }

    @Test func signalInsideAQuantifierIsReplayedAsEvidence() {
        let line = SourceLine(ref: SourceRef(file: "ticket.txt", line: 1), text: "running in docker")
        let signals = [Signal(name: .docker, line: line)]
        let xs = [exchange("GET", "http://127.0.0.1:8000/v1/models", status: 502)]
        let r = rule("r", when: .exists(.all([.signal("docker", nil, Self.pos), test("host.loopback", .equals, ["true"])])), scope: .bundle)
        let out = run([r], xs, signals: signals)
        #expect(out.findings.count == 1)
        #expect(out.findings[0].evidence.map(\.source) == ["t.log:1", "ticket.txt:1"])
    }

    @Test func againstHitsLowerConfidence() {
        let xs = [exchange("GET", "http://h/v1/models", status: 404), exchange("GET", "http://h/v1/models", status: 200)]
        let r = rule("r", when: test("status", .equals, ["404"]), against: test("status", .equals, ["200"]))
        let out = run([r], xs)
        #expect(out.findings.map(\.confidence) == [0.48])
        #expect(out.findings[0].evidenceAgainst.map(\.source) == ["t.log:1"])
    }

    @Test func manyHitsMergeInOrderIntoOneFinding() {
        let xs = (0..<3000).map { i in exchange("POST", "http://h/v1/chat/completions", status: i % 3 == 0 ? 200 : 404, model: "m\(i % 2)") }
        let r = rule("r", when: .all([test("status", .equals, ["404"]), .exists(test("status", .equals, ["200"]))]), subject: "request.model")
        let out = run([r], xs)
        #expect(out.findings.map(\.subject) == ["m0", "m1"])
        #expect(out.findings.map(\.occurrences) == [1000, 1000])
        #expect(out.findings[0].exchanges.count == 2000)
    }

    /// A real capture (corpus case 07): the bundle rule's `exists` witnesses and its
    /// ticket-text signal become the evidence, as before the compiled engine.
    @Test func realCaptureClientCache() {
        let loaded = RuleLoader().load(folders: [Repo.path("rules")])
        let bundle = BundleReader().read([Repo.fixture("rules-engine/client-cache").path])
        let out = RuleEngine(loaded: loaded).diagnose(bundle, redactor: Redactor())
        // The lone diagnosis is followed by its rivals from rules/causes.yaml (and the wording
        // prior's candidates), all ranked after it as `low` pointers.
        #expect(out.findings.first?.rule == "client-cache-no-list-call")
        #expect(Set(out.findings.dropFirst().map(\.cause)).isSuperset(of: ["client-cannot-list", "key-group-no-models"]))
        #expect(out.findings.dropFirst().allSatisfy { $0.severity == .low && ($0.rule.hasPrefix("rival/") || $0.rule.hasPrefix("wording/")) })
        #expect(out.findings[0].exchanges == [0, 1, 2])
        #expect(out.findings[0].evidence.map(\.source) == ["sdk-debug.log:3", "sdk-debug.log:5", "sdk-debug.log:9", "sdk-debug.log:11",
                                                           "sdk-debug.log:15", "sdk-debug.log:17", "ticket.txt:1"])
        #expect(out.notEvaluated.isEmpty)
    }
}
