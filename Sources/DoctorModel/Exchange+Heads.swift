/// The logging heads of a block of calls (`CallRows`), each pair held as the numbers of two
/// templates and the heads' digits.
///
/// A head is the text before a line's message (`[2025-03-01 00:00:07 - httpx:1038 - INFO] `);
/// a dense log's calls are seconds apart, so about one call in seven had a pair of heads that
/// differed from the call before it, and each such pair was kept whole (some 110 bytes: about
/// 15 bytes a call, the largest part of a call's row after the row itself). Two heads of one
/// kind differ only in their digits (the time), so here a head is its template (its bytes
/// with every ASCII digit made `0`, held once per block) and its digits, four bits each. A
/// pair then costs two bytes and its digits (some 20 bytes in all), and reads back byte for
/// byte as kept: only ASCII digits are taken out, and each goes back where it was.
struct HeadTable: Sendable {
    /// The block's distinct templates (at most 255).
    private(set) var templates: [[UInt8]] = []
    private var templateOf: [[UInt8]: UInt8] = [:]
    /// Per pair, from its offset: the numbers of its two templates, then the digits of the
    /// first head and of the second, two to a byte (the low four bits first).
    private(set) var codes: [UInt8] = []

    init() {}

    /// Appends a pair; its offset in `codes`, or nil when the block holds as many templates as
    /// a byte can name (the call then keeps its box) or offsets no longer fit 32 bits.
    /// - Complexity: O(the heads' length).
    mutating func append(_ head0: String, _ head1: String) -> Int32? {
        var t0 = Array(head0.utf8), t1 = Array(head1.utf8)
        var digits: [UInt8] = []
        Self.takeDigits(&t0, &digits)
        Self.takeDigits(&t1, &digits)
        let new = (templateOf[t0] == nil ? 1 : 0) + (templateOf[t1] == nil && t1 != t0 ? 1 : 0)
        guard templates.count + new <= Int(UInt8.max), let start = Int32(exactly: codes.count),
              Int32(exactly: codes.count + 2 + (digits.count + 1) / 2) != nil else { return nil }
        codes.append(number(t0))
        codes.append(number(t1))
        var k = 0
        while k < digits.count {
            let low = digits[k], high = k + 1 < digits.count ? digits[k + 1] : 0
            codes.append(low | high << 4)
            k += 2
        }
        return start
    }

    /// The pair kept at `at`, exactly as appended.
    func heads(at: Int) -> (String, String) {
        let a = templates[Int(codes[at])], b = templates[Int(codes[at + 1])]
        var k = 0
        let h0 = fill(a, at + 2, &k), h1 = fill(b, at + 2, &k)
        return (h0, h1)
    }

    /// The bytes held (for tests).
    var byteCount: Int { codes.count + templates.reduce(0) { $0 + $1.count } }

    private mutating func number(_ t: [UInt8]) -> UInt8 {
        if let n = templateOf[t] { return n }
        let n = UInt8(templates.count)
        templates.append(t)
        templateOf[t] = n
        return n
    }

    /// Moves the ASCII digits of `t` to `digits` (their values), leaving `0` in their place.
    private static func takeDigits(_ t: inout [UInt8], _ digits: inout [UInt8]) {
        for i in t.indices where t[i] &- 0x30 < 10 {
            digits.append(t[i] &- 0x30)
            t[i] = 0x30
        }
    }

    /// Template `t` with its digits from the nibbles after `base`, starting at nibble `k`.
    private func fill(_ t: [UInt8], _ base: Int, _ k: inout Int) -> String {
        guard !t.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: t.count) { buf in
            for (j, b) in t.enumerated() {
                if b == 0x30 {
                    let byte = codes[base + k >> 1]
                    buf[j] = 0x30 | (k & 1 == 0 ? byte & 0x0F : byte >> 4)
                    k += 1
                } else {
                    buf[j] = b
                }
            }
            return t.count
        }
    }

    /// The tables at their size (they grew by doubling), to be held to the end of the run.
    func exact() -> HeadTable {
        var h = HeadTable()
        h.templates = templates
        h.codes = Self.exactCopy(codes)
        return h
    }

    private static func exactCopy(_ a: [UInt8]) -> [UInt8] {
        guard a.capacity > a.count else { return a }
        return [UInt8](unsafeUninitializedCapacity: a.count) { buf, n in
            _ = buf.initialize(fromContentsOf: a)
            n = a.count
        }
    }
}
