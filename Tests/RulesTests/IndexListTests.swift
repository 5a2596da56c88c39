import Testing
@testable import DoctorRules

/// The compact index list of rule traces gives back every index, in the order appended.
@Suite struct IndexListTests {
    @Test func keepsEveryIndexInOrder() {
        var l = IndexList()
        let xs = [0, 1, 2, 5, 6, 200, 201, 70_000, 70_001, 3_000_000_000]
        for x in xs { l.append(x) }
        #expect(Array(l) == xs)
        #expect(l.count == xs.count && !l.isEmpty)
    }

    @Test func keepsOrderThatIsNotAscendingAndDuplicates() {
        let xs = [9, 3, 3, 1_000, 0, 0, 7, -4, Int.max, Int.min, 12]
        #expect(IndexList(xs).array == xs)
    }

    @Test func emptyListIsEmpty() {
        let l = IndexList()
        #expect(l.isEmpty && l.count == 0 && Array(l).isEmpty)
        #expect(l == [])
    }

    @Test func comparesByContentAndOrder() {
        #expect(IndexList([0, 2]) == [0, 2])
        #expect(IndexList([0, 2]) != [2, 0])
        #expect(IndexList([0, 2]).prefix(1).map { $0 } == [0])
    }

    @Test func ascendingListsCostAboutOneBytePerIndex() {
        var l = IndexList()
        for i in stride(from: 0, to: 100_000, by: 3) { l.append(i) }
        #expect(l.count == 33_334)
        #expect(Array(l).last == 99_999)
        #expect(MemoryLayout<IndexList>.size <= 24)
    }
}
