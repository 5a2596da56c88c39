/// A list of exchange indices kept compactly: each index is stored as its difference from the
/// previous one in a variable-length byte code (zigzag, 7 bits a byte), so the ascending lists a
/// rule trace collects cost about one byte per exchange instead of eight, and a stretch that
/// steps by one difference a few bytes in all.
///
/// A rule's trace names every exchange it matched, failed or could not tell; over a dense log
/// that is rules × calls indices, which as `[Int]` grew with the input faster than anything
/// else the rule pass holds. Order is kept exactly as appended (any order, duplicates
/// allowed); reading walks the bytes.
public struct IndexList: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    // Each code is a varint whose first byte's lowest bit tells a difference (0: the rest is
    // `zigzag(difference)`) from a run (1: the rest is n, "the last difference n more times").
    // A dense log repeats its kinds of call in a rhythm, so the indices of one kind (and of
    // all calls) step by one difference for long stretches: one byte per index still grew
    // with the calls, a run is a few bytes however long.
    private var bytes: [UInt8] = []
    private var last = 0
    private var lastDifference = 0
    /// Repeats in the run at the end of `bytes` (0: it ends with a difference), and where the
    /// run's code starts.
    private var run = 0
    private var runStart = 0
    /// Number of indices held.
    public private(set) var count = 0

    public init() {}

    public init<S: Sequence>(_ indices: S) where S.Element == Int {
        for i in indices { append(i) }
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    public var isEmpty: Bool { count == 0 }

    /// Appends `i` after the indices already held.
    /// - Complexity: O(1) amortised.
    public mutating func append(_ i: Int) {
        let d = i &- last
        if count > 0 && d == lastDifference {
            if run == 0 { runStart = bytes.count } else { bytes.removeSubrange(runStart...) }
            run += 1
            Self.put(UInt64(run), run: true, &bytes)
        } else {
            // Zigzag: small differences of either sign become small unsigned numbers.
            let z = UInt64(bitPattern: Int64((d << 1) ^ (d >> 63)))
            Self.put(z, run: false, &bytes)
            lastDifference = d
            run = 0
        }
        last = i
        count += 1
    }

    /// `value` with the run bit: the first byte holds the bit and 6 bits of it, the next
    /// bytes 7 bits each (a difference needs all 64).
    private static func put(_ value: UInt64, run: Bool, _ bytes: inout [UInt8]) {
        let first = UInt8(truncatingIfNeeded: value & 0x3F) << 1 | (run ? 1 : 0)
        var z = value >> 6
        guard z > 0 else { bytes.append(first); return }
        bytes.append(first | 0x80)
        while z >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        bytes.append(UInt8(z))
    }

    /// Bytes held (for tests).
    var byteCount: Int { bytes.count }

    /// The indices as an array, in the order they were appended.
    public var array: [Int] { Array(self) }

    public var description: String { array.description }

    public struct Iterator: IteratorProtocol {
        fileprivate let bytes: [UInt8]
        fileprivate var at = 0
        fileprivate var value = 0
        fileprivate var difference = 0
        fileprivate var repeats = 0

        public mutating func next() -> Int? {
            if repeats > 0 {
                repeats -= 1
                value &+= difference
                return value
            }
            guard at < bytes.count else { return nil }
            var b = bytes[at]
            at += 1
            let run = b & 1 == 1
            var z = UInt64((b >> 1) & 0x3F)
            var shift: UInt64 = 6
            while b >= 0x80 {
                b = bytes[at]
                at += 1
                z |= UInt64(b & 0x7F) << shift
                shift += 7
            }
            if run {
                repeats = Int(z) - 1
            } else {
                difference = Int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
            }
            value &+= difference
            return value
        }
    }

    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    public var underestimatedCount: Int { count }

    public static func == (a: IndexList, b: IndexList) -> Bool { a.count == b.count && a.bytes == b.bytes }

    public func hash(into h: inout Hasher) { h.combine(bytes) }
}

/// A set of exchange indices as one bit each (a rule's group of hits over a dense log holds
/// most of its calls: as a `Set<Int>` that was some 20 bytes a call per group). Negative
/// indices, which no exchange has, go to a `Set` beside.
///
/// The bits cover only the words from the lowest member's to the highest's (`base` is the
/// first word's number), so a set of a few late calls costs a few words, not one bit for
/// every call before them. The witnesses of a bundle quantifier (every call of one kind) are
/// such a set: as a `Set<Int>` they were some 50 bytes a call, and a quantifier's result was
/// held through both passes.
public struct IndexBits: Sendable, Equatable, ExpressibleByArrayLiteral {
    private var words: [UInt64] = []
    /// The number of `words[0]`: word k holds indices 64 (base + k) ..< 64 (base + k + 1).
    private var base = 0
    private var others: Set<Int> = []
    /// Number of members.
    public private(set) var count = 0

    public init() {}

    public init(arrayLiteral elements: Int...) {
        for i in elements { insert(i) }
    }

    public init<S: Sequence>(_ indices: S) where S.Element == Int {
        for i in indices { insert(i) }
    }

    public var isEmpty: Bool { count == 0 }

    /// Same members (however many words each grew to).
    public static func == (a: IndexBits, b: IndexBits) -> Bool {
        guard a.count == b.count, a.others == b.others else { return false }
        let lo = Swift.min(a.base, b.base)
        let hi = Swift.max(a.base + a.words.count, b.base + b.words.count)
        for w in lo..<Swift.max(lo, hi) where a.word(w) != b.word(w) { return false }
        return true
    }

    private func word(_ w: Int) -> UInt64 {
        let k = w - base
        return k >= 0 && k < words.count ? words[k] : 0
    }

    /// Makes the words cover word numbers `lo...hi` (growing by at least the words held on the
    /// low side and a quarter of them on the high side, so inserting in any order stays
    /// amortised O(1); the new words are written, so growing by as many again as held made
    /// a group that gains members in order, as a rule's hits on a dense log do, hold up to
    /// twice its bits).
    private mutating func cover(_ lo: Int, _ hi: Int) {
        if words.isEmpty {
            base = lo
            words = [UInt64](repeating: 0, count: hi - lo + 1)
            return
        }
        if lo < base {
            let newBase = Swift.max(0, Swift.min(lo, base - words.count))
            words.insert(contentsOf: repeatElement(0, count: base - newBase), at: 0)
            base = newBase
        }
        if hi >= base + words.count {
            let end = Swift.max(hi + 1, base + words.count + Swift.max(1, words.count / 4))
            words.reserveCapacity(end - base)
            words.append(contentsOf: repeatElement(0, count: end - base - words.count))
        }
    }

    /// Inserts `i`; whether it was not there before.
    @discardableResult
    public mutating func insert(_ i: Int) -> (inserted: Bool, memberAfterInsert: Int) {
        guard i >= 0 else {
            let new = others.insert(i).inserted
            if new { count += 1 }
            return (new, i)
        }
        let w = i >> 6
        cover(w, w)
        let bit = UInt64(1) << UInt64(i & 63)
        if words[w - base] & bit != 0 { return (false, i) }
        words[w - base] |= bit
        count += 1
        return (true, i)
    }

    public func contains(_ i: Int) -> Bool {
        guard i >= 0 else { return others.contains(i) }
        return word(i >> 6) & (UInt64(1) << UInt64(i & 63)) != 0
    }

    /// Adds the members of `o`. An empty set takes `o`'s words as they are (shared until
    /// either changes), as a `Set` assignment would.
    /// - Complexity: O(the words `o` spans).
    public mutating func formUnion(_ o: IndexBits) {
        guard !o.isEmpty else { return }
        guard !isEmpty else { self = o; return }
        if !o.words.isEmpty {
            cover(o.base, o.base + o.words.count - 1)
            var added = 0
            for k in o.words.indices where o.words[k] != 0 {
                let at = o.base + k - base
                let before = words[at]
                words[at] = before | o.words[k]
                added += (words[at] ^ before).nonzeroBitCount
            }
            count += added
        }
        for i in o.others where others.insert(i).inserted { count += 1 }
    }

    /// These members and those of `indices`.
    public func union<S: Sequence>(_ indices: S) -> IndexBits where S.Element == Int {
        var u = self
        for i in indices { u.insert(i) }
        return u
    }

    /// The members, ascending.
    public func sorted() -> [Int] {
        var out = others.sorted()
        out.reserveCapacity(count)
        for (k, word) in words.enumerated() where word != 0 {
            var b = word
            while b != 0 {
                out.append((base + k) << 6 | b.trailingZeroBitCount)
                b &= b &- 1
            }
        }
        return out
    }
}
