import DoctorModel

/// The signal lines of a rule's hit group, held as the lists they were appended as.
///
/// Every member call of a hit appends the signals its verdict recorded, and calls of one
/// shape share that verdict: over a dense log a group's signals were the same two or three
/// signals repeated once per call (some 240 bytes a call, the largest per-call holder of the
/// rule pass). Here each distinct list is held once and an append costs one entry of an
/// `IndexList` naming it (about a byte, a few bytes for a long run); reading gives back the
/// very signals appended, in order, repeats included.
package struct SignalList: Sendable, Equatable {
    /// The distinct lists appended, each once.
    private var lists: [[Signal]] = []
    /// Which list each append was, in order.
    private var order = IndexList()
    /// A list's place in `lists` by its buffer (`lists` keeps every buffer alive, so an address
    /// is never reused for another list while it is a key).
    private var byBuffer: [UInt: Int] = [:]
    /// Number of signals held.
    package private(set) var count = 0

    package init() {}

    package init(_ signals: [Signal]) { append(signals) }

    package var isEmpty: Bool { count == 0 }

    /// Appends the signals of `list` after those held (nothing for an empty list).
    package mutating func append(_ list: [Signal]) {
        guard !list.isEmpty else { return }
        let key = list.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let k: Int
        if let known = byBuffer[key] {
            k = known
        } else if let last = lists.last, last == list {
            // An equal list in another buffer (a group merged into another): the one held.
            k = lists.count - 1
        } else {
            k = lists.count
            lists.append(list)
            byBuffer[key] = k
        }
        order.append(k)
        count += list.count
    }

    /// Appends the signals of `other` after those held.
    package mutating func append(contentsOf other: SignalList) {
        for k in other.order { append(other.lists[k]) }
    }

    /// The first `n` signals, without making the whole list.
    package func prefix(_ n: Int) -> [Signal] {
        var out: [Signal] = []
        guard n > 0 else { return out }
        for k in order {
            for s in lists[k] {
                out.append(s)
                if out.count == n { return out }
            }
        }
        return out
    }

    /// Every signal, in the order appended.
    package var array: [Signal] {
        var out: [Signal] = []
        out.reserveCapacity(count)
        for k in order { out += lists[k] }
        return out
    }

    /// Same signals in the same order (however they were appended).
    package static func == (a: SignalList, b: SignalList) -> Bool {
        guard a.count == b.count else { return false }
        if a.lists == b.lists && a.order == b.order { return true }
        return a.array == b.array
    }
}
