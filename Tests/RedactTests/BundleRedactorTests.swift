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

/// `modeldoctor redact`: a redacted copy of a real capture (corpus case 05 HAR + SDK log,
/// case 27 browser HAR) and a hand-made log with planted secrets.
@Suite struct BundleRedactorTests {
    static let planted = [
        "sk-u3XLRIpdNo0npNOJQV2W9I",
        "sk-us8SOYhA6FdY2MK2SweTTkqwgzdLRubr5FjGZs5FznfM7kBM",
        "sk-proj-Q7v2Lk9XzT4mB8nR1wY6pS3dF5gH0jKcVbNmA2sD4fG6hJ8k",
        "sk-ant-api03-Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1Yg0Uf9Id8Os7Pa6Sd5Fg4Hj3Kl2Zx1Cv0Bn9Mq8Wl7Ek6Rj5Th4Yg3Uf2Id1Os0Pa-AAAAAA",
        "AIzaSyD4f8Kq2LmN9pR3sT6vW1xY5zA7bC0dE2g",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "pr0xyPassw0rd",
    ]

    private func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("md-redact-\(UUID().uuidString)")
        return d.path
    }

    private func lines(_ path: String) throws -> Int {
        try Data(contentsOf: URL(fileURLWithPath: path)).filter { $0 == 10 }.count
    }

    @Test func copyHasNoSecretSameLinesAndValidHAR() throws {
        let input = Repo.fixture("redact/bundle").path
        let out = tempDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try BundleRedactor().run([input], output: out)

        #expect(result.files.map(\.path) == ["browser.har", "capture.har", "planted.log", "sdk-debug.log"])
        #expect(result.files.allSatisfy { $0.output == $0.path })
        #expect(result.problems.isEmpty)
        for f in result.files {
            let original = try String(contentsOfFile: input + "/" + f.path, encoding: .utf8)
            let copy = try String(contentsOfFile: out + "/" + f.path, encoding: .utf8)
            for secret in Self.planted {
                #expect(Leaks.stretch(of: secret, in: copy) == nil, "\(f.path) leaks \(secret.prefix(6))")
            }
            #expect(try lines(out + "/" + f.path) == lines(input + "/" + f.path))
            #expect(copy.split(separator: "\n", omittingEmptySubsequences: false).count
                == original.split(separator: "\n", omittingEmptySubsequences: false).count)
            if f.path.hasSuffix(".har") {
                #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(copy.utf8)) }
            }
        }
        // The untouched SDK log is byte-identical.
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/sdk-debug.log"))
            == Data(contentsOf: URL(fileURLWithPath: input + "/sdk-debug.log")))
        #expect(result.summary.byFileAndKind["capture.har"] == ["openai-key": 2])
        #expect(result.summary.byFileAndKind["planted.log"]
            == ["openai-key": 1, "cookie": 1, "anthropic-key": 1, "google-key": 1, "url-credentials": 1])
        #expect(result.summary.byFileAndKind["browser.har"]?["openai-key"] == 2)
        #expect(result.summary.byFile["sdk-debug.log"] == nil)
    }

    @Test func keptFactsSurviveInTheCopy() throws {
        let out = tempDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try BundleRedactor().run([Repo.fixture("redact/bundle/planted.log").path], output: out)
        let copy = try String(contentsOfFile: out + "/planted.log", encoding: .utf8)
        for fact in ["gpt-4o-2024-08-06", "https://gw.example.com/v1", "401 Unauthorized", "req_bdbfc5c9cafc34fa6c72fba73bdce45c",
                     "@10.0.0.8:3128", "Host: gw.example.com"] {
            #expect(copy.contains(fact), "lost \(fact)")
        }
    }

    @Test func refusesANonEmptyOutputFolderUnlessForced() throws {
        let out = tempDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: out + "/existing.txt"))
        let input = Repo.fixture("redact/bundle/planted.log").path
        #expect(throws: RedactionError.outputNotEmpty(path: out)) { try BundleRedactor().run([input], output: out) }
        let forced = try BundleRedactor(options: .init(force: true)).run([input], output: out)
        #expect(forced.files.first?.output == "planted.log")
    }

    @Test func learnsFirstSoABareKeyBeforeItsHeaderIsCaught() throws {
        let dir = tempDir(), out = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let token = "Zq81Lm02Xv7Tn4Rb9Kc3Wd6Pe5"
        try Data("a.log line 1 mentions \(token)\n".utf8).write(to: URL(fileURLWithPath: dir + "/a.log"))
        try Data("x-api-key: \(token)\n".utf8).write(to: URL(fileURLWithPath: dir + "/b.log"))
        _ = try BundleRedactor().run([dir], output: out)
        let a = try String(contentsOfFile: out + "/a.log", encoding: .utf8)
        #expect(Leaks.stretch(of: token, in: a) == nil)
        #expect(a.hasPrefix("a.log line 1 mentions …"))
    }

    @Test func archiveMembersGoToDotDFoldersAndNeverEscapeTheOutput() {
        #expect(BundleRedactor.outputPath(for: "bundle.tar.gz!ticket-bundle/sdk-debug.log") == "bundle.tar.gz.d/ticket-bundle/sdk-debug.log")
        #expect(BundleRedactor.outputPath(for: "a.zip!b.tar.gz!c.log") == "a.zip.d/b.tar.gz.d/c.log")
        #expect(BundleRedactor.outputPath(for: "x.zip!../../etc/passwd") == "x.zip.d/etc/passwd")
        #expect(BundleRedactor.outputPath(for: "/abs/path.log") == "abs/path.log")
    }

    @Test func gzipLeavesAreWrittenBackGzipped() throws {
        let out = tempDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = out + "/x.log.gz"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let gz = try GzipWriter(handle: handle)
        let text = String(repeating: "line of text with Cookie: [REDACTED:cookie]\n", count: 5000)
        try gz.write(Array(text.utf8))
        try gz.finish()
        try handle.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.prefix(2) == Data([0x1f, 0x8b]))
        #expect(data.count < text.utf8.count / 10)
        // Decompress with the system gzip when present.
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gunzip.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        guard (try? gunzip.run()) != nil else { return }
        let back = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(String(decoding: back, as: UTF8.self) == text)
    }
}

/// `modeldoctor redact - -o OUT`: stdin is read once, by the learning pass, and replayed to the
/// copying pass (it used to reach the copy empty: a 0-byte file and "0 lines").
@Suite struct BundleRedactorStdinTests {
    @Test func stdinIsCopiedRedactedNotEmptied() throws {
        let secret = "sk-proj-Q7v2Lk9XzT4mB8nR1wY6pS3dF5gH0jKcVbNmA2sD4fG6hJ8k"
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("Authorization: Bearer \(secret)\nplain line\n".utf8))
        try pipe.fileHandleForWriting.close()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("md-redact-stdin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try BundleRedactor(buffers: InputBuffers(standardInput: pipe.fileHandleForReading.fileDescriptor)).run(["-"], output: out)
        #expect(result.files.map(\.lines) == [2])
        #expect(result.summary.total >= 1)
        let copy = try String(contentsOfFile: out + "/stdin", encoding: .utf8)
        #expect(copy.hasSuffix("plain line\n"))
        #expect(!copy.contains(secret))
    }
}
