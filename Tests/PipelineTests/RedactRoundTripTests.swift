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

/// `redact` on every bundled sample: the copy holds none of the credentials the original
/// carries, every file parses as the same kind, and the analysis gives the same causes in the
/// same order.
@Suite struct RedactRoundTripTests {
    static let samples: [String] = {
        let fm = FileManager.default
        let tickets = ((try? fm.contentsOfDirectory(atPath: Repo.path("samples/tickets"))) ?? []).sorted().map { "samples/tickets/\($0)" }
        let archives = ((try? fm.contentsOfDirectory(atPath: Repo.path("samples/archives"))) ?? []).sorted().map { "samples/archives/\($0)" }
        return tickets + archives
    }()

    static func causes(_ path: String) -> [String] {
        let opts = AnalysisOptions(inputs: [path], ruleFolders: [Repo.path("rules")])
        return AnalysisPipeline.run(opts).report.findings.map(\.cause)
    }

    /// Every file's text under a folder (the copies are plain or gzip files).
    static func texts(_ root: String) -> String {
        var all = ""
        let fm = FileManager.default
        for rel in (fm.enumerator(atPath: root)?.allObjects as? [String] ?? []) {
            let p = root + "/" + rel
            if let d = fm.contents(atPath: p) { all += String(decoding: d, as: UTF8.self) }
        }
        return all
    }

    @Test(arguments: samples)
    func redactedCopyKeepsTheDiagnosisAndNoSecret(_ sample: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("md-redact-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let original = BundleReader().read([Repo.path(sample)])
        let result = try BundleRedactor(redactor: Redactor()).run([Repo.path(sample)], output: out)
        #expect(!result.files.isEmpty)
        let copy = BundleReader().read([out])
        // Same kinds, file for file (archive members land in folders named after the archive).
        #expect(copy.inventory.map(\.kind).sorted() == original.inventory.map(\.kind).sorted())
        #expect(Self.causes(out) == Self.causes(Repo.path(sample)))
        // No credential met in the original survives in the copy (also not gzipped: read through the pipeline).
        let copyText = copy.exchanges.flatMap { $0.lines.map(\.text) }.joined(separator: "\n") + Self.texts(out)
        for e in original.exchanges {
            guard let key = e.credential, key.count >= 16 else { continue }
            let body = String(key.suffix(key.count - 6))
            #expect(!copyText.contains(String(body.prefix(12))), "credential of \(sample) survived")
        }
    }
}
