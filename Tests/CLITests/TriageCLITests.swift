import Foundation
import Testing
import TestSupport

/// `modeldoctor triage` and `triage merge` as a user runs them; the analyze note.
@Suite(.serialized) struct TriageCLITests {
    static let tmp: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("md-triage-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }()

    @Test func helpSaysLooseFilesAreTickets() throws {
        let r = try CLI.run(["triage", "--help"])
        #expect(r.code == 0)
        #expect(r.out.contains("loose") && r.out.contains("merge"))
        #expect(try CLI.run(["--help"]).out.contains("triage"))
    }

    @Test func textTableHasOneRowPerSampleTicket() throws {
        let r = try CLI.run(["triage", "samples/tickets", "--jobs", "2"])
        #expect(r.code == 0)
        let count = try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/tickets")).count
        #expect(r.out.split(separator: "\n").filter { $0.hasPrefix("tickets/") }.count == count)
        #expect(r.out.contains("Tickets per cause"))
        #expect(r.err.isEmpty, "no progress line when stderr is not a terminal")
    }

    @Test func outputFileExtensionPicksTheFormat() throws {
        let out = Self.tmp.appendingPathComponent("t.csv").path
        #expect(try CLI.run(["triage", "samples/tickets", "-o", out]).code == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("ticket,cause,confidence,"))
        let html = Self.tmp.appendingPathComponent("t.html").path
        #expect(try CLI.run(["triage", "samples/tickets", "-o", html, "--format", "markdown"]).code == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("# "), "--format wins over the extension")
    }

    @Test func shardsMergeBackToOneRun() throws {
        let whole = try CLI.run(["triage", "samples/tickets", "samples/archives", "--format", "jsonl"])
        var files: [String] = []
        for i in 0..<3 {
            let r = try CLI.run(["triage", "run", "samples/tickets", "samples/archives", "--shard", "\(i)/3", "--format", "jsonl", "--jobs", "1"])
            #expect(r.code == 0)
            let f = Self.tmp.appendingPathComponent("s\(i).jsonl")
            try r.out.write(to: f, atomically: true, encoding: .utf8)
            files.append(f.path)
        }
        let merged = try CLI.run(["triage", "merge", "--format", "jsonl"] + files)
        #expect(merged.code == 0)
        #expect(merged.out == whole.out)
    }

    @Test func mergeRefusesForeignLinesWithTheirPosition() throws {
        let f = Self.tmp.appendingPathComponent("bad.jsonl")
        try "{\"hello\":1}\n".write(to: f, atomically: true, encoding: .utf8)
        let r = try CLI.run(["triage", "merge", f.path])
        #expect(r.code == 2)
        #expect(r.err.contains("bad.jsonl:1:"))
    }

    @Test func badShardOrMissingPathIsAnError() throws {
        #expect(try CLI.run(["triage", "samples/tickets", "--shard", "4/4"]).code == 64)
        #expect(try CLI.run(["triage", "samples/tickets", "--jobs", "0"]).code == 64)
        let r = try CLI.run(["triage", "no-such-backlog"])
        #expect(r.code == 2)
        #expect(r.err.contains("no-such-backlog"))
    }

    @Test func analyzePointsToTriageForSeveralTickets() throws {
        let two = ["samples/tickets/01-base-url-missing-version", "samples/archives/16-insufficient-balance.zip"]
        let r = try CLI.run(["analyze"] + two)
        #expect(r.code == 0)
        #expect(r.err.contains("modeldoctor triage"))
        #expect(try CLI.run(["analyze", "--as-one-bundle"] + two).err.isEmpty)
        #expect(try CLI.run(["analyze", "samples/tickets/01-base-url-missing-version"]).err.isEmpty)
    }
}
