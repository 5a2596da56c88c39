import Foundation
import Testing
import TestSupport

/// The same bundle gives the same bytes, run after run.
@Suite(.serialized) struct CLIDeterminismTests {
    static func bundles() -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for folder in ["samples/tickets", "samples/archives"] {
            let names = (try? fm.contentsOfDirectory(atPath: Repo.path(folder))) ?? []
            out += names.sorted().map { "\(folder)/\($0)" }
        }
        return out
    }

    @Test func everySampleBundleHasBundles() { #expect(Self.bundles().count >= 9) }

    @Test(arguments: bundles()) func analyzeJSONIsByteIdenticalTwice(_ bundle: String) throws {
        let a = try CLI.run(["analyze", bundle, "--format", "json"])
        let b = try CLI.run(["analyze", bundle, "--format", "json"])
        #expect(a.code == 0 && b.code == 0)
        #expect(!a.out.isEmpty)
        #expect(a.out == b.out, "\(bundle): two runs differ")
    }
}
