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

/// A temporary folder holding `files` (name → text).
private func packFolder(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-accept-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return dir
}

/// Every ```yaml rule-pack block of docs/rules.md, as written: it must pass the acceptance
/// rule (lint) and its embedded examples, on top of the shipped packs, from a folder of its own
/// (as a reader who copies it verbatim would run it).
@Suite struct DocsRulePackTests {
    static func blocks() throws -> [String] {
        let md = try String(contentsOfFile: Repo.path("docs/rules.md"), encoding: .utf8)
        var out: [String] = []
        var current: [String]?
        for line in md.components(separatedBy: "\n") {
            if current == nil, line.hasPrefix("```yaml") { current = []; continue }
            if current != nil, line.hasPrefix("```") { out.append(current!.joined(separator: "\n") + "\n"); current = nil; continue }
            current?.append(line)
        }
        return out
    }

    @Test func everyYAMLBlockIsMarkedAsARulePackAndThereAreSome() throws {
        let md = try String(contentsOfFile: Repo.path("docs/rules.md"), encoding: .utf8)
        let fences = md.components(separatedBy: "\n").filter { $0.hasPrefix("```yaml") }
        #expect(fences.count >= 2)
        // `yaml excerpt` marks a fragment of a shipped file shown for its shape, not a pack to run.
        #expect(fences.allSatisfy { $0 == "```yaml rule-pack" || $0 == "```yaml excerpt" }, "\(fences)")
        #expect(fences.filter { $0 == "```yaml rule-pack" }.count >= 2)
    }

    @Test func everyDocumentedPackPassesLintAndItsExamples() throws {
        let blocks = try Self.blocks()
        #expect(!blocks.isEmpty)
        for (i, yaml) in blocks.enumerated() {
            let dir = try packFolder(["doc-\(i).yaml": yaml])
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("doc-\(i).yaml").path
            let raw = RuleLoader().load(folders: [Repo.path("rules"), dir.path])
            let result = RuleAcceptance.accept(raw, examples: .files([file]), baseFolders: [Repo.root.path])
            let issues = result.loaded.errors.filter { $0.position.file == file }
            #expect(issues.isEmpty, "block \(i): \(issues.map(\.description))")
            let rules = raw.packs.filter { $0.path == file }.flatMap(\.rules)
            if !rules.isEmpty {
                #expect(result.examples?.examples ?? 0 >= rules.count * 2, "block \(i) runs too few examples")
                #expect(result.examples?.failures.isEmpty == true, "block \(i): \(result.examples?.failures.map(\.description) ?? [])")
            }
        }
    }
}

/// One acceptance rule for analyze, lint and test.
@Suite struct RuleAcceptanceTests {
    /// The shipped cause taxonomy, which a pack tested on its own is checked against.
    static let taxonomy = Repo.path("rules/causes.yaml")
    static let rule = """
    schema_version: 1
    rules:
      - id: acme-down
        cause: upstream-unavailable
        severity: high
        confidence: 0.9
        title: {en: "down", zh: "宕机"}
        message: {en: "down", zh: "宕机"}
        fix: {en: "wait", zh: "等待"}
        when: {field: error.text, contains: "acme is down"}
        examples:
          fire: ["Error code: 503 - {'error': {'message': 'acme is down'}}"]
          quiet: ["Error code: 503 - {'error': {'message': 'other'}}"]

    """

    @Test func aPackWhoseExamplesFailIsRefusedWhenExamplesAreChecked() throws {
        let broken = Self.rule.replacingOccurrences(of: "quiet: [\"Error code: 503 - {'error': {'message': 'other'}}\"]",
                                                    with: "quiet: [\"Error code: 503 - {'error': {'message': 'acme is down'}}\"]")
        let dir = try packFolder(["acme.yaml": broken])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("acme.yaml").path
        let result = RuleAcceptance.load(folders: [Self.taxonomy, dir.path], examples: .all)
        #expect(!result.loaded.packs.contains { $0.path.hasPrefix(dir.path) })
        #expect(result.loaded.errors.contains { $0.level == .error && $0.position.file == file && $0.message.contains("must stay quiet") })
        // The pipeline applies the same rule to a pack outside the shipped folder.
        var o = AnalysisOptions(inputs: [], ruleFolders: [dir.path])
        o.shippedRulesFolder = Repo.path("rules")
        let loaded = AnalysisPipeline.loadRules(o)
        #expect(loaded.packs.isEmpty)
        #expect(loaded.errors.contains { $0.level == .error })
    }

    @Test func missingTranslationsAndExamplesAreWarningsEverywhere() throws {
        let thin = Self.rule.replacingOccurrences(of: ", zh: \"宕机\"", with: "")
            .components(separatedBy: "\n").prefix { !$0.contains("examples:") }.joined(separator: "\n") + "\n"
        let dir = try packFolder(["thin.yaml": thin])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = RuleAcceptance.load(folders: [Self.taxonomy, dir.path], examples: .all)
        #expect(result.loaded.packs.filter { $0.path.hasPrefix(dir.path) }.count == 1, "a pack with warnings only is used")
        #expect(!result.loaded.errors.isEmpty)
        #expect(result.loaded.errors.allSatisfy { $0.level == .warning }, "\(result.loaded.errors.map(\.description))")
        #expect(RuleLint.lint(RuleLoader().load(folders: [Self.taxonomy, dir.path])).allSatisfy { $0.level == .warning })
    }

    @Test func aPackWithAnUnknownFieldIsRefusedAndAnalysisSaysSo() throws {
        let bad = Self.rule.replacingOccurrences(of: "field: error.text", with: "field: error.txt")
        let dir = try packFolder(["bad.yaml": bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = AnalysisOptions(inputs: [Repo.path("samples/tickets/01-base-url-missing-version")], ruleFolders: [Repo.path("rules"), dir.path])
        o.shippedRulesFolder = Repo.path("rules")
        let result = AnalysisPipeline.run(o)
        #expect(result.ruleErrors.contains { $0.level == .error && $0.message.contains("error.txt") })
        #expect(!result.report.rulePacks.contains { $0.path.hasSuffix("bad.yaml") })
        #expect(result.report.problems.contains { $0.level == .error && $0.location.hasPrefix("bad.yaml:") })
    }

    @Test func fileExamplesResolveFromThePackFolderFirst() throws {
        let withFile = Self.rule.replacingOccurrences(of: "fire: [\"Error code: 503 - {'error': {'message': 'acme is down'}}\"]",
                                                      with: "fire: [{file: fixtures/down.log}]")
        let dir = try packFolder(["acme.yaml": withFile])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        try "Error code: 503 - {'error': {'message': 'acme is down'}}\n".write(to: dir.appendingPathComponent("fixtures/down.log"), atomically: true, encoding: .utf8)
        let result = RuleAcceptance.load(folders: [Self.taxonomy, dir.path], examples: .all)
        #expect(result.examples?.failures.isEmpty == true, "\(result.examples?.failures.map(\.description) ?? [])")
        #expect(result.loaded.packs.filter { $0.path.hasPrefix(dir.path) }.count == 1)
    }
}

/// `analyze --rules DIR` runs a pack's examples once per binary and pack set, not on every call.
@Suite struct AcceptanceCacheTests {
    static func docPack() throws -> String {
        try #require(DocsRulePackTests.blocks().first { $0.contains("fire:") && $0.contains("quiet:") })
    }

    func accept(_ dir: URL, cache: String) -> RuleAcceptance.Result {
        let raw = RuleLoader().load(folders: [Repo.path("rules"), dir.path])
        let own = Set(raw.packs.map(\.path).filter { $0.hasPrefix(dir.path) })
        return RuleAcceptance.accept(raw, examples: .files(own), baseFolders: [Repo.root.path], remember: true, cacheDirectory: cache)
    }

    @Test func aPassingPackRunsItsExamplesOnceAndAgainWhenItChanges() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("md-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let yaml = try Self.docPack()
        let dir = try packFolder(["mine.yaml": yaml])
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = accept(dir, cache: cache)
        #expect((first.examples?.examples ?? 0) > 0, "the first use runs the examples")
        #expect(first.examples?.failures.isEmpty == true)
        let second = accept(dir, cache: cache)
        #expect(second.examples == nil, "the same binary and packs: not run again")
        #expect(second.loaded.packs.map(\.path) == first.loaded.packs.map(\.path), "and the pack is still used")
        // A changed pack is tested again.
        try (yaml + "\n# edited\n").write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        #expect((accept(dir, cache: cache).examples?.examples ?? 0) > 0)
    }

    @Test func aFailingPackIsRefusedEveryTime() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("md-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        // The documented pack with its fire and quiet examples swapped: every example fails.
        let swapped = try Self.docPack().replacingOccurrences(of: "fire:", with: "FIRE_TMP:")
            .replacingOccurrences(of: "quiet:", with: "fire:").replacingOccurrences(of: "FIRE_TMP:", with: "quiet:")
        let dir = try packFolder(["bad.yaml": swapped])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml").path
        for _ in 0..<2 {
            let r = accept(dir, cache: cache)
            #expect(r.examples?.failures.isEmpty == false, "the examples run again")
            #expect(!r.loaded.packs.contains { $0.path == file }, "and the pack is refused")
        }
    }
}
