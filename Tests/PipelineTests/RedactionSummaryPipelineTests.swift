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

/// A report that shows a key fingerprint must not say "Nothing was redacted.", and the summary's
/// total, per-kind and per-file counts must agree.
@Suite struct RedactionSummaryPipelineTests {
    static let bundles = ["har/mitmproxy-empty-list.har", "har/playwright-empty-list.har", "redact/bundle", "merge"]

    @Test(arguments: bundles) func keysShownAreCountedAndTotalsAgree(_ fixture: String) {
        var o = AnalysisOptions(inputs: [Repo.fixture(fixture).path], ruleFolders: [Repo.path("rules")])
        o.shippedRulesFolder = Repo.path("rules")
        let report = AnalysisPipeline.run(o).report
        let s = report.redaction
        #expect(s.byKind.values.reduce(0, +) == s.total)
        #expect(s.byFile.values.reduce(0, +) == s.total)
        #expect(s.byFileAndKind.values.flatMap(\.values).reduce(0, +) == s.total)
        if !report.facts.keys.isEmpty {
            #expect(s.total >= report.facts.keys.count, "\(fixture): \(report.facts.keys.count) key(s) shown, \(s.total) redaction(s) counted")
            #expect(!TextRenderer().render(report).contains("Nothing was redacted."))
        }
    }

    @Test func theHARFixturesCarryKeys() {
        var o = AnalysisOptions(inputs: [Repo.fixture("har/mitmproxy-empty-list.har").path], ruleFolders: [Repo.path("rules")])
        o.shippedRulesFolder = Repo.path("rules")
        let report = AnalysisPipeline.run(o).report
        #expect(!report.facts.keys.isEmpty)
        #expect(report.redaction.byFile["mitmproxy-empty-list.har"] ?? 0 >= 1)
    }
}
