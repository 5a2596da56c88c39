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

@Suite struct GzipStreamTests {
    private func inflate(_ data: [UInt8], maxRatio: Int = 1000, inChunk: Int = 1 << 20) -> ([UInt8], IngestError?) {
        var s: any ByteStream = GzipStream(MemoryStream(data, chunkSize: inChunk), path: "x.log.gz", maxRatio: maxRatio)
        return drain(&s)
    }

    @Test func inflatesMultiMemberFileAndIgnoresZeroPadding() throws {
        let data = try gzip(Array("first member\n".utf8)) + gzip(Array("second member\n".utf8)) + [UInt8](repeating: 0, count: 1024)
        // Chunks of 7 bytes put member ends and the padding across read boundaries.
        let (out, error) = inflate(data, inChunk: 7)
        #expect(error == nil)
        #expect(String(decoding: out, as: UTF8.self) == "first member\nsecond member\n")
    }

    /// The first chunk has its own size (the sniffers' text), the others the output chunk's;
    /// the bytes are the same however they are cut.
    @Test func firstChunkHasItsOwnSizeAndTheRestTheChunkSize() throws {
        let original = logText(lines: 20_000)
        #expect(original.count > 100_000)
        let s = GzipStream(MemoryStream(try gzip(original), chunkSize: 4096), path: "x.log.gz", maxRatio: 1000,
                           outputChunk: 10_000, firstOutputChunk: 65_536)
        var sizes: [Int] = [], out: [UInt8] = []
        while let c = try s.read() {
            sizes.append(c.count)
            out += c
        }
        #expect(out == original)
        #expect(sizes.first == 65_536 && sizes.dropFirst().dropLast().allSatisfy { $0 == 10_000 } && sizes.last! <= 10_000)
    }

    @Test func truncatedInputKeepsEarlierLinesAndNamesTheOffset() throws {
        let original = logText(lines: 60_000)
        let whole = try gzip(original)
        let cut = Array(whole.prefix(whole.count / 2))
        let (out, error) = inflate(cut, inChunk: 64 << 10)
        #expect(error == .truncated(path: "x.log.gz", format: "gzip", offset: cut.count))
        #expect(out.count > original.count / 3)
        #expect(original.starts(with: out))
        #expect(error?.problem.location == "x.log.gz@\(cut.count)")
    }

    @Test func corruptDataIsReportedWithOffsetAfterTheGoodPart() throws {
        let original = logText(lines: 60_000)
        var data = try gzip(original)
        let at = data.count / 2
        for i in at..<(at + 64) { data[i] ^= 0xA5 }
        let (out, error) = inflate(data)
        guard case .corrupt(let path, let format, let offset, _)? = error else {
            Issue.record("expected corrupt, got \(String(describing: error))"); return
        }
        #expect(path == "x.log.gz" && format == "gzip")
        #expect(offset >= at && offset <= data.count)
        // Bad deflate data may decode to wrong bytes before zlib notices (here: the CRC), but
        // everything from before the damage is intact. (Bool checks: no 8 MB diffs on failure.)
        let good = 1 << 20
        #expect(out.count > good)
        #expect(out.prefix(good).elementsEqual(original.prefix(good)))
    }

    @Test func wrongChecksumIsCorrupt() throws {
        var data = try gzip(Array("hello\n".utf8))
        data[data.count - 8] ^= 0xFF   // CRC32 in the trailer
        let (out, error) = inflate(data)
        #expect(String(decoding: out, as: UTF8.self) == "hello\n")
        guard case .corrupt(_, "gzip", _, let reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains("check"))
    }

    @Test func trailingGarbageAfterLastMemberIsCorrupt() throws {
        let member = try gzip(Array("ok\n".utf8))
        let (out, error) = inflate(member + Array("junk".utf8))
        #expect(String(decoding: out, as: UTF8.self) == "ok\n")
        #expect(error == .corrupt(path: "x.log.gz", format: "gzip", offset: member.count,
                                  reason: "data after the end of the last gzip member is not gzip"))
    }

    @Test func ratioBombStopsAfterBoundedOutput() throws {
        let bomb = try run(["sh", "-c", "head -c 50000000 /dev/zero | gzip -c"])
        #expect(bomb.count < 100_000)
        let (out, error) = inflate(bomb, maxRatio: 100)
        #expect(error == .limitExceeded(path: "x.log.gz", limit: "compression ratio", value: 100, flag: "--max-ratio"))
        #expect(out.count <= 2 << 20)
        #expect(error?.description.contains("--max-ratio") == true)
    }

    @Test func smallButVeryCompressibleFileIsNotRefused() throws {
        // 900 KB of zeros: far over the ratio, but under the 1 MiB grace.
        let data = try gzip([UInt8](repeating: 0x41, count: 900_000))
        let (out, error) = inflate(data, maxRatio: 10)
        #expect(error == nil)
        #expect(out.count == 900_000)
    }

    @Test func realCorpusGzipInflatesToTheSameBytesAsGzip() throws {
        let gz = [UInt8](try Data(contentsOf: Repo.fixture("ingest/case20-sdk-debug.log.gz")))
        let expected = try run(["gzip", "-dc"], input: gz)
        let (out, error) = inflate(gz, inChunk: 100)
        #expect(error == nil)
        #expect(out == expected)
        #expect(out.count == 14_966)
    }
}
