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

@Suite struct RuleLoaderTests {
    func load(_ yaml: String, file: String = "t.yaml") -> RuleLoader.Result {
        var r = RuleLoader.Result()
        RuleLoader().load(text: yaml, file: file, into: &r)
        return r
    }

    static let minimal = """
    schema_version: 1
    rules:
      - id: r1
        cause: auth-invalid-key
        severity: high
        confidence: 0.8
        title: {en: "T", zh: "标题"}
        message: {en: "M {status}", zh: "消息"}
        fix: {en: "F", zh: "修复"}
        when:
          all:
            - {field: status, equals: 401}
    """

    @Test func loadsAMinimalPack() {
        let r = load(Self.minimal)
        #expect(r.errors.isEmpty)
        #expect(r.rules.map(\.id) == ["r1"])
        #expect(r.rules[0].severity == .high)
    }

    /// A pack's `unless:` stands every one of its rules down when it holds, and is the first
    /// test of each rule's `when` (so `explain` names it where it decided).
    @Test func packUnlessStandsEveryRuleDown() {
        let two = Self.minimal + """

          - id: r2
            cause: auth-invalid-key
            severity: high
            confidence: 0.8
            title: {en: "T", zh: "标题"}
            message: {en: "M", zh: "消息"}
            fix: {en: "F", zh: "修复"}
            when: {field: status, in: [401, 403]}
        """
        let guarded = two.replacingOccurrences(of: "rules:\n", with: "unless: {field: error.text, contains: quota}\nrules:\n")
        let plain = load(two), withUnless = load(guarded)
        #expect(plain.errors.isEmpty && withUnless.errors.isEmpty)
        func fired(_ r: RuleLoader.Result, _ message: String) -> [String] {
            var e = Exchange()
            e.method = "POST"; e.url = "http://h/v1/chat/completions"; e.status = 401
            e.error = APIError(message: message)
            e.sources = [SourceRef(file: "t.log", line: 1)]
            var b = TicketBundle(); b.exchanges = [e]
            return RuleEngine(rules: r.rules, definitions: [:], aliases: AliasTables()).diagnose(b, redactor: Redactor())
                .findings.map(\.rule).filter { $0.hasPrefix("r") }.sorted()
        }
        #expect(fired(plain, "You exceeded your current quota") == ["r1", "r2"])
        #expect(fired(withUnless, "You exceeded your current quota") == [], "both rules stand down")
        #expect(fired(withUnless, "Incorrect API key provided") == ["r1", "r2"], "and fire when it does not hold")
        for rule in withUnless.rules {
            guard case .all(let parts) = rule.when, case .not = parts.first else { Issue.record("\(rule.id): unless is not first"); continue }
        }
    }

    @Test func rejectsUnknownKeyWithPosition() {
        let yaml = Self.minimal.replacingOccurrences(of: "    severity: high", with: "    severty: high")
        let r = load(yaml)
        let e = r.errors.first { $0.message.contains("unknown key `severty`") }
        #expect(e != nil)
        #expect(e?.position.line == 5)
        #expect(e?.position.column == 5)
        #expect(e?.message.contains("did you mean `severity`") == true)
        #expect(r.packs.isEmpty, "a pack with errors is refused whole")
    }

    @Test func reportsYAMLSyntaxErrorsWithLineAndColumn() {
        let r = load("schema_version: 1\nrules:\n  - id: [unclosed\n")
        #expect(r.errors.count == 1)
        #expect(r.errors[0].position.line >= 3)
        #expect(r.errors[0].description.hasPrefix("t.yaml:"))
    }

    @Test func refusesNewerSchemaVersion() {
        let r = load(Self.minimal.replacingOccurrences(of: "schema_version: 1", with: "schema_version: 9"))
        #expect(r.errors.contains { $0.message.contains("newer than this modeldoctor supports") })
    }

    @Test func rejectsBadAndCatastrophicRegex() {
        let bad = Self.minimal.replacingOccurrences(of: "{field: status, equals: 401}", with: "{field: error.text, matches: \"(unclosed\"}")
        #expect(load(bad).errors.contains { $0.message.contains("invalid regular expression") })
        let slow = Self.minimal.replacingOccurrences(of: "{field: status, equals: 401}", with: "{field: error.text, matches: \"(a+)+b\"}")
        #expect(load(slow).errors.contains { $0.message.contains("backtrack") })
    }

    @Test func lintFlagsUnknownCauseFieldMissingTranslationAndExamples() {
        let yaml = Self.minimal
            .replacingOccurrences(of: "cause: auth-invalid-key", with: "cause: no-such-cause")
            .replacingOccurrences(of: "{field: status, equals: 401}", with: "{field: statuss, equals: 401}")
            .replacingOccurrences(of: "fix: {en: \"F\", zh: \"修复\"}", with: "fix: \"F\"")
        let issues = RuleLint.lint(load(yaml))
        #expect(issues.contains { $0.message.contains("unknown cause `no-such-cause`") })
        #expect(issues.contains { $0.message.contains("unknown field `statuss`") && $0.position.line == 12 })
        #expect(issues.contains { $0.message.contains("no Chinese (zh) translation") })
        #expect(issues.contains { $0.message.contains("needs at least one `fire` and one `quiet` example") })
    }

    @Test func laterPackReplacesRuleWithSameId() {
        var r = RuleLoader.Result()
        RuleLoader().load(text: Self.minimal, file: "a.yaml", into: &r)
        RuleLoader().load(text: Self.minimal.replacingOccurrences(of: "severity: high", with: "severity: low"), file: "b.yaml", into: &r)
        #expect(r.rules.count == 1)
        #expect(r.rules[0].severity == .low)
    }

    @Test func readsAliasTables() {
        let r = load("schema_version: 1\naliases:\n  legacy:\n    GPT-35-Turbo: gpt-3.5-turbo\n  client_defaults: [gpt-3.5-turbo]\n")
        #expect(r.errors.isEmpty)
        #expect(r.aliases.legacy["gpt-35-turbo"] == "gpt-3.5-turbo")
        #expect(r.aliases.clientDefaults.contains("gpt-3.5-turbo"))
    }
}
