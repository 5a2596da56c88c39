import Foundation
import Testing
import TestSupport

/// Runs the built `modeldoctor` binary: help, exit codes and output formats.
enum CLI {
    static let binary: URL = {
        var dirs: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let exe = Bundle.main.executableURL { dirs.append(exe.deletingLastPathComponent()) }
        for arg in CommandLine.arguments.prefix(1) { dirs.append(URL(fileURLWithPath: arg).deletingLastPathComponent()) }
        for d in dirs {
            let u = d.appendingPathComponent("modeldoctor")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return Repo.root.appendingPathComponent(".build/debug/modeldoctor")
    }()

    struct Result { var code: Int32; var out: String; var err: String }

    static func run(_ args: [String], stdin: Data? = nil, executable: String? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        p.arguments = args
        p.currentDirectoryURL = Repo.root
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C"
        environment["MODELDOCTOR_RULES"] = nil
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }
}

@Suite(.serialized) struct CLITests {
    let sample = "samples/tickets/01-base-url-missing-version"

    @Test func helpListsTheSubcommands() throws {
        let r = try CLI.run(["--help"])
        #expect(r.code == 0)
        for sub in ["analyze", "exchanges", "rules", "explain", "redact"] { #expect(r.out.contains(sub), "\(sub) missing from help") }
    }

    @Test func analyzeTextNamesTheCauseFirst() throws {
        let r = try CLI.run(["analyze", sample])
        #expect(r.code == 0)
        #expect(r.out.contains("base-url-missing-version"))
    }

    @Test func analyzeJSONFollowsTheContract() throws {
        let r = try CLI.run(["analyze", sample, "--format", "json"])
        #expect(r.code == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "modeldoctor/report@1")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(findings.first?["cause"] as? String == "base-url-missing-version")
        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(Set(inputs.compactMap { $0["path"] as? String }) == ["capture.har", "sdk-debug.log", "ticket.txt"])
        #expect(inputs.first { $0["path"] as? String == "capture.har" }?["kind"] as? String == "har")
    }

    @Test(arguments: ["markdown", "html"]) func otherFormatsRender(_ format: String) throws {
        let r = try CLI.run(["analyze", sample, "--format", format])
        #expect(r.code == 0)
        #expect(r.out.contains("base-url-missing-version"))
    }

    @Test func failOnGivesExitOne() throws {
        #expect(try CLI.run(["analyze", sample, "--fail-on", "high"]).code == 1)
        #expect(try CLI.run(["analyze", "samples/tickets/20-no-problem", "--fail-on", "medium"]).code == 0)
    }

    @Test func missingInputGivesExitTwoAndNamesIt() throws {
        let r = try CLI.run(["analyze", "no/such/bundle"])
        #expect(r.code == 2)
        #expect(r.out.contains("no/such/bundle") || r.err.contains("no/such/bundle"))
    }

    @Test func unknownFormatIsAUsageError() throws {
        let r = try CLI.run(["analyze", sample, "--format", "pdf"])
        #expect(r.code == 64)
    }

    @Test func readsStdin() throws {
        let body = #"{"error":{"message":"user quota is not enough","type":"new_api_error","code":"insufficient_user_quota"}}"#
        let r = try CLI.run(["analyze", "-", "--format", "json"], stdin: Data(body.utf8))
        #expect(r.code == 0)
        #expect(r.out.contains("\"insufficient-balance\""))
    }

    @Test func rulesLintAndTestPassOnShippedPacks() throws {
        let lint = try CLI.run(["rules", "lint"])
        #expect(lint.code == 0, "\(lint.out)")
        let test = try CLI.run(["rules", "test"])
        #expect(test.code == 0, "\(test.out)")
        #expect(test.out.contains("0 failure(s)"))
    }

    @Test func brokenRuleFileGivesFileLineColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "schema_version: 1\nrules:\n  - id: x\n    cause: auth-invalid-key\n    severty: high\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["rules", "lint", dir.path])
        #expect(r.code == 1)
        #expect(r.out.contains("bad.yaml:5:5: error: unknown key `severty`"))
        let a = try CLI.run(["analyze", sample, "--rules", dir.path])
        #expect(a.code == 2)
        #expect(a.err.contains("bad.yaml:5:5"))
    }

    @Test func explainShowsWhatMatched() throws {
        let r = try CLI.run(["explain", "base-url-missing-version", sample])
        #expect(r.code == 0)
        #expect(r.out.contains("MATCHED"))
    }

    @Test func chineseLabels() throws {
        let r = try CLI.run(["analyze", sample, "--lang", "zh"])
        #expect(r.code == 0)
        #expect(r.out.contains("版本"))
    }
}

@Suite struct CLIEmptyInputTests {
    @Test func emptyFolderIsNotCalledHealthy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["analyze", dir.path])
        #expect(r.code == 2)
        #expect(r.err.contains("no input file found"))
        #expect(r.out.contains("Nothing to diagnose"))
        #expect(!r.out.contains("No problem found"))
    }

    @Test func aTicketWithoutAnyCallSaysNothingToDiagnose() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-prose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "Please look at our integration before launch, thanks!".write(to: dir.appendingPathComponent("ticket.txt"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["analyze", dir.path])
        #expect(r.code == 0)
        #expect(r.out.contains("Nothing to diagnose"))
    }
}
