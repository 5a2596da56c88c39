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

@Suite struct DeterminismTests {
    @Test(arguments: OutputFormat.allCases)
    func renderingTwiceGivesTheSameBytes(format: OutputFormat) throws {
        let report = try SampleReport.make()
        #expect(format.renderer.render(report) == format.renderer.render(report))
    }

    /// The same counts inserted in a different order and into a differently sized table must
    /// not change the output: renderers sort every dictionary.
    @Test(arguments: OutputFormat.allCases)
    func outputDoesNotDependOnDictionaryOrder(format: OutputFormat) throws {
        var a = try SampleReport.make(), b = try SampleReport.make()
        let codes = [(500, 1), (404, 2), (200, 7), (401, 3), (429, 1), (502, 4), (301, 1)]
        let kinds = ["email", "api-key", "cookie", "bearer", "jwt", "url-credential"]
        a.facts.statusCodes = [:]; b.facts.statusCodes = [:]
        b.facts.statusCodes.reserveCapacity(256)
        for (code, n) in codes { a.facts.statusCodes[code] = n }
        for (code, n) in codes.reversed() { b.facts.statusCodes[code] = n }
        a.redaction.byKind = [:]; b.redaction.byKind = [:]
        b.redaction.byKind.reserveCapacity(256)
        for (i, k) in kinds.enumerated() { a.redaction.byKind[k] = i + 1 }
        for (i, k) in kinds.enumerated().reversed() { b.redaction.byKind[k] = i + 1 }
        #expect(format.renderer.render(a) == format.renderer.render(b))
    }

    @Test(arguments: OutputFormat.allCases)
    func unredactedBannerOnlyWhenSet(format: OutputFormat) throws {
        let plain = format.renderer.render(try SampleReport.make())
        let raw = format.renderer.render(try SampleReport.make(unredacted: true))
        if format == .json {
            #expect(plain.contains("\"unredacted\": false,"))
            #expect(raw.contains("\"unredacted\": true,"))
        } else {
            #expect(!plain.contains("UNREDACTED"))
            #expect(raw.contains("UNREDACTED: this report may contain API keys"))
        }
    }

    @Test(arguments: OutputFormat.allCases)
    func noMachinePathsReachTheReport(format: OutputFormat) throws {
        var report = try SampleReport.make()
        report.rulePacks[0].path = "/srv/tools/modeldoctor/rules/openai-gateway.yaml"
        let out = format.renderer.render(report)
        #expect(!out.contains("/srv/tools"))
        #expect(out.contains("rules/openai-gateway.yaml"))
    }

    /// The example in the contract document is exactly what the renderer prints for the
    /// sample report, so the document cannot drift from the code.
    @Test func contractDocumentExampleMatchesTheRenderer() throws {
        let doc = try String(contentsOfFile: Repo.path("docs/report-format.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "```json\n"))
        let end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
        let example = String(doc[start.upperBound..<end.lowerBound]) + "\n"
        #expect(example == JSONRenderer().render(try SampleReport.make()))
    }

    @Test func formatsNameTheirRenderers() {
        #expect(OutputFormat.allCases.map(\.rawValue) == ["text", "json", "markdown", "html"])
        #expect(OutputFormat(rawValue: "markdown")?.fileExtension == "md")
        #expect(OutputFormat.json.renderer is JSONRenderer)
        #expect((OutputFormat.text.renderer(colour: true) as? TextRenderer)?.colour == true)
    }
}
