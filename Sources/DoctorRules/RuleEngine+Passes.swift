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
                for i in g.exchanges { g.members.insert(i) }
                order.append(key); groups[key] = g
            } else {
                groups[key]!.merge(g)
            }
        }

        /// `add(key, Group(first: i, exchanges: [i] + witnesses without i, signals: signals))`,
        /// a hit on exchange `i`: merged in place, with no group made for it, when its subject
        /// has one already (a rule that holds on thousands of calls of one kind).
        mutating func add(_ key: String, exchange i: Int, witnesses: [Int], signals: [Signal]) {
            guard let at = groups.index(forKey: key) else {
                add(key, Group(first: i, exchanges: [i] + witnesses.filter { $0 != i }, signals: signals))
                return
            }
            groups.values[at].merge(exchange: i, witnesses: witnesses, signals: signals)
        }
    }

    /// Evaluates every rule on the bundle.
    ///
    /// Each exchange's facts are derived once, and the exchanges are grouped into shapes for
    /// each condition unit (a quantifier's inner condition, a rule's `when` and `against`): a
    /// condition is evaluated once per shape of its unit and the verdict applied to every
    /// member in exchange order (see `ShapeTables`). Pass 1 (only when some rule has a
    /// quantifier or `requires`) feeds the inner condition of every quantifier, innermost level
    /// first; pass 2 evaluates each per-exchange rule (and each `against`). Bundle-scope rules
    /// need only the quantifier and signal results, between the passes. Results equal those of
    /// evaluating rule by rule over all facts held at once.
    /// - Parameter timer: when given (`--stats`), every evaluation is timed and charged to its
    ///   rule, and the time spent deriving facts is kept apart.
    func evaluate(_ bundle: TicketBundle, _ ctx: BundleContext, timer: inout RuleTimer?) -> [RuleRun] {
        let exchanges = bundle.exchanges
        var ev = Evaluator(program: program, signals: bundle.signals)
        var runs = rules.map { RuleRun(requiredKnown: $0.requires.isEmpty) }
        let compiled = program.rules
        let subjects = rules.map { $0.subject.map { FactKey.named($0) } }

        // Units: every quantifier, then every rule (its per-exchange `when`, its `against`).
        let nq = program.quantifiers.count
        let ruleUnits: [(roots: [Int], extra: [FactKey])?] = rules.indices.map { r in
            let when = rules[r].scope == .exchange ? [compiled[r].when] : []
            let roots = when + (compiled[r].against.map { [$0] } ?? [])
            guard !roots.isEmpty else { return nil }
            return (roots, when.isEmpty ? [] : (subjects[r] ?? nil).map { [$0] } ?? [])
        }
        var shapes = ShapeTables(program: program, units: program.quantifiers.map { ([$0.inner], []) } + ruleUnits,
                                 capacity: exchanges.count)

        // Facts derived once per exchange, filed in the shape tables; `requires` checked.
        let f0 = timer == nil ? 0 : RunStats.now()
        defer {
            // The tables' key tests, however this function returns.
            if let t = shapes.timer { timer?.absorb(t) }
        }
        if timer != nil { shapes.timer = RuleTimer(rules: rules.count) }
        var pendingRequires = runs.indices.filter { !runs[$0].requiredKnown }
        // Block by block (memory stays bounded): the facts and outcome keys of a block's
        // exchanges are worked out on every core, then filed in order. Two blocks' facts are
        // alive at once (one filed while the next is prepared): blocks of 2,048 calls held
        // some 1.6 MB more at the peak of a dense 1 GiB log than blocks of 512.
        let block = 256
        // The preparing side reads only what `init` and the timer set: one copy for every
        // block, so filing (which mutates `shapes`) never copies the tables back and forth,
        // and filing may run while exchanges are prepared.
        let table = shapes
        /// Files a block's prepared exchanges, in order; checks `requires` on the way.
        func file(_ prepared: [ShapeTables.Prepared]) {
            for p in prepared {
                if !pendingRequires.isEmpty {
                    pendingRequires.removeAll { r in
                        let known = compiled[r].requires.allSatisfy { $0.flatMap { p.facts[$0] } != nil }
                        if known { runs[r].requiredKnown = true }
                        return known
                    }
                }
                shapes.add(p)
            }
        }
        // The block before is filed as one more task of the next block's preparing (filing is
        // one thread's work, and a core idled while it ran alone): it touches only `shapes`,
        // `runs` and `pendingRequires`, which preparing does not read.
        var previous: [ShapeTables.Prepared] = []
        for start in stride(from: 0, to: exchanges.count, by: block) {
            let end = min(start + block, exchanges.count)
            let filing = previous.isEmpty ? 0 : 1
            let (prepared, scratches) = ParallelMap.map(count: end - start + filing, state: { table.makeScratch() }) { s, j -> ShapeTables.Prepared? in
                if j < filing { file(previous); return nil }
                return table.prepare(Facts.derive(exchanges[start + j - filing], in: ctx), &s)
            }
            for s in scratches { if let t = s.timer { shapes.timer?.absorb(t) } }
            previous = prepared.compactMap { $0 }
        }
        file(previous)
        previous = []
        if timer != nil { timer!.factsNanoseconds &+= RunStats.now() &- f0 }
        /// The rule a unit's evaluations are charged to.
        func owner(_ unit: Int) -> Int { unit < nq ? program.quantifierOwner[unit] : unit - nq }

        /// A unit's verdict on exchange `i`: once per shape, or on the exchange's own facts
        /// (derived once per exchange and pass, in `own`) when its table overflowed.
        func verdict<V>(_ unit: Int, _ i: Int, _ cache: inout [V?], _ own: inout Facts?, _ compute: (inout Evaluator) -> V) -> V {
            if let s = shapes.shape(unit, i) {
                if let v = cache[s] { return v }
                ev.load(shapes.facts(unit, s))
                let t0 = timer == nil ? 0 : RunStats.now()
                let v = compute(&ev)
                if timer != nil { timer!.evaluation(owner(unit), since: t0) }
                cache[s] = v
                return v
            }
            if own == nil { own = Facts.derive(exchanges[i], in: ctx) }
            ev.load(own)
            let t0 = timer == nil ? 0 : RunStats.now()
            let v = compute(&ev)
            if timer != nil { timer!.evaluation(owner(unit), since: t0) }
            return v
        }

        // Pass 1: quantifiers, level by level. A shape's verdict is kept once (`verdicts`) and
        // its cache holds where: replaying it for each member reads it in place rather than
        // copying its sets and lists (and retaining them) once per exchange.
        for level in program.levels {
            var acc = level.map { _ in QuantifierAccumulator() }
            var cache = level.map { [Int32?](repeating: nil, count: shapes.count($0)) }
            var verdicts = level.map { _ in [ShapeVerdict]() }
            for i in exchanges.indices {
                var own: Facts?
                for (j, q) in level.enumerated() where !acc[j].done {
                    let k = verdict(q, i, &cache[j], &own) { ev in
                        verdicts[j].append(ev.verdict(program.quantifiers[q].inner))
                        return Int32(verdicts[j].count - 1)
                    }
                    acc[j].feed(verdicts[j][Int(k)], program.quantifiers[q], index: i)
                    // An exchange evaluated on its own facts (its table overflowed, so it has
                    // no shapes) is not kept.
                    if cache[j].isEmpty { verdicts[j].removeLast() }
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
            let t0 = timer == nil ? 0 : RunStats.now()
            let truth = ev.eval(compiled[r].when)
            if timer != nil { timer!.evaluation(r, since: t0) }
            if truth == .yes {
                let w = ev.witnesses.sorted()
                let subject = rule.subject.flatMap { s in w.first.flatMap { Facts.derive(exchanges[$0], in: ctx)[s]?.description } } ?? ""
                runs[r].add(subject, Group(first: w.first, exchanges: w, signals: ev.signalHits))
                runs[r].trace.matched = IndexList(w)
            }
            runs[r].trace.unknownFields = ev.unknownFields
        }

        // Pass 2: per-exchange rules and `against`.
        let perExchange = rules.indices.filter { rules[$0].scope == .exchange && runs[$0].requiredKnown }
        let withAgainst = rules.indices.filter { compiled[$0].against != nil && runs[$0].requiredKnown }
        guard !perExchange.isEmpty || !withAgainst.isEmpty else { return runs }
        struct RuleVerdict { var truth: Truth; var subject: String; var witnesses: [Int]; var signals: [Signal] }
        // As in pass 1, a cache entry is the place of the shape's verdict in `whenVerdicts`.
        var whenCache = rules.indices.map { [Int32?](repeating: nil, count: shapes.count(nq + $0)) }
        var whenVerdicts = rules.indices.map { _ in [RuleVerdict]() }
        var againstCache = rules.indices.map { [Bool?](repeating: nil, count: shapes.count(nq + $0)) }
        /// Rule `r`'s verdict on exchange `i`: its place in `whenVerdicts[r]`.
        func when(_ r: Int, _ i: Int, _ own: inout Facts?) -> Int {
            Int(verdict(nq + r, i, &whenCache[r], &own) { ev in
                let d = ev.verdict(compiled[r].when)
                runs[r].trace.unknownFields.formUnion(d.unknownFields)
                guard d.truth == .yes else {
                    whenVerdicts[r].append(RuleVerdict(truth: d.truth, subject: "", witnesses: [], signals: []))
                    return Int32(whenVerdicts[r].count - 1)
                }
                // A subject that names no field reads as unknown, like any other field.
                let subject = subjects[r].map { k in k.flatMap { ev.value($0)?.description } ?? "" } ?? ""
                whenVerdicts[r].append(RuleVerdict(truth: .yes, subject: subject, witnesses: d.witnesses.sorted(), signals: d.signals))
                return Int32(whenVerdicts[r].count - 1)
            })
        }
        func against(_ r: Int, _ i: Int, _ own: inout Facts?) -> Bool {
            verdict(nq + r, i, &againstCache[r], &own) { $0.verdict(compiled[r].against!).truth == .yes }
        }

        // Every exchange of a row got the same shape in every table, hence the same verdict from
        // every rule: when every unit of this pass still shares, verdicts are looked up once per
        // row, an exchange costs a step per rule that holds on it (its hit), and the traces are
        // the members of the rows with each verdict (rules that split the rows alike share
        // one list), not an append per rule and exchange.
        let units = perExchange.map { nq + $0 } + withAgainst.map { nq + $0 }
        if !exchanges.isEmpty && shapes.rowCount > 0 && units.allSatisfy({ shapes.shares($0) }) {
            var rowWhen = [[Int32]](repeating: [], count: shapes.rowCount)
            var rowAgainst = [[Bool]](repeating: [], count: shapes.rowCount)
            var rowHits = [[(r: Int, k: Int)]](repeating: [], count: shapes.rowCount)
            var seen = [Bool](repeating: false, count: shapes.rowCount)
            for i in exchanges.indices {
                let row = shapes.row(i)!
                if !seen[row] {
                    seen[row] = true
                    var own: Facts?
                    for r in perExchange {
                        let k = when(r, i, &own)
                        rowWhen[row].append(Int32(k))
                        if whenVerdicts[r][k].truth == .yes { rowHits[row].append((r, k)) }
                    }
                    rowAgainst[row] = withAgainst.map { against($0, i, &own) }
                }
                for (r, k) in rowHits[row] {
                    let v = whenVerdicts[r][k]
                    runs[r].add(v.subject, exchange: i, witnesses: v.witnesses, signals: v.signals)
                }
            }
            // The exchanges of the rows flagged, ascending; per set of rows, made once.
            var lists: [[Bool]: IndexList] = [:]
            func members(_ rows: [Bool]) -> IndexList {
                if let l = lists[rows] { return l }
                var l = IndexList()
                if rows.contains(true) { for i in exchanges.indices where rows[shapes.row(i)!] { l.append(i) } }
                lists[rows] = l
                return l
            }
            for (x, r) in perExchange.enumerated() {
                var byTruth = [[Bool]](repeating: [Bool](repeating: false, count: shapes.rowCount), count: 3)
                for row in rowWhen.indices where seen[row] {
                    switch whenVerdicts[r][Int(rowWhen[row][x])].truth {
                    case .yes: byTruth[0][row] = true
                    case .no: byTruth[1][row] = true
                    case .unknown: byTruth[2][row] = true
                    }
                }
                runs[r].trace.matched = members(byTruth[0])
                runs[r].trace.failed = members(byTruth[1])
                runs[r].trace.unknown = members(byTruth[2])
            }
            for (x, r) in withAgainst.enumerated() {
                runs[r].againstHits = Array(members(rowAgainst.indices.map { seen[$0] && rowAgainst[$0][x] }))
            }
            return runs
        }

        for i in exchanges.indices {
            var own: Facts?
            for r in perExchange {
                let k = when(r, i, &own)
                switch whenVerdicts[r][k].truth {
                case .yes:
                    runs[r].trace.matched.append(i)
                    let v = whenVerdicts[r][k]
                    runs[r].add(v.subject, exchange: i, witnesses: v.witnesses, signals: v.signals)
                case .no: runs[r].trace.failed.append(i)
                case .unknown: runs[r].trace.unknown.append(i)
                }
                if whenCache[r].isEmpty { whenVerdicts[r].removeLast() }
            }
            for r in withAgainst where against(r, i, &own) {
                runs[r].againstHits.append(i)
            }
        }
        return runs
    }
}

/// Collects one quantifier's inner condition over the exchanges of a bundle, with what the
/// evaluation recorded on the way (witnesses of nested quantifiers, signal hits).
///
/// The hits are an `IndexList` and the witnesses `IndexBits`: over a dense log a quantifier
/// holds on most calls of a kind, and as `[Int]` and `Set<Int>` these grew by some 90 bytes a
/// call for each quantifier (the rule pass's peak); now about a byte and a bit.
struct QuantifierAccumulator {
    var hits = IndexList()
    var witnesses = IndexBits()
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
