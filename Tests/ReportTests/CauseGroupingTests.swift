import Testing
@testable import DoctorModel
@testable import DoctorReport

/// Issue #10: several findings for the same cause read as several problems. People-facing
/// formats show one finding per cause and list the rest under it; JSON keeps them all.
@Suite struct CauseGroupingTests {
    /// The sample report plus a second, lower-ranked finding of the top cause, and two
    /// `outside-taxonomy` findings of different errors.
    static func report() throws -> Report {
        var report = try SampleReport.make()
        var twin = report.findings[0]
        twin.rule = "base-url.missing-version-family"
        twin.title = SampleReport.r("Possible cause: base URL without /v1")
        twin.severity = .low
        twin.confidence = 0.3
        report.findings.append(twin)
        for (rule, title) in [("family/rate-limit", "a rate limit"), ("family/context-length", "the context length was exceeded")] {
            var f = twin
            f.rule = rule; f.cause = "outside-taxonomy"; f.title = SampleReport.r(title); f.severity = .info
            report.findings.append(f)
        }
        return report
    }

    @Test func groupsFindingsByCauseInRankOrder() throws {
        let groups = try Self.report().findingsByCause
        #expect(groups.map(\.top.rule) == ["base-url.missing-version", "models.endpoint-unsupported", "family/rate-limit",
                                           "family/context-length"])
        #expect(groups[0].others.map(\.rule) == ["base-url.missing-version-family"])
        #expect(groups.dropFirst().allSatisfy { $0.others.isEmpty })
    }

    @Test func textShowsOneFindingPerCauseAndTheOthersUnderIt() throws {
        let text = TextRenderer().render(try Self.report())
        #expect(text.components(separatedBy: "(base-url-missing-version)\n").count == 2)
        #expect(text.contains("   Also found (same cause):\n     - [LOW 0.30] Possible cause: base URL without /v1 (base-url.missing-version-family)\n"))
        #expect(text.contains("#3 [INFO 0.30] a rate limit (outside-taxonomy)"))
        #expect(text.contains("#4 [INFO 0.30] the context length was exceeded (outside-taxonomy)"))
        #expect(!text.contains("#5 "))
    }

    @Test func markdownAndHTMLGroupTheSameWay() throws {
        let report = try Self.report()
        let md = MarkdownRenderer().render(report)
        #expect(md.components(separatedBy: "(`base-url-missing-version`)").count == 2)
        #expect(md.contains("**Also found (same cause)**"))
        #expect(md.contains("`base-url.missing-version-family`"))
        let html = HTMLRenderer().render(report)
        #expect(html.components(separatedBy: "<article").count == 5)
        #expect(html.contains("<h4>Also found (same cause)</h4>"))
    }

    @Test func jsonKeepsEveryFinding() throws {
        let json = JSONRenderer().render(try Self.report())
        #expect(json.contains("\"base-url.missing-version-family\""))
        #expect(json.components(separatedBy: "\"rule\": \"base-url.missing-version").count == 3)
    }
}
