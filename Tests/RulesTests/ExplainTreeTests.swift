import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
import TestSupport

/// `explain RULE BUNDLE` walks each rule's conditions on each exchange: the walk must agree
/// with the engine's own verdict, and it must name the condition that failed or was unknown.
@Suite struct ExplainTreeTests {
    static let loaded = RuleLoader().load(folders: [Repo.path("rules")])

    /// Bundles of different kinds: an SDK log sample, a HAR, gateway logs and pasted tickets.
    static let inputs: [String] = {
        var paths = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path("samples")))?
            .filter { !$0.hasPrefix(".") }.sorted().map { Repo.path("samples/" + $0) } ?? []
        for t in ["batch-03/obsidian-ai-tagger-18", "batch-01/nextchat-3341", "batch-10/aider-747", "batch-10/chathub-436"] {
            paths.append(Repo.path("Tests/Fixtures/real-tickets/\(t)/ticket.txt"))
        }
        return paths
    }()

    @Test(arguments: inputs)
    func theWalkAgreesWithTheEngineOnEveryRuleAndExchange(_ path: String) {
        let bundle = BundleReader().read([path])
        let engine = RuleEngine(loaded: Self.loaded)
        let out = engine.run(bundle)
        var checked = 0
        for rule in Self.loaded.rules {
            let trace = out.trace[rule.id] ?? RuleEngine.RuleTrace()
            if rule.scope == .bundle {
                let root = engine.explain(rule, on: bundle, exchange: nil).first?.truth
                // A bundle rule that hit holds at bundle scope; one that did not never does
                // (its witnesses may be none: a rule on the ticket's words alone).
                #expect((root == .yes) == out.hits.contains { $0.rule.id == rule.id }, "\(rule.id) on \(path)")
                checked += 1
                continue
            }
            // Exchanges the engine evaluated (none when the rule's `requires` are unknown).
            for i in bundle.exchanges.indices {
                guard trace.matched.contains(i) || trace.failed.contains(i) || trace.unknown.contains(i) else { continue }
                let want: ConditionOutcome.Truth = trace.matched.contains(i) ? .yes : trace.failed.contains(i) ? .no : .unknown
                let lines = engine.explain(rule, on: bundle, exchange: i)
                #expect(lines.first?.truth == want, "\(rule.id) on #\(i) of \(path): walk \(String(describing: lines.first?.truth)), engine \(want)")
                checked += 1
            }
        }
        // Every bundle rule at least, and every exchange rule on every exchange it decided.
        #expect(checked >= Self.loaded.rules.filter { $0.scope == .bundle }.count + (bundle.exchanges.isEmpty ? 0 : Self.loaded.rules.count / 2),
                "too few verdicts compared on \(path): \(checked)")
    }

    @Test func theFailingAndUnknownConditionsAreNamedWithTheirValues() {
        let path = Repo.path("Tests/Fixtures/real-tickets/batch-03/obsidian-ai-tagger-18/ticket.txt")
        let bundle = BundleReader().read([path])
        let engine = RuleEngine(loaded: Self.loaded)
        let rule = try! #require(Self.loaded.rules.first { $0.id == "wrong-base-url-configured-host" })
        let lines = engine.explain(rule, on: bundle, exchange: 0)
        #expect(lines.first?.truth == .no)
        let host = lines.first { $0.label == "host.differs_from_configured equals true" }
        #expect(host?.truth == .yes && host?.value == "true")
        #expect(lines.first { $0.label == "request.model is known" }?.truth == .no)
        // The definition is shown by name, and inside it the status the paste does not give.
        let failed = try! #require(lines.firstIndex { $0.label == "definition `failed`" })
        let status = lines[failed...].first { $0.label.hasPrefix("status gte") }
        #expect(status?.truth == .unknown && status?.missing == true)
        #expect(status!.depth > lines[failed].depth)
    }

    @Test func theCommandPrintsTheTreeRedacted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = "sk-proj-" + String(repeating: "Ab3", count: 16)
        let file = dir.appendingPathComponent("ticket.txt")
        try """
        openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: \(key). You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}
        """.write(to: file, atomically: true, encoding: .utf8)
        let bundle = BundleReader().read([file.path])
        let text = RuleExplainer.trace(Self.loaded.rules, loaded: Self.loaded, bundle: bundle, redactor: Redactor())
        #expect(text.contains("on #0 "))
        #expect(text.contains("error.message"))
        #expect(text.contains("   = "), "field values are shown")
        #expect(!text.contains(key), "the key leaked into explain")
    }
}
