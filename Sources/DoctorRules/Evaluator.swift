import DoctorModel
import DoctorParse
import Foundation

/// Three-valued truth: a test on a fact the bundle does not give is `unknown`, never false.
enum Truth: Sendable {
    case yes, no, unknown
    var negated: Truth { self == .yes ? .no : (self == .no ? .yes : .unknown) }
}

/// Evaluates compiled conditions (`RuleProgram`) against the facts of the current exchange
/// (Kleene logic), recording which fields were unknown and which other exchanges witnessed a
/// bundle quantifier.
///
/// The engine loads one exchange's facts at a time (`load`); values read from them, their
/// lowercased forms and the large text fields are cached until the next exchange, so the
/// dozens of rules that test `error.text` share one computation. Quantifier and signal results
/// do not depend on the current exchange: they are computed once per bundle and replayed with
/// the same side effects (witnesses, signal hits, unknown fields) the tree walker produced.
struct Evaluator {
    let program: RuleProgram
    let signals: [Signal]
    /// Fields a test needed that were unknown during the last evaluation.
    var unknownFields: Set<String> = []
    /// Exchanges that satisfied an `exists`/`count` quantifier during the last evaluation.
    var witnesses = IndexBits()
    /// Signal lines that satisfied a `signal` test.
    var signalHits: [Signal] = []

    /// The result of a quantifier over the whole bundle, and what evaluating it recorded.
    struct Replay: Sendable {
        var truth: Truth
        var witnesses = IndexBits()
        var signals: [Signal] = []
        var unknownFields: Set<String> = []
    }
    var quantifierResults: [Replay?]
    private var signalResults: [Replay?]

    /// The exchange being evaluated; nil in bundle scope (every field test is unknown).
    private(set) var facts: Facts?
    private var generation = 0
    private var heavy = [FactValue?](repeating: nil, count: FactKey.count)
    private var heavyGen = [Int](repeating: -1, count: FactKey.count)
    private var strings = [[String]](repeating: [], count: FactKey.count)
    private var stringsGen = [Int](repeating: -1, count: FactKey.count)
    private var lowered = [[String]](repeating: [], count: FactKey.count)
    private var loweredGen = [Int](repeating: -1, count: FactKey.count)
    private var folded = [[RegexPrefilter.Folded]](repeating: [], count: FactKey.count)
    private var foldedGen = [Int](repeating: -1, count: FactKey.count)

    init(program: RuleProgram, signals: [Signal]) {
        self.program = program; self.signals = signals
        quantifierResults = Array(repeating: nil, count: program.quantifiers.count)
        signalResults = Array(repeating: nil, count: program.signalTests.count)
    }

    /// Makes `f` the current exchange (nil: bundle scope) and drops the previous one's caches.
    mutating func load(_ f: Facts?) {
        facts = f
        generation += 1
    }

    /// The value of a field of the current exchange; large text fields built once per exchange.
    mutating func value(_ k: FactKey) -> FactValue? {
        guard let facts else { return nil }
        guard k.isOwn else { return facts.slots[k.slot] }
        if heavyGen[k.slot] != generation {
            heavy[k.slot] = facts[k]
            heavyGen[k.slot] = generation
        }
        return heavy[k.slot]
    }

    /// Evaluates node `id` for the current exchange.
    mutating func eval(_ id: Int) -> Truth {
        switch program.nodes[id] {
        case .all(let cs):
            var unknown = false
            for c in cs {
                switch eval(program.children[c]) {
                case .no: return .no
                case .unknown: unknown = true
                case .yes: break
                }
            }
            return unknown ? .unknown : .yes
        case .any(let cs):
            var unknown = false
            for c in cs {
                switch eval(program.children[c]) {
                case .yes: return .yes
                case .unknown: unknown = true
                case .no: break
                }
            }
            return unknown ? .unknown : .no
        case .not(let x):
            // Negation as failure: `not C` holds unless C is shown to hold. Exclusions
            // ("not a quota error") then work on thin tickets where C's fields are absent;
            // a field test with `not_equals` keeps unknown as unknown when that is wanted.
            return eval(x) == .yes ? .no : .yes
        case .test(let t):
            guard facts != nil else { unknownFields.insert(t.test.field); return .unknown }
            guard let k = t.key else { return test(t, nil, key: nil) }
            return test(t, value(k), key: k)
        case .quantifier(let q):
            guard let r = quantifierResults[q] else { preconditionFailure("quantifier \(q) evaluated before its bundle pass") }
            return replay(r)
        case .signal(let s):
            if let r = signalResults[s] { return replay(r) }
            let r = signalResult(program.signalTests[s])
            signalResults[s] = r
            return replay(r)
        case .unknown:
            return .unknown
        }
    }

    private mutating func replay(_ r: Replay) -> Truth {
        if witnesses.isEmpty { witnesses = r.witnesses } else if !r.witnesses.isEmpty { witnesses.formUnion(r.witnesses) }
        if !r.signals.isEmpty { signalHits += r.signals }
        if !r.unknownFields.isEmpty { unknownFields.formUnion(r.unknownFields) }
        return r.truth
    }

    /// Signals of that name whose value passes the test (the same for every exchange).
    private mutating func signalResult(_ s: RuleProgram.SignalTest) -> Replay {
        let saved = unknownFields
        unknownFields = []
        var matching: [Signal] = []
        for sig in signals where sig.name.rawValue == s.name {
            if let t = s.test, test(t, sig.value.map(FactValue.string), key: nil) != .yes { continue }
            matching.append(sig)
        }
        let r = Replay(truth: matching.isEmpty ? .no : .yes, signals: matching, unknownFields: unknownFields)
        unknownFields = saved
        return r
    }

    /// The value as strings (lists element-wise), lowercased for case-blind tests; cached per
    /// field of the current exchange when `key` is given.
    private mutating func strings(_ value: FactValue, _ ignoreCase: Bool, key: FactKey?) -> [String] {
        guard let k = key?.slot else {
            return ignoreCase ? value.asStrings.map { $0.lowercased() } : value.asStrings
        }
        if ignoreCase {
            if loweredGen[k] != generation {
                lowered[k] = strings(value, false, key: key).map { $0.lowercased() }
                loweredGen[k] = generation
            }
            return lowered[k]
        }
        if stringsGen[k] != generation {
            strings[k] = value.asStrings
            stringsGen[k] = generation
        }
        return strings[k]
    }

    /// The outcome of one test on a given value, not on the loaded facts (shape keys).
    mutating func outcome(_ ct: CompiledTest, _ value: FactValue) -> Truth { test(ct, value, key: nil) }

    /// The outcome of one test on `value`, taken as field `key` of a value set by the last
    /// `newValue()`: its string and lowercased forms are made once for all the tests run on it.
    mutating func outcome(_ ct: CompiledTest, _ value: FactValue, as key: FactKey) -> Truth { test(ct, value, key: key) }

    /// Starts a new given value for `outcome(_:_:as:)` (drops the cached forms of the last).
    mutating func newValue() { generation += 1 }

    /// The outcome of one test on a value that may be absent, exactly as a rule's field test
    /// reads it (for `explain`'s tree walker).
    mutating func outcome(_ ct: CompiledTest, optional value: FactValue?, key: FactKey?) -> Truth { test(ct, value, key: key) }

    private mutating func test(_ ct: CompiledTest, _ value: FactValue?, key: FactKey?) -> Truth {
        let t = ct.test
        if t.op == .exists {
            let present: Bool
            switch value {
            case .none: present = false
            case .string(let s)?: present = !s.isEmpty
            case .list(let l)?: present = !l.isEmpty
            default: present = true
            }
            return present == t.boolValue ? .yes : .no
        }
        guard let value else { unknownFields.insert(t.field); return .unknown }
        let result: Bool
        switch t.op {
        case .exists: result = true
        case .empty:
            let isEmpty: Bool
            if case .list(let l) = value { isEmpty = l.isEmpty } else { isEmpty = value.description.isEmpty }
            result = isEmpty == t.boolValue
        case .equals:
            if case .bool(let b) = value { result = ct.firstIsTrue == b }
            else if let n = value.asNumber, let m = ct.firstNumber { result = n == m }
            else { result = strings(value, t.ignoreCase, key: key).contains(ct.first) }
        case .notEquals:
            if case .bool(let b) = value { result = ct.firstIsTrue != b }
            else if let n = value.asNumber, let m = ct.firstNumber { result = n != m }
            else { result = !strings(value, t.ignoreCase, key: key).contains(ct.first) }
        case .in:
            if case .number(let n) = value { result = ct.numbers.contains(n) }
            else { result = strings(value, t.ignoreCase, key: key).contains { t.values.contains($0) } }
        // Byte-level search: Foundation's String.contains costs orders of magnitude more, and
        // error texts run to kilobytes. (Case folding already happened above.)
        case .contains:
            result = strings(value, t.ignoreCase, key: key).contains { ByteSearch.contains($0, ct.first) }
        case .containsAny:
            result = strings(value, t.ignoreCase, key: key).contains { s in t.values.contains { ByteSearch.contains(s, $0) } }
        case .startsWith:
            result = strings(value, t.ignoreCase, key: key).contains { $0.utf8.starts(with: ct.first.utf8) }
        case .endsWith:
            result = strings(value, t.ignoreCase, key: key).contains { $0.utf8.reversed().starts(with: ct.first.utf8.reversed()) }
        case .matches:
            guard let re = t.regex else { return .unknown }
            let ss = strings(value, false, key: key)
            if let pf = ct.prefilter, pf.caseInsensitive, let k = key?.slot {
                // The case-blind prefilters of every test on this field read one folded copy.
                if foldedGen[k] != generation {
                    folded[k] = ss.map(RegexPrefilter.Folded.init)
                    foldedGen[k] = generation
                }
                let fs = folded[k]
                result = ss.indices.contains { i in
                    pf.mayMatch(fs[i]) && re.firstMatch(in: ss[i], range: NSRange(ss[i].startIndex..., in: ss[i])) != nil
                }
            } else {
                result = ss.contains { s in
                    (ct.prefilter?.mayMatch(s) ?? true) && re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
                }
            }
        case .gt, .gte, .lt, .lte:
            guard let n = value.asNumber, let m = ct.firstNumber, let cmp = ct.comparison else { return .no }
            result = cmp.holds(n, m)
        }
        return result ? .yes : .no
    }
}
