import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// The wording prior in the ranking (`WordingPrior`): it fills the differential and speaks
/// where the rules have nothing, never above `low` and never before a rule's finding.
@Suite struct WordingPriorTests {
    static func analyze(_ text: String, rules: String = Repo.path("rules")) throws -> AnalysisPipeline.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-wording-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ticket = dir.appendingPathComponent("ticket.txt")
        try text.write(to: ticket, atomically: true, encoding: .utf8)
        return AnalysisPipeline.run(AnalysisOptions(inputs: [ticket.path], ruleFolders: [rules]))
    }

    static let proseOnly = """
        The Discord bot says the model is invalid when I start a thread with the 32k GPT-4 variant.
        I have access to the regular gpt-4 model, only the 32k one is refused. Screenshots attached.
        """

    /// A ticket of prose alone: no rule decides, the wording proposes up to three causes, each
    /// a `low` pointer with its probability, and says what would confirm it.
    @Test func proseAloneGetsUpToThreeLowPointers() throws {
        let r = try Self.analyze(Self.proseOnly)
        let wording = r.report.findings.filter { $0.rule.hasPrefix("wording/") }
        #expect(!wording.isEmpty)
        #expect(Set(wording.map(\.cause)).count == wording.count)
        #expect(Set(r.report.findings.map(\.cause)).count <= 3)
        for f in wording {
            #expect(f.severity == .low)
            #expect(f.confidence > 0 && f.confidence <= 0.5)
            #expect(f.fix.value.hasPrefix("Confirm with the customer"))
            #expect(f.message.value.contains("probability"))
        }
        // Best first: the scores fall along the list.
        let scores = r.report.findings.map(\.score)
        #expect(scores == scores.sorted(by: >))
    }

    /// A rule's diagnosis stays first; the wording only follows the rules' and families'
    /// findings, and only while fewer than three causes are named.
    @Test func aRulesDiagnosisStaysFirst() throws {
        let r = try Self.analyze("""
            The client shows no models.
            OPENAI_BASE_URL=https://relay.example.com
            GET https://relay.example.com/models "HTTP/1.1 404 Not Found"
            {"error":{"message":"Invalid URL (GET /models)","type":"invalid_request_error"}}
            """)
        let fs = r.report.findings
        #expect(fs.first?.cause == "base-url-missing-version")
        #expect(fs.first.map { !$0.rule.hasPrefix("wording/") } == true)
        if let firstWording = fs.firstIndex(where: { $0.rule.hasPrefix("wording/") }) {
            #expect(!fs[firstWording...].contains { !$0.rule.hasPrefix("wording/") && !$0.rule.hasPrefix("rival/") && $0.cause != "unexplained-failure" && $0.cause != "outside-taxonomy" })
        }
    }

    /// A failure named as outside the taxonomy (a context length) with no cause beside it is
    /// answered: the wording adds nothing.
    @Test func anErrorOutsideTheTaxonomyGetsNoWordingCandidates() throws {
        let r = try Self.analyze("""
            openai.BadRequestError: Error code: 400 - {'error': {'message': "This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens.", 'type': 'invalid_request_error', 'param': 'messages', 'code': 'context_length_exceeded'}}
            """)
        #expect(r.report.findings.contains { $0.cause == "outside-taxonomy" })
        #expect(!r.report.findings.contains { $0.rule.hasPrefix("wording/") })
    }

    /// A bundle whose calls worked and in which nothing was found stays quiet, whatever its
    /// ticket line says ("please check our setup" reads a little like many causes).
    @Test func aHealthyBundleGetsNoWordingCandidates() {
        let r = AnalysisPipeline.run(AnalysisOptions(inputs: [Repo.path("samples/tickets/20-no-problem")], ruleFolders: [Repo.path("rules")]))
        #expect(!r.bundle.exchanges.isEmpty)
        #expect(r.report.findings.isEmpty)
    }

    /// The prior is data: a rule folder without `wording-model.tsv` ranks without it.
    @Test func withoutTheModelFileTheStageDoesNothing() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("md-rules-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        for f in try fm.contentsOfDirectory(atPath: Repo.path("rules")) where f.hasSuffix(".yaml") {
            try fm.copyItem(atPath: Repo.path("rules/\(f)"), toPath: dir.appendingPathComponent(f).path)
        }
        let r = try Self.analyze(Self.proseOnly, rules: dir.path)
        #expect(!r.report.findings.contains { $0.rule.hasPrefix("wording/") })
        #expect(!r.report.rulePacks.contains { $0.name == "wording-model" })
        let shipped = try Self.analyze(Self.proseOnly)
        #expect(shipped.report.rulePacks.contains { $0.name == "wording-model" })
    }
}
