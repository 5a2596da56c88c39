import Foundation
import Testing
@testable import DoctorIngest
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// UTF-16 text (what a Windows PowerShell redirect writes) is read as UTF-8, whatever the
/// chunk boundaries cut: an odd byte, a surrogate pair.
@Suite struct UTF16StreamTests {
    static let text = "2026-12-06 INFO 模型列表为空 🚀 GET https://gw.example.com/v1/models 404\r\nnext line ✓\n"

    static func utf16(_ s: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for u in s.utf16 {
            let hi = UInt8(u >> 8), lo = UInt8(u & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    static func readAll(_ s: inout some ByteStream) throws -> [UInt8] {
        var out: [UInt8] = []
        while let c = try s.read() { out += c }
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func anyChunkingGivesTheSameUTF8(_ chunk: Int) throws {
        for bigEndian in [false, true] {
            for bom in [false, true] {
                var s = UTF16Stream(MemoryStream(Self.utf16(Self.text, bigEndian: bigEndian, bom: bom), chunkSize: chunk), bigEndian: bigEndian)
                let got = try Self.readAll(&s)
                #expect(got == Array(Self.text.utf8), "chunk \(chunk), big-endian \(bigEndian), BOM \(bom)")
            }
        }
    }

    @Test func aCutCharacterAtTheEndIsAReplacementCharacter() throws {
        // The high half of a surrogate pair, then nothing.
        var s = UTF16Stream(MemoryStream([0x41, 0x00, 0x3D, 0xD8]), bigEndian: false)
        #expect(try Self.readAll(&s) == [0x41, 0xEF, 0xBF, 0xBD])
    }

    @Test func theByteOrderIsReadFromTheMarkOrTheNULBytes() {
        let line = "INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models 404\n"
        #expect(UTF16Stream.byteOrder(ofPrefix: Self.utf16(line, bigEndian: false, bom: true))! == (false, true))
        #expect(UTF16Stream.byteOrder(ofPrefix: Self.utf16(line, bigEndian: true, bom: true))! == (true, true))
        #expect(UTF16Stream.byteOrder(ofPrefix: Self.utf16(line, bigEndian: false, bom: false))! == (false, false))
        #expect(UTF16Stream.byteOrder(ofPrefix: Self.utf16(line, bigEndian: true, bom: false))! == (true, false))
        // UTF-8 text, and binary data with NUL bytes here and there, are not UTF-16.
        #expect(UTF16Stream.byteOrder(ofPrefix: Array(line.utf8)) == nil)
        let binary: [UInt8] = (0..<256).map { UInt8(($0 * 37 + 11) & 0xFF) }
        #expect(UTF16Stream.byteOrder(ofPrefix: binary) == nil)
    }

    /// The same SDK log saved as UTF-16 gives the same findings as the original, and the
    /// inventory says how it was read.
    @Test func aUTF16LogIsDiagnosedAsItsUTF8Original() throws {
        let original = try String(contentsOfFile: Repo.path("Tests/Fixtures/captured/captured-2/06-copied-wrong-key/sdk-debug.log"), encoding: .utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-utf16-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain").appendingPathComponent("sdk-debug.log")
        let wide = dir.appendingPathComponent("wide").appendingPathComponent("sdk-debug.log")
        for (url, bytes) in [(plain, Array(original.utf8)), (wide, Self.utf16(original, bigEndian: false, bom: true))] {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        func run(_ url: URL) -> AnalysisPipeline.Result {
            AnalysisPipeline.run(AnalysisOptions(inputs: [url.deletingLastPathComponent().path], ruleFolders: [Repo.path("rules")]))
        }
        let a = run(plain), b = run(wide)
        #expect(!a.report.findings.isEmpty)
        #expect(b.report.findings.map(\.cause) == a.report.findings.map(\.cause))
        #expect(b.report.inputs.first?.kind == .pythonSDKLog)
        #expect(b.report.inputs.first?.notes.first?.hasPrefix("UTF-16 text (little-endian, with a byte-order mark") == true)
        #expect(a.report.inputs.first?.notes.contains { $0.hasPrefix("UTF-16") } == false)
    }
}
