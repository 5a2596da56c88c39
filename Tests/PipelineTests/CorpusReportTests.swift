import Foundation
import Testing
import DoctorModel
import DoctorParse
@testable import DoctorReport
import DoctorRules
import ModelDoctorKit
import TestSupport

/// The people-facing reports over the whole corpus: every sample bundle and every real ticket
/// folder (`Tests/Fixtures/real-tickets/batch-0*/<ticket>/`), in English and Chinese.
///
/// Issue #10: support engineers read these in a terminal, so no line may be wider than the
/// 100-column fallback, counting a CJK character as two columns.
@Suite struct CorpusReportTests {
    /// One analysed bundle of the corpus, rendered in both languages.
    struct Rendered: Sendable {
        var name: String
        var reports: [Lang: Report]
    }

    /// Every bundle of the corpus, relative to the package root.
    static let bundles: [String] = {
        let fm = FileManager.default
        func children(_ dir: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: Repo.path(dir))) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
        var out = children("samples/tickets").filter { $0.first?.isNumber == true }.map { "samples/tickets/\($0)" }
        out += children("samples/archives").map { "samples/archives/\($0)" }
        for batch in children("Tests/Fixtures/real-tickets") where batch.hasPrefix("batch-0") {
            let dir = "Tests/Fixtures/real-tickets/\(batch)"
            for ticket in children(dir) {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: Repo.path("\(dir)/\(ticket)"), isDirectory: &isDir), isDir.boolValue {
                    out.append("\(dir)/\(ticket)")
                }
            }
        }
        return out
    }()

    /// The corpus analysed once (rules compiled once), each bundle reported in en and zh.
    static let corpus: [Rendered] = {
        var options = AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")])
        let loaded = AnalysisPipeline.loadRules(options)
        let engine = RuleEngine(loaded: loaded)
        return bundles.map { name in
            let bundle = BundleReader(limits: options.limits).read([Repo.path(name)])
            var reports: [Lang: Report] = [:]
            for lang in Lang.allCases {
                options.lang = lang
                reports[lang] = AnalysisPipeline.run(bundle: bundle, loaded: loaded, engine: engine, options: options).report
            }
            return Rendered(name: name, reports: reports)
        }
    }()

    @Test func corpusHoldsTheSamplesAndTheRealTickets() {
        #expect(Self.bundles.filter { $0.hasPrefix("samples/") }.count >= 10)
        #expect(Self.bundles.filter { $0.hasPrefix("Tests/Fixtures/real-tickets/") }.count >= 200)
    }

    @Test(arguments: Lang.allCases)
    func everyTextReportFitsOneHundredColumns(_ lang: Lang) throws {
        var tooWide: [String] = []
        for r in Self.corpus {
            let text = TextRenderer().render(try #require(r.reports[lang]))
            for line in text.split(separator: "\n") where TextWrap.displayWidth(String(line)) > 100 {
                tooWide.append("\(r.name): \(TextWrap.displayWidth(String(line))) columns: \(line)")
            }
        }
        #expect(tooWide.isEmpty, "\(tooWide.count) lines over 100 columns, e.g.\n\(tooWide.prefix(5).joined(separator: "\n"))")
    }

    @Test func narrowTerminalsAreHonouredToo() throws {
        for r in Self.corpus.prefix(40) {
            for lang in Lang.allCases {
                let text = TextRenderer(width: 60).render(try #require(r.reports[lang]))
                let wide = text.split(separator: "\n").filter { TextWrap.displayWidth(String($0)) > 60 }
                #expect(wide.isEmpty, "\(r.name) \(lang): \(wide.first ?? "")")
            }
        }
    }
}
