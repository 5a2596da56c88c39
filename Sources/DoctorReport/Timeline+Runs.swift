/// The runs of consecutive like calls a timeline shows: the first `keepFirst` and the last
/// `keepLast` of them, and how many there are in all.
///
/// A large bundle's timeline shows its first and last runs and counts the rest, and a dense
/// log's calls alternate between kinds, so there are about as many runs as calls: a list of
/// every run (16 bytes each, grown by doubling) was the largest thing the timeline made, and
/// it grew with the log. Runs in the middle are dropped as they are passed.
struct KeptRuns {
    typealias Run = (start: Int, count: Int)
    let keepFirst: Int
    let keepLast: Int
    /// Runs begun so far.
    private(set) var total = 0
    private var first: [Run] = []
    /// The last runs after `first`, oldest at `oldest` once it holds `keepLast`.
    private var ring: [Run] = []
    private var oldest = 0

    init(keepFirst: Int, keepLast: Int) {
        self.keepFirst = max(1, keepFirst)
        self.keepLast = max(1, keepLast)
    }

    /// A run of the call at `index` alone, after the others.
    mutating func begin(_ index: Int) {
        total += 1
        if first.count < keepFirst {
            first.append((index, 1))
        } else if ring.count < keepLast {
            ring.append((index, 1))
        } else {
            ring[oldest] = (index, 1)
            oldest = (oldest + 1) % keepLast
        }
    }

    /// One more call in the last run.
    mutating func extend() {
        if ring.isEmpty {
            first[first.count - 1].count += 1
        } else {
            ring[(oldest + ring.count - 1) % ring.count].count += 1
        }
    }

    /// The runs kept, in order: every run when there are at most `keepFirst + keepLast`,
    /// else the first `keepFirst` then the last `keepLast`.
    var runs: [Run] { first + ring[oldest...] + ring[..<oldest] }
}
