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
        /// Nodes by what they test (`content`): a condition met again — the same test in two
        /// rules, a pack loaded twice — is the node already made, so its test is keyed, its
        /// quantifier computed and its signals read once for every rule that holds it.
        var byContent: [String: Int] = [:]

        init(definitions: [String: Condition]) { self.definitions = definitions }

        /// The node with `content`, made by `make` (with its level) when none has it yet.
        mutating func node(_ content: String, _ make: (inout Compiler) -> (RuleProgram.Node, level: Int)) -> Int {
            if let id = byContent[content] { return id }
            let (n, level) = make(&self)
            nodes.append(n); quantLevel.append(level)
            byContent[content] = nodes.count - 1
            return nodes.count - 1
        }

        mutating func compile(_ c: Condition, depth: Int) -> Int {
            switch c {
            case .all(let cs):
                let ids = cs.map { compile($0, depth: depth) }
                return node("all" + Self.list(ids)) { c in (.all(c.range(ids)), ids.map { c.quantLevel[$0] }.max() ?? 0) }
            case .any(let cs):
                let ids = cs.map { compile($0, depth: depth) }
                return node("any" + Self.list(ids)) { c in (.any(c.range(ids)), ids.map { c.quantLevel[$0] }.max() ?? 0) }
            case .not(let x):
                let id = compile(x, depth: depth)
                return node("not(\(id))") { c in (.not(id), c.quantLevel[id]) }
            case .test(let t):
                return node("test(" + Self.content(t) + ")") { _ in (.test(CompiledTest(t)), 0) }
            case .exists(let x): return quantifier(.exists, "exists", x, depth)
            case .none(let x): return quantifier(.none, "none", x, depth)
            case .count(let x, let cmp, let n): return quantifier(.count(cmp, n), "count:\(cmp.rawValue):\(n)", x, depth)
            case .ref(let name, _):
                guard let d = definitions[name], depth < RuleProgram.maxDepth else { return node("unknown") { _ in (.unknown, 0) } }
                let key = name + "\u{0}" + String(depth)
                if let id = shared[key] { return id }
                let id = compile(d, depth: depth + 1)
                shared[key] = id
                return id
            case .signal(let name, let t, _):
                return node("signal(" + name + "\u{1}" + (t.map(Self.content) ?? "-") + ")") { c in
                    c.signalTests.append(SignalTest(name: name, test: t.map(CompiledTest.init)))
                    return (.signal(c.signalTests.count - 1), 0)
                }
            }
        }

        private mutating func range(_ ids: [Int]) -> Range<Int> {
            children += ids
            return (children.count - ids.count)..<children.count
        }

        private mutating func quantifier(_ kind: Quantifier.Kind, _ name: String, _ x: Condition, _ depth: Int) -> Int {
            let inner = compile(x, depth: depth)
            return node(name + "(\(inner))") { c in
                let level = c.quantLevel[inner] + 1
                c.quantifiers.append(Quantifier(kind: kind, inner: inner, level: level))
                return (.quantifier(c.quantifiers.count - 1), level)
            }
        }

        private static func list(_ ids: [Int]) -> String { "(" + ids.map(String.init).joined(separator: ",") + ")" }

        /// Everything of a test that its outcome depends on (not where it was written).
        private static func content(_ t: FieldTest) -> String {
            [t.field, t.op.rawValue, t.values.joined(separator: "\u{2}"), "\(t.boolValue)", "\(t.ignoreCase)",
             t.regex.map { $0.pattern + "\u{2}\($0.options.rawValue)" } ?? "-"].joined(separator: "\u{1}")
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
