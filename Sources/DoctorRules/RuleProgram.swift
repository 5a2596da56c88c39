import DoctorModel
import DoctorParse
import Foundation

/// Rules compiled for evaluation: field names turned into `FactKey` ids, operands parsed once,
/// `ref`s inlined, and every bundle quantifier and signal test numbered so its result can be
/// computed once per bundle instead of once per exchange.
///
/// Conditions form a DAG in `nodes`. A `ref` is inlined at the depth it is reached from a
/// rule's root, exactly as the tree walker counted it (a definition nested 32 refs deep is
/// unknown, which also bounds recursive definitions); the same definition at the same depth is
/// compiled once and shared, so quantifiers inside shared definitions are computed once.
struct RuleProgram: Sendable {
    /// Payloads are small (ids and ranges) so reading a node copies and retains nothing.
    enum Node: Sendable {
        /// Children are `children[range]`.
        case all(Range<Int>)
        case any(Range<Int>)
        case not(Int)
        case test(CompiledTest)
        /// Index into `quantifiers`.
        case quantifier(Int)
        /// Index into `signalTests`.
        case signal(Int)
        /// A `ref` to a missing definition, or nested too deep.
        case unknown
    }

    struct Quantifier: Sendable {
        enum Kind: Sendable { case exists, none, count(Comparison, Double) }
        var kind: Kind
        var inner: Int
        /// 1 + the deepest level of a quantifier inside `inner`: computed in that order.
        var level: Int
    }

    struct SignalTest: Sendable {
        var name: String
        var test: CompiledTest?
    }

    /// One rule's compiled parts.
    struct CompiledRule: Sendable {
        var when: Int
        var against: Int?
        /// Field ids of `requires`; nil where a name is not a field (never known).
        var requires: [FactKey?]
    }

    var nodes: [Node] = []
    var children: [Int] = []
    var quantifiers: [Quantifier] = []
    var signalTests: [SignalTest] = []
    var rules: [CompiledRule] = []
    /// Quantifier indices grouped by level, lowest first.
    var levels: [[Int]] = []
    /// Per node: the first rule (in rule order) whose conditions reach it, -1 for none; a
    /// definition shared by several rules counts for the first (`--stats` per-rule times).
    var nodeOwner: [Int] = []
    /// Per quantifier: the first rule reaching it.
    var quantifierOwner: [Int] = []

    static let maxDepth = 32

    init(rules: [Rule], definitions: [String: Condition]) {
        var c = Compiler(definitions: definitions)
        for r in rules {
            let when = c.compile(r.when, depth: 0)
            let against = r.against.map { c.compile($0, depth: 0) }
            self.rules.append(CompiledRule(when: when, against: against, requires: r.requires.map { FactKey.named($0) }))
        }
        nodes = c.nodes; children = c.children; quantifiers = c.quantifiers; signalTests = c.signalTests
        let maxLevel = quantifiers.map(\.level).max() ?? 0
        levels = (0..<maxLevel).map { l in quantifiers.indices.filter { quantifiers[$0].level == l + 1 } }
        nodeOwner = Array(repeating: -1, count: nodes.count)
        quantifierOwner = Array(repeating: -1, count: quantifiers.count)
        for (r, rule) in self.rules.enumerated() {
            var stack = [rule.when] + (rule.against.map { [$0] } ?? [])
            while let id = stack.popLast() {
                guard nodeOwner[id] < 0 else { continue }
                nodeOwner[id] = r
                switch nodes[id] {
                case .all(let cs), .any(let cs): stack += cs.map { children[$0] }
                case .not(let x): stack.append(x)
                case .quantifier(let q):
                    if quantifierOwner[q] < 0 { quantifierOwner[q] = r }
                    stack.append(quantifiers[q].inner)
                case .test, .signal, .unknown: break
                }
            }
        }
    }

    private struct Compiler {
        let definitions: [String: Condition]
        var nodes: [RuleProgram.Node] = []
        var children: [Int] = []
        var quantifiers: [Quantifier] = []
        var signalTests: [SignalTest] = []
        /// Node of definition `name` reached at depth `d`: "name\u{0}d".
        var shared: [String: Int] = [:]
        /// Per node: the highest quantifier level inside it (0 when none).
        var quantLevel: [Int] = []

        init(definitions: [String: Condition]) { self.definitions = definitions }

        mutating func add(_ n: RuleProgram.Node, level: Int) -> Int {
            nodes.append(n); quantLevel.append(level)
            return nodes.count - 1
        }

        mutating func compile(_ c: Condition, depth: Int) -> Int {
            switch c {
            case .all(let cs):
                let ids = cs.map { compile($0, depth: depth) }
                return add(.all(range(ids)), level: ids.map { quantLevel[$0] }.max() ?? 0)
            case .any(let cs):
                let ids = cs.map { compile($0, depth: depth) }
                return add(.any(range(ids)), level: ids.map { quantLevel[$0] }.max() ?? 0)
            case .not(let x):
                let id = compile(x, depth: depth)
                return add(.not(id), level: quantLevel[id])
            case .test(let t):
                return add(.test(CompiledTest(t)), level: 0)
            case .exists(let x): return quantifier(.exists, x, depth)
            case .none(let x): return quantifier(.none, x, depth)
            case .count(let x, let cmp, let n): return quantifier(.count(cmp, n), x, depth)
            case .ref(let name, _):
                guard let d = definitions[name], depth < RuleProgram.maxDepth else { return add(.unknown, level: 0) }
                let key = name + "\u{0}" + String(depth)
                if let id = shared[key] { return id }
                let id = compile(d, depth: depth + 1)
                shared[key] = id
                return id
            case .signal(let name, let t, _):
                signalTests.append(SignalTest(name: name, test: t.map(CompiledTest.init)))
                return add(.signal(signalTests.count - 1), level: 0)
            }
        }

        private mutating func range(_ ids: [Int]) -> Range<Int> {
            children += ids
            return (children.count - ids.count)..<children.count
        }

        private mutating func quantifier(_ kind: Quantifier.Kind, _ x: Condition, _ depth: Int) -> Int {
            let inner = compile(x, depth: depth)
            let level = quantLevel[inner] + 1
            quantifiers.append(Quantifier(kind: kind, inner: inner, level: level))
            return add(.quantifier(quantifiers.count - 1), level: level)
        }
    }
}

/// A field test with its field resolved to an id and its operands parsed once. A class so
/// that reaching it from a node costs one retain, not one per string it holds.
final class CompiledTest: Sendable {
    let test: FieldTest
    /// Nil when the name is not a field: such a test always sees an unknown value.
    let key: FactKey?
    let first: String
    let firstNumber: Double?
    /// `equals` / `not_equals` against a boolean fact: the operand read as `true`.
    let firstIsTrue: Bool
    /// `in`: the operands that read as numbers.
    let numbers: [Double]
    let comparison: Comparison?
    /// `matches`: rules out most plain-ASCII texts without running the regex.
    let prefilter: RegexPrefilter?

    init(_ t: FieldTest) {
        test = t
        key = FactKey.named(t.field)
        first = t.values.first ?? ""
        firstNumber = t.values.first.flatMap(Double.init)
        firstIsTrue = t.values.first?.lowercased() == "true"
        numbers = t.values.compactMap(Double.init)
        comparison = Comparison(rawValue: t.op.rawValue)
        // The regex's own pattern: `values` are lowercased for case-blind tests (`\W` → `\w`).
        prefilter = t.regex.flatMap { RegexPrefilter(pattern: $0.pattern, caseInsensitive: $0.options.contains(.caseInsensitive)) }
    }
}
