/// Text saved as UTF-16, made UTF-8 as it is read.
///
/// Windows PowerShell 5 writes UTF-16 (little-endian, with a byte-order mark) when a customer
/// redirects a program's output (`python app.py > log.txt 2>&1`, `Out-File`), and some Windows
/// editors save that way: every ASCII character then comes with a NUL byte, which would make
/// the log read as binary. The standard library's `transcode` does the conversion; this type
/// only pairs the bytes into code units chunk by chunk and carries what a chunk boundary cuts
/// (an odd byte, the high half of a surrogate pair) to the next chunk, so the file is never
/// held whole.
public struct UTF16Stream: ByteStream {
    private var base: any ByteStream
    private let bigEndian: Bool
    /// An odd byte left at the end of the last chunk.
    private var pendingByte: UInt8?
    /// A high surrogate whose low half is in the next chunk.
    private var pendingHigh: UInt16?
    private var atStart = true

    public init(_ base: any ByteStream, bigEndian: Bool) {
        self.base = base
        self.bigEndian = bigEndian
    }

    /// The byte order of UTF-16 text, from its byte-order mark or (without one) from where the
    /// NUL bytes of ASCII characters fall in the first bytes; nil for anything else.
    public static func byteOrder(ofPrefix p: [UInt8]) -> (bigEndian: Bool, bom: Bool)? {
        if p.count >= 2, p[0] == 0xFF, p[1] == 0xFE { return (false, true) }
        if p.count >= 2, p[0] == 0xFE, p[1] == 0xFF { return (true, true) }
        let n = min(p.count, 1024) & ~1
        guard n >= 32 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for i in stride(from: 0, to: n, by: 2) {
            if p[i] == 0 { zeroEven += 1 }
            if p[i + 1] == 0 { zeroOdd += 1 }
        }
        let pairs = n / 2
        // Mostly ASCII text: one byte of nearly every pair is NUL, the other nearly never.
        if zeroOdd * 10 >= pairs * 9, zeroEven * 20 <= pairs { return (false, false) }
        if zeroEven * 10 >= pairs * 9, zeroOdd * 20 <= pairs { return (true, false) }
        return nil
    }

    public mutating func read() throws -> ArraySlice<UInt8>? {
        while true {
            guard let chunk = try base.read() else {
                // A cut character at the end of the file becomes U+FFFD, as a lenient UTF-8 read would.
                if pendingByte != nil || pendingHigh != nil {
                    pendingByte = nil; pendingHigh = nil
                    return [0xEF, 0xBF, 0xBD][...]
                }
                return nil
            }
            var out: [UInt8] = []
            out.reserveCapacity(chunk.count)
            var i = chunk.startIndex
            func unit(_ a: UInt8, _ b: UInt8) -> UInt16 { bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a) }
            var units: [UInt16] = []
            units.reserveCapacity(chunk.count / 2 + 1)
            if let first = pendingByte, i < chunk.endIndex {
                units.append(unit(first, chunk[i]))
                i += 1
                pendingByte = nil
            }
            while i + 1 < chunk.endIndex {
                units.append(unit(chunk[i], chunk[i + 1]))
                i += 2
            }
            if i < chunk.endIndex { pendingByte = chunk[i] }
            if let high = pendingHigh { units.insert(high, at: 0); pendingHigh = nil }
            if atStart, !units.isEmpty { atStart = false; if units[0] == 0xFEFF { units.removeFirst() } }
            // The high half of a pair cut by the chunk's end waits for its low half.
            if let last = units.last, UTF16.isLeadSurrogate(last) { pendingHigh = units.removeLast() }
            _ = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: false) { out.append($0) }
            if !out.isEmpty { return out[...] }
        }
    }
}
