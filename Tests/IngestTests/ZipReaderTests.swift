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

/// Writes a zip with Python's `zipfile`: members are (name, content, stored?).
func makeZip(_ url: URL, _ members: [(String, [UInt8], Bool)]) throws {
    let dir = try scratch()
    var args = ["python3", "-c", """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w') as z:
            for i in range(2, len(sys.argv), 3):
                method = zipfile.ZIP_STORED if sys.argv[i + 2] == 'stored' else zipfile.ZIP_DEFLATED
                info = zipfile.ZipInfo(sys.argv[i], date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = method
                z.writestr(info, open(sys.argv[i + 1], 'rb').read())
        """, url.path]
    for (i, (name, content, stored)) in members.enumerated() {
        let file = dir.appendingPathComponent("m\(i)")
        try write(content, to: file)
        args += [name, file.path, stored ? "stored" : "deflated"]
    }
    try run(args)
}

@Suite struct ZipReaderTests {
    @Test func readsTheCorpusZipInArchiveOrder() throws {
        let (leaves, entries) = collect([Repo.fixture("ingest/case11-bundle.zip").path])
        #expect(entries.isEmpty)
        #expect(leaves.map(\.path) == ["case11-bundle.zip!ticket-bundle/capture.har",
                                       "case11-bundle.zip!ticket-bundle/gateway.log",
                                       "case11-bundle.zip!ticket-bundle/sdk-debug.log"])
        #expect(leaves.allSatisfy { $0.compression == ["zip"] && $0.error == nil })
        #expect(leaves.map(\.bytes.count) == [17_993, 118_101, 6_161])
    }

    @Test func unreadableZipIsAProblemNamingTheFile() throws {
        let url = try scratch().appendingPathComponent("bad.zip")
        try write(Array("PK\u{3}\u{4}this is not really a zip archive".utf8), to: url)
        let (leaves, entries) = collect([url.path])
        #expect(leaves.isEmpty)
        #expect(entries.count == 1)
        #expect(entries[0].path == "bad.zip" && entries[0].format == "zip" && entries[0].kind == .unknown)
        #expect(entries[0].problems.first?.location == "bad.zip@0")
        #expect(entries[0].problems.first?.message.contains("not a readable zip archive") == true)
    }

    /// Found by Tests/Fuzz/zip.swift: a central directory pointing past the data made
    /// ZIPFoundation trap (arithmetic overflow), ending the whole run.
    @Test func centralDirectoryPointingPastTheDataIsCorruptNotATrap() throws {
        let (leaves, entries) = collect([Repo.fixture("ingest/fuzz-zip-central-directory-past-data.zip").path])
        #expect(leaves.isEmpty)
        #expect(entries.count == 1)
        #expect(entries[0].format == "zip")
        #expect(entries[0].problems.first?.message.contains("zip") == true)
    }

    /// Found by Tests/Fuzz/zip.swift under LeakSanitizer: input with no end-of-central-directory
    /// record made ZIPFoundation throw from Archive(data:), leaking its in-memory copy of the input.
    /// Such input is now refused before ZIPFoundation sees it, with the reason named.
    @Test func inputWithoutAnEndRecordIsRefusedBeforeZIPFoundation() throws {
        let fuzzed = try [UInt8](Data(contentsOf: Repo.fixture("ingest/fuzz-zip-no-end-record.zip")))
        #expect(ZipReader.centralDirectoryProblem(fuzzed)?.reason.contains("no end-of-central-directory record") == true)
        #expect(ZipReader.centralDirectoryProblem(Array("PK\u{3}\u{4}short".utf8))?.offset == 0)
        // A record whose comment length points past the end.
        var good = try [UInt8](Data(contentsOf: Repo.fixture("ingest/case11-bundle.zip")))
        good[good.count - 2] = 0xFF
        #expect(ZipReader.centralDirectoryProblem(good)?.reason.contains("comment runs past the end") == true)
        let (leaves, entries) = collect([Repo.fixture("ingest/fuzz-zip-no-end-record.zip").path])
        #expect(leaves.isEmpty)
        #expect(entries.first?.problems.first?.message.contains("no end-of-central-directory record") == true)
    }

    /// Found by Tests/Fuzz/zip.swift (a timeout): deflate data damaged so the stream never
    /// reaches its final block made ZIPFoundation's extraction loop forever. Members are now
    /// inflated by our own zlib stream: each damaged member is reported, none hangs.
    @Test func damagedDeflateDataEndsWithAnErrorNotAHang() throws {
        let (leaves, _) = collect([Repo.fixture("ingest/fuzz-zip-deflate-never-ends.zip").path])
        #expect(leaves.map(\.path) == ["fuzz-zip-deflate-never-ends.zip!ticket-bundle/capture.har",
                                       "fuzz-zip-deflate-never-ends.zip!ticket-bundle/gateway.log",
                                       "fuzz-zip-deflate-never-ends.zip!ticket-bundle/sdk-debug.log"])
        #expect(leaves.allSatisfy { $0.error != nil })
        #expect(leaves.allSatisfy { $0.error.map { "\($0)".contains("zip") } == true })
    }

    @Test func storedAndDeflatedMembersReadTheSameAsPythonWroteThem() throws {
        let url = try scratch().appendingPathComponent("both.zip")
        let big = (0..<20_000).flatMap { Array("line \($0) of a log\n".utf8) }
        try makeZip(url, [("s.txt", Array("stored\n".utf8), true), ("d.log", big, false), ("e.txt", [], false)])
        let (leaves, entries) = collect([url.path])
        #expect(entries.isEmpty)
        #expect(leaves.map(\.bytes) == [Array("stored\n".utf8), big, []])
        #expect(leaves.allSatisfy { $0.error == nil })
        // A truncated deflate member (its data cut short) is `truncated`, not a hang.
        var bytes = [UInt8](try Data(contentsOf: url))
        let spans = ZipReader.scanCentralDirectory(bytes).spans
        #expect(spans.map(\.method) == [0, 8, 8])
        let reader = try ZipReader(data: Data(bytes), path: "both.zip")
        var s = reader.stream(reader.members[1], displayPath: "both.zip!d.log", maxRatio: 1000)
        var got = 0
        while let c = try s.read() { got += c.count }
        #expect(got == big.count)
        let d = spans[1]
        for i in (d.dataStart + d.compressed / 2)..<(d.dataStart + d.compressed) { bytes[i] = 0 }
        let damaged = try ZipReader(data: Data(bytes), path: "both.zip")
        var t = damaged.stream(damaged.members[1], displayPath: "both.zip!d.log", maxRatio: 1000)
        #expect(throws: IngestError.self) { while try t.read() != nil {} }
    }

    /// Found by Tests/Fuzz/zip.swift (a trap): an end record with zip64 markers and no zip64
    /// record made ZIPFoundation read past the data; and an end record announcing more entries
    /// than the directory holds makes it read past the directory. Both are refused first.
    @Test func zip64MarkersWithoutARecordAndAWrongEntryCountAreRefused() throws {
        let fuzzed = try [UInt8](Data(contentsOf: Repo.fixture("ingest/fuzz-zip-zip64-markers-without-record.zip")))
        #expect(ZipReader.centralDirectoryProblem(fuzzed)?.reason.contains("zip64 end record missing") == true)
        var good = try [UInt8](Data(contentsOf: Repo.fixture("ingest/case11-bundle.zip")))
        let eocd = good.count - 22
        good[eocd + 10] = 4   // three entries in the directory
        #expect(ZipReader.centralDirectoryProblem(good)?.reason.contains("announces 4 entries") == true)
        let (leaves, entries) = collect([Repo.fixture("ingest/fuzz-zip-zip64-markers-without-record.zip").path])
        #expect(leaves.isEmpty)
        #expect(entries.first?.problems.first?.message.contains("zip64") == true)
    }

    /// Found by Tests/Fuzz/zip.swift (a trap): a member whose zip64 local-header offset points
    /// past the data. Zip64 extra fields are now read and checked like the 32-bit ones.
    @Test func aZip64OffsetPastTheDataIsRefused() throws {
        let fuzzed = try [UInt8](Data(contentsOf: Repo.fixture("ingest/fuzz-zip-zip64-offset-past-data.zip")))
        #expect(ZipReader.centralDirectoryProblem(fuzzed) != nil)
        let (leaves, entries) = collect([Repo.fixture("ingest/fuzz-zip-zip64-offset-past-data.zip").path])
        #expect(leaves.isEmpty)
        #expect(entries.first?.format == "zip")
    }

    /// Found by Tests/Fuzz/zip.swift (a timeout): ZIPFoundation listed fewer entries than the
    /// directory holds, members fell back to its extraction, which looped forever. The reader
    /// no longer has that fallback: it ends, with the archive reported, not a hang.
    @Test func anArchiveZIPFoundationListsOnlyInPartEndsWithAProblem() throws {
        let (leaves, entries) = collect([Repo.fixture("ingest/fuzz-zip-entries-zipfoundation-cannot-list.zip").path])
        #expect(leaves.isEmpty)
        #expect(entries.first?.problems.first?.message.contains("data descriptor") == true)  // caught by the descriptor check now; the count check stays as a backstop
    }

    /// Found by Tests/Fuzz/zip.swift (a trap): a member flagged with a data descriptor whose
    /// position (after the uncompressed size of a stored member) lies past the data.
    @Test func aDataDescriptorPastTheDataIsRefused() throws {
        let fuzzed = try [UInt8](Data(contentsOf: Repo.fixture("ingest/fuzz-zip-data-descriptor-past-data.zip")))
        #expect(ZipReader.centralDirectoryProblem(fuzzed)?.reason.contains("data descriptor") == true)
        let (leaves, _) = collect([Repo.fixture("ingest/fuzz-zip-data-descriptor-past-data.zip").path])
        #expect(leaves.isEmpty)
    }

    @Test func aRealZip64ArchivePassesTheCheckAndReads() throws {
        let url = try scratch().appendingPathComponent("z64.zip")
        try run(["python3", "-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', allowZip64=True) as z:
                with z.open('big.log', 'w', force_zip64=True) as f: f.write(b'hello zip64\\n' * 100)
            """, url.path])
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(ZipReader.centralDirectoryProblem(bytes) == nil)
        #expect(ZipReader.scanCentralDirectory(bytes).spans.count == 1)
        let (leaves, _) = collect([url.path])
        #expect(leaves.map(\.bytes) == [Array(String(repeating: "hello zip64\n", count: 100).utf8)])
    }

    @Test func theCentralDirectoryCheckAcceptsEveryGoodZip() throws {
        let good = try [UInt8](Data(contentsOf: Repo.fixture("ingest/case11-bundle.zip")))
        #expect(ZipReader.centralDirectoryProblem(good) == nil)
        let url = try scratch().appendingPathComponent("made.zip")
        try makeZip(url, [("a.txt", Array("hello\n".utf8), true), ("b/c.log", Array(repeating: 65, count: 5000), false)])
        #expect(ZipReader.centralDirectoryProblem(try [UInt8](Data(contentsOf: url))) == nil)
    }

    @Test func damagedMemberIsReportedOnThatMember() throws {
        let url = try scratch().appendingPathComponent("b.zip")
        try makeZip(url, [("good.log", Array("fine\n".utf8), true), ("bad.log", Array("MARKER-original-content\n".utf8), true)])
        var bytes = [UInt8](try Data(contentsOf: url))
        let marker = Array("MARKER".utf8)
        let at = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker }!
        bytes[at] = UInt8(ascii: "m")   // content changed, CRC no longer matches
        try write(bytes, to: url)
        let (leaves, _) = collect([url.path])
        #expect(leaves.map(\.path) == ["b.zip!good.log", "b.zip!bad.log"])
        #expect(leaves[0].error == nil)
        guard case .corrupt(let path, "zip", _, _)? = leaves[1].error else {
            Issue.record("expected corrupt zip member, got \(String(describing: leaves[1].error))"); return
        }
        #expect(path == "b.zip!bad.log")
    }

    @Test func emptyZipIsListedNotDropped() throws {
        let url = try scratch().appendingPathComponent("empty.zip")
        try write([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18), to: url)
        let (leaves, entries) = collect([url.path])
        #expect(leaves.isEmpty)
        #expect(entries == [InventoryEntry(path: "empty.zip", format: "zip", compression: ["zip"], skipped: ["empty zip archive"])])
    }

    @Test func macOSLitterAndFoldersInsideZipAreSkipped() throws {
        let url = try scratch().appendingPathComponent("mac.zip")
        try makeZip(url, [("logs/", [], true), ("logs/app.log", Array("a\n".utf8), false),
                          ("__MACOSX/logs/._app.log", [0, 5, 22, 7], true), ("logs/.DS_Store", [0, 0, 0, 1], true)])
        let (leaves, entries) = collect([url.path])
        #expect(leaves.map(\.path) == ["mac.zip!logs/app.log"])
        #expect(entries.isEmpty)
    }

    @Test func deflateBombMemberHitsTheRatioCap() throws {
        let url = try scratch().appendingPathComponent("bomb.zip")
        try makeZip(url, [("zeros.log", [UInt8](repeating: 0, count: 30_000_000), false), ("after.log", Array("still read\n".utf8), false)])
        var limits = IngestLimits()
        limits.maxCompressionRatio = 100
        let (leaves, _) = collect([url.path], limits: limits)
        #expect(leaves.map(\.path) == ["bomb.zip!zeros.log", "bomb.zip!after.log"])
        #expect(leaves[0].error == .limitExceeded(path: "bomb.zip!zeros.log", limit: "compression ratio", value: 100, flag: "--max-ratio"))
        #expect(leaves[0].bytes.count < 4 << 20)
        #expect(leaves[1].text == "still read\n")
    }

    @Test func declaredEntryCountComesFromTheEndRecord() throws {
        let data = try Data(contentsOf: Repo.fixture("ingest/case11-bundle.zip"))
        #expect(ZipReader.declaredEntryCount(data) == 3)
        #expect(ZipReader.declaredEntryCount(Data([1, 2, 3])) == nil)
    }
}
