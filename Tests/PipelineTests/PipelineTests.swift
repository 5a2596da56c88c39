import Foundation
import Testing
import ZIPFoundation
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// The whole pipeline over the bundled samples: packaging does not change what is understood,
/// output is deterministic, and the same call seen in three files becomes one exchange.
@Suite(.serialized) struct PipelineTests {
    static let tmp: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("md-pipeline-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }()

    static func sh(_ args: [String], cwd: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = cwd
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(args) failed")
    }

    /// Exchange summaries (method, URL, status, model, sources' file names) and inventory kinds.
    static func shape(_ b: TicketBundle) -> ([String], [String]) {
        func leaf(_ path: String) -> String {
            var name = String(path.split(separator: "/").last ?? Substring(path))
            if let bang = name.lastIndex(of: "!") { name = String(name[name.index(after: bang)...]) }
            return name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
        }
        let xs = b.exchanges.map { (e: Exchange) -> String in
            let files: [String] = Set(e.sources.map { leaf($0.file) }).sorted()
            return "\(e.summary) model=\(e.model ?? "-") src=\(files)"
        }
        let kinds = b.inventory.map { "\($0.kind.rawValue)" }.sorted()
        return (xs, kinds)
    }

    @Test(arguments: ["01-base-url-missing-version", "02-base-url-duplicated-version", "10-model-name-case", "24-endpoint-unsupported"])
    func packagingDoesNotChangeWhatIsUnderstood(_ name: String) throws {
        let src = URL(fileURLWithPath: Repo.path("samples/tickets/\(name)"))
        let work = Self.tmp.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        // Folder copy with every log gzipped.
        let gz = work.appendingPathComponent("gz")
        try FileManager.default.copyItem(at: src, to: gz)
        for f in try FileManager.default.contentsOfDirectory(atPath: gz.path) where !f.hasSuffix(".gz") && f != "ticket.txt" {
            try Self.sh(["gzip", "-n", f], cwd: gz)
        }
        try Self.sh(["tar", "czf", work.appendingPathComponent("bundle.tar.gz").path, "-C", src.deletingLastPathComponent().path, name], cwd: work)
        let zipURL = work.appendingPathComponent("bundle.zip")
        let archive = try Archive(url: zipURL, accessMode: .create)
        for f in try FileManager.default.contentsOfDirectory(atPath: src.path).sorted() {
            try archive.addEntry(with: "\(name)/\(f)", relativeTo: src.deletingLastPathComponent(), compressionMethod: .deflate)
        }
        let reader = BundleReader()
        let folder = Self.shape(reader.read([src.path]))
        #expect(!folder.0.isEmpty)
        for other in [gz.path, work.appendingPathComponent("bundle.tar.gz").path, zipURL.path] {
            let s = Self.shape(reader.read([other]))
            #expect(s.0 == folder.0, "exchanges differ for \(other)")
            #expect(s.1 == folder.1, "inventory kinds differ for \(other)")
        }
    }

    @Test func sameCallInHARSDKLogAndGatewayLogIsOneExchangeWithThreeSources() {
        let b = BundleReader().read([Repo.path("samples/tickets/02-base-url-duplicated-version")])
        let models = b.exchanges.filter { $0.urlParts?.path == "/v1/v1/models" }
        #expect(models.count == 1)
        #expect(Set(models.first?.sources.map(\.file) ?? []) == ["capture.har", "gateway.log", "sdk-debug.log"])
        #expect(models.first?.sourceKinds == [.har, .gatewayLog, .pythonSDKLog])
    }

    @Test func reportIsDeterministicWhateverTheInputOrder() {
        let root = Repo.path("samples/tickets/10-model-name-case")
        let files = ["capture.har", "gateway.log.gz", "sdk-debug.log", "ticket.txt"].map { root + "/" + $0 }
        func render(_ inputs: [String]) -> String {
            let opts = AnalysisOptions(inputs: inputs, ruleFolders: [Repo.path("rules")])
            return OutputFormat.json.renderer.render(AnalysisPipeline.run(opts).report)
        }
        let a = render(files)
        #expect(a == render(files))
        let b = render(files.reversed())
        // Inventory order follows the command line; findings and facts must not.
        let findings = { (s: String) in (try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] }
        #expect(findings(a)?.map { $0["rule"] as? String } == findings(b)?.map { $0["rule"] as? String })
        #expect(findings(a)?.first?["cause"] as? String == "model-name-case")
    }

    @Test func everyInputFileIsInTheInventoryEvenUnknownOnes() throws {
        let dir = Self.tmp.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent("empty.log"))
        try Data([0, 1, 2, 3, 0xFF, 0]).write(to: dir.appendingPathComponent("blob.bin"))
        try "just: yaml\nother: thing\n".write(to: dir.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try "1,2,3\n4,5,6\n".write(to: dir.appendingPathComponent("numbers.csv"), atomically: true, encoding: .utf8)
        try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]).write(to: dir.appendingPathComponent("broken.log.gz"))
        try FileManager.default.copyItem(atPath: Repo.path("samples/tickets/01-base-url-missing-version/sdk-debug.log"), toPath: dir.appendingPathComponent("sdk.log").path)
        let b = BundleReader().read([dir.path])
        let byPath = Dictionary(uniqueKeysWithValues: b.inventory.map { ($0.path, $0) })
        #expect(Set(byPath.keys) == ["empty.log", "blob.bin", "config.yaml", "numbers.csv", "broken.log.gz", "sdk.log"])
        #expect(byPath["empty.log"]?.kind == .unknown)
        #expect(byPath["empty.log"]?.skipped.contains("empty file") == true)
        #expect(byPath["blob.bin"]?.format == "binary")
        // A settings file is read for its settings: no call, a note saying so.
        #expect(byPath["config.yaml"]?.format == "config" && byPath["config.yaml"]?.exchanges == 0)
        #expect(byPath["config.yaml"]?.notes.contains { $0.hasPrefix("settings file") } == true)
        #expect(byPath["numbers.csv"]?.kind == .unknown)
        #expect(byPath["numbers.csv"]?.skipped.first?.hasPrefix("no parser recognised this content (2 lines") == true)
        #expect(byPath["broken.log.gz"]?.problems.isEmpty == false)
        #expect(byPath["broken.log.gz"]?.problems.first?.location.hasPrefix("broken.log.gz@") == true)
        #expect(byPath["sdk.log"]?.kind == .pythonSDKLog)
        #expect((byPath["sdk.log"]?.exchanges ?? 0) == 2)
    }

    /// A plain log larger than the sniffed 64 KiB has its lines cut on a thread of their own;
    /// its gzip copy is read inline. Both give the same calls, lines and counts (the last line
    /// has no newline).
    @Test func aLargePlainLogReadsTheSameAsItsGzipCopy() throws {
        let dir = Self.tmp.appendingPathComponent("large-plain")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var one = try String(contentsOfFile: Repo.path("samples/tickets/01-base-url-missing-version/sdk-debug.log"), encoding: .utf8)
        if !one.hasSuffix("\n") { one += "\n" }
        let text = String(String(repeating: one, count: 300_000 / one.utf8.count + 1).dropLast())
        #expect(text.utf8.count > 4 * 64 * 1024)
        try text.write(to: dir.appendingPathComponent("sdk.log"), atomically: true, encoding: .utf8)
        try Self.sh(["gzip", "-n", "-k", "sdk.log"], cwd: dir)
        let plain = BundleReader().read([dir.appendingPathComponent("sdk.log").path])
        let gz = BundleReader().read([dir.appendingPathComponent("sdk.log.gz").path])
        #expect(plain.exchanges.count == gz.exchanges.count && plain.exchanges.count > 20)
        #expect(Self.shape(plain).0 == Self.shape(gz).0)
        #expect(plain.exchanges.map { $0.sources.map(\.line) } == gz.exchanges.map { $0.sources.map(\.line) })
        let (p, g) = (try #require(plain.inventory.first), try #require(gz.inventory.first))
        #expect(p.lines == g.lines && p.bytes == g.bytes && p.bytes == text.utf8.count)
        #expect(p.lines == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}
