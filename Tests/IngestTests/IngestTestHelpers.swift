import Foundation
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// A leaf as the visitor saw it: its path, containers and every byte read, plus the error
/// that ended the read (if any).
struct Leaf: Equatable {
    var path: String
    var compression: [String]
    var bytes: [UInt8]
    var error: IngestError?

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Walks inputs, reading every leaf to its end.
func collect(_ inputs: [String], limits: IngestLimits = IngestLimits(),
             read: Bool = true) -> (leaves: [Leaf], entries: [InventoryEntry]) {
    var leaves: [Leaf] = []
    let entries = Ingestor(limits: limits).walk(inputs) { file in
        var leaf = Leaf(path: file.path, compression: file.compression, bytes: [], error: nil)
        if read { (leaf.bytes, leaf.error) = drain(&file.stream) }
        leaves.append(leaf)
    }
    return (leaves, entries)
}

/// Reads a stream to its end; the bytes read and the error that stopped it.
func drain(_ stream: inout any ByteStream) -> ([UInt8], IngestError?) {
    var bytes: [UInt8] = []
    do {
        while let chunk = try stream.read() { bytes.append(contentsOf: chunk) }
    } catch {
        return (bytes, error as? IngestError ?? .unreadable(path: "?", reason: "\(error)"))
    }
    return (bytes, nil)
}

/// A fresh temporary folder for one test.
func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("ingest-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a tool found on PATH; returns its standard output. Fails the test on a non-zero exit.
@discardableResult
func run(_ args: [String], input: [UInt8]? = nil, in dir: URL? = nil) throws -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    if let dir { p.currentDirectoryURL = dir }
    let out = Pipe()
    p.standardOutput = out
    let inPipe = Pipe()
    if input != nil { p.standardInput = inPipe }
    try p.run()
    if let input {
        // Feed on another thread so a large input cannot dead-lock against a full stdout pipe.
        let box = UncheckedBox((inPipe.fileHandleForWriting, input))
        Thread.detachNewThread {
            box.value.0.write(Data(box.value.1))
            try? box.value.0.close()
        }
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    struct ToolFailed: Error { var args: [String]; var status: Int32 }
    guard p.terminationStatus == 0 else { throw ToolFailed(args: args, status: p.terminationStatus) }
    return [UInt8](data)
}

/// gzip(1) of some bytes.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try run(["gzip", "-c", "-n"], input: bytes) }

func write(_ bytes: [UInt8], to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

/// Log-like text: numbered lines with varied content, so it compresses like a real log.
func logText(lines: Int) -> [UInt8] {
    var s = ""
    for i in 0..<lines {
        s += "2025-01-0\(i % 9 + 1) 12:\(i % 60):00,\(i % 1000) - httpx - INFO - HTTP Request: POST https://api.example.test/v1/chat/completions \"HTTP/1.1 \(200 + i % 300)\" id=\(i * 7919 % 100_003)\n"
    }
    return Array(s.utf8)
}
