import Foundation
import Testing
import DoctorModel
import DoctorRedact
@testable import DoctorParse
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

    /// The case's files as the customer sent them: not its `label.yaml`, whose notes name the
    /// cause (the scoring tool leaves it out too).
    static func analyze(_ name: String) -> AnalysisPipeline.Result {
        let dir = Repo.path("\(root)/\(name)")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0 != "label.yaml" }.sorted()
        var o = AnalysisOptions(inputs: files.map { "\(dir)/\($0)" }, ruleFolders: [Repo.path("rules")])
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

    /// openai 3.x logs a call's method and status only: the URL is the bundle's one configured
    /// base URL plus the endpoint of the SDK call, so the base URL's shape is judged (here a
    /// documentation site's host).
    @Test func aCallLoggedWithoutItsURLGoesToTheConfiguredBase() throws {
        let r = Self.analyze("captured-4/03-docs-host")
        let urls = r.bundle.exchanges.filter { $0.hints.contains(.urlFromConfiguredBase) }.compactMap(\.url)
        #expect(urls.contains("https://docs.zhiyun-ai.com/v1/models"))
        #expect(urls.contains("https://docs.zhiyun-ai.com/v1/chat/completions"))
        // The report says the URL is inferred, not that none is known.
        let made = r.bundle.exchanges.filter { $0.hints.contains(.urlFromConfiguredBase) }
        #expect(made.allSatisfy { $0.missing.contains(.urlFromConfiguredBase) && !$0.missing.contains(.urlNotLoggedV3) })
        #expect(r.report.findings.first?.cause == "base-url-wrong-host")
        // Azure's client builds its own paths under the resource's root: no URL is made up.
        let azure = Self.analyze("captured-2/15-azure-switch")
        #expect(!azure.bundle.exchanges.contains { $0.hints.contains(.urlFromConfiguredBase) })
    }

    /// The customer's sentence "model x not found, but …" is set aside when the log holds the
    /// failing call (the inventory says so), and the call's own wording decides: LM Studio with
    /// no model loaded answers any name that way.
    @Test func aFailureRetoldInProseYieldsToTheLoggedCall() throws {
        let r = Self.analyze("captured-4/25-nothing-loaded")
        #expect(!r.bundle.exchanges.contains { $0.sourceKinds == [.errorText] && $0.status == nil })
        let ticket = try #require(r.bundle.inventory.first { $0.path.hasSuffix("ticket.txt") })
        #expect(ticket.notes.contains { $0.contains("set aside") })
        #expect(r.report.findings.first?.cause == "upstream-unavailable")
        #expect(!r.report.findings.contains { $0.cause == "model-name-suffix" && $0.severity >= .medium })
    }

    /// LiteLLM's start-up line `Error creating deployment: … You passed model=x` makes every
    /// later call for x the gateway's configuration, not its upstream.
    @Test func aDeploymentTheGatewayDroppedAtStartUpIsItsConfiguration() throws {
        let r = Self.analyze("captured-4/14-new-deployment")
        #expect(r.bundle.signals.contains { $0.name == .gatewayDeploymentError && $0.value == "qwen-max" })
        #expect(r.report.findings.first?.rule == "gateway-deployment-not-created")
        #expect(GatewayLogParser.passedModel("… You passed model=qwen-max\\n Pass model as …") == "qwen-max")
    }

    /// Two different version roots with the vendor's own path between them are one API's
    /// address (RunPod's `/v2/<endpoint>/openai/v1`); the same root twice is a doubled base.
    @Test func versionRootsApartAreNotADoubledBase() throws {
        let r = Self.analyze("captured-4/19-runpod-worker")
        #expect(!r.report.findings.contains { $0.cause == "base-url-duplicated-version" })
        #expect(r.report.findings.first?.cause == "model-name-marketing")
    }
}
