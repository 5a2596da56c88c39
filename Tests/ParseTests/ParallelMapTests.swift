import Testing
@testable import DoctorModel

/// The per-item stages split over cores: results in input order, each item once, per-chunk
/// state returned in chunk order.
@Suite struct ParallelMapTests {
    @Test func resultsKeepInputOrderAboveAndBelowTheInlineBound() {
        for n in [0, 1, 255, 256, 1000, 4099] {
            #expect(ParallelMap.map(count: n) { $0 * 3 + 1 } == (0..<n).map { $0 * 3 + 1 }, "n = \(n)")
        }
    }

    @Test func everyItemIsTransformedOnceAndEachChunkKeepsItsOwnState() {
        let n = 5000
        let (results, states) = ParallelMap.map(count: n, state: { [Int]() }) { seen, i in
            seen.append(i)
            return String(i)
        }
        #expect(results == (0..<n).map(String.init))
        // The chunks' states, in chunk order, hold every index once and in order: each chunk
        // is one contiguous run.
        #expect(states.flatMap { $0 } == Array(0..<n))
        #expect(states.allSatisfy { !$0.isEmpty })
        if ParallelMap.workers > 1 { #expect(states.count > 1) }
        // Below the bound: one chunk, on the calling thread.
        let small = ParallelMap.map(count: 10, state: { 0 }) { c, _ in c += 1; return c }
        #expect(small.states == [10] && small.results == Array(1...10))
    }

    @Test func bothRunsTwoPassesAndReturnsEachResult() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let (sum, zeros) = ParallelMap.both({ bytes.reduce(0) { $0 &+ Int($1) } }, { bytes.filter { $0 == 0 }.count })
        #expect(sum == bytes.reduce(0) { $0 &+ Int($1) })
        #expect(zeros == bytes.filter { $0 == 0 }.count && zeros > 0)
        let (a, b) = ParallelMap.both({ "left" }, { [1, 2, 3] })
        #expect(a == "left" && b == [1, 2, 3])
    }
}
