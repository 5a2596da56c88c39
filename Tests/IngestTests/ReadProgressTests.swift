import Foundation
import Testing
@testable import DoctorIngest
import TestSupport

/// The ingest layer reports the bytes it reads from input files (issue #10: progress on a
/// multi-GB log).
@Suite struct ReadProgressTests {
    final class Counts: @unchecked Sendable {
        let lock = NSLock()
        var calls: [(Int64, Int64?)] = []
    }

    @Test func countsEveryByteOfAFolderAgainstItsTotal() throws {
        let counts = Counts()
        let progress = ReadProgress { read, total in counts.lock.withLock { counts.calls.append((read, total)) } }
        let folder = Repo.path("samples/tickets/01-base-url-missing-version")
        let sizes = try FileManager.default.contentsOfDirectory(atPath: folder).map {
            try FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.size] as! Int
        }
        _ = Ingestor(progress: progress).walk([folder]) { file in while (try? file.stream.read()) != nil {} }
        let expected = Int64(sizes.reduce(0, +))
        #expect(progress.total == expected)
        #expect(progress.read == expected)
        #expect(counts.calls.last?.0 == expected)
        #expect(counts.calls.map(\.0) == counts.calls.map(\.0).sorted())
    }

    @Test func compressedInputsCountTheirBytesOnDisk() throws {
        let archive = Repo.path("samples/archives/15-key-group-no-access.tar.gz")
        let progress = ReadProgress { _, _ in }
        _ = Ingestor(progress: progress).walk([archive]) { file in while (try? file.stream.read()) != nil {} }
        let size = try FileManager.default.attributesOfItem(atPath: archive)[.size] as! Int
        #expect(progress.total == Int64(size))
        #expect(progress.read == Int64(size))
    }

    @Test func standardInputHasNoTotal() {
        #expect(ReadProgress.totalSize(of: ["-"]) == nil)
        #expect(ReadProgress.totalSize(of: []) == 0)
    }
}
