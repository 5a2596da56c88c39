import Foundation
import SnapshotTesting
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

/// Golden reports: every bundle in `samples/` rendered as text and JSON, in English and
/// Chinese, compared byte for byte with the files in `samples/expected/`.
///
/// These pin the whole pipeline (reading, merging, rules, ranking, redaction, rendering), so a
/// refactor that changes no diagnosis must leave them untouched. To re-bless them on purpose
/// after a change that should alter reports, run
/// `SNAPSHOT_TESTING_RECORD=all swift test --filter GoldenReportTests` and review the diff of
/// `samples/expected/` before committing it.
@Suite struct GoldenReportTests {
    /// Every sample bundle: the ticket folders and the archives.
    static let samples: [String] = {
        let fm = FileManager.default
        var out: [String] = []
        for dir in ["samples/tickets", "samples/archives"] {
            let names = (try? fm.contentsOfDirectory(atPath: Repo.path(dir))) ?? []
            out += names.filter { !$0.hasPrefix(".") }.sorted().map { "\(dir)/\($0)" }
        }
        return out
    }()

    static let cases: [(String, OutputFormat, Lang)] = samples.flatMap { s in
        [OutputFormat.text, .json].flatMap { f in Lang.allCases.map { (s, f, $0) } }
    }

    @Test func everySampleIsCovered() {
        #expect(Self.samples.count >= 9)
    }

    @Test(arguments: cases)
    func reportMatchesGolden(_ sample: String, _ format: OutputFormat, _ lang: Lang) throws {
        var options = AnalysisOptions(inputs: [Repo.path(sample)], ruleFolders: [Repo.path("rules")])
        options.lang = lang
        let result = AnalysisPipeline.run(options)
        #expect(result.ruleErrors.isEmpty)
        let text = try result.redactor.gate(format.renderer.render(result.report))
        var strategy = Snapshotting<String, String>.lines
        strategy.pathExtension = format == .json ? "json" : "txt"
        let leaf = sample.split(separator: "/").last.map(String.init) ?? sample
        let failure = verifySnapshot(of: text, as: strategy, named: "\(leaf).\(lang.rawValue)",
                                     snapshotDirectory: Repo.path("samples/expected"), testName: "report")
        #expect(failure == nil, "\(failure ?? "")")
    }
}
