import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Identical calls share one derivation of their facts (`CallMemo`); a call that differs in
/// anything the facts read gets its own, and the shared facts equal those derived alone.
@Suite struct CallMemoTests {
    static let aliases = RuleLoader().load(folders: [Repo.path("rules")]).aliases

    /// A call with every field the facts read set.
    static func base() -> Exchange {
        var e = Exchange()
        e.method = "post"
        e.url = "https://api.example.com/v1/chat/completions"
        e.status = 404
        e.statusText = "Not Found"
        e.model = "GPT-4o"
        e.stream = false
        e.requestHeaders = [Header("Content-Type", "application/json")]
        e.requestBody = #"{"model":"GPT-4o"}"#
        e.responseHeaders = [Header("content-type", "application/json"), Header("content-length", "90"), Header("via", "1.1 squid")]
        e.responseBody = #"{"error":{"message":"no such model"}}"#
        e.error = APIError(type: "invalid_request_error", code: "model_not_found", message: "no such model", param: "model")
        e.retries = 1
        e.requestID = "req_1"
        e.sdk = SDKInfo(name: "openai-python", version: "1.54.4")
        e.credential = "sk-one"
        e.hints = [.exception("NotFoundError"), .sdkCall("chat.completions.create")]
        e.sourceKinds = [.pythonSDKLog]
        e.missing = [.requestBodyNotLoggedV3]
        e.lines = [SourceLine(ref: SourceRef(file: "a.log", line: 1), text: "[00:00:01] POST ... 404")]
        return e
    }

    /// Every field `Facts.deriveShared` reads, changed one at a time.
    static var variants: [(String, (inout Exchange) -> Void)] { [
        ("method", { $0.method = "get" }),
        ("url", { $0.url = "https://api.example.com/v1/v1/chat/completions" }),
        ("no url, path only", { $0.url = nil; $0.pathOnly = "/v1/chat/completions" }),
        ("status", { $0.status = 400 }),
        ("no status", { $0.status = nil }),
        ("status text", { $0.statusText = "Bad Request" }),
        ("model", { $0.model = "gpt-4o" }),
        ("model, canonically equal spelling", { $0.model = "caf\u{E9}" }),
        ("model, other byte spelling", { $0.model = "cafe\u{301}" }),
        ("stream", { $0.stream = true }),
        ("request content type", { $0.requestHeaders = [Header("content-type", "text/plain")] }),
        ("request body empty", { $0.requestBody = "" }),
        ("request body not JSON", { $0.requestBody = "model=x" }),
        ("no request body", { $0.requestBody = nil }),
        ("content type field", { $0.contentType = "text/html" }),
        ("response content type", { $0.responseHeaders[0] = Header("content-type", "text/html; charset=utf-8") }),
        ("response body HTML", { $0.responseBody = "<html><body>502</body></html>" }),
        ("response body not JSON", { $0.responseBody = "upstream error" }),
        ("no response body", { $0.responseBody = nil }),
        ("hints", { $0.hints.insert(.jsonDecodeError) }),
        ("no hints", { $0.hints = [] }),
        ("listed models", { $0.listedModels = ["a", "b"] }),
        ("listed models, other", { $0.listedModels = ["a", "c"] }),
        ("list shape", { $0.listShape = "object-without-data" }),
        ("error type", { $0.error?.type = "not_found_error" }),
        ("error code", { $0.error?.code = nil }),
        ("error message", { $0.error?.message = "model gpt-4o not found" }),
        ("error param", { $0.error?.param = nil }),
        ("no error", { $0.error = nil }),
        ("failure", { $0.failure = Failure(.timeout, "timed out") }),
        ("failure kind", { $0.failure = Failure(.connectionError, "timed out") }),
        ("retries", { $0.retries = 2 }),
        ("sdk name", { $0.sdk?.name = "openai-node" }),
        ("sdk version", { $0.sdk?.version = "1.0.0" }),
        ("no credential", { $0.credential = nil }),
        ("credential", { $0.credential = "sk-two" }),
        ("via", { $0.responseHeaders[2] = Header("via", "1.1 other") }),
        ("proxy agent", { $0.responseHeaders[2] = Header("proxy-agent", "squid") }),
        ("source kinds", { $0.sourceKinds.insert(.har) }),
        ("missing", { $0.missing = [.urlNotLogged] }),
    ] }

    /// A bundle whose `/models` call used another key from another host (so the key and host
    /// comparisons are made) and whose catalog lists a name (so catalog matches are made).
    static func context(_ xs: [Exchange]) -> BundleContext {
        var models = Exchange()
        models.method = "GET"; models.url = "https://other.example.com/v1/models"; models.status = 200
        models.credential = "sk-two"; models.listedModels = ["gpt-4o", "gpt-4o-mini"]
        return BundleContext(exchanges: [models] + xs, userCatalog: [], aliases: aliases,
                             signals: [Signal(name: .configuredModel, value: "gpt-4o", line: SourceLine(ref: SourceRef(file: "t", line: 1), text: "model=gpt-4o"))])
    }

    @Test func identicalCallsShareOneDerivation() {
        var a = Self.base(), b = Self.base()
        b.requestID = "req_2"
        b.responseHeaders[1] = Header("content-length", "91")
        b.lines = [SourceLine(ref: SourceRef(file: "a.log", line: 9), text: "[00:00:02] POST ... 404")]
        b.responseBody = #"{"error":{"message":"no such model!"}}"#  // another body of the same shape
        a.index = 0; b.index = 1
        let ctx = Self.context([a, b])
        let fa = Facts.derive(a, in: ctx), fb = Facts.derive(b, in: ctx)
        #expect(fa.callClass >= 0)
        #expect(fa.callClass == fb.callClass)
        #expect(ctx.calls.count == 1)
        // The call's own fields are its own.
        #expect(fa["request_id"] == .string("req_1"))
        #expect(fb["request_id"] == .string("req_2"))
        #expect(fa["response.content_length"] == .number(90))
        #expect(fb["response.content_length"] == .number(91))
        #expect(fb["text"] == .string("[00:00:02] POST ... 404"))
        #expect(fb["response.body"] == .string(#"{"error":{"message":"no such model!"}}"#))
        #expect(fb["error.text"]?.description.hasSuffix("no such model!\"}}") == true)
        // Everything else is what each derives alone.
        #expect(fa.values == Facts.derive(a, in: Self.context([a, b])).values)
        #expect(fb.values == Facts.derive(b, in: Self.context([b, a])).values)
    }

    @Test func aCallDifferingInAnyFieldTheFactsReadGetsItsOwn() {
        let base = Self.base()
        let xs = [base] + Self.variants.map { name, change in
            var e = base
            change(&e)
            return e
        }
        let shared = Self.context(xs)
        let baseFacts = Facts.derive(base, in: shared)
        var classes: Set<Int32> = [baseFacts.callClass]
        for (i, (name, _)) in Self.variants.enumerated() {
            let e = xs[i + 1]
            let f = Facts.derive(e, in: shared)
            let alone = Facts.derive(e, in: Self.context(xs))
            #expect(f.values == alone.values, "\(name): shared facts differ from the call's own derivation")
            #expect(f.callClass >= 0 && f.callClass != baseFacts.callClass, "\(name): shares the base call's facts")
            classes.insert(f.callClass)
        }
        #expect(classes.count == Self.variants.count + 1, "every variant is a kind of call of its own")
        // Met again, each variant finds its own kind.
        for (i, (name, _)) in Self.variants.enumerated() {
            let f = Facts.derive(xs[i + 1], in: shared)
            #expect(f.values == Facts.derive(xs[i + 1], in: Self.context(xs)).values, "\(name), met again")
        }
        #expect(shared.calls.count == Self.variants.count + 1)
    }

    @Test func aCallWithNoExchangeFieldsStillDerives() {
        let ctx = Self.context([])
        let f = Facts.derive(Exchange(), in: ctx)
        #expect(f.values == Facts.derive(Exchange(), in: Self.context([])).values)
        #expect(f["request_id"] == nil)
        #expect(f["response.content_length"] == nil)
    }

    /// Whether a condition reads other exchanges or signals (through its definitions too).
    static func readsBundle(_ c: Condition, _ defs: [String: Condition], depth: Int = 0) -> Bool {
        guard depth < 16 else { return true }
        switch c {
        case .all(let cs), .any(let cs): return cs.contains { readsBundle($0, defs, depth: depth + 1) }
        case .not(let x): return readsBundle(x, defs, depth: depth + 1)
        case .test: return false
        case .exists, .none, .count, .signal: return true
        case .ref(let name, _): return defs[name].map { readsBundle($0, defs, depth: depth + 1) } ?? true
        }
    }

    /// On a log that repeats a few kinds of call in turn, every copy gets the verdict the
    /// tree walker of `explain` (no shape tables, its own facts memo) gives that copy: the
    /// shape tables file copies by their kind's shared fields without mixing kinds up.
    @Test func repeatedCallsGetTheirOwnKindsVerdicts() throws {
        let loaded = RuleLoader().load(folders: [Repo.path("rules")])
        let engine = RuleEngine(loaded: loaded)
        var kinds = [Self.base()]
        for (_, change) in Self.variants { var e = Self.base(); change(&e); kinds.append(e) }
        var many = TicketBundle()
        for r in 0..<3 {
            for (k, var e) in kinds.enumerated() {
                e.requestID = "req_\(r)_\(k)"
                e.lines = [SourceLine(ref: SourceRef(file: "a.log", line: r * 100 + k), text: "call \(r) \(k)")]
                many.exchanges.append(e)
            }
        }
        for i in many.exchanges.indices { many.exchanges[i].index = i }
        let out = engine.run(many)
        var checked = 0
        for rule in loaded.rules where rule.scope == .exchange && !Self.readsBundle(rule.when, loaded.definitions) {
            let t = try #require(out.trace[rule.id])
            for i in many.exchanges.indices {
                let truth = try #require(engine.explain(rule, on: many, exchange: i).first).truth
                let got: ConditionOutcome.Truth = t.matched.contains(i) ? .yes : t.failed.contains(i) ? .no : .unknown
                #expect(got == truth, "\(rule.id) on call \(i)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    /// Calls of one kind whose error bodies differ get the outcomes of their own error text
    /// (outcomes are kept per kind with the body they were made from).
    @Test func oneKindWithAnotherErrorBodyGetsItsOwnOutcome() {
        let pos = RulePosition(file: "t", line: 1, column: 1)
        let test = FieldTest(field: "error.text", op: .contains, values: ["quota"], boolValue: true, ignoreCase: false, regex: nil, position: pos)
        let rule = Rule(id: "quota", cause: "quota", symptom: "either", severity: .high, confidence: 0.8, scope: .exchange,
                        title: LocalizedText(en: "T"), message: LocalizedText(en: "M"), fix: LocalizedText(en: "F"),
                        ask: nil, subject: nil, when: .test(test), against: nil, supersedes: [], requires: [],
                        examplesFire: [], examplesQuiet: [], position: pos, pack: "t")
        var b = TicketBundle()
        for body in [#"{"e":"quota exceeded"}"#, #"{"e":"busy"}"#, #"{"e":"quota exceeded"}"#, #"{"e":"busy"}"#, #"{"e":"over quota"}"#] {
            var e = Self.base()
            e.error = nil
            e.status = 429
            e.responseBody = body
            b.exchanges.append(e)
        }
        for i in b.exchanges.indices { b.exchanges[i].index = i }
        let out = RuleEngine(rules: [rule], definitions: [:], aliases: AliasTables()).run(b)
        #expect(Array(out.trace["quota"]!.matched) == [0, 2, 4])
        #expect(Array(out.trace["quota"]!.failed) == [1, 3])
    }
}
