import Foundation
import Testing
import TestSupport

private let sample = "samples/tickets/01-base-url-missing-version"

/// `make install PREFIX=…` puts everything where the binary finds it.
@Suite(.serialized) struct CLIInstallTests {
    @Test func installedBinaryPassesRulesTestAndGivesTheSameReport() throws {
        let prefix = try tempFolder("prefix")
        let elsewhere = try tempFolder("cwd")
        defer { try? FileManager.default.removeItem(at: prefix); try? FileManager.default.removeItem(at: elsewhere) }
        let hasMake = FileManager.default.isExecutableFile(atPath: "/usr/bin/make")
        let install = hasMake
            ? try runTool("/usr/bin/make", ["-s", "install", "PREFIX=\(prefix.path)", "BINARY=\(CLI.binary.path)"], in: Repo.root)
            : try runTool("/bin/bash", ["scripts/install.sh", prefix.path, CLI.binary.path], in: Repo.root)
        #expect(install.code == 0, "\(install.out)\(install.err)")
        let bin = prefix.appendingPathComponent("bin/modeldoctor").path
        let share = prefix.appendingPathComponent("share/modeldoctor")

        let test = try runTool(bin, ["rules", "test"], in: elsewhere)
        #expect(test.code == 0, "\(test.out)")
        #expect(test.out.contains(" 0 failure(s)"))

        // The installed packs are the ones used: a pack added there shows up.
        try """
        schema_version: 1
        pack: installed-marker
        definitions:
          marker: {field: status, equals: 599}

        """.write(to: share.appendingPathComponent("rules/zz-marker.yaml"), atomically: true, encoding: .utf8)
        #expect(try runTool(bin, ["rules", "list"], in: elsewhere).out.contains("pack installed-marker"))
        try FileManager.default.removeItem(at: share.appendingPathComponent("rules/zz-marker.yaml"))

        let installed = try runTool(bin, ["analyze", share.appendingPathComponent(sample).path, "--format", "json"], in: elsewhere)
        let checkout = try CLI.run(["analyze", sample, "--format", "json"])
        #expect(installed.code == 0)
        #expect(installed.out == checkout.out)
    }
}
