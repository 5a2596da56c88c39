import Testing
@testable import DoctorModel
@testable import DoctorRules

/// A rule trace's list of exchanges reads back the same indices whether it was appended one
/// by one or is the shape-table rows with one verdict.
@Suite struct TraceListTests {
    @Test func rowsFlaggedReadBackTheirExchangesAscending() {
        // Four rows interleaved in a rhythm, as the kinds of call of a dense log are.
        let rowOf: [UInt16] = (0..<1_000).map { UInt16([0, 1, 0, 2, 3, 0, 1][$0 % 7]) }
        let flagged = [true, false, false, true]
        let l = TraceList(rowOf: rowOf, flagged: flagged)
        let want = rowOf.indices.filter { flagged[Int(rowOf[$0])] }
        #expect(l.array == want)
        #expect(l.count == want.count && !l.isEmpty)
        #expect(l == TraceList(want))
        #expect(Array(l.prefix(3)) == Array(want.prefix(3)))
        #expect(l.contains(5) && !l.contains(1))
    }

    @Test func noRowFlaggedIsEmpty() {
        let rowOf: [UInt16] = [0, 1, 1, 0]
        #expect(TraceList(rowOf: rowOf, flagged: [false, false]).isEmpty)
        #expect(TraceList(rowOf: rowOf, flagged: [false, false]) == [])
        // A flagged row no exchange is in names none.
        #expect(TraceList(rowOf: rowOf, flagged: [false, false, true]).isEmpty)
    }

    @Test func appendingKeepsTheRowsMembersFirst() {
        var l = TraceList(rowOf: [1, 0, 1], flagged: [false, true])
        l.append(7)
        #expect(l.array == [0, 2, 7] && l.count == 3)
        var m = TraceList()
        for i in [4, 1, 1, 9] { m.append(i) }
        #expect(m == [4, 1, 1, 9] && m.description == "[4, 1, 1, 9]")
    }
}
