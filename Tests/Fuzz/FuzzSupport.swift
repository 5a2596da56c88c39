// Shared helpers for the libFuzzer harnesses. Compiled together with each harness file by
// Fuzz/run.sh; the library is the module `FuzzLib` (see run.sh for how it is built).
@testable import FuzzLib

/// The fuzz input as bytes.
@inline(__always)
func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the process with a message libFuzzer shows (an invariant broke: counts as a crash).
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("fuzz invariant: \(message())", file: file, line: line) }
}

/// A chunk size picked from the input, so chunk borders land everywhere (1…257 bytes, or
/// the pipeline's 1 MiB when the input is long). Deterministic for a given input.
func fuzzChunkSize(_ bytes: [UInt8]) -> Int {
    guard let last = bytes.last else { return 1 << 20 }
    return bytes.count > 4096 ? 1 << 20 : Int(last) + 1 + (bytes.count & 1)
}

/// Runs a line parser over bytes the way Tests/TestSupport `parseLines` does (sniff on the
/// first 64 KiB, LineSplitter over a chunked MemoryStream, or one document), and checks
/// what must hold whatever the input: skipped lines ≤ lines read, evidence refers to lines
/// that exist.
func fuzzParse<P: LogParser>(_ type: P.Type, _ bytes: [UInt8], path: String = "fuzz.log") {
    let text = String(decoding: bytes, as: UTF8.self)
    let input = SniffInput(path: path, text: String(text.prefix(65536)), isWholeFile: bytes.count < 65536)
    let sniff = type.sniff(input) ?? Sniff(kind: type.kind, score: 1)
    var parser = P(path: path, sniff: sniff)
    if type.readsWholeDocument {
        parser.consume(document: bytes)
        _ = parser.finish()
        return
    }
    var splitter = LineSplitter(maxLineBytes: 4096)
    var stream = MemoryStream(bytes, chunkSize: fuzzChunkSize(bytes))
    while let chunk = try? stream.read() { splitter.feed(chunk) { parser.consume($0) } }
    splitter.finish { parser.consume($0) }
    let out = parser.finish()
    let lines = splitter.linesEmitted
    fuzzCheck(out.skippedLines <= lines, "\(P.self): skipped \(out.skippedLines) of \(lines) lines")
    for e in out.exchanges {
        for ref in e.sources where ref.file == path {
            fuzzCheck(ref.line >= 1 && ref.endLine <= lines, "\(P.self): source \(ref) outside 1…\(lines)")
        }
        for l in e.lines where l.ref.file == path {
            fuzzCheck(l.ref.line >= 1 && l.ref.line <= lines, "\(P.self): evidence line \(l.ref) outside 1…\(lines)")
        }
    }
}
