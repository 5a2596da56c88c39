import DoctorIngest
import DoctorModel
import Foundation

/// Cuts a byte stream into lines: `\n` or `\r\n` terminated, a last line without newline kept,
/// lines longer than the limit cut (and flagged) rather than buffered without end.
///
/// Framing is kept apart from the formats: parsers only ever see whole lines, however the
/// bytes were chunked (see `ParseTests` drip-feed tests).
public struct LineSplitter {
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    private var carryTruncated = false
    private var lineNumber = 0
    private var offset = 0
    private var lineStart = 0

    public init(maxLineBytes: Int = 1 << 20) { self.maxLineBytes = max(16, maxLineBytes) }

    /// A splitter for a run of lines cut out of a larger input at a line start: its lines are
    /// numbered from `firstLine` and their offsets counted from `offset`, as the splitter of
    /// the whole input would have numbered them.
    public init(maxLineBytes: Int = 1 << 20, firstLine: Int, offset: Int) {
        self.init(maxLineBytes: maxLineBytes)
        lineNumber = firstLine - 1
        self.offset = offset
        lineStart = offset
    }

    /// Feeds one chunk; calls `emit` for every complete line in it.
    /// - Complexity: O(n) in the chunk, memchr per line.
    public mutating func feed(_ chunk: ArraySlice<UInt8>, _ emit: (Line) -> Void) {
        feed(chunk, bytes: { _ in false }, emit)
    }

    /// Feeds one chunk; offers every complete line in it to `bytes` first, and makes a `Line`
    /// for `emit` only of those it returns false for (see `LogParser.consume(bytes:)`).
    /// - Complexity: O(n) in the chunk, memchr per line.
    public mutating func feed(_ chunk: ArraySlice<UInt8>, bytes: (LineBytes) -> Bool, _ emit: (Line) -> Void) {
        chunk.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var pos = 0
            let n = raw.count
            while pos < n {
                if let p = memchr(base + pos, 0x0A, n - pos) {
                    let end = UnsafeRawPointer(p) - base
                    if carry.isEmpty && !carryTruncated && end - pos <= maxLineBytes {
                        // A whole line inside the chunk (nearly every line): read from the
                        // chunk's bytes, not copied into `carry` first.
                        lineNumber += 1
                        let line = Self.bytes(UnsafeBufferPointer(start: (base + pos).assumingMemoryBound(to: UInt8.self), count: end - pos))
                        let b = LineBytes(number: lineNumber, offset: lineStart, bytes: line, truncated: false)
                        if !bytes(b) { emit(b.line) }
                    } else {
                        append(UnsafeRawBufferPointer(start: base + pos, count: end - pos))
                        flush(bytes, emit)
                    }
                    offset += end - pos + 1
                    lineStart = offset
                    pos = end + 1
                } else {
                    append(UnsafeRawBufferPointer(start: base + pos, count: n - pos))
                    offset += n - pos
                    pos = n
                }
            }
        }
    }

    /// Emits the last line when the input did not end in a newline.
    public mutating func finish(_ emit: (Line) -> Void) {
        finish(bytes: { _ in false }, emit)
    }

    /// `finish`, the last line offered to `bytes` first (as `feed(_:bytes:_:)`).
    public mutating func finish(bytes: (LineBytes) -> Bool, _ emit: (Line) -> Void) {
        if !carry.isEmpty || carryTruncated { flush(bytes, emit) }
    }

    public var linesEmitted: Int { lineNumber }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let room = maxLineBytes - carry.count
        if bytes.count <= room {
            carry.append(contentsOf: bytes)
        } else {
            if room > 0 { carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<room])) }
            carryTruncated = true
        }
    }

    private mutating func flush(_ bytes: (LineBytes) -> Bool, _ emit: (Line) -> Void) {
        lineNumber += 1
        carry.withUnsafeBufferPointer { c in
            let b = LineBytes(number: lineNumber, offset: lineStart, bytes: Self.bytes(c), truncated: carryTruncated)
            if !bytes(b) { emit(b.line) }
        }
        carry.removeAll(keepingCapacity: true)
        carryTruncated = false
    }

    /// A line's bytes (without its newline), a final carriage return dropped.
    @inline(__always)
    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var count = bytes.count
        if count > 0 && bytes[count - 1] == 0x0D { count -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[0..<count])
    }
}
