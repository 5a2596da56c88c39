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

@Suite struct IngestorTests {
    /// root/{.DS_Store, .git/config, a/sub/app.log, a/x.log.gz, b.log, bundle.zip, c.bin, empty.log}
    private func bundleFolder() throws -> URL {
        let root = try scratch().appendingPathComponent("ticket")
        try write([0, 0, 0, 1, 0x42], to: root.appendingPathComponent(".DS_Store"))
        try write(Array("[core]\n".utf8), to: root.appendingPathComponent(".git/config"))
        try write(Array("app\n".utf8), to: root.appendingPathComponent("a/sub/app.log"))
        try write(try gzip(Array("x\n".utf8)), to: root.appendingPathComponent("a/x.log.gz"))
        try write(Array("b\n".utf8), to: root.appendingPathComponent("b.log"))
        try makeZip(root.appendingPathComponent("bundle.zip"),
                    [("logs/app.log.gz", try gzip(Array("zipped\n".utf8)), false), ("logs/plain.log", Array("plain\n".utf8), false)])
        try write((0...255).map { UInt8($0) }, to: root.appendingPathComponent("c.bin"))
        try write([], to: root.appendingPathComponent("empty.log"))
        return root
    }

    @Test func walksAFolderSortedWithContainersPeeled() throws {
        let root = try bundleFolder()
        let (leaves, entries) = collect([root.path])
        #expect(entries.isEmpty)
        #expect(leaves == [
            Leaf(path: "a/sub/app.log", compression: [], bytes: Array("app\n".utf8)),
            Leaf(path: "a/x.log.gz", compression: ["gzip"], bytes: Array("x\n".utf8)),
            Leaf(path: "b.log", compression: [], bytes: Array("b\n".utf8)),
            Leaf(path: "bundle.zip!logs/app.log.gz", compression: ["zip", "gzip"], bytes: Array("zipped\n".utf8)),
            Leaf(path: "bundle.zip!logs/plain.log", compression: ["zip"], bytes: Array("plain\n".utf8)),
            Leaf(path: "c.bin", compression: [], bytes: (0...255).map { UInt8($0) }),
            Leaf(path: "empty.log", compression: [], bytes: []),
        ])
    }

    @Test func singleFilesAreShownByBaseNameAndMissingOnesAreListed() throws {
        let root = try bundleFolder()
        let missing = root.appendingPathComponent("nope.log").path
        let (leaves, entries) = collect([root.appendingPathComponent("a/x.log.gz").path, missing,
                                         root.appendingPathComponent("b.log").path])
        #expect(leaves.map(\.path) == ["x.log.gz", "b.log"])
        #expect(leaves.map(\.compression) == [["gzip"], []])
        #expect(entries.count == 1)
        #expect(entries[0].path == missing && entries[0].kind == .unknown)
        #expect(entries[0].problems.first?.message.contains("no such file or folder") == true)
    }

    @Test func tarGzMembersCarryBothContainers() throws {
        let (leaves, entries) = collect([Repo.fixture("ingest/case11-bundle.tar.gz").path])
        #expect(entries.isEmpty)
        #expect(leaves.map(\.path) == ["case11-bundle.tar.gz!ticket-bundle/sdk-debug.log",
                                       "case11-bundle.tar.gz!ticket-bundle/capture.har",
                                       "case11-bundle.tar.gz!ticket-bundle/gateway.log"])
        #expect(leaves.allSatisfy { $0.compression == ["gzip", "tar"] && $0.error == nil })
    }

    @Test func truncatedTarGzReportsTheGzipOffsetOnceOnTheMemberItCut() throws {
        let whole = [UInt8](try Data(contentsOf: Repo.fixture("ingest/case11-bundle.tar.gz")))
        let url = try scratch().appendingPathComponent("cut.tar.gz")
        try write(Array(whole.prefix(8000)), to: url)
        let (leaves, entries) = collect([url.path])
        #expect(entries.isEmpty)
        #expect(leaves.count >= 2)
        #expect(leaves.dropLast().allSatisfy { $0.error == nil })
        #expect(leaves.last?.error == .truncated(path: "cut.tar.gz", format: "gzip", offset: 8000))
        #expect(leaves.first?.bytes.count == 6161)
    }

    @Test func sameCaseAsFolderTarGzAndZipGivesTheSameLeaves() throws {
        let dir = try scratch()
        try run(["tar", "xzf", Repo.fixture("ingest/case11-bundle.tar.gz").path], in: dir)
        func contents(_ input: String) -> [String: [UInt8]] {
            let (leaves, entries) = collect([input])
            #expect(entries.isEmpty)
            return Dictionary(uniqueKeysWithValues: leaves.map { leaf in
                (leaf.path.split(separator: "!").last.map(String.init) ?? leaf.path, leaf.bytes)
            })
        }
        let folder = contents(dir.path)
        #expect(folder.keys.sorted() == ["ticket-bundle/capture.har", "ticket-bundle/gateway.log", "ticket-bundle/sdk-debug.log"])
        #expect(contents(Repo.fixture("ingest/case11-bundle.tar.gz").path) == folder)
        #expect(contents(Repo.fixture("ingest/case11-bundle.zip").path) == folder)
    }

    @Test func entryCapStopsTheArchiveButNotTheBundle() throws {
        let dir = try scratch()
        for i in 1...5 { try write(Array("\(i)\n".utf8), to: dir.appendingPathComponent("src/\(i).log")) }
        let tar = dir.appendingPathComponent("five.tar")
        try run(["tar", "-cf", tar.path, "1.log", "2.log", "3.log", "4.log", "5.log"], in: dir.appendingPathComponent("src"))
        var limits = IngestLimits()
        limits.maxArchiveEntries = 3
        let (leaves, entries) = collect([tar.path, dir.appendingPathComponent("src/5.log").path], limits: limits)
        #expect(leaves.map(\.path) == ["five.tar!1.log", "five.tar!2.log", "five.tar!3.log", "5.log"])
        #expect(entries.count == 1)
        let e = IngestError.limitExceeded(path: "five.tar", limit: "archive entries", value: 3, flag: "--max-entries")
        #expect(entries[0].problems == [e.problem])
        #expect(e.description == "five.tar: archive entries limit of 3 exceeded (raise it with --max-entries)")
    }

    @Test func depthCapNamesTheFlagAndTheRestIsRead() throws {
        let root = try bundleFolder()
        var limits = IngestLimits()
        limits.maxDepth = 1
        let (leaves, entries) = collect([root.appendingPathComponent("bundle.zip").path,
                                         Repo.fixture("ingest/case11-bundle.tar.gz").path], limits: limits)
        #expect(leaves.map(\.path) == ["bundle.zip!logs/plain.log"])
        #expect(entries.map(\.path) == ["bundle.zip!logs/app.log.gz", "case11-bundle.tar.gz"])
        #expect(entries.map(\.compression) == [["zip"], ["gzip"]])
        #expect(entries.allSatisfy { $0.problems.first?.message.contains("--max-depth") == true })
    }

    @Test func totalByteCapCutsCompressedLeavesOnly() throws {
        let dir = try scratch()
        try write(try gzip([UInt8](repeating: 0x61, count: 1000)), to: dir.appendingPathComponent("1.log.gz"))
        try write(try gzip([UInt8](repeating: 0x62, count: 1000)), to: dir.appendingPathComponent("2.log.gz"))
        try write([UInt8](repeating: 0x63, count: 1000), to: dir.appendingPathComponent("3.log"))
        var limits = IngestLimits()
        limits.maxTotalBytes = 1500
        let (leaves, _) = collect([dir.path], limits: limits)
        #expect(leaves.map(\.bytes.count) == [1000, 500, 1000])
        #expect(leaves[1].error == .limitExceeded(path: "2.log.gz", limit: "decompressed bytes", value: 1500, flag: "--max-bytes"))
        #expect(leaves[0].error == nil && leaves[2].error == nil)
    }

    @Test func gzipBombFileIsStoppedByTheRatioCap() throws {
        let dir = try scratch()
        try write(try run(["sh", "-c", "head -c 50000000 /dev/zero | gzip -c"]), to: dir.appendingPathComponent("bomb.log.gz"))
        var limits = IngestLimits()
        limits.maxCompressionRatio = 200
        let (leaves, _) = collect([dir.path], limits: limits)
        #expect(leaves.count == 1)
        #expect(leaves[0].error == .limitExceeded(path: "bomb.log.gz", limit: "compression ratio", value: 200, flag: "--max-ratio"))
        #expect(leaves[0].bytes.count < 4 << 20)
    }

    @Test func unsupportedCompressionIsNamedNotCalledBinary() throws {
        let dir = try scratch()
        try write([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04, 0xE6, 0xD6], to: dir.appendingPathComponent("app.log.xz"))
        try write(Array("BZh91AY&SY".utf8) + [0x12, 0x34], to: dir.appendingPathComponent("b.log.bz2"))
        try write(Array("BZh9 is how this text starts\n".utf8), to: dir.appendingPathComponent("c.log"))
        let (leaves, entries) = collect([dir.path])
        #expect(leaves.map(\.path) == ["c.log"])
        #expect(entries.map(\.path) == ["app.log.xz", "b.log.bz2"])
        #expect(entries.map(\.format) == ["xz", "bzip2"])
        #expect(entries[0].problems.first?.message == "cannot read: xz data is not supported: decompress it and attach the result")
    }

    @Test func truncatedGzipBecomesAnInventoryProblemWithItsOffset() throws {
        let dir = try scratch()
        let whole = try gzip(logText(lines: 40_000))
        try write(Array(whole.prefix(whole.count / 2)), to: dir.appendingPathComponent("app.log.gz"))
        let bundle = BundleReader().read([dir.path])
        #expect(bundle.inventory.map(\.path) == ["app.log.gz"])
        #expect(bundle.inventory[0].compression == ["gzip"])
        #expect(bundle.inventory[0].problems.map(\.location) == ["app.log.gz@\(whole.count / 2)"])
        #expect(bundle.inventory[0].bytes > 1 << 20)
    }
}
