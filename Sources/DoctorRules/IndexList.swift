/// A list of exchange indices kept compactly: each index is stored as its difference from the
/// previous one in a variable-length byte code (zigzag, 7 bits a byte), so the ascending lists a
/// rule trace collects cost about one byte per exchange instead of eight.
///
/// A rule's trace names every exchange it matched, failed or could not tell; over a dense log
/// that is rules × calls indices, which as `[Int]` grew with the input faster than anything
/// else the rule pass holds. Order is kept exactly as appended (any order, duplicates
/// allowed); reading walks the bytes.
public struct IndexList: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    private var bytes: [UInt8] = []
    private var last = 0
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
        // Zigzag: small differences of either sign become small unsigned numbers.
        var z = UInt64(bitPattern: Int64((d << 1) ^ (d >> 63)))
        while z >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        bytes.append(UInt8(z))
        last = i
        count += 1
    }

    /// The indices as an array, in the order they were appended.
    public var array: [Int] { Array(self) }

    public var description: String { array.description }

    public struct Iterator: IteratorProtocol {
        fileprivate let bytes: [UInt8]
        fileprivate var at = 0
        fileprivate var value = 0

        public mutating func next() -> Int? {
            guard at < bytes.count else { return nil }
            var z: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = bytes[at]
                at += 1
                z |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            let d = Int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
            value &+= d
            return value
        }
    }

    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    public var underestimatedCount: Int { count }

    public static func == (a: IndexList, b: IndexList) -> Bool { a.count == b.count && a.bytes == b.bytes }

    public func hash(into h: inout Hasher) { h.combine(bytes) }
}
