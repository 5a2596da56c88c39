import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary folder.
func tempFolder(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs any executable with a working folder of its own; stdout, stderr and the exit status.
func runTool(_ exe: String, _ args: [String], in dir: URL, env: [String: String] = [:]) throws -> CLI.Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    p.currentDirectoryURL = dir
    var environment = ProcessInfo.processInfo.environment
    environment["LANG"] = "C"
    environment["MODELDOCTOR_RULES"] = nil
    environment["MODELDOCTOR_HOME"] = nil
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLI.Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
}

/// A Unix socket file: `open(2)` refuses it even to root, a robust "cannot be read" input.
func unixSocket(at path: String) -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return false }
    withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in bytes.enumerated() { buf[i] = b } }
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    close(fd)
    return ok == 0
}

private let sample = "samples/tickets/01-base-url-missing-version"
private let brokenPack = "schema_version: 1\nrules:\n  - id: x\n    cause: auth-invalid-key\n    severty: high\n"

/// Stdin and pipes are read once (issue: `redact - -o OUT` wrote an empty copy).
@Suite(.serialized) struct CLIStdinTests {
    @Test func redactFromStdinWritesTheRedactedTextNotAnEmptyFile() throws {
        let dir = try tempFolder("stdin")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = "sk-proj-Q7v2Lk9XzT4mB8nR1wY6pS3dF5gH0jKcVbNmA2sD4fG6hJ8k"
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["redact", "-", "-o", out], stdin: Data("Authorization: Bearer \(secret)\nsecond line\n".utf8))
        #expect(r.code == 0, "\(r.err)")
        let copy = try String(contentsOfFile: out + "/stdin", encoding: .utf8)
        #expect(copy.contains("second line"))
        #expect(!copy.contains(secret))
        #expect(r.out.contains("2 lines"))
        #expect(!r.out.contains("redacted 0 item(s)"))
    }

    @Test(arguments: ["analyze", "exchanges"]) func stdinGivenTwiceIsOneInput(_ command: String) throws {
        let body = #"{"error":{"message":"user quota is not enough","type":"new_api_error","code":"insufficient_user_quota"}}"#
        let r = try CLI.run([command, "-", "-", "--format", "json"], stdin: Data(body.utf8))
        #expect(r.code == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1)
        #expect(inputs.first?["bytes"] as? Int == body.utf8.count)
    }
}

/// One test per row of README's exit-status table.
@Suite(.serialized) struct CLIExitCodeTests {
    // 0: the analysis ran (findings or not).
    @Test func row0AnalysisRanWithOrWithoutFindings() throws {
        #expect(try CLI.run(["analyze", sample]).code == 0)
        #expect(try CLI.run(["analyze", "samples/tickets/20-no-problem"]).code == 0)
        #expect(try CLI.run(["exchanges", sample]).code == 0)
    }

    // 1: --fail-on reached; rules lint / rules test found a problem.
    @Test func row1FailOnAndLintOrTestProblems() throws {
        #expect(try CLI.run(["analyze", sample, "--fail-on", "high"]).code == 1)
        let dir = try tempFolder("row1")
        defer { try? FileManager.default.removeItem(at: dir) }
        try brokenPack.write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["rules", "lint", dir.path]).code == 1)
        #expect(try CLI.run(["rules", "test", dir.path]).code == 1)
    }

    // 2: an input could not be read at all.
    @Test func row2MissingInput() throws {
        let r = try CLI.run(["analyze", "no/such/bundle"])
        #expect(r.code == 2)
        #expect(r.err.contains("no/such/bundle: cannot read: no such file or folder; check the path"))
    }

    @Test func row2InputThatExistsButCannotBeRead() throws {
        let dir = try tempFolder("unreadable")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A symlink loop and a socket cannot be read even by root.
        let loop = dir.appendingPathComponent("loop").path
        #expect(symlink(loop, loop) == 0)
        let sock = dir.appendingPathComponent("s.sock").path
        #expect(unixSocket(at: sock))
        for input in [loop, sock] {
            for command in ["analyze", "exchanges"] {
                let r = try CLI.run([command, input])
                #expect(r.code == 2, "\(command) \(input): \(r.err)")
                #expect(r.err.contains("\(input): cannot read"), "\(r.err)")
            }
        }
        // chmod 000: only meaningful when not root (root reads it anyway).
        if geteuid() != 0 {
            let f = dir.appendingPathComponent("secret.log")
            try "x\n".write(to: f, atomically: true, encoding: .utf8)
            #expect(chmod(f.path, 0) == 0)
            let r = try CLI.run(["analyze", f.path])
            #expect(r.code == 2)
            #expect(r.err.contains("cannot read"))
        } else {
            print("note: running as root: the chmod 000 case is covered by the symlink-loop and socket inputs")
        }
    }

    @Test func row2MissingOrGarbageCatalog() throws {
        let dir = try tempFolder("catalog")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.txt").path
        let m = try CLI.run(["analyze", sample, "--catalog", missing])
        #expect(m.code == 2)
        #expect(m.err.contains("\(missing): cannot read catalog"))
        let garbage = dir.appendingPathComponent("models.txt")
        try "not json {\n".write(to: garbage, atomically: true, encoding: .utf8)
        let g = try CLI.run(["analyze", sample, "--catalog", garbage.path, "--format", "json"])
        #expect(g.code == 2)
        #expect(g.err.contains("\(garbage.path):1: `not json {` is not a model id"))
        #expect(!g.out.contains("e.g. not json {"), "the garbage must not become a catalog model")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(g.out.utf8)) as? [String: Any])
        let problems = try #require(doc["problems"] as? [[String: Any]])
        #expect(problems.contains { $0["location"] as? String == "models.txt:1" })
    }

    @Test func row2RulePackErrorsAreNamedOnStderrAndInTheReport() throws {
        let dir = try tempFolder("badpack")
        defer { try? FileManager.default.removeItem(at: dir) }
        try brokenPack.write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["analyze", sample, "--rules", dir.path, "--format", "json"])
        #expect(r.code == 2)
        #expect(r.err.contains("bad.yaml:5:5: error: unknown key `severty`"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let problems = try #require(doc["problems"] as? [[String: Any]])
        #expect(problems.contains { ($0["location"] as? String)?.hasPrefix("bad.yaml:5:5") == true && $0["level"] as? String == "error" })
    }

    @Test func row2OutputWithheldByTheGate() throws {
        let dir = try tempFolder("gate")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The model name repeats a stretch of the key: redaction keeps model names, the gate refuses.
        let f = dir.appendingPathComponent("paste.txt")
        try """
        curl -v -H "Authorization: Bearer sk-u3XLRIpdNo0npNOJQV2W9Iab" https://gw.example.com/v1/chat/completions
        < HTTP/1.1 404 Not Found
        {"error":{"message":"The model `u3XLRIpdNo0npNOJQV` does not exist","type":"invalid_request_error","code":"model_not_found"}}

        """.write(to: f, atomically: true, encoding: .utf8)
        let r = try CLI.run(["exchanges", f.path])
        #expect(r.code == 2)
        #expect(r.err.contains("output withheld"))
        #expect(r.out.isEmpty)
    }

    @Test func row2OutputCannotBeWritten() throws {
        let r = try CLI.run(["analyze", sample, "-o", "/nonexistent/dir/x"])
        #expect(r.code == 2)
        #expect(r.err.contains("/nonexistent/dir/x: cannot write the report"))
        #expect(!r.err.contains("NSCocoaErrorDomain"))
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test func row2RedactIntoANonEmptyFolder() throws {
        let dir = try tempFolder("nonempty")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x".write(to: dir.appendingPathComponent("keep.txt"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["redact", sample, "-o", dir.path])
        #expect(r.code == 2)
        #expect(r.err.contains("output folder exists and is not empty (use --force"))
        #expect(try CLI.run(["redact", sample, "-o", dir.path, "--force"]).code == 0)
    }

    @Test(arguments: ["list", "lint", "test"]) func row2NoRulePackAtAll(_ sub: String) throws {
        let r = try CLI.run(["rules", sub, "--no-default-rules"])
        #expect(r.code == 2, "\(r.out)")
        #expect(r.err.contains("no rule packs found"))
        let missing = try CLI.run(["rules", sub == "list" ? "lint" : sub, "no/such/rules"])
        #expect(missing.code == 2)
        #expect(missing.err.contains("no/such/rules: rule folder or file not found"))
    }

    // 64: bad command-line usage.
    @Test func row64Usage() throws {
        let typo = try CLI.run(["anlyze", "x"])
        #expect(typo.code == 64)
        #expect(typo.err.contains("unknown subcommand 'anlyze'; did you mean analyze?"))
        #expect(try CLI.run(["analyze", sample, "--bogus-flag"]).code == 64)
        #expect(try CLI.run(["analyze", sample, "--format", "pdf"]).code == 64)
        // A path is still read as the default subcommand's input.
        #expect(try CLI.run([sample]).code == 0)
    }
}

/// Errors on stderr, one line each, and one inventory entry per input.
@Suite(.serialized) struct CLIErrorReportingTests {
    @Test func aMissingInputIsOneStderrLineAndOneInventoryEntry() throws {
        let r = try CLI.run(["analyze", "/nonexistent", "--format", "json"])
        #expect(r.code == 2)
        let lines = r.err.split(separator: "\n")
        #expect(lines == ["modeldoctor: error: /nonexistent: cannot read: no such file or folder; check the path"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1)
        let text = try CLI.run(["analyze", "/nonexistent"]).out
        #expect(text.components(separatedBy: "/nonexistent").count - 1 == 2, "the path once in the table, once in its problem")
    }
}

/// `rules test DIR` tests DIR's packs only, unless `--with-shipped`.
@Suite(.serialized) struct CLIRulesScopeTests {
    @Test func rulesTestOfAFolderTestsOnlyItsPacks() throws {
        let dir = try tempFolder("own")
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        schema_version: 1
        rules:
          - id: acme-down
            cause: upstream-unavailable
            severity: high
            confidence: 0.9
            title: {en: "down", zh: "宕机"}
            message: {en: "down", zh: "宕机"}
            fix: {en: "wait", zh: "等待"}
            when: {field: error.text, contains: "acme is down"}
            examples:
              fire: ["Error code: 503 - {'error': {'message': 'acme is down'}}"]
              quiet: ["Error code: 503 - {'error': {'message': 'other'}}"]

        """.write(to: dir.appendingPathComponent("own.yaml"), atomically: true, encoding: .utf8)
        let own = try CLI.run(["rules", "test", dir.path])
        #expect(own.code == 0, "\(own.out)")
        #expect(own.out.contains("2 example(s), 0 failure(s), 1 rule(s)"))
        let all = try CLI.run(["rules", "test", dir.path, "--with-shipped"])
        #expect(all.code == 0, "\(all.out)")
        // The shipped packs' examples join the folder's own two (a count, not a substring:
        // "302 example(s)" contains "2 example(s)").
        let examples = all.out.split(separator: " ").first.flatMap { Int($0) } ?? 0
        #expect(examples > 2, "\(all.out)")
        #expect(try CLI.run(["rules", "lint", dir.path]).out.contains("0 error(s), 0 warning(s)"))
    }
}
