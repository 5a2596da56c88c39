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

    /// A rule's diagnosis stays first; the wording's proposals come after every diagnosis
    /// (medium and above), and only within the first three causes.
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
            #expect(!fs[firstWording...].contains { $0.severity >= .medium })
            var causes: [String] = []
            for f in fs[..<firstWording] where !causes.contains(f.cause) { causes.append(f.cause) }
            #expect(causes.count < 3)
        }
    }

    /// A rule folder with the shipped packs and a small wording model whose one word
    /// ("zebrafish") makes a retired name almost certain.
    static func rulesWithModel(blend: Double) throws -> String {
        try Repo.copyOfRules(wordingModel: "format\t2\nversion\ttest\nblend\t\(blend)\nclasses\tmodel-name-legacy-alias\tmodel-not-in-catalog\tnone\n"
            + "intercepts\t0\t0\t0\nzebrafish\t1.0\t0:8.0\n")
    }

    /// Below the diagnosis, the pointers are ordered by their confidence plus `blend` × the
    /// posterior of their cause: a cause the wording makes almost certain moves ahead of the
    /// family's static candidates, and with `blend` 0 it stays behind them (here: not shown, as
    /// it would come after the third cause). The diagnosis (medium) stays first either way, and a
    /// machine capture keeps the families' order.
    @Test func blendOrdersThePointersBelowTheDiagnosis() throws {
        let ticket = """
            My app fails:
            Error: 404 {"error": {"message": "The model `zebrafish-x` does not exist", "code": "model_not_found"}}
            """
        let fm = FileManager.default
        let blended = try Self.rulesWithModel(blend: 6)
        let plain = try Self.rulesWithModel(blend: 0)
        defer {
            for d in [blended, plain] { try? fm.removeItem(atPath: (d as NSString).deletingLastPathComponent) }
        }
        let a = try Self.analyze(ticket, rules: blended).report.findings
        let b = try Self.analyze(ticket, rules: plain).report.findings
        var ca: [String] = [], cb: [String] = []
        for f in a where !ca.contains(f.cause) { ca.append(f.cause) }
        for f in b where !cb.contains(f.cause) { cb.append(f.cause) }
        #expect(a.first?.severity == .medium)
        #expect(ca.first == b.first?.cause)
        #expect(ca.count >= 2 && ca[1] == "model-name-legacy-alias")
        #expect(a.first { $0.cause == "model-name-legacy-alias" }?.rule == "wording/model-name-legacy-alias")
        #expect(!cb.prefix(3).contains("model-name-legacy-alias"))
        #expect(cb.count >= 2 && cb[1] != "model-name-legacy-alias")
        // Scores still fall along the list.
        #expect(a.map(\.score) == a.map(\.score).sorted(by: >))
        // The same refusal in an openai-python log (a machine capture, not a pasted ticket): the
        // model learnt from tickets, so the families' order stays.
        let log = try Self.analyze("""
            My app fails:
            openai.NotFoundError: Error code: 404 - {"error": {"message": "The model `zebrafish-x` does not exist", "code": "model_not_found"}}
            """, rules: blended)
        #expect(log.bundle.inventory.contains { $0.kind == .pythonSDKLog && $0.exchanges > 0 })
        var cl: [String] = []
        for f in log.report.findings where !cl.contains(f.cause) { cl.append(f.cause) }
        #expect(!cl.prefix(3).contains("model-name-legacy-alias"), "\(cl)")
    }

    /// A base-URL shape mistake that every base URL shown answers is not proposed, by the
    /// words or by a family: a base URL ending in `/v1` lacks no version.
    @Test func aBaseURLWithItsVersionAnswersAMissingVersionProposal() throws {
        let rules = try Repo.copyOfRules(wordingModel: "format\t2\nversion\ttest\nblend\t6\nclasses\tbase-url-missing-version\tnone\n"
            + "intercepts\t0\t0\nzebrafish\t1.0\t0:8.0\n")
        defer { try? FileManager.default.removeItem(atPath: (rules as NSString).deletingLastPathComponent) }
        func causes(_ base: String) throws -> [String] {
            try Self.analyze("""
                The zebrafish node fails on every run
                Base URL: \(base)
                404 page not found
                """, rules: rules).report.findings.map(\.cause)
        }
        let versioned = try causes("https://api.example.com/v1")
        let bare = try causes("https://api.example.com")
        #expect(!versioned.contains("base-url-missing-version"), "\(versioned)")
        #expect(bare.contains("base-url-missing-version"), "\(bare)")
        // A base URL holding no endpoint path answers an endpoint-in-base proposal alike.
        #expect(!versioned.contains("base-url-includes-endpoint"), "\(versioned)")
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
        let dir = try Repo.copyOfRules(wordingModel: nil)
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let r = try Self.analyze(Self.proseOnly, rules: dir)
        #expect(!r.report.findings.contains { $0.rule.hasPrefix("wording/") })
        #expect(!r.report.rulePacks.contains { $0.name == "wording-model" })
        let shipped = try Self.analyze(Self.proseOnly)
        #expect(shipped.report.rulePacks.contains { $0.name == "wording-model" })
        // Every YAML pack of the copy loaded: only the model is missing.
        #expect(r.report.rulePacks.count == shipped.report.rulePacks.count - 1)
    }
}
