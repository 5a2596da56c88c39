import DoctorModel
import DoctorParse
import Foundation

extension RuleEngine {
    /// How one rule fared while the bundle was walked: its trace and hits grouped by subject.
    struct RuleRun {
        var trace = RuleTrace()
        var groups: [String: Group] = [:]
        var order: [String] = []
        /// Some exchange knows every field of the rule's `requires`.
        var requiredKnown: Bool
        /// Exchanges (ascending) on which the rule's `against` holds.
        var againstHits: [Int] = []

        mutating func add(_ key: String, _ g: Group) {
            if groups[key] == nil {
                var g = g
                g.members = Set(g.exchanges)
                order.append(key); groups[key] = g
            } else {
                groups[key]!.merge(g)
            }
        }
    }

    /// Evaluates every rule on the bundle.
    ///
    /// Each exchange's facts are derived once, and the exchanges are grouped into shapes per
    /// part of the program (each quantifier level, the per-exchange rules): a condition is
    /// evaluated once per shape and its verdict applied to every member in exchange order
    /// (see `ShapeTable`). Pass 1 (only when some rule has a quantifier or `requires`) feeds
    /// the inner condition of every quantifier, innermost level first; pass 2 evaluates each
    /// per-exchange rule (and each `against`). Bundle-scope rules need only the quantifier and
    /// signal results, between the passes. Results equal those of evaluating rule by rule over
    /// all facts held at once.
    func evaluate(_ bundle: TicketBundle, _ ctx: BundleContext) -> [RuleRun] {
        let exchanges = bundle.exchanges
        var ev = Evaluator(program: program, signals: bundle.signals)
        var runs = rules.map { RuleRun(requiredKnown: $0.requires.isEmpty) }
        let compiled = program.rules

        let perExchange = rules.indices.filter { rules[$0].scope == .exchange }
        let withAgainst = rules.indices.filter { compiled[$0].against != nil }
        let subjects = rules.map { $0.subject.map { FactKey.named($0) } }

        // Facts derived once per exchange and grouped into shapes for each part of the
        // program. The innermost quantifiers depend on nothing but facts and signals: they are
        // evaluated here, once per shape of their level.
        let levels = program.levels
        func table(_ roots: [Int], extra: [FactKey] = [], keepsFacts: Bool) -> ShapeTable {
            ShapeTable(ShapePlan(program: program, roots: roots, extra: extra), keepsFacts: keepsFacts, capacity: exchanges.count)
        }
        var levelShapes = levels.enumerated().map { l, level in
            table(level.map { program.quantifiers[$0].inner }, keepsFacts: l > 0)
        }
        let ruleRoots = perExchange.map { compiled[$0].when } + withAgainst.compactMap { compiled[$0].against }
        var ruleShapes = table(ruleRoots, extra: perExchange.compactMap { subjects[$0] ?? nil }, keepsFacts: true)
        var pendingRequires = runs.indices.filter { !runs[$0].requiredKnown }
        var acc = levels.map { $0.map { _ in QuantifierAccumulator() } }
        var innermost: [[ShapeVerdict]] = []
        for (i, e) in exchanges.enumerated() {
            let f = Facts.derive(e, in: ctx)
            if !pendingRequires.isEmpty {
                pendingRequires.removeAll { r in
                    let known = compiled[r].requires.allSatisfy { $0.flatMap { f[$0] } != nil }
                    if known { runs[r].requiredKnown = true }
                    return known
                }
            }
            if let level = levels.first {
                let v: [ShapeVerdict]
                switch levelShapes[0].add(f) {
                case let (s, new)? where !new: v = innermost[s]
                case let added:
                    ev.load(f)
                    v = level.map { ev.verdict(program.quantifiers[$0].inner) }
                    if added != nil { innermost.append(v) }
                }
                feed(&acc[0], level, v, index: i)
            }
            for l in levelShapes.indices.dropFirst() { _ = levelShapes[l].add(f) }
            _ = ruleShapes.add(f)
        }
        innermost = []

        // Pass 1: the other quantifiers, level by level, each inner condition once per shape.
        for (l, level) in levels.enumerated() {
            if l > 0 {
                let table = levelShapes[l]
                var verdicts = [[ShapeVerdict]?](repeating: nil, count: table.count)
                for i in exchanges.indices {
                    let v: [ShapeVerdict]
                    if table.overflowed {
                        ev.load(Facts.derive(exchanges[i], in: ctx))
                        v = level.map { ev.verdict(program.quantifiers[$0].inner) }
                    } else {
                        let s = Int(table.shapeOf[i])
                        if verdicts[s] == nil {
                            ev.load(table.facts[s])
                            verdicts[s] = level.map { ev.verdict(program.quantifiers[$0].inner) }
                        }
                        v = verdicts[s]!
                    }
                    feed(&acc[l], level, v, index: i)
                }
            }
            for (j, q) in level.enumerated() {
                ev.quantifierResults[q] = acc[l][j].result(program.quantifiers[q])
            }
        }
        // The results of a pass-1 quantifier are final; nothing below changes them.
        ev.load(nil)

        // Bundle-scope rules: quantifiers and signals only.
        for (r, rule) in rules.enumerated() where rule.scope == .bundle && runs[r].requiredKnown {
            ev.unknownFields = []; ev.witnesses = []; ev.signalHits = []
            if ev.eval(compiled[r].when) == .yes {
                let w = ev.witnesses.sorted()
                let subject = rule.subject.flatMap { s in w.first.flatMap { Facts.derive(exchanges[$0], in: ctx)[s]?.description } } ?? ""
                runs[r].add(subject, Group(first: w.first, exchanges: w, signals: ev.signalHits))
                runs[r].trace.matched = w
            }
            runs[r].trace.unknownFields = ev.unknownFields
        }

        // Pass 2: per-exchange rules and `against`, each once per shape.
        let rulesHere = perExchange.filter { runs[$0].requiredKnown }
        let againstHere = withAgainst.filter { runs[$0].requiredKnown }
        guard !rulesHere.isEmpty || !againstHere.isEmpty else { return runs }
        struct Verdicts { var rules: [ShapeVerdict]; var witnesses: [[Int]]; var against: [Bool] }
        var verdicts = [Verdicts?](repeating: nil, count: ruleShapes.count)
        for i in exchanges.indices {
            // Past the table's bound each exchange is its own shape, evaluated on fresh facts.
            let s = ruleShapes.overflowed ? 0 : Int(ruleShapes.shapeOf[i])
            if ruleShapes.overflowed || verdicts[s] == nil {
                ev.load(ruleShapes.overflowed ? Facts.derive(exchanges[i], in: ctx) : ruleShapes.facts[s])
                var v = Verdicts(rules: [], witnesses: [], against: [])
                for r in rulesHere {
                    var d = ev.verdict(compiled[r].when)
                    runs[r].trace.unknownFields.formUnion(d.unknownFields)
                    // A subject that names no field reads as unknown, like any other field.
                    if d.truth == .yes { d.subject = subjects[r].map { k in k.flatMap { ev.value($0)?.description } ?? "" } ?? "" }
                    v.witnesses.append(d.truth == .yes ? d.witnesses.sorted() : [])
                    v.rules.append(d)
                }
                v.against = againstHere.map { ev.verdict(compiled[$0].against!).truth == .yes }
                if ruleShapes.overflowed { verdicts = [v] } else { verdicts[s] = v }
            }
            let v = verdicts[s]!
            for (n, r) in rulesHere.enumerated() {
                let d = v.rules[n]
                switch d.truth {
                case .yes:
                    runs[r].trace.matched.append(i)
                    let others = v.witnesses[n].filter { $0 != i }
                    runs[r].add(d.subject, Group(first: i, exchanges: [i] + others, signals: d.signals))
                case .no: runs[r].trace.failed.append(i)
                case .unknown: runs[r].trace.unknown.append(i)
                }
            }
            for (n, r) in againstHere.enumerated() where v.against[n] { runs[r].againstHits.append(i) }
        }
        return runs
    }

    /// Applies one level's verdicts on exchange `index` to its quantifiers' accumulators.
    private func feed(_ acc: inout [QuantifierAccumulator], _ level: [Int], _ v: [ShapeVerdict], index: Int) {
        for (j, q) in level.enumerated() where !acc[j].done {
            acc[j].feed(v[j], program.quantifiers[q], index: index)
        }
    }
}

/// Collects one quantifier's inner condition over the exchanges of a bundle, with what the
/// evaluation recorded on the way (witnesses of nested quantifiers, signal hits).
struct QuantifierAccumulator {
    var hits: [Int] = []
    var witnesses: Set<Int> = []
    var signals: [Signal] = []
    /// `none` stops at its first hit, as the tree walker did.
    var done = false

    /// Applies the inner condition's verdict on exchange `index` (computed on its shape).
    /// Unknown counts as "not satisfied" and its fields do not leak into the rule's unknown
    /// fields.
    mutating func feed(_ v: ShapeVerdict, _ q: RuleProgram.Quantifier, index: Int) {
        if !v.witnesses.isEmpty { witnesses.formUnion(v.witnesses) }
        if !v.signals.isEmpty { signals += v.signals }
        guard v.truth == .yes else { return }
        hits.append(index)
        if case .none = q.kind { done = true }
    }

    func result(_ q: RuleProgram.Quantifier) -> Evaluator.Replay {
        switch q.kind {
        case .exists:
            return Evaluator.Replay(truth: hits.isEmpty ? .no : .yes, witnesses: witnesses.union(hits), signals: signals)
        case .none:
            return Evaluator.Replay(truth: hits.isEmpty ? .yes : .no, witnesses: witnesses, signals: signals)
        case .count(let cmp, let n):
            let ok = cmp.holds(Double(hits.count), n)
            return Evaluator.Replay(truth: ok ? .yes : .no, witnesses: ok ? witnesses.union(hits) : witnesses, signals: signals)
        }
    }
}
