import DoctorModel
import DoctorParse
import Foundation

/// One node of a rule's condition tree with its outcome on one exchange, for `explain`.
public struct ConditionOutcome: Sendable, Equatable {
    public enum Truth: String, Sendable { case yes, no, unknown }
    /// Nesting depth (0 = the rule's `when`).
    public var depth: Int
    /// The node as written: `all of`, `definition failed`, `status in [404]` …
    public var label: String
    public var truth: Truth
    /// A field test's value on this exchange (nil when the bundle does not give it); a
    /// quantifier's count of exchanges that satisfied it; a signal's matching value.
    public var value: String?
    /// True for a field test whose field the exchange does not give.
    public var missing: Bool
}

extension RuleEngine {
    /// The condition tree of `rule` walked on one exchange (nil: bundle scope), every node with
    /// its three-valued outcome and the value a field test read, so an operator sees which
    /// condition failed or was unknown, not only that the rule did not match.
    ///
    /// A separate tree walker over the rule as written (definitions by name, not inlined), with
    /// the engine's semantics: Kleene `all`/`any`, negation as failure, a quantifier counts the
    /// exchanges whose inner condition holds (unknown is "not satisfied"), a definition nested
    /// deeper than `RuleProgram.maxDepth` is unknown. Its root outcome equals the engine's
    /// verdict for the exchange (a test checks that on every shipped rule). Quantifiers are
    /// evaluated over every exchange per node, so the cost is exchanges² for nested ones: meant
    /// for a ticket, not a month of logs. `expandDepth` limits how deep definitions are shown
    /// (their outcome is always computed in full).
    public func explain(_ rule: Rule, on bundle: TicketBundle, exchange: Int?, expandDepth: Int = 6) -> [ConditionOutcome] {
        let ctx = BundleContext(exchanges: bundle.exchanges, userCatalog: [], aliases: aliases, signals: bundle.signals, families: families, pasted: bundle.pastedLines)
        var walker = ExplainWalker(definitions: definitions, bundle: bundle, ctx: ctx, expandDepth: expandDepth)
        _ = walker.walk(rule.when, at: exchange, depth: 0, refDepth: 0, record: true)
        return walker.lines
    }
}

/// The tree walker behind `RuleEngine.explain`.
struct ExplainWalker {
    let definitions: [String: Condition]
    let bundle: TicketBundle
    let ctx: BundleContext
    let expandDepth: Int
    var lines: [ConditionOutcome] = []
    /// Facts per exchange, derived on first use.
    private var facts: [Int: Facts] = [:]
    /// A field test's outcome uses the engine's own test code.
    private var evaluator = Evaluator(program: RuleProgram(rules: [], definitions: [:]), signals: [])

    init(definitions: [String: Condition], bundle: TicketBundle, ctx: BundleContext, expandDepth: Int) {
        self.definitions = definitions; self.bundle = bundle; self.ctx = ctx; self.expandDepth = expandDepth
    }

    private mutating func facts(_ i: Int) -> Facts {
        if let f = facts[i] { return f }
        let f = Facts.derive(bundle.exchanges[i], in: ctx)
        facts[i] = f
        return f
    }

    /// Evaluates `c` on exchange `i`; when `record`, appends a line per node shown.
    mutating func walk(_ c: Condition, at i: Int?, depth: Int, refDepth: Int, record: Bool) -> Truth {
        let slot = record ? lines.count : -1
        if record { lines.append(ConditionOutcome(depth: depth, label: "", truth: .unknown, value: nil, missing: false)) }
        var label = "", value: String?, missing = false
        let truth: Truth
        switch c {
        case .all(let cs):
            label = "all of"
            var t = Truth.yes
            for x in cs {
                // Every child is shown (an operator wants each check), the result is Kleene's.
                switch walk(x, at: i, depth: depth + 1, refDepth: refDepth, record: record) {
                case .no: t = .no
                case .unknown: if t == .yes { t = .unknown }
                case .yes: break
                }
            }
            truth = t
        case .any(let cs):
            label = "any of"
            var t = Truth.no
            for x in cs {
                switch walk(x, at: i, depth: depth + 1, refDepth: refDepth, record: record) {
                case .yes: t = .yes
                case .unknown: if t == .no { t = .unknown }
                case .no: break
                }
            }
            truth = t
        case .not(let x):
            label = "not"
            truth = walk(x, at: i, depth: depth + 1, refDepth: refDepth, record: record) == .yes ? .no : .yes
        case .test(let t):
            label = "\(t.field) \(t.explained)"
            let ct = CompiledTest(t)
            if let i {
                let v = ct.key.flatMap { facts(i)[$0] }
                value = v.map { String($0.description.prefix(160)) }
                evaluator.newValue()
                truth = evaluator.outcome(ct, optional: v, key: ct.key)
                missing = v == nil && truth == .unknown
            } else {
                missing = true
                truth = .unknown
            }
        case .exists(let x), .none(let x), .count(let x, _, _):
            var hits = 0
            for j in bundle.exchanges.indices where walk(x, at: j, depth: depth + 1, refDepth: refDepth, record: false) == .yes { hits += 1 }
            switch c {
            case .exists: label = "some exchange in the bundle has"; truth = hits > 0 ? .yes : .no
            case .none: label = "no exchange in the bundle has"; truth = hits == 0 ? .yes : .no
            case .count(_, let cmp, let n):
                label = "number of exchanges \(cmp.rawValue) \(Int(n)) with"
                truth = cmp.holds(Double(hits), n) ? .yes : .no
            default: truth = .unknown
            }
            value = "\(hits) of \(bundle.exchanges.count)"
            // The inner condition is shown as it reads on this exchange.
            if record, depth < expandDepth {
                _ = walk(x, at: i, depth: depth + 1, refDepth: refDepth, record: true)
            }
        case .ref(let name, _):
            label = "definition `\(name)`"
            if let d = definitions[name], refDepth < RuleProgram.maxDepth {
                truth = walk(d, at: i, depth: depth + 1, refDepth: refDepth + 1, record: record && depth < expandDepth)
            } else {
                truth = .unknown
                value = definitions[name] == nil ? "no such definition" : "nested too deep"
            }
        case .signal(let name, let t, _):
            label = "signal `\(name)`" + (t.map { " whose value \($0.explained)" } ?? "")
            let ct = t.map(CompiledTest.init)
            let match = bundle.signals.first { s in
                guard s.name.rawValue == name else { return false }
                guard let ct else { return true }
                evaluator.newValue()
                return evaluator.outcome(ct, optional: s.value.map(FactValue.string), key: nil) == .yes
            }
            truth = match == nil ? .no : .yes
            value = match?.value.map { String($0.prefix(160)) }
        }
        if record {
            lines[slot] = ConditionOutcome(depth: depth, label: label, truth: ConditionOutcome.Truth(truth),
                                           value: value, missing: missing)
        }
        return truth
    }
}

extension ConditionOutcome.Truth {
    init(_ t: Truth) {
        switch t {
        case .yes: self = .yes
        case .no: self = .no
        case .unknown: self = .unknown
        }
    }
}

extension FieldTest {
    /// The test in words, as `explain` prints it: `is known`, `in [404, 405]`, `matches …`.
    public var explained: String {
        let ci = ignoreCase ? " (ignoring case)" : ""
        switch op {
        case .exists: return boolValue ? "is known" : "is absent"
        case .empty: return boolValue ? "is empty" : "is not empty"
        case .in, .containsAny: return "\(op.rawValue.replacingOccurrences(of: "_", with: " ")) [\(values.joined(separator: ", "))]\(ci)"
        default: return "\(op.rawValue.replacingOccurrences(of: "_", with: " ")) \(values.first ?? "")\(ci)"
        }
    }
}
