import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// `--stats`: every stage is timed, the counts are those of the bundle, every rule of the
/// loaded packs is listed, and collecting changes nothing in the report. Timings themselves
/// are never asserted (this machine is shared and noisy).
@Suite struct RunStatsTests {
    static let log = "Tests/Fixtures/python-sdk/01-base-url-missing-version.log"

    static func analyse(_ inputs: [String], rules: [String] = [Repo.path("rules")], stats: RunStats?) -> AnalysisPipeline.Result {
        var options = AnalysisOptions(inputs: inputs, ruleFolders: rules)
        options.stats = stats
        return AnalysisPipeline.run(options)
    }

    @Test func everyStageIsTimedAndTheCountsAreTheBundles() throws {
        let stats = RunStats()
        let result = Self.analyse([Repo.path(Self.log)], stats: stats)
        let names = stats.stages.map(\.name)
        typealias S = RunStats.StageName
        for stage in [S.loadRules, S.read, S.merge, S.facts, S.rules, S.findings, S.ticketFacts, S.timeline] {
            #expect(names.contains(stage), "stage \(stage) missing from \(names)")
        }
        #expect(names.contains(S.parsePrefix + InputKind.pythonSDKLog.rawValue), "\(names)")
        // The fixture holds two calls (a 404 on the models list, then on a completion).
        #expect(result.bundle.exchanges.count == 2)
        #expect(stats.count("exchanges") == 2)
        #expect(stats.count("files") == 1)
        let size = try FileManager.default.attributesOfItem(atPath: Repo.path(Self.log))[.size] as? Int
        #expect(stats.count("bytes") == size)
        #expect(stats.count("lines") == result.report.inputs.first?.lines)
        #expect((stats.count("shapes") ?? 0) >= 1 && (stats.count("shapes") ?? 0) <= 2)
    }

    @Test func everyLoadedRuleIsListedOnce() throws {
        let stats = RunStats()
        _ = Self.analyse([Repo.path(Self.log)], stats: stats)
        let loaded = AnalysisPipeline.loadRules(AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")]))
        let ids = loaded.rules.map(\.id)
        let listed = stats.rules.map(\.rule)
        #expect(Set(listed) == Set(ids))
        #expect(listed.count == ids.count)
        // Per-exchange rules were evaluated on this bundle.
        #expect(stats.rules.reduce(0) { $0 + $1.evaluations } > 0)
        // Slowest first.
        let times = stats.rules.map(\.nanoseconds)
        #expect(times == times.sorted(by: >))
    }

    @Test func aRuleAddedInAnotherPackIsTimed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A costly (but accepted) pattern that never matches here: no literal for the prefilter.
        let pack = #"""
        schema_version: 1
        pack: slow-operator
        rules:
          - id: operator-slow-regex
            cause: network-proxy
            severity: low
            confidence: 0.5
            title: {en: "slow", zh: "慢"}
            message: {en: "slow", zh: "慢"}
            fix: {en: "none", zh: "无"}
            when: {field: error.text, matches: "\\w+\\s+\\w+\\s+\\w+\\s+\\w+\\s+[0-9]{12}"}
        """#
        try pack.write(to: dir.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        let stats = RunStats()
        let result = Self.analyse([Repo.path(Self.log)], rules: [Repo.path("rules"), dir.path], stats: stats)
        #expect(!result.ruleErrors.contains { $0.level == .error }, "\(result.ruleErrors)")
        let mine = try #require(stats.rules.first { $0.rule == "operator-slow-regex" })
        #expect(mine.evaluations + mine.keyTests > 0)
        #expect(stats.table(top: stats.rules.count).contains("operator-slow-regex"))
        #expect(!result.report.findings.contains { $0.rule == "operator-slow-regex" })
    }

    @Test(arguments: ["samples/tickets/01-base-url-missing-version", "samples/tickets/10-model-name-case", log])
    func collectingChangesNothingInTheReport(_ input: String) throws {
        let plain = Self.analyse([Repo.path(input)], stats: nil)
        let timed = Self.analyse([Repo.path(input)], stats: RunStats())
        for format in [OutputFormat.json, .text] {
            #expect(try plain.redactor.gate(format.renderer.render(plain.report)) == timed.redactor.gate(format.renderer.render(timed.report)))
        }
    }

    @Test func theTableListsTheSlowestAndTheTotal() {
        let stats = RunStats()
        stats.add(stage: "read", nanoseconds: 2_000_000)
        for (i, id) in ["a", "b", "c", "d"].enumerated() {
            stats.add(rule: id, nanoseconds: UInt64(i + 1) * 1_000_000, evaluations: i, keyTests: 0)
        }
        stats.count("exchanges", 7)
        let table = stats.table(top: 2)
        #expect(table.contains("slowest 2 of 4"))
        #expect(table.contains("\nd "))
        #expect(table.contains("\nc "))
        #expect(!table.contains("\na "))
        #expect(table.contains("all rules"))
        #expect(table.contains("exchanges 7"))
    }
}
