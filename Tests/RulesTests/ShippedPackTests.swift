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

/// Data-driven: every rule in rules/ is checked against its own embedded examples.
@Suite struct ShippedPackTests {
    static let loaded = RuleLoader().load(folders: [Repo.path("rules")])

    @Test func shippedPacksLoadAndLintClean() {
        #expect(Self.loaded.errors.isEmpty, "\(Self.loaded.errors.map(\.description))")
        let issues = RuleLint.lint(Self.loaded)
        #expect(issues.isEmpty, "\(issues.map(\.description))")
    }

    @Test func everyCauseOfTheTaxonomyIsCovered() {
        let covered = Set(Self.loaded.rules.map(\.cause))
        let keys = Set(Self.loaded.taxonomy.map(\.key))
        #expect(keys.subtracting(covered).isEmpty, "uncovered: \(keys.subtracting(covered).sorted())")
    }

    @Test func theTaxonomyIsDataWithEveryKeyDescribedInBothLanguages() {
        let causes = Self.loaded.taxonomy
        #expect(causes.count == 25)
        #expect(Set(causes.map(\.key)).count == causes.count)
        #expect(causes.allSatisfy { $0.pack == "causes" && $0.title.zh != nil && $0.description.zh != nil })
        #expect(Dictionary(grouping: causes, by: \.symptom).mapValues(\.count) == ["model-list-empty": 9, "either": 6, "model-not-found": 10])
        #expect(Self.loaded.causes == Set(causes.map(\.key)), "the shipped packs add no cause of their own")
    }

    @Test func everyFileThatChangesResultsIsListedWithItsDigest() {
        let names = Self.loaded.packs.map(\.name)
        for name in ["aliases", "causes", "definitions", "base-url", "gateway", "model-list", "model-name"] {
            #expect(names.contains(name), "\(name) missing from the pack list")
        }
        #expect(Self.loaded.packs.allSatisfy { $0.sha256.count == 64 })
    }

    @Test(arguments: RuleLoader().load(folders: [Repo.path("rules")]).rules.map(\.id))
    func embeddedExamplesHold(_ id: String) {
        let result = RuleTester(loaded: Self.loaded, baseFolders: [Repo.root.path]).run(only: [id])
        #expect(result.failures.isEmpty, "\(result.failures.map(\.description))")
        #expect(result.examples >= 2)
    }

    @Test func aNewRuleFileWorksWithoutRebuild() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        schema_version: 1
        pack: operator-extra
        version: 0.1.0
        rules:
          - id: acme-maintenance
            cause: upstream-unavailable
            severity: critical
            confidence: 0.99
            title: {en: "ACME maintenance window", zh: "ACME 维护窗口"}
            message: {en: "maintenance: {error.message}", zh: "维护中"}
            fix: {en: "wait", zh: "等待"}
            when: {field: error.text, contains: ACME-MAINT-42}
            examples:
              fire: ['{"error":{"message":"ACME-MAINT-42 channel paused","type":"acme"}}']
              quiet: ['{"error":{"message":"other","type":"acme"}}']
        """.write(to: dir.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
        let bundleDir = dir.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: bundleDir, withIntermediateDirectories: true)
        try #"{"error":{"message":"ACME-MAINT-42 channel paused","type":"acme"}}"#
            .write(to: bundleDir.appendingPathComponent("paste.txt"), atomically: true, encoding: .utf8)
        var opts = AnalysisOptions(inputs: [bundleDir.path], ruleFolders: [Repo.path("rules"), dir.path])
        opts.lang = .en
        let report = AnalysisPipeline.run(opts).report
        #expect(report.findings.first?.rule == "acme-maintenance")
        #expect(report.findings.first?.message.value == "maintenance: ACME-MAINT-42 channel paused")
        #expect(report.rulePacks.contains { $0.name == "operator-extra" && $0.version == "0.1.0" })
    }
}
