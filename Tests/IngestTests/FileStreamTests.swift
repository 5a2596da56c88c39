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

@Suite struct FileStreamTests {
    @Test func readsAPipeLikeStandardInput() throws {
        let pipe = Pipe()
        let payload = logText(lines: 20_000)   // several pipe buffers
        let writer = UncheckedBox((pipe.fileHandleForWriting, payload))
        Thread.detachNewThread {
            writer.value.0.write(Data(writer.value.1))
            try? writer.value.0.close()
        }
        var s: any ByteStream = FileStream(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, path: "stdin")
        let (bytes, error) = drain(&s)
        #expect(error == nil)
        #expect(bytes == payload)
    }

    @Test func gzipOnAPipeIsPeeledByTheWalker() throws {
        let pipe = Pipe()
        let gz = try gzip(Array("from stdin\n".utf8))
        pipe.fileHandleForWriting.write(Data(gz))
        try pipe.fileHandleForWriting.close()
        let walk = IngestWalk(limits: IngestLimits())
        var leaves: [Leaf] = []
        walk.ingest(FileStream(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, path: "stdin"),
                    path: "stdin", compression: []) { file in
            let (bytes, error) = drain(&file.stream)
            leaves.append(Leaf(path: file.path, compression: file.compression, bytes: bytes, error: error))
        }
        #expect(leaves == [Leaf(path: "stdin", compression: ["gzip"], bytes: Array("from stdin\n".utf8), error: nil)])
    }

    @Test func readsAFileInChunksOfTheGivenSize() throws {
        let dir = try scratch()
        let url = dir.appendingPathComponent("a.log")
        try write(Array(repeating: 0x61, count: 2500), to: url)
        let s = try FileStream(path: url.path, displayPath: "a.log", chunkSize: 1000)
        var sizes: [Int] = []
        while let c = try s.read() { sizes.append(c.count) }
        #expect(sizes == [1000, 1000, 500])
    }

    @Test func missingFileIsUnreadableNamingTheDisplayPath() {
        #expect(throws: IngestError.unreadable(path: "gone.log", reason: "No such file or directory")) {
            _ = try FileStream(path: "/nonexistent-\(UUID().uuidString)", displayPath: "gone.log")
        }
    }
}
