import Testing
@testable import DoctorReport

/// `KeptRuns`: the first and last runs of a long sequence, each with its own length, and the
/// count of all of them; every run while there are few.
@Suite struct KeptRunsTests {
    /// Runs of the lengths given, one after the other, kept and as a plain list.
    private func runs(_ lengths: [Int], first: Int, last: Int) -> (KeptRuns, [KeptRuns.Run]) {
        var kept = KeptRuns(keepFirst: first, keepLast: last)
        var all: [KeptRuns.Run] = []
        var i = 0
        for n in lengths {
            kept.begin(i)
            for _ in 1..<n { kept.extend() }
            all.append((i, n))
            i += n
        }
        return (kept, all)
    }

    private func same(_ a: [KeptRuns.Run], _ b: [KeptRuns.Run]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.start == $1.start && $0.count == $1.count }
    }

    @Test func fewRunsAreAllKeptInOrder() {
        for total in 0...7 {
            let (kept, all) = runs((0..<total).map { $0 % 3 + 1 }, first: 3, last: 4)
            #expect(kept.total == total)
            #expect(same(kept.runs, all))
        }
    }

    @Test func manyRunsKeepTheFirstAndTheLastWithTheirLengths() {
        for total in [8, 9, 12, 50, 1001] {
            let (kept, all) = runs((0..<total).map { $0 % 5 + 1 }, first: 3, last: 4)
            #expect(kept.total == total)
            #expect(same(kept.runs, Array(all.prefix(3)) + Array(all.suffix(4))))
        }
    }

    @Test func theLastRunGrowsWhereverItIsHeld() {
        // The last run is in the first part, in the ring before it fills, and after it wraps.
        for total in [1, 2, 3, 5, 6, 11] {
            var kept = KeptRuns(keepFirst: 2, keepLast: 3)
            for i in 0..<total { kept.begin(i * 10) }
            for _ in 0..<4 { kept.extend() }
            #expect(kept.runs.last!.start == (total - 1) * 10 && kept.runs.last!.count == 5)
            #expect(kept.runs.dropLast().allSatisfy { $0.count == 1 })
        }
    }
}
