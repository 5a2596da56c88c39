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

/// The bit set of exchange indices (a quantifier's witnesses, a group's members) behaves as a
/// `Set<Int>` does for what the rule pass asks of it.
@Suite struct IndexBitsTests {
    @Test func insertsAndContainsLikeASet() {
        var b = IndexBits()
        var s = Set<Int>()
        for i in [700, 3, 64, 63, 700, 128_000, 5, -2, -2, 0, 65] {
            #expect(b.insert(i).inserted == s.insert(i).inserted)
        }
        #expect(b.count == s.count && !b.isEmpty)
        for i in -3...130_000 where b.contains(i) != s.contains(i) { Issue.record("differs at \(i)") }
        #expect(b.sorted() == s.sorted())
    }

    @Test func aFewLateIndicesCostAFewWords() {
        // Inserted high first, then lower: the words grow on either side, not from zero.
        var b: IndexBits = [1_000_000, 999_990]
        b.insert(1_000_300)
        b.insert(999_000)
        #expect(b.sorted() == [999_000, 999_990, 1_000_000, 1_000_300])
        #expect(!b.contains(0) && !b.contains(999_001) && b.contains(999_000))
    }

    @Test func unionIsTheSetUnion() {
        let xs = [9, 3_000, 70, 12_345, -1]
        let ys = [70, 5, 200_000, 3_001, -7, -1]
        var a = IndexBits(xs)
        a.formUnion(IndexBits(ys))
        #expect(a.sorted() == Set(xs).union(ys).sorted())
        #expect(a.count == Set(xs).union(ys).count)
        var e = IndexBits()
        e.formUnion(IndexBits(ys))
        #expect(e == IndexBits(ys))
        #expect(IndexBits(xs).union(ys) == a)
        #expect(IndexBits(xs).union(IndexList(ys)).sorted() == a.sorted())
    }

    @Test func equalityIgnoresHowTheWordsGrew() {
        var a = IndexBits()
        for i in stride(from: 0, to: 10_000, by: 7) { a.insert(i) }
        var b = IndexBits()
        for i in stride(from: 0, to: 10_000, by: 7).reversed() { b.insert(i) }
        #expect(a == b)
        b.insert(10_001)
        #expect(a != b)
        #expect(IndexBits() == [])
        #expect(IndexBits().sorted().isEmpty && IndexBits().isEmpty)
    }

    /// Members inserted in order (a rule's hits on a dense log), backwards, and far apart all
    /// read back as a set: the words grow by a quarter on the high side, as many again on the
    /// low side.
    @Test func growsOnEitherSideAndKeepsEveryMember() {
        var up = IndexBits(), down = IndexBits(), spread = IndexBits()
        var expected = Set<Int>()
        for i in stride(from: 0, to: 200_000, by: 3) { up.insert(i); expected.insert(i) }
        for i in stride(from: 199_999, through: 0, by: -3) { down.insert(i) }
        for i in [70_000, 5, 1_000_000, 64, 63, 999_999, 0] { spread.insert(i) }
        #expect(up.sorted() == expected.sorted() && up.count == expected.count)
        #expect(down.sorted() == Array(stride(from: 1, through: 199_999, by: 3)))
        #expect(spread.sorted() == [0, 5, 63, 64, 70_000, 999_999, 1_000_000])
        #expect(!up.insert(3).inserted && up.insert(4).inserted && up.contains(4) && !up.contains(200_001))
    }
}
