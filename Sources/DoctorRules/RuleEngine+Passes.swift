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

    /// Evaluates every rule on the bundle, one exchange's facts at a time.
    ///
    /// Pass 1 (only when some rule has a quantifier or `requires`) derives each exchange's
    /// facts and feeds the inner condition of every quantifier, innermost level first; pass 2
    /// derives them again and evaluates each per-exchange rule (and each `against`) on them.
    /// Bundle-scope rules need only the quantifier and signal results, between the passes.
    /// Results equal those of evaluating rule by rule over all facts held at once.
    func evaluate(_ bundle: TicketBundle, _ ctx: BundleContext) -> [RuleRun] {
        let exchanges = bundle.exchanges
        var ev = Evaluator(program: program, signals: bundle.signals)
        var runs = rules.map { RuleRun(requiredKnown: $0.requires.isEmpty) }
        let compiled = program.rules

        // Pass 1: quantifiers, level by level, and `requires`.
        var pendingRequires = runs.indices.filter { !runs[$0].requiredKnown }
        var levels = program.levels
        if levels.isEmpty && !pendingRequires.isEmpty { levels = [[]] }
        for level in levels {
            var acc = level.map { _ in QuantifierAccumulator() }
            for i in exchanges.indices {
                let f = Facts.derive(exchanges[i], in: ctx)
                ev.load(f)
                if !pendingRequires.isEmpty {
                    pendingRequires.removeAll { r in
                        let known = compiled[r].requires.allSatisfy { $0.flatMap { f[$0] } != nil }
                        if known { runs[r].requiredKnown = true }
                        return known
                    }
                }
                for (j, q) in level.enumerated() where !acc[j].done {
                    acc[j].feed(&ev, program.quantifiers[q], index: i)
                }
            }
            for (j, q) in level.enumerated() {
                ev.quantifierResults[q] = acc[j].result(program.quantifiers[q])
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

        // Pass 2: per-exchange rules and `against`.
        let perExchange = rules.indices.filter { rules[$0].scope == .exchange && runs[$0].requiredKnown }
        let withAgainst = rules.indices.filter { compiled[$0].against != nil && runs[$0].requiredKnown }
        let subjects = rules.map { $0.subject.map { FactKey.named($0) } }
        guard !perExchange.isEmpty || !withAgainst.isEmpty else { return runs }
        for i in exchanges.indices {
            let f = Facts.derive(exchanges[i], in: ctx)
            ev.load(f)
            for r in perExchange {
                ev.witnesses.removeAll(keepingCapacity: true); ev.signalHits.removeAll(keepingCapacity: true)
                swap(&ev.unknownFields, &runs[r].trace.unknownFields)
                let t = ev.eval(compiled[r].when)
                swap(&ev.unknownFields, &runs[r].trace.unknownFields)
                switch t {
                case .yes:
                    runs[r].trace.matched.append(i)
                    // A subject that names no field reads as unknown, like any other field.
                    let subject = subjects[r].map { k in k.flatMap { ev.value($0)?.description } ?? "" } ?? ""
                    let others = ev.witnesses.sorted().filter { $0 != i }
                    runs[r].add(subject, Group(first: i, exchanges: [i] + others, signals: ev.signalHits))
                case .no: runs[r].trace.failed.append(i)
                case .unknown: runs[r].trace.unknown.append(i)
                }
            }
            for r in withAgainst {
                ev.unknownFields.removeAll(); ev.witnesses.removeAll(keepingCapacity: true); ev.signalHits.removeAll(keepingCapacity: true)
                if ev.eval(compiled[r].against!) == .yes { runs[r].againstHits.append(i) }
            }
        }
        return runs
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

    /// Evaluates the inner condition on the loaded exchange. Unknown counts as "not
    /// satisfied" and its fields do not leak into the rule's unknown fields.
    mutating func feed(_ ev: inout Evaluator, _ q: RuleProgram.Quantifier, index: Int) {
        ev.unknownFields.removeAll(); ev.witnesses.removeAll(keepingCapacity: true); ev.signalHits.removeAll(keepingCapacity: true)
        let t = ev.eval(q.inner)
        if !ev.witnesses.isEmpty { witnesses.formUnion(ev.witnesses) }
        if !ev.signalHits.isEmpty { signals += ev.signalHits }
        guard t == .yes else { return }
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
