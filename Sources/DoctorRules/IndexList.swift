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
public struct IndexBits: Sendable, Equatable, ExpressibleByArrayLiteral {
    private var words: [UInt64] = []
    private var others: Set<Int> = []

    public init() {}

    public init(arrayLiteral elements: Int...) {
        for i in elements { insert(i) }
    }

    /// Same members (however many words each grew to).
    public static func == (a: IndexBits, b: IndexBits) -> Bool {
        guard a.others == b.others else { return false }
        let n = Swift.max(a.words.count, b.words.count)
        for w in 0..<n where (w < a.words.count ? a.words[w] : 0) != (w < b.words.count ? b.words[w] : 0) { return false }
        return true
    }

    /// Inserts `i`; whether it was not there before.
    @discardableResult
    public mutating func insert(_ i: Int) -> (inserted: Bool, memberAfterInsert: Int) {
        guard i >= 0 else { return (others.insert(i).inserted, i) }
        let w = i >> 6
        if w >= words.count {
            words.reserveCapacity(Swift.max(w + 1, words.count * 2))
            words.append(contentsOf: repeatElement(0, count: w + 1 - words.count))
        }
        let bit = UInt64(1) << UInt64(i & 63)
        if words[w] & bit != 0 { return (false, i) }
        words[w] |= bit
        return (true, i)
    }

    public func contains(_ i: Int) -> Bool {
        guard i >= 0 else { return others.contains(i) }
        let w = i >> 6
        return w < words.count && words[w] & (UInt64(1) << UInt64(i & 63)) != 0
    }
}
