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
        #expect(MemoryLayout<IndexList>.size <= 48)
    }

    @Test func aStretchOfOneStepCostsAFewBytes() {
        var l = IndexList()
        for i in stride(from: 7, to: 300_007, by: 45) { l.append(i) }
        for i in 0..<1_000 { l.append(300_000 + i) }
        l.append(5)
        l.append(5)
        #expect(l.byteCount < 32)
        #expect(Array(l) == Array(stride(from: 7, to: 300_007, by: 45)) + Array(300_000..<301_000) + [5, 5])
        var m = IndexList()
        for x in [1, 2, 3, 3, 3, 9, 15, 21, 20, 19, 18, Int.max, Int.min, Int.min, Int.min] { m.append(x) }
        #expect(m.array == [1, 2, 3, 3, 3, 9, 15, 21, 20, 19, 18, Int.max, Int.min, Int.min, Int.min])
    }
}
