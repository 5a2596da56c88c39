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

@Suite struct TarReaderTests {
    /// A folder with one file under `relative`, archived with `tar --format=<format>`.
    private func archive(_ format: String, relative: String, content: [UInt8]) throws -> URL {
        let dir = try scratch()
        try write(content, to: dir.appendingPathComponent("src").appendingPathComponent(relative))
        let tar = dir.appendingPathComponent("t.tar")
        try run(["tar", "--format=\(format)", "-cf", tar.path, relative], in: dir.appendingPathComponent("src"))
        return tar
    }

    private let longBase = String(repeating: "very-long-log-name-", count: 8) + "app.log"   // 159 bytes

    @Test(arguments: ["gnu", "pax"])
    func longMemberNamesSurvive(format: String) throws {
        let name = "logs/" + longBase
        let tar = try archive(format, relative: name, content: Array("line\n".utf8))
        let (leaves, entries) = collect([tar.path])
        #expect(entries.isEmpty)
        #expect(leaves == [Leaf(path: "t.tar!" + name, compression: ["tar"], bytes: Array("line\n".utf8), error: nil)])
    }

    @Test func ustarPrefixFieldIsJoinedToTheName() throws {
        let dir = String(repeating: "d", count: 120) + "/sub"
        let tar = try archive("ustar", relative: dir + "/app.log", content: Array("x\n".utf8))
        #expect(collect([tar.path]).leaves.map(\.path) == ["t.tar!" + dir + "/app.log"])
    }

    @Test func oldV7ArchiveIsRecognisedByItsChecksum() throws {
        let tar = try archive("v7", relative: "old.log", content: Array("v7\n".utf8))
        let bytes = [UInt8](try Data(contentsOf: tar))
        #expect(!bytes[257..<262].elementsEqual(Array("ustar".utf8)))
        #expect(collect([tar.path]).leaves == [Leaf(path: "t.tar!old.log", compression: ["tar"], bytes: Array("v7\n".utf8), error: nil)])
    }

    @Test func truncatedMemberKeepsItsBytesAndNamesTheOffset() throws {
        let content = logText(lines: 1000)
        let tar = try archive("gnu", relative: "big.log", content: content)
        let cut = [UInt8](try Data(contentsOf: tar)).prefix(50_000)
        try write(Array(cut), to: tar)
        let (leaves, entries) = collect([tar.path])
        #expect(leaves.count == 1)
        #expect(leaves[0].bytes.count == 50_000 - 512)
        #expect(content.starts(with: leaves[0].bytes))
        #expect(leaves[0].error == .truncated(path: "t.tar", format: "tar", offset: 50_000))
        #expect(entries.isEmpty)   // reported once, on the member that met it
    }

    @Test func truncatedHeaderAndBadChecksumAreArchiveProblems() throws {
        let dir = try scratch()
        for name in ["a.log", "b.log", "c.log"] { try write(Array("\(name)\n".utf8), to: dir.appendingPathComponent("src/\(name)")) }
        let tar = dir.appendingPathComponent("t.tar")
        try run(["tar", "--format=gnu", "-cf", tar.path, "a.log", "b.log", "c.log"], in: dir.appendingPathComponent("src"))
        var bytes = [UInt8](try Data(contentsOf: tar))
        // Each member: a header and one padded block. Break b.log's header name.
        bytes[1024] = UInt8(ascii: "B")
        try write(bytes, to: tar)
        var (leaves, entries) = collect([tar.path])
        #expect(leaves.map(\.path) == ["t.tar!a.log"])
        #expect(entries.map(\.problems) == [[IngestError.corrupt(path: "t.tar", format: "tar", offset: 1024, reason: "header checksum does not match").problem]])
        #expect(entries.first?.compression == ["tar"])

        try write(Array(bytes.prefix(1024 + 300)), to: tar)
        (leaves, entries) = collect([tar.path])
        #expect(leaves.map(\.path) == ["t.tar!a.log"])
        #expect(entries.flatMap(\.problems).map(\.location) == ["t.tar@1324"])
    }

    @Test func membersTheVisitorLeavesUnreadAreSkipped() throws {
        let dir = try scratch()
        try write(logText(lines: 3000), to: dir.appendingPathComponent("src/a.log"))
        try write(Array("second\n".utf8), to: dir.appendingPathComponent("src/b.log"))
        let tar = dir.appendingPathComponent("t.tar")
        try run(["tar", "-cf", tar.path, "a.log", "b.log"], in: dir.appendingPathComponent("src"))
        var seen: [(String, [UInt8])] = []
        _ = Ingestor().walk([tar.path]) { file in
            // Read only a.log's first chunk; b.log fully.
            let first = (try? file.stream.read()).flatMap { $0 }.map(Array.init) ?? []
            seen.append((file.path, file.path.hasSuffix("b.log") ? first : []))
        }
        #expect(seen.map(\.0) == ["t.tar!a.log", "t.tar!b.log"])
        #expect(seen[1].1 == Array("second\n".utf8))
    }

    @Test func linksAreListedAsSkipped() throws {
        let dir = try scratch()
        try write(Array("x\n".utf8), to: dir.appendingPathComponent("src/real.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("src/alias.log").path, withDestinationPath: "real.log")
        let tar = dir.appendingPathComponent("t.tar")
        try run(["tar", "-cf", tar.path, "alias.log", "real.log"], in: dir.appendingPathComponent("src"))
        let (leaves, entries) = collect([tar.path])
        #expect(leaves.map(\.path) == ["t.tar!real.log"])
        #expect(entries == [InventoryEntry(path: "t.tar!alias.log", compression: ["tar"], skipped: ["link to real.log: not followed"])])
    }

    @Test func headerFieldsDecode() {
        #expect(TarHeader.number(Array("0000644 \0".utf8)[...]) == 0o644)
        #expect(TarHeader.number(Array("   17\0".utf8)[...]) == 0o17)
        #expect(TarHeader.number(([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00] as [UInt8])[...]) == 65536)
        #expect(TarHeader.number(Array("12x4".utf8)[...]) == nil)
        let pax = TarHeader.pax(Array("27 path=logs/app.log\u{e9}.txt\n19 size=1234567890\n".utf8))
        #expect(pax.path == "logs/app.log\u{e9}.txt")
        #expect(pax.size == 1_234_567_890)
        #expect(TarReader.displayName("./logs/./a.log") == "logs/./a.log")
        #expect(TarReader.padding(0) == 0 && TarReader.padding(1) == 511 && TarReader.padding(512) == 0)
    }
    // MARK: Found by fuzzing (Fuzz/tar.swift)

    /// A header block with a valid checksum: `name`, type `flag`, the size field as given.
    private func block(_ name: String, flag: UInt8, size: [UInt8]) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 512)
        for (i, c) in name.utf8.prefix(100).enumerated() { b[i] = c }
        for (i, c) in size.prefix(12).enumerated() { b[124 + i] = c }
        b[156] = flag
        for (i, c) in "ustar\u{0}00".utf8.enumerated() { b[257 + i] = c }
        for i in 148..<156 { b[i] = 0x20 }
        let sum = String(b.reduce(0) { $0 + Int($1) }, radix: 8)
        for (i, c) in (String(repeating: "0", count: 6 - sum.count) + sum).utf8.enumerated() { b[148 + i] = c }
        b[154] = 0; b[155] = 0x20
        return b
    }

    private func octal(_ n: Int) -> [UInt8] {
        let s = String(n, radix: 8)
        return Array((String(repeating: "0", count: 11 - s.count) + s).utf8) + [0]
    }

    /// Reads every member; returns the names and the error that ended the walk.
    private func walk(_ bytes: [UInt8]) -> ([String], (any Error)?) {
        let tar = TarReader(MemoryStream(bytes), path: "t.tar")
        var names: [String] = []
        do {
            while let m = try tar.next() {
                names.append(m.name)
                var s = TarMemberStream(reader: tar)
                while try s.read() != nil {}
            }
        } catch { return (names, error) }
        return (names, nil)
    }

    @Test func paxRecordShorterThanItsLengthPrefixDoesNotTrap() {
        // "02 mtime=…": the length (2) does not even cover its own digits and space; it used
        // to make the slice `data[3..<2]` and trap.
        let short = TarHeader.pax(Array("02 mtime=1795923382.0788596\n".utf8))
        #expect(short.path == nil && short.size == nil)
        let pax = Array("02 mtime=1\n".utf8)
        let tar = block("./PaxHeaders/a", flag: 0x78, size: octal(pax.count)) + pax + [UInt8](repeating: 0, count: 512 - pax.count)
            + block("a.log", flag: 0x30, size: octal(2)) + Array("x\n".utf8) + [UInt8](repeating: 0, count: 510 + 1024)
        let (names, error) = walk(tar)
        #expect(names == ["a.log"])
        #expect(error == nil)
    }

    @Test func paxRecordLengthWithTooManyDigitsDoesNotOverflow() {
        let pax = TarHeader.pax(Array((String(repeating: "9", count: 40) + " path=x\n").utf8))
        #expect(pax.path == nil && pax.size == nil)
    }

    @Test func hugeOrNegativeMemberSizeIsCorruptNotAnOverflow() {
        // GNU base-256 size near Int.max: skipping it plus its padding overflowed.
        let base256: [UInt8] = [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF]
        let (names, error) = walk(block("big.log", flag: 0x30, size: base256) + [UInt8](repeating: 0, count: 1024))
        #expect(names.isEmpty)
        guard case .corrupt(_, "tar", 0, let reason)? = error as? IngestError else {
            Issue.record("expected a corrupt tar error, got \(String(describing: error))"); return
        }
        #expect(reason.contains("out of range"))
        // A pax `size=` that is negative or past Int is ignored: the header's own size counts.
        for value in ["-5", "9223372036854775807"] {
            let rec = " size=\(value)\n"
            var len = rec.utf8.count + 2
            if String(len).count + rec.utf8.count != len { len += 1 }
            let pax = Array("\(len)\(rec)".utf8)
            let tar = block("./PaxHeaders/a", flag: 0x78, size: octal(pax.count)) + pax + [UInt8](repeating: 0, count: 512 - pax.count)
                + block("a.log", flag: 0x30, size: octal(2)) + Array("x\n".utf8) + [UInt8](repeating: 0, count: 510 + 1024)
            let (names, error) = walk(tar)
            if value == "-5" {
                #expect(names == ["a.log"] && error == nil)
            } else {
                #expect(names.isEmpty && error != nil)
            }
        }
    }
}
