import Foundation
import Testing
import DoctorModel
import DoctorRedact
@testable import DoctorReport
import DoctorRules
import ModelDoctorKit
import TestSupport

/// The held-out captured bundles (`Tests/Fixtures/captured/captured-*`): real openai-python logs,
/// mitmproxy HARs and LiteLLM logs made blind, the way the shared corpus was made. Scored once on
/// arrival (FIRST-SIGHT.txt); these tests keep what was learnt from them.
@Suite struct CapturedHeldOutTests {
    static let root = "Tests/Fixtures/captured"

    /// `captured-N/case` for every labelled case of every set.
    static func cases() -> [String] {
        let fm = FileManager.default
        let sets = ((try? fm.contentsOfDirectory(atPath: Repo.path(root))) ?? []).filter { $0.hasPrefix("captured-") }.sorted()
        return sets.flatMap { set in
            ((try? fm.contentsOfDirectory(atPath: Repo.path("\(root)/\(set)"))) ?? []).sorted()
                .filter { fm.fileExists(atPath: Repo.path("\(root)/\(set)/\($0)/label.yaml")) }.map { "\(set)/\($0)" }
        }
    }

    static func label(_ name: String) -> [String: String] {
        var out: [String: String] = [:]
        let text = (try? String(contentsOfFile: Repo.path("\(root)/\(name)/label.yaml"), encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where !line.hasPrefix(" ") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    static func analyze(_ name: String) -> AnalysisPipeline.Result {
        var o = AnalysisOptions(inputs: [Repo.path("\(root)/\(name)")], ruleFolders: [Repo.path("rules")])
        o.shippedRulesFolder = Repo.path("rules")
        return AnalysisPipeline.run(o)
    }

    @Test func theSetIsHere() {
        #expect(Self.cases().count >= 60)
    }

    /// Every report renders and passes the output gate (a bundle whose cookies were redacted
    /// once had its JSON withheld: the summary's `"cookie": 2` read as a header); the labelled
    /// cause is among the first three causes, and a healthy bundle raises nothing above `low`.
    /// One analysis per case serves both.
    @Test(arguments: cases())
    func eachCaseRendersThroughTheGateAndNamesItsCause(_ name: String) throws {
        let want = try #require(Self.label(name)["cause"])
        let r = Self.analyze(name)
        for text in [JSONRenderer().render(r.report), TextRenderer().render(r.report)] {
            #expect(throws: Never.self) { _ = try r.redactor.gate(text) }
        }
        let findings = r.report.findings
        if want == "no-problem" || want == "none" {
            #expect(findings.allSatisfy { $0.severity < .medium }, "\(name): \(findings.map(\.cause))")
            return
        }
        var causes: [String] = []
        for f in findings where !causes.contains(f.cause) { causes.append(f.cause) }
        #expect(causes.prefix(3).contains(want), "\(name): want \(want), got \(causes.prefix(3))")
    }

    /// The cookie case: its redaction summary counts the cookies, and the JSON is written.
    @Test func aBundleWithCookiesReportsThemRedacted() throws {
        let r = Self.analyze("captured-1/04-console-url")
        #expect((r.report.redaction.byKind["cookie"] ?? 0) >= 1)
        let json = try r.redactor.gate(JSONRenderer().render(r.report))
        #expect(json.contains("\"cookie\""))
        #expect(!json.contains("mf_session="))
    }
}
