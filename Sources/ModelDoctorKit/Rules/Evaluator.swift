import Foundation

/// Three-valued truth: a test on a fact the bundle does not give is `unknown`, never false.
enum Truth: Sendable {
    case yes, no, unknown

    static func all(_ xs: [Truth]) -> Truth {
        if xs.contains(.no) { return .no }
        return xs.contains(.unknown) ? .unknown : .yes
    }
    static func any(_ xs: [Truth]) -> Truth {
        if xs.contains(.yes) { return .yes }
        return xs.contains(.unknown) ? .unknown : .no
    }
    var negated: Truth { self == .yes ? .no : (self == .no ? .yes : .unknown) }
}

/// Evaluates compiled conditions against derived facts (Kleene logic), recording which fields
/// were unknown and which other exchanges witnessed a bundle quantifier.
struct Evaluator {
    let facts: [Facts]
    let signals: [Signal]
    let definitions: [String: Condition]
    /// Fields a test needed that were unknown during the last evaluation.
    var unknownFields: Set<String> = []
    /// Exchanges that satisfied an `exists`/`count` quantifier during the last evaluation.
    var witnesses: Set<Int> = []
    /// Signal lines that satisfied a `signal` test.
    var signalHits: [Signal] = []
    private var depth = 0

    init(facts: [Facts], signals: [Signal], definitions: [String: Condition]) {
        self.facts = facts; self.signals = signals; self.definitions = definitions
    }

    /// Evaluates `c` for exchange `index` (nil in bundle scope: field tests are unknown).
    mutating func eval(_ c: Condition, _ index: Int?) -> Truth {
        switch c {
        case .all(let cs):
            var out: [Truth] = []
            for x in cs {
                let t = eval(x, index)
                out.append(t)
                if t == .no { return .no }
            }
            return Truth.all(out)
        case .any(let cs):
            var out: [Truth] = []
            for x in cs {
                let t = eval(x, index)
                if t == .yes { return .yes }
                out.append(t)
            }
            return Truth.any(out)
        case .not(let x):
            // Negation as failure: `not C` holds unless C is shown to hold. Exclusions
            // ("not a quota error") then work on thin tickets where C's fields are absent;
            // a field test with `not_equals` keeps unknown as unknown when that is wanted.
            return eval(x, index) == .yes ? .no : .yes
        case .test(let t):
            guard let index else { unknownFields.insert(t.field); return .unknown }
            return test(t, facts[index][t.field])
        case .exists(let x):
            var found = false
            for i in facts.indices where evalQuiet(x, i) == .yes { witnesses.insert(i); found = true }
            return found ? .yes : .no
        case .none(let x):
            for i in facts.indices where evalQuiet(x, i) == .yes { return .no }
            return .yes
        case .count(let x, let cmp, let n):
            var hits: [Int] = []
            for i in facts.indices where evalQuiet(x, i) == .yes { hits.append(i) }
            let ok = cmp.holds(Double(hits.count), n)
            if ok { witnesses.formUnion(hits) }
            return ok ? .yes : .no
        case .ref(let name, _):
            guard let d = definitions[name], depth < 32 else { return .unknown }
            depth += 1
            defer { depth -= 1 }
            return eval(d, index)
        case .signal(let name, let t):
            let matching = signals.filter { $0.name == name && (t == nil || test(t!, $0.value.map(FactValue.string)) == .yes) }
            signalHits += matching
            return matching.isEmpty ? .no : .yes
        }
    }

    /// Inner quantifier bodies: unknown counts as "not satisfied", and does not leak into the
    /// outer rule's unknown fields.
    private mutating func evalQuiet(_ c: Condition, _ i: Int) -> Truth {
        let saved = unknownFields
        let t = eval(c, i)
        unknownFields = saved
        return t
    }

    private mutating func test(_ t: FieldTest, _ value: FactValue?) -> Truth {
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
        let strings = value.asStrings.map { t.ignoreCase ? $0.lowercased() : $0 }
        let result: Bool
        switch t.op {
        case .exists: result = true
        case .empty:
            let isEmpty: Bool
            if case .list(let l) = value { isEmpty = l.isEmpty } else { isEmpty = value.description.isEmpty }
            result = isEmpty == t.boolValue
        case .equals:
            if case .bool(let b) = value { result = (t.values.first?.lowercased() == "true") == b }
            else if let n = value.asNumber, let m = t.values.first.flatMap(Double.init) { result = n == m }
            else { result = strings.contains(t.values.first ?? "") }
        case .notEquals:
            if case .bool(let b) = value { result = (t.values.first?.lowercased() == "true") != b }
            else if let n = value.asNumber, let m = t.values.first.flatMap(Double.init) { result = n != m }
            else { result = !strings.contains(t.values.first ?? "") }
        case .in:
            if let n = value.asNumber, case .number = value { result = t.values.compactMap(Double.init).contains(n) }
            else { result = strings.contains { t.values.contains($0) } }
        // Byte-level search: Foundation's String.contains costs orders of magnitude more, and
        // error texts run to kilobytes. (Case folding already happened above.)
        case .contains:
            result = strings.contains { ByteSearch.contains($0, t.values.first ?? "") }
        case .containsAny:
            result = strings.contains { s in t.values.contains { ByteSearch.contains(s, $0) } }
        case .startsWith:
            result = strings.contains { $0.utf8.starts(with: (t.values.first ?? "").utf8) }
        case .endsWith:
            result = strings.contains { $0.utf8.reversed().starts(with: (t.values.first ?? "").utf8.reversed()) }
        case .matches:
            guard let re = t.regex else { return .unknown }
            result = value.asStrings.contains { s in
                re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            }
        case .gt, .gte, .lt, .lte:
            guard let n = value.asNumber, let m = t.values.first.flatMap(Double.init) else { return .no }
            let cmp = Comparison(rawValue: t.op.rawValue)!
            result = cmp.holds(n, m)
        }
        return result ? .yes : .no
    }
}
