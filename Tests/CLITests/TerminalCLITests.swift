import Foundation
import Testing
import TestSupport

/// Colour and width on a real terminal: the binary runs under `script`, which gives it a
/// pseudo-terminal as stdout (util-linux; the tests are skipped where it is missing).
@Suite(.serialized) struct TerminalCLITests {
    static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }
    let sample = "samples/tickets/01-base-url-missing-version"

    /// `modeldoctor args` on a pseudo-terminal of `columns` columns, with `env` added.
    func onTerminal(_ args: [String], columns: Int = 100, env: [String: String] = [:]) throws -> String {
        let command = ([CLI.binary.path] + args).map { "'\($0)'" }.joined(separator: " ")
        let r = try CLI.run(["-qec", "stty cols \(columns) 2>/dev/null; exec \(command)", "/dev/null"], executable: Self.script!, env: env)
        return r.out
    }

    @Test(.enabled(if: script != nil)) func coloursATerminal() throws {
        // Empty NO_COLOR counts as unset; the test runner's own environment may set it.
        let out = try onTerminal(["analyze", sample], env: ["NO_COLOR": ""])
        #expect(out.contains("\u{1B}["), "\(out.prefix(300))")
    }

    @Test(.enabled(if: script != nil)) func noColorOrNoColourFlagMeansNoEscapeBytes() throws {
        for out in [try onTerminal(["analyze", sample], env: ["NO_COLOR": "1"]), try onTerminal(["analyze", sample, "--no-color"])] {
            #expect(out.contains("base-url-missing-version"))  // the report did arrive
            #expect(!out.contains("\u{1B}"))
        }
    }

    @Test func neverColoursAPipe() throws {
        let r = try CLI.run(["analyze", sample, "--color"])
        #expect(r.code == 0)
        #expect(!r.out.contains("\u{1B}"))
    }

    @Test(arguments: ["analyze", "exchanges"])
    func noProgressLinesWhenStderrIsAPipe(_ command: String) throws {
        let r = try CLI.run([command, sample])
        #expect(r.code == 0)
        #expect(!r.err.contains("reading"))
        #expect(!r.err.contains("\r"))
    }

    @Test(.enabled(if: script != nil)) func fitsTheTerminalsWidth() throws {
        let out = try onTerminal(["analyze", sample, "--no-color"], columns: 64, env: ["COLUMNS": ""])
        let lines = out.replacingOccurrences(of: "\r", with: "").split(separator: "\n")
        #expect(lines.count > 20)
        #expect(lines.allSatisfy { $0.count <= 64 }, "\(lines.filter { $0.count > 64 }.prefix(3))")
    }
}
