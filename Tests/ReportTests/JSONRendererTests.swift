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

@Suite struct JSONRendererTests {
    /// The report parsed back with Foundation's own reader, as a consumer would.
    private func parse(_ report: Report) throws -> [String: Any] {
        let text = JSONRenderer().render(report)
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func topLevelKeysComeInContractOrder() throws {
        let text = JSONRenderer().render(try SampleReport.make())
        let keys = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  \""), !line.hasPrefix("   ") else { return nil }
            return String(line.dropFirst(3).prefix(while: { $0 != "\"" }))
        }
        #expect(keys == ["schema", "tool", "unredacted", "lang", "rule_packs", "inputs", "facts", "findings",
                         "not_evaluated", "ask_for", "redaction", "problems"])
    }

    @Test func findingKeysComeInContractOrder() throws {
        let text = JSONRenderer().render(try SampleReport.make())
        let start = try #require(text.range(of: "\"findings\": ["))
        let firstFinding = text[start.upperBound...]
        let expected = ["rule", "cause", "symptom", "severity", "confidence", "score", "subject", "title", "message",
                        "fix", "occurrences", "evidence", "evidence_against", "missing", "supersedes", "exchanges"]
        let positions = try expected.map { key in
            try #require(firstFinding.range(of: "\"\(key)\": ")).lowerBound
        }
        #expect(positions == positions.sorted())
    }

    @Test func parsesBackWithExactValues() throws {
        let doc = try parse(try SampleReport.make())
        #expect(doc["schema"] as? String == "modeldoctor/report@1")
        #expect(doc["tool"] as? String == "modeldoctor 0.1.0")
        #expect(doc["unredacted"] as? Bool == false)
        #expect(doc["lang"] as? String == "en")

        let packs = try #require(doc["rule_packs"] as? [[String: Any]])
        #expect(packs.count == 1)
        #expect(packs[0]["name"] as? String == "openai-gateway")
        #expect(packs[0]["path"] as? String == "rules/openai-gateway.yaml")
        #expect(packs[0]["rules"] as? Int == 24)

        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["path"] as? String } == ["sdk-debug.log", "capture.har.gz", "ticket.txt"])
        #expect(inputs[0]["kind"] as? String == "python-sdk-log")
        #expect(inputs[0]["skipped_lines"] as? Int == 3)
        #expect(inputs[1]["compression"] as? [String] == ["gzip"])
        let problems = try #require(inputs[1]["problems"] as? [[String: String]])
        #expect(problems == [["level": "warning", "location": "capture.har.gz@9120", "message": "entry 3 has no response"]])
        #expect(inputs[2]["format"] is NSNull)
        #expect(inputs[2]["notes"] as? [String] == ["customer's own words; not parsed"])

        let facts = try #require(doc["facts"] as? [String: Any])
        #expect(facts["status_codes"] as? [String: Int] == ["200": 1, "404": 2])
        #expect(facts["first_time"] as? String == "2026-11-29T03:17:41Z")
        #expect(facts["last_time"] as? String == "2026-11-29T03:17:41.500Z")
        #expect(facts["request_urls"] as? [String] == ["http://127.0.0.1:3000/models", "http://127.0.0.1:3000/chat/completions"])
        #expect(facts["api_version_paths"] as? [String] == [])
        #expect(facts["exchanges"] as? Int == 2)
        let keys = try #require(facts["keys"] as? [[String: Any]])
        #expect(keys.first?["fingerprint"] as? String == "sk-…AbCd")
        #expect(keys.first?["calls"] as? [String] == ["GET /models", "POST /chat/completions"])

        let redaction = try #require(doc["redaction"] as? [String: Any])
        #expect(redaction["total"] as? Int == 3)
        #expect(redaction["by_kind"] as? [String: Int] == ["api-key": 2, "bearer": 1])
        #expect(redaction["by_file"] as? [String: Int] == ["capture.har.gz": 2, "sdk-debug.log": 1])
        #expect(doc["ask_for"] as? [String] == ["a HAR capture of the model list request"])
        let notEvaluated = try #require(doc["not_evaluated"] as? [[String: String]])
        #expect(notEvaluated == [["rule": "model.name-case", "cause": "model-name-case", "reason": "no /models list in the bundle"]])
    }

    @Test func findingsKeepTheirRankAndEvidence() throws {
        let doc = try parse(try SampleReport.make())
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cause"] as? String } == ["base-url-missing-version", "models-endpoint-unsupported"])
        let first = findings[0]
        #expect(first["severity"] as? String == "high")
        #expect(first["confidence"] as? Double == 0.9)
        #expect(first["score"] as? Double == 2.7)
        #expect(first["subject"] as? String == "http://127.0.0.1:3000")
        #expect(first["occurrences"] as? Int == 2)
        #expect(first["supersedes"] as? [String] == ["models-endpoint-unsupported"])
        #expect(first["exchanges"] as? [Int] == [0, 1])
        let evidence = try #require(first["evidence"] as? [[String: String]])
        #expect(evidence.map { $0["source"] } == ["sdk-debug.log:6", "sdk-debug.log:38"])
        // The excerpt survives the round trip byte for byte (quotes included).
        #expect(evidence[0]["excerpt"] == (try SampleReport.line(6)).excerpt.value)
        #expect(findings[1]["subject"] is NSNull)
        let against = try #require(findings[1]["evidence_against"] as? [[String: String]])
        #expect(against.map { $0["source"] } == ["sdk-debug.log:41"])
    }

    @Test func numbersHaveTwoDecimalsAndConfidenceIsClamped() throws {
        var report = Report()
        report.findings = [
            Finding(rule: "r", cause: "c", symptom: "none", severity: .low, confidence: 0.899999, score: 12.345678,
                    title: SampleReport.r("t"), message: SampleReport.r("m"), fix: SampleReport.r("f")),
            Finding(rule: "r2", cause: "c", symptom: "none", severity: .low, confidence: 1.7, score: .nan,
                    title: SampleReport.r("t"), message: SampleReport.r("m"), fix: SampleReport.r("f")),
        ]
        let text = JSONRenderer().render(report)
        #expect(text.contains("\"confidence\": 0.90,"))
        #expect(text.contains("\"score\": 12.35,"))
        #expect(text.contains("\"confidence\": 1.00,"))
        #expect(text.contains("\"score\": 0.00,"))
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        let nasty = "say \"hi\" \\ path\nnext\tline \u{01} \u{2028} </script> 模型不存在"
        var report = Report()
        report.askFor = [SampleReport.r(nasty)]
        let text = JSONRenderer().render(report)
        #expect(text.contains(#""say \"hi\" \\ path\nnext\tline \u0001 \u2028 </script> 模型不存在""#))
        let doc = try parse(report)
        #expect(doc["ask_for"] as? [String] == [nasty])
    }

    @Test func emptyReportIsStillTheWholeContract() throws {
        let doc = try parse(Report())
        #expect(doc["findings"] as? [Any] != nil)
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
        let facts = try #require(doc["facts"] as? [String: Any])
        #expect(facts["first_time"] is NSNull)
        #expect(facts["status_codes"] as? [String: Int] == [:])
        #expect(doc.count == 12)
        #expect(JSONRenderer().render(Report()).contains("\"status_codes\": {},"))
    }

    @Test func absoluteRulePackPathsAreShortened() throws {
        var report = Report()
        report.rulePacks = [
            RulePackInfo(name: "a", version: "1", sha256: "00", path: "/opt/modeldoctor/share/rules/gateway.yaml", rules: 1),
            RulePackInfo(name: "b", version: "1", sha256: "00", path: "/home/someone/packs/custom.yaml", rules: 1),
        ]
        let packs = try #require(try parse(report)["rule_packs"] as? [[String: Any]])
        #expect(packs.map { $0["path"] as? String } == ["rules/gateway.yaml", "custom.yaml"])
    }
}
