import Foundation
import Testing
import TestSupport

/// `--stats` writes its table to stderr only: the report on stdout is byte for byte the same.
@Suite(.serialized) struct StatsCLITests {
    let sample = "samples/tickets/01-base-url-missing-version"

    @Test(arguments: ["json", "text"]) func analyzeStdoutIsUnchanged(_ format: String) throws {
        let plain = try CLI.run(["analyze", sample, "--format", format])
        let timed = try CLI.run(["analyze", sample, "--format", format, "--stats"])
        #expect(plain.code == timed.code)
        #expect(plain.out == timed.out)
        #expect(!plain.err.contains("modeldoctor stats"))
        #expect(timed.err.contains("modeldoctor stats"))
        for stage in ["load rules", "read", "parse har", "parse python-sdk-log", "merge", "facts", "rules", "findings",
                      "ticket facts", "timeline", "render", "all rules"] {
            #expect(timed.err.contains("\n" + stage + " "), "\(stage) missing from:\n\(timed.err)")
        }
        #expect(timed.err.contains("exchanges "))
    }

    @Test func statsTopBoundsTheRuleList() throws {
        let r = try CLI.run(["analyze", sample, "--format", "json", "--stats", "--stats-top", "3"])
        #expect(r.err.contains("slowest 3 of "))
    }

    @Test func triageStdoutIsUnchanged() throws {
        let plain = try CLI.run(["triage", "samples/tickets", "--format", "jsonl", "--jobs", "2"])
        let timed = try CLI.run(["triage", "samples/tickets", "--format", "jsonl", "--jobs", "2", "--stats"])
        #expect(plain.code == timed.code)
        #expect(plain.out == timed.out)
        #expect(timed.err.contains("modeldoctor stats"))
        #expect(timed.err.contains("\nrules "))
    }
}
