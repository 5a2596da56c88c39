import Testing
@testable import DoctorModel
@testable import DoctorRules

/// A hit's signals held as the lists appended read back exactly as the appended array did.
@Suite struct SignalListTests {
    static func signal(_ v: String, line: Int) -> Signal {
        Signal(name: .catalogModel, value: v, line: SourceLine(ref: SourceRef(file: "app.log", line: line), text: v))
    }

    @Test func readsBackEverySignalInOrder() {
        let a = [Self.signal("a", line: 1), Self.signal("b", line: 2)]
        let b = [Self.signal("c", line: 3)]
        let equalToA = [Self.signal("a", line: 1), Self.signal("b", line: 2)]
        var list = SignalList()
        var plain: [Signal] = []
        for next in [a, a, b, [], a, equalToA, equalToA, b, b] {
            list.append(next)
            plain += next
        }
        #expect(list.array == plain)
        #expect(list.count == plain.count)
        for n in 0...plain.count + 1 { #expect(list.prefix(n) == Array(plain.prefix(n))) }

        var merged = SignalList(b)
        merged.append(contentsOf: list)
        #expect(merged.array == b + plain)
        #expect(SignalList(plain) == list)
        #expect(SignalList().isEmpty && SignalList([]).array.isEmpty)
    }

    @Test func aHitsSignalsReadAsSetOrGiven() {
        let s = [Self.signal("a", line: 1)]
        let pos = RulePosition(file: "t", line: 1, column: 1)
        let rule = Rule(id: "r", cause: "model-not-in-catalog", symptom: "either", severity: .high, confidence: 0.8, scope: .exchange,
                        title: LocalizedText(en: "T"), message: LocalizedText(en: "M"), fix: LocalizedText(en: "F"),
                        ask: nil, subject: nil, when: .all([]), against: nil, supersedes: [], requires: [],
                        examplesFire: [], examplesQuiet: [], position: pos, pack: "t")
        var hit = RuleHit(rule: rule, subject: "", exchanges: [0], signals: s + s,
                          occurrences: 1, againstExchanges: [], facts: Facts())
        #expect(hit.signals == s + s)
        hit.signals = s
        #expect(hit.signals == s && hit.signalList.count == 1)
        // Its calls, held as an `IndexList`, read back as given, in any order.
        #expect(hit.exchanges == [0] && hit.exchangeList.count == 1)
        hit.exchanges = [5, 2, 2, 900_000, 3]
        #expect(hit.exchanges == [5, 2, 2, 900_000, 3] && Array(hit.exchangeList) == hit.exchanges)
    }
}
