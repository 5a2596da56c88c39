import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRules
import TestSupport

/// One test per lint check: a pack with one mistake, written to a temporary folder, linted
/// against the shipped cause taxonomy; the issue must name the mistake at its `file:line:column`.
@Suite struct RuleLintTests {
    static let base = """
    schema_version: 1
    rules:
      - id: r1
        cause: auth-invalid-key
        severity: high
        confidence: 0.8
        title: {en: "Key refused ({status})", zh: "密钥被拒绝（{status}）"}
        message: {en: "M {subject}", zh: "消息"}
        fix: {en: "F", zh: "修复"}
        supersedes: [model-not-in-catalog]
        when:
          all:
            - {field: status, equals: 401}
            - {signal: ticket-text}
        examples:
          fire: ['401']
          quiet: ['200']
    """

    /// Lints `yaml` as `pack.yaml`; returns its issues and the file's path.
    func lint(_ yaml: String) throws -> (issues: [RuleError], file: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pack.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let loaded = RuleLoader().load(folders: [Repo.path("rules/causes.yaml"), dir.path])
        return (RuleLint.lint(loaded), file)
    }

    func replacing(_ a: String, _ b: String) -> String {
        precondition(Self.base.contains(a))
        return Self.base.replacingOccurrences(of: a, with: b)
    }

    @Test func theBasePackIsClean() throws {
        #expect(try lint(Self.base).issues.isEmpty)
    }

    @Test func unknownPlaceholderInATextIsReportedAtThatText() throws {
        let (issues, file) = try lint(replacing(#"zh: "密钥被拒绝（{status}）""#, #"zh: "密钥被拒绝（{stauts}）""#))
        #expect(issues.count == 1)
        let i = try #require(issues.first)
        #expect(i.description == "\(file):7:47: error: rule `r1`: title (zh) has unknown placeholder `{stauts}` (did you mean `status`?); use a field, {subject} or {occurrences}, or write literal braces as {{ and }}")
    }

    @Test func bracesWrittenAsEscapesAreNoPlaceholder() throws {
        #expect(try lint(replacing(#"fix: {en: "F""#, #"fix: {en: "F {{\"data\":[]}}""#)).issues.isEmpty)
    }

    @Test func unknownSignalIsReportedAtTheSignalName() throws {
        let (issues, file) = try lint(replacing("{signal: ticket-text}", "{signal: ticket_text}"))
        #expect(issues.count == 1)
        let i = try #require(issues.first)
        #expect(i.position == RulePosition(file: file, line: 14, column: 20))
        #expect(i.message.hasPrefix("unknown signal `ticket_text` (did you mean `ticket-text`?); parsers emit: ticket-text, docker, configured-base-url"))
    }

    @Test func unknownFieldIsReportedAtTheTest() throws {
        let (issues, file) = try lint(replacing("{field: status, equals: 401}", "{field: stauts, equals: 401}"))
        #expect(issues.map(\.description) == ["\(file):13:11: error: unknown field `stauts` (did you mean `status`?); see docs/rules.md for the list"])
    }

    @Test func supersedingAnUnknownCauseIsReportedAtTheEntry() throws {
        let (issues, file) = try lint(replacing("supersedes: [model-not-in-catalog]", "supersedes: [model-not-in-catalog, model-not-in-catlog]"))
        #expect(issues.map(\.description) == ["\(file):10:40: error: rule `r1`: supersedes unknown cause `model-not-in-catlog` (did you mean `model-not-in-catalog`?); cause keys are listed in rules/causes.yaml"])
    }

    @Test func aSupersedesCycleIsReportedWithEveryEdge() throws {
        let second = """

          - id: r2
            cause: model-not-in-catalog
            severity: low
            confidence: 0.5
            title: {en: "T", zh: "标题"}
            message: {en: "M", zh: "消息"}
            fix: {en: "F", zh: "修复"}
            supersedes: [insufficient-balance]
            when: {field: status, equals: 404}
            examples:
              fire: ['404']
              quiet: ['200']
          - id: r3
            cause: insufficient-balance
            severity: low
            confidence: 0.5
            title: {en: "T", zh: "标题"}
            message: {en: "M", zh: "消息"}
            fix: {en: "F", zh: "修复"}
            supersedes: [auth-invalid-key]
            when: {field: status, equals: 402}
            examples:
              fire: ['402']
              quiet: ['200']
        """
        let (issues, file) = try lint(Self.base + second)
        #expect(issues.count == 1)
        let i = try #require(issues.first)
        #expect(i.position == RulePosition(file: file, line: 10, column: 18))
        #expect(i.message == "supersedes cycle: auth-invalid-key → model-not-in-catalog → insufficient-balance → auth-invalid-key"
            + " (`auth-invalid-key` → `model-not-in-catalog` by `r1` (\(file):10:18); `model-not-in-catalog` → `insufficient-balance` by `r2` (\(file):25:18);"
            + " `insufficient-balance` → `auth-invalid-key` by `r3` (\(file):37:18)); remove the weaker edge so the ranking does not depend on the order of capping")
    }

    @Test func unknownCauseIsReportedAtTheCauseAndNamesCausesYaml() throws {
        let (issues, file) = try lint(replacing("cause: auth-invalid-key", "cause: auth-invald-key"))
        #expect(issues.map(\.description) == ["\(file):4:12: error: rule `r1`: unknown cause `auth-invald-key` (did you mean `auth-invalid-key`?); add it to rules/causes.yaml (or list it under the pack's `causes:`)"])
    }

    @Test func aCauseAPackDeclaresIsKnown() throws {
        let yaml = replacing("cause: auth-invalid-key", "cause: acme-maintenance").replacingOccurrences(of: "rules:\n", with: "causes: [acme-maintenance]\nrules:\n")
        #expect(try lint(yaml).issues.isEmpty)
    }
}
