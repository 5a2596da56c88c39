import DoctorModel

/// The exchanges a rule's trace names (matched, failed, or could not tell): appended one by
/// one as an `IndexList`, or, when every exchange of a shape-table row got one verdict, the
/// rows with that verdict read through the bundle's column of rows.
///
/// On a dense log the rule pass shares verdicts by row (`ShapeTables`), and the trace's lists
/// were the members of the rows flagged, made as `IndexList`s: the kinds of call interleave
/// in a rhythm, not one step, so each cost about a byte a call and a list, the rule pass's
/// largest growth with the calls at the run's peak. Held as the rows flagged (a `Bool` a row)
/// and the column (2 bytes a call, shared by every list of the pass), a list costs nothing
/// per call. Either way it reads back the same indices, ascending for the rows.
public struct TraceList: Sendable, Sequence, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    private enum Storage: Sendable {
        case list(IndexList)
        /// Exchange `i` is a member when `flagged[rowOf[i]]`; `count` members.
        case rows(rowOf: [UInt16], flagged: [Bool], count: Int)
    }

    private var storage: Storage = .list(IndexList())

    public init() {}

    public init(arrayLiteral elements: Int...) { storage = .list(IndexList(elements)) }

    public init<S: Sequence>(_ indices: S) where S.Element == Int { storage = .list(IndexList(indices)) }

    /// The exchanges whose row is flagged, ascending: exchange `i` is in row `rowOf[i]`.
    /// - Complexity: O(`rowOf.count`), once; nothing per exchange is held but `rowOf`, shared.
    init(rowOf: [UInt16], flagged: [Bool]) {
        guard flagged.contains(true) else { return }
        var count = 0
        for r in rowOf where flagged[Int(r)] { count += 1 }
        storage = count == 0 ? .list(IndexList()) : .rows(rowOf: rowOf, flagged: flagged, count: count)
    }

    /// Number of indices held.
    public var count: Int {
        switch storage {
        case .list(let l): return l.count
        case .rows(_, _, let count): return count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends `i` after the indices held (a list of rows becomes a list of indices first).
    /// - Complexity: O(1) amortised on a list of indices.
    public mutating func append(_ i: Int) {
        var l: IndexList
        switch storage {
        case .list(let held): l = held
        case .rows: l = IndexList(self)
        }
        // Let go of the held list before appending, so its bytes are not copied.
        storage = .list(IndexList())
        l.append(i)
        storage = .list(l)
    }

    /// The indices as an array, in order.
    public var array: [Int] { Array(self) }

    public var description: String { array.description }

    public var underestimatedCount: Int { count }

    public static func == (a: TraceList, b: TraceList) -> Bool { a.count == b.count && a.elementsEqual(b) }

    public struct Iterator: IteratorProtocol {
        fileprivate var list: IndexList.Iterator?
        fileprivate var rowOf: [UInt16] = []
        fileprivate var flagged: [Bool] = []
        fileprivate var at = 0

        public mutating func next() -> Int? {
            if list != nil { return list!.next() }
            while at < rowOf.count {
                let i = at
                at += 1
                if flagged[Int(rowOf[i])] { return i }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        switch storage {
        case .list(let l): return Iterator(list: l.makeIterator())
        case .rows(let rowOf, let flagged, _): return Iterator(list: nil, rowOf: rowOf, flagged: flagged)
        }
    }
}
