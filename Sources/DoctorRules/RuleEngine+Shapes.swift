import DoctorModel
import DoctorParse
import Foundation

/// Exchanges grouped by what one part of the compiled rules can read of their facts.
///
/// A dense log repeats a few kinds of call thousands of times; two exchanges whose facts agree
/// on every field a condition reads get the same verdict, so the condition is evaluated once
/// per distinct *shape* and the verdict shared with its members (each member keeps its own
/// index, so hits and evidence still name every call).
///
/// The key is made of the derived facts themselves, not of chosen `Exchange` fields: the
/// fields are those the compiled conditions test (and the subjects and `requires` of the
/// rules), found by walking the program, so a fact or rule added later is part of the key
/// without anyone listing it here. Large text fields are keyed by their value as well; when
/// those differ on every call (the evidence `text`), every call is its own shape, which costs
/// what evaluating each call did before.
struct ShapePlan {
    /// The fields the part reads, in a fixed order.
    let keys: [FactKey]

    /// The fields read under `roots`, not descending into quantifiers (their results are
    /// computed per bundle and replayed) or signal tests (they read signals, not facts).
    init(program: RuleProgram, roots: [Int], extra: [FactKey] = []) {
        var seen = Set<Int>()
        var read = Set<FactKey>(extra)
        var stack = roots
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            switch program.nodes[id] {
            case .all(let cs), .any(let cs): stack += cs.map { program.children[$0] }
            case .not(let x): stack.append(x)
            case .test(let t): if let k = t.key { read.insert(k) }
            case .quantifier, .signal, .unknown: break
            }
        }
        keys = read.sorted { $0.slot < $1.slot }
    }
}

/// Assigns shape ids to exchanges, first come first numbered, and keeps the facts of each
/// shape's first member (the one its verdict is computed on).
///
/// Bounded: past `maxShapes` distinct shapes (a part that reads a field unique to each call)
/// the table gives up, drops what it held and every exchange is evaluated on its own.
struct ShapeTable {
    static let maxShapes = 2048  // at most UInt16.max (see `shapeOf`)
    let plan: ShapePlan
    /// Whether the first member's facts are kept (a later pass evaluates on them).
    let keepsFacts: Bool
    /// Shape ids by key: the interned ids of the plan's field values (see `ShapeTables`).
    private var ids: [[Int32]: Int32] = [:]
    /// Per exchange: its shape (empty once overflowed), kept only once `ShapeTables` gave up
    /// keeping rows (see `ShapeTables.rowOf`). Two bytes, as `maxShapes` fits.
    private(set) var shapeOf: [UInt16] = []
    /// Per shape: the facts of its first member (when `keepsFacts`).
    private(set) var facts: [Facts] = []
    private(set) var count = 0
    /// More distinct shapes than `maxShapes` were met.
    private(set) var overflowed = false

    init(_ plan: ShapePlan, keepsFacts: Bool) {
        self.plan = plan
        self.keepsFacts = keepsFacts
    }

    /// The shape of the next exchange, key `k`, and whether the shape is new; nil once
    /// overflowed. (Where the exchange's shape is kept is `ShapeTables.record`'s business.)
    mutating func add(_ f: Facts, key k: [Int32]) -> (shape: Int, new: Bool)? {
        guard !overflowed else { return nil }
        if let s = ids[k] { return (Int(s), false) }
        guard count < Self.maxShapes else {
            overflow()
            return nil
        }
        let s = Int32(count)
        count += 1
        ids[k] = s
        if keepsFacts { facts.append(f) }
        return (Int(s), true)
    }

    /// Keeps the shapes of the exchanges so far, from the rows they were kept in.
    mutating func keepColumn(_ column: [UInt16]) { shapeOf = column }

    /// Files the next exchange under shape `s`, one already numbered (per-table columns).
    mutating func addExisting(_ s: Int32) { shapeOf.append(UInt16(s)) }

    /// Gives up sharing: every exchange is evaluated on its own.
    mutating func overflow() {
        overflowed = true
        ids = [:]; shapeOf = []; facts = []
    }
}

/// The shape tables of the condition units of a program (a quantifier's inner condition; a
/// rule's `when`, `against` and subject): units that read the same fields share a table, so
/// a unit that reads a field unique to every call does not spoil the sharing of the others.
struct ShapeTables {
    private(set) var tables: [ShapeTable] = []
    /// Per unit: its table, nil for a unit that is never evaluated per exchange.
    let tableOf: [Int?]
    /// Every field some table reads, and per table the positions of its fields in `fields`.
    private let fields: [FactKey]
    private let tableFields: [[Int]]
    /// Per field: its values met so far, numbered; a table key is made of these numbers, so
    /// a large text is hashed once per exchange, not once per table reading it.
    private var interned: [[FactValue?: Int32]]
    /// Per field: the tables still sharing that read it (a field with more distinct values
    /// than a table may have shapes overflows them all, and is no longer read).
    private var readers: [Int]
    /// Per field: the program's tests on it, when the field is a large text read only through
    /// tests (no rule's subject): such a field can be keyed by its tests' outcomes instead of
    /// its value (see `signature`).
    private let outcomeTests: [[CompiledTest]?]
    /// Per field with `outcomeTests`: the rule owning each test (for `timer`).
    private let outcomeOwners: [[Int]?]
    /// Per field with `outcomeTests`: it is the call's `text` (its lines joined) and every test
    /// on it is a case-blind `matches` with a prefilter. Its lines are then folded straight
    /// into the chunk's buffer and, when no prefilter may match, every outcome is "no" (the
    /// evaluator's own answer) without the text built; see `ruledOut`.
    private let foldedFirst: [Bool]
    /// Per `foldedFirst` field: its tests' literals, looked for in one pass (nil: one
    /// prefilter after another).
    private let foldedLiterals: [LiteralSet?]
    /// Set when the run is timed (`--stats`): the key tests are charged to their rules.
    var timer: RuleTimer?
    /// Outcome keys met so far, numbered from `outcomeBase` so they never equal a value id.
    private var outcomeIDs: [[String: Int32]]
    /// Runs the tests for the outcome keys (no facts loaded: it only tests given values);
    /// each chunk of `prepare` works on its own copy.
    private let tester: Evaluator
    /// The outcome keys of the text values met, shared by every chunk (see `OutcomeMemo`).
    private let memo: OutcomeMemo
    /// Per field read through its tests: the body it is made of besides the call's kind, when
    /// that is all (`HeavySource.part`); its outcomes are then remembered per kind and body.
    private let parts: [HeavySource.Part?]
    private let byKind: KindOutcomes
    /// The key being built in `add`.
    private var scratch: [Int32] = []
    /// Per combination of every field's id (one exchange's whole key): the shape it got in
    /// each table. Exchanges with the same whole key get the same shapes everywhere, so a
    /// repeated kind of call costs one lookup instead of one per table. Ids are never reused
    /// for another value while a field is read, and a table that overflows stays so, so an
    /// entry stays valid; bounded like the tables.
    /// With it, the row those shapes were kept as (-1 once rows gave up).
    private var byWholeKey: [[Int32]: (shapes: [Int32], row: Int32)] = [:]
    static let maxWholeKeys = 4096
    /// Per exchange: its row, the shapes it got in every table. A dense log's calls fall into
    /// a few rows (each kind of call is one), so one two-byte number per call stands for one
    /// per table and call: with a hundred and more tables, those columns were the largest
    /// thing the rule pass held, about 330 bytes per call. Past `maxRows` distinct rows each
    /// table keeps its own column again (`columns`).
    private var rowOf: [UInt16] = []
    /// The rows, `tables.count` shapes each (-1 for a table overflowed when it was filed),
    /// and their numbers by content.
    private var rows: [Int32] = []
    private var rowIDs: [[Int32]: UInt16] = [:]
    private var columns = false
    static let maxRows = 4096
    private let capacity: Int
    /// Per field: whether it is the call's own (`FactKey.isOwn`), not shared by a call class.
    private let own: [Bool]
    /// Per call class (`Facts.callClass`): the ids of its shared fields, as its first member
    /// got them. Members of a class hold equal values there, and a value's id does not change
    /// while its field is read, so later members copy these instead of hashing the values.
    private var byClass: [[Int32]?] = []
    static let outcomeBase: Int32 = 1 << 30

    init(program: RuleProgram, units: [(roots: [Int], extra: [FactKey])?], capacity: Int) {
        var byKeys: [[FactKey]: Int] = [:]
        var tables: [ShapeTable] = []
        tableOf = units.map { unit in
            guard let unit else { return nil }
            let plan = ShapePlan(program: program, roots: unit.roots, extra: unit.extra)
            if let t = byKeys[plan.keys] { return t }
            tables.append(ShapeTable(plan, keepsFacts: true))
            byKeys[plan.keys] = tables.count - 1
            return tables.count - 1
        }
        self.tables = tables
        fields = Set(tables.flatMap(\.plan.keys)).sorted { $0.slot < $1.slot }
        let position = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
        let tableFields = tables.map { $0.plan.keys.map { position[$0]! } }
        self.tableFields = tableFields
        interned = fields.map { _ in [:] }
        readers = fields.indices.map { f in tableFields.filter { $0.contains(f) }.count }
        // A field some rule names as its subject is read for its value, not only tested.
        let subjects = Set(units.compactMap { $0?.extra }.joined())
        var tests = [[CompiledTest]](repeating: [], count: FactKey.count)
        var owners = [[Int]](repeating: [], count: FactKey.count)
        for (id, node) in program.nodes.enumerated() {
            if case .test(let t) = node, let k = t.key { tests[k.slot].append(t); owners[k.slot].append(program.nodeOwner[id]) }
        }
        outcomeTests = fields.map { k in k.isHeavy && !subjects.contains(k) ? tests[k.slot] : nil }
        outcomeOwners = fields.map { k in k.isHeavy && !subjects.contains(k) ? owners[k.slot] : nil }
        outcomeIDs = fields.map { _ in [:] }
        let allTests = outcomeTests, allFields = fields
        let folded = allFields.indices.map { n in
            allFields[n] == .text && allTests[n].map { ts in
                !ts.isEmpty && ts.allSatisfy { $0.test.op == .matches && $0.test.regex != nil && $0.prefilter?.caseInsensitive == true }
            } == true
        }
        foldedFirst = folded
        foldedLiterals = allFields.indices.map { n in folded[n] ? RegexPrefilter.literalSet(allTests[n]!.compactMap(\.prefilter)) : nil }
        own = fields.map(\.isOwn)
        memo = OutcomeMemo(fields: fields.count)
        let tested = outcomeTests, keys = fields
        parts = keys.indices.map { n in tested[n] == nil ? nil : HeavySource.part(keys[n]) }
        byKind = KindOutcomes()
        tester = Evaluator(program: program, signals: [])
        rowOf.reserveCapacity(capacity)
        self.capacity = capacity
    }

    /// What `add` needs of one exchange, worked out by `prepare` (on any thread): its facts
    /// and, per field read only through its tests (`outcomeTests`), those tests' outcomes.
    /// Such a field is keyed by its outcomes, not its value: two values with the same
    /// outcomes give the same verdict in any condition, and the log lines of a call are
    /// unique to it (timestamps), so their values would never be shared.
    struct Prepared {
        var facts: Facts
        var outcomes: [String?]
    }

    /// One chunk's working state for `prepare`: its own tester, timer and text buffer.
    struct Scratch {
        var tester: Evaluator
        var timer: RuleTimer?
        var bytes: [UInt8] = []
    }

    func makeScratch() -> Scratch {
        Scratch(tester: tester, timer: timer.map { RuleTimer(rules: $0.nanoseconds.count) })
    }

    /// The outcome keys of exchange facts `f`. Reads only what `init` set and the memo (behind
    /// its lock), so chunks of a bundle's exchanges are prepared in parallel, each with its own
    /// `Scratch`.
    func prepare(_ f: Facts, _ s: inout Scratch) -> Prepared {
        var outcomes = [String?](repeating: nil, count: fields.count)
        for n in fields.indices where outcomeTests[n] != nil {
            // Calls of one kind with equal bodies have equal error texts: no text to build.
            if let part = parts[n], f.callClass >= 0, let h = f.heavy {
                let slot = Int(f.callClass) * fields.count + n, body = h.text(part)
                if let o = byKind.outcome(slot, body) { outcomes[n] = o; continue }
                let o = outcomeKey(n, f[fields[n]], &s)
                byKind.store(slot, body, o)
                outcomes[n] = o
                continue
            }
            if foldedFirst[n], let h = f.heavy, let o = ruledOut(n, h, &s) { outcomes[n] = o; continue }
            outcomes[n] = outcomeKey(n, f[fields[n]], &s)
        }
        return Prepared(facts: f, outcomes: outcomes)
    }

    /// Field `n`'s outcome key for value `v`, from the memo when the value was met.
    private func outcomeKey(_ n: Int, _ v: FactValue?, _ s: inout Scratch) -> String {
        guard let v else { return "-" }
        guard case .string(let t) = v, memo.isOn(n) else { return signature(n, v, &s) }
        let key = ByteKey(t)
        if let o = memo.outcome(n, key) { return o }
        let o = signature(n, v, &s)
        memo.store(n, key, o)
        return o
    }

    /// The outcome key of `text` (field `n`, `foldedFirst`) when no test's prefilter may match
    /// it: one "n" per test, as `signature` gives then. Nil when some may (or the text holds a
    /// code point that folds into ASCII): the tests are then run on the text itself. The
    /// folded bytes are those `Folded` makes of `joinedText`, so the answer is the same.
    private func ruledOut(_ n: Int, _ h: HeavySource, _ s: inout Scratch) -> String? {
        let tests = outcomeTests[n]!
        let t0 = s.timer == nil ? 0 : RunStats.now()
        h.joinedBytes(into: &s.bytes)
        guard RegexPrefilter.fold(&s.bytes) else { return nil }
        let mayMatch = s.bytes.withUnsafeBytes { b in
            // A literal of some prefilter occurs exactly when that prefilter may match.
            if let set = foldedLiterals[n] { return set.occurs(in: b) }
            return tests.contains { $0.prefilter!.mayMatch(folded: b) }
        }
        if mayMatch { return nil }
        if s.timer != nil {
            // Charged to the tests' rules in equal shares, as their key tests.
            let share = (RunStats.now() &- t0) / UInt64(tests.count)
            for j in tests.indices { s.timer!.keyTest(outcomeOwners[n]![j], since: RunStats.now() &- share) }
        }
        return String(repeating: "n", count: tests.count)
    }

    /// The outcomes of every test of field `n` on value `v`, one character per test.
    private func signature(_ n: Int, _ v: FactValue, _ s: inout Scratch) -> String {
        var sig = ""
        s.tester.newValue()
        for (j, t) in outcomeTests[n]!.enumerated() {
            let t0 = s.timer == nil ? 0 : RunStats.now()
            let outcome = s.tester.outcome(t, v, as: fields[n])
            if s.timer != nil { s.timer!.keyTest(outcomeOwners[n]![j], since: t0) }
            switch outcome {
            case .yes: sig.append("y")
            case .no: sig.append("n")
            case .unknown: sig.append("?")
            }
        }
        return sig
    }

    /// Files the next exchange in every table.
    mutating func add(_ p: Prepared) {
        let f = p.facts
        var ids = [Int32](repeating: -1, count: fields.count)
        let cls = Int(f.callClass)
        let shared = cls >= 0 && cls < byClass.count ? byClass[cls] : nil
        for (n, k) in fields.enumerated() where readers[n] > 0 {
            if let shared, !own[n] { ids[n] = shared[n]; continue }
            if let sig = p.outcomes[n] {
                if let id = outcomeIDs[n][sig] { ids[n] = id; continue }
                ids[n] = Self.outcomeBase + Int32(outcomeIDs[n].count)
                outcomeIDs[n][sig] = ids[n]
                continue
            }
            let v = f[k]
            if let id = interned[n][v] { ids[n] = id; continue }
            guard interned[n].count < ShapeTable.maxShapes else {
                // Too many distinct values: no table reading this field can share any more.
                interned[n] = [:]
                for t in tables.indices where !tables[t].overflowed && tableFields[t].contains(n) { overflow(t) }
                continue
            }
            ids[n] = Int32(interned[n].count)
            interned[n][v] = ids[n]
        }
        if cls >= 0 && shared == nil {
            if byClass.count <= cls { byClass += Array(repeating: nil, count: cls + 1 - byClass.count) }
            byClass[cls] = ids
        }
        if timer != nil { timer!.key(ids) }
        if let hit = byWholeKey[ids] {
            if !columns && hit.row >= 0 { rowOf.append(UInt16(hit.row)) } else { _ = record(hit.shapes) }
            return
        }
        var shapes = [Int32](repeating: -1, count: tables.count)
        var complete = true
        for t in tables.indices where !tables[t].overflowed {
            // One key buffer for every table and exchange: a dictionary keeps a copy only when
            // the key is new.
            scratch.removeAll(keepingCapacity: true)
            for n in tableFields[t] { scratch.append(ids[n]) }
            if let r = tables[t].add(f, key: scratch) { shapes[t] = Int32(r.shape) } else { overflow(t); complete = false }
        }
        let row = record(shapes)
        if complete && byWholeKey.count < Self.maxWholeKeys { byWholeKey[ids] = (shapes, row) }
    }

    /// Keeps the shapes of the exchange just filed: its row's number, or a shape per table
    /// once the rows are too many (an overflowed table's entry is never read). Returns the
    /// row's number, -1 when kept in columns.
    private mutating func record(_ shapes: [Int32]) -> Int32 {
        if !columns {
            if let r = rowIDs[shapes] { rowOf.append(r); return Int32(r) }
            if rowIDs.count < Self.maxRows {
                let r = UInt16(rowIDs.count)
                rowIDs[shapes] = r
                rows += shapes
                rowOf.append(r)
                return Int32(r)
            }
            columns = true
            let n = tables.count
            for t in tables.indices where !tables[t].overflowed {
                var column: [UInt16] = []
                column.reserveCapacity(capacity)
                for r in rowOf { column.append(UInt16(rows[Int(r) * n + t])) }
                tables[t].keepColumn(column)
            }
            rowOf = []; rows = []; rowIDs = [:]
        }
        for t in tables.indices where !tables[t].overflowed { tables[t].addExisting(shapes[t]) }
        return -1
    }

    private mutating func overflow(_ t: Int) {
        if !tables[t].overflowed { tables[t].overflow() }
        for n in tableFields[t] { readers[n] -= 1 }
    }

    /// The shape of exchange `i` for `unit`, nil when its table overflowed (evaluate on the
    /// exchange's own facts).
    func shape(_ unit: Int, _ i: Int) -> Int? {
        guard let t = tableOf[unit], !tables[t].overflowed else { return nil }
        return columns ? Int(tables[t].shapeOf[i]) : Int(rows[Int(rowOf[i]) * tables.count + t])
    }

    /// Exchange `i`'s row: which shape it got in every table. Nil once rows gave up (each table
    /// keeps a column of its own then).
    func row(_ i: Int) -> Int? { columns ? nil : Int(rowOf[i]) }

    /// Number of rows (0 once rows gave up).
    var rowCount: Int { columns ? 0 : rowIDs.count }

    /// Whether `unit`'s table still shares (its exchanges have shapes).
    func shares(_ unit: Int) -> Bool { tableOf[unit].map { !tables[$0].overflowed } ?? false }

    /// The facts a shape's verdict is computed on.
    func facts(_ unit: Int, _ shape: Int) -> Facts { tables[tableOf[unit]!].facts[shape] }

    /// Number of shapes of a unit's table (0 once overflowed).
    func count(_ unit: Int) -> Int { tableOf[unit].map { tables[$0].overflowed ? 0 : tables[$0].count } ?? 0 }
}

/// What evaluating one condition on one shape recorded: the evaluation's truth and side
/// effects, replayed for every member exactly as if it had been evaluated on that member.
struct ShapeVerdict {
    var truth: Truth
    var witnesses: IndexBits
    var signals: [Signal]
    var unknownFields: Set<String>
    /// The rule's subject on this shape (pass 2 only).
    var subject: String = ""
}

extension Evaluator {
    /// Evaluates node `id` on the loaded facts from a clean slate and returns what it recorded.
    mutating func verdict(_ id: Int) -> ShapeVerdict {
        unknownFields.removeAll(); witnesses = IndexBits(); signalHits.removeAll(keepingCapacity: true)
        let t = eval(id)
        return ShapeVerdict(truth: t, witnesses: witnesses, signals: signalHits, unknownFields: unknownFields)
    }
}

/// The outcome keys of the text values of each field met in one bundle, shared by the threads
/// preparing it: a log repeats a few error texts on thousands of failed calls. Keyed by the
/// text's bytes (a test reads bytes, so two canonically equal spellings are two values).
///
/// A field whose values are mostly unique (a call's log lines hold its timestamps) is no longer
/// looked up once `minLookups` lookups found few repeats: hashing a text costs about what its
/// tests do. At most `maxValues` values are kept per field.
final class OutcomeMemo: @unchecked Sendable {
    private var byValue: [[ByteKey: String]]
    private var lookups: [Int]
    private var hits: [Int]
    private var off: [Bool]
    private let lock = NSLock()
    static let maxValues = 4096
    static let minLookups = 64

    init(fields: Int) {
        byValue = Array(repeating: [:], count: fields)
        lookups = Array(repeating: 0, count: fields)
        hits = Array(repeating: 0, count: fields)
        off = Array(repeating: false, count: fields)
    }

    /// Whether field `n`'s values are still looked up.
    func isOn(_ n: Int) -> Bool { lock.withLock { !off[n] } }

    func outcome(_ n: Int, _ key: ByteKey) -> String? {
        lock.withLock {
            lookups[n] += 1
            guard let o = byValue[n][key] else { return nil }
            hits[n] += 1
            return o
        }
    }

    func store(_ n: Int, _ key: ByteKey, _ outcome: String) {
        lock.withLock {
            if lookups[n] >= Self.minLookups && hits[n] * 4 < lookups[n] {
                off[n] = true
                byValue[n] = [:]
            } else if byValue[n].count < Self.maxValues {
                byValue[n][key] = outcome
            }
        }
    }
}

/// The outcome keys of a field made of a call's kind and one of its bodies (`HeavySource.part`),
/// per kind and field: the last body met and its outcomes. A kind of call repeated thousands
/// of times mostly carries the same error body, so the text is neither built nor hashed; a
/// different body is compared (bytes) and computed afresh.
final class KindOutcomes: @unchecked Sendable {
    private var bySlot: [Int: (body: String?, outcome: String)] = [:]
    private let lock = NSLock()

    func outcome(_ slot: Int, _ body: String?) -> String? {
        guard let e = lock.withLock({ bySlot[slot] }), Self.sameBytes(e.body, body) else { return nil }
        return e.outcome
    }

    func store(_ slot: Int, _ body: String?, _ outcome: String) {
        lock.withLock { bySlot[slot] = (body, outcome) }
    }

    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        guard var a, var b else { return a == nil && b == nil }
        return a.withUTF8 { u in b.withUTF8 { v in u.count == v.count && (u.count == 0 || memcmp(u.baseAddress!, v.baseAddress!, u.count) == 0) } }
    }
}
