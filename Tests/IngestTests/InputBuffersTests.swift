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

/// A pipe holding `text`, write end closed: what standard input looks like to a command.
func pipeHolding(_ text: String) throws -> Pipe {
    let p = Pipe()
    p.fileHandleForWriting.write(Data(text.utf8))
    try p.fileHandleForWriting.close()
    return p
}

/// Once-only inputs (stdin, pipes) are read once and replayed to every later walk.
@Suite struct InputBuffersTests {
    private func leaves(_ ingestor: Ingestor, _ inputs: [String]) -> [Leaf] {
        var out: [Leaf] = []
        _ = ingestor.walk(inputs) { file in
            var leaf = Leaf(path: file.path, compression: file.compression, bytes: [], error: nil)
            (leaf.bytes, leaf.error) = drain(&file.stream)
            out.append(leaf)
        }
        return out
    }

    @Test func stdinIsReadOnceAndReplayedToASecondWalk() throws {
        let pipe = try pipeHolding("line one\nline two\n")
        let ingestor = Ingestor(buffers: InputBuffers(standardInput: pipe.fileHandleForReading.fileDescriptor))
        let first = leaves(ingestor, ["-"])
        let second = leaves(ingestor, ["-"])
        #expect(first.map(\.text) == ["line one\nline two\n"])
        #expect(second == first)
    }

    @Test func aFIFOGivenByNameIsBufferedToo() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo) { h.write(Data("from a fifo\n".utf8)); try? h.close() }
        }
        writer.start()
        let ingestor = Ingestor()
        let first = leaves(ingestor, [fifo])
        let second = leaves(ingestor, [fifo])   // would block forever if the FIFO were opened again
        #expect(first.map(\.text) == ["from a fifo\n"])
        #expect(second == first)
    }

    @Test func aBufferedInputStopsAtTheByteLimitAndSaysWhichFlagRaisesIt() throws {
        let pipe = try pipeHolding(String(repeating: "x", count: 100))
        var limits = IngestLimits()
        limits.maxDocumentBytes = 40
        let ingestor = Ingestor(limits: limits, buffers: InputBuffers(standardInput: pipe.fileHandleForReading.fileDescriptor))
        let got = leaves(ingestor, ["-"])
        #expect(got.first?.bytes.count == 40)
        #expect(got.first?.error?.description.contains("--max-document") == true)
    }

    @Test func anInputGivenTwiceIsReadOnce() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("a.log")
        try "hello\n".write(to: f, atomically: true, encoding: .utf8)
        let got = leaves(Ingestor(), [f.path, f.path, dir.appendingPathComponent("./a.log").path])
        #expect(got.map(\.path) == ["a.log"])
    }
}
