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

    /// The shape key of one exchange's facts.
    func key(_ f: Facts) -> [FactValue?] { keys.map { f[$0] } }
}

/// Assigns shape ids to exchanges, first come first numbered, and keeps the facts of each
/// shape's first member (the one its verdict is computed on).
///
/// Bounded: past `maxShapes` distinct shapes (a part that reads a field unique to each call)
/// the table gives up, drops what it held and every exchange is evaluated on its own.
struct ShapeTable {
    static let maxShapes = 2048
    let plan: ShapePlan
    /// Whether the first member's facts are kept (a later pass evaluates on them).
    let keepsFacts: Bool
    private var ids: [[FactValue?]: Int32] = [:]
    /// Per exchange: its shape (empty once overflowed).
    private(set) var shapeOf: [Int32] = []
    /// Per shape: the facts of its first member (when `keepsFacts`).
    private(set) var facts: [Facts] = []
    private(set) var count = 0
    /// More distinct shapes than `maxShapes` were met.
    private(set) var overflowed = false

    init(_ plan: ShapePlan, keepsFacts: Bool, capacity: Int) {
        self.plan = plan
        self.keepsFacts = keepsFacts
        shapeOf.reserveCapacity(capacity)
    }

    /// Files the next exchange; its shape and whether the shape is new, nil once overflowed.
    mutating func add(_ f: Facts) -> (shape: Int, new: Bool)? {
        guard !overflowed else { return nil }
        let k = plan.key(f)
        if let s = ids[k] { shapeOf.append(s); return (Int(s), false) }
        guard count < Self.maxShapes else {
            overflowed = true
            ids = [:]; shapeOf = []; facts = []
            return nil
        }
        let s = Int32(count)
        count += 1
        ids[k] = s
        if keepsFacts { facts.append(f) }
        shapeOf.append(s)
        return (Int(s), true)
    }
}

/// What evaluating one condition on one shape recorded: the evaluation's truth and side
/// effects, replayed for every member exactly as if it had been evaluated on that member.
struct ShapeVerdict {
    var truth: Truth
    var witnesses: Set<Int>
    var signals: [Signal]
    var unknownFields: Set<String>
    /// The rule's subject on this shape (pass 2 only).
    var subject: String = ""
}

extension Evaluator {
    /// Evaluates node `id` on the loaded facts from a clean slate and returns what it recorded.
    mutating func verdict(_ id: Int) -> ShapeVerdict {
        unknownFields.removeAll(); witnesses.removeAll(keepingCapacity: true); signalHits.removeAll(keepingCapacity: true)
        let t = eval(id)
        return ShapeVerdict(truth: t, witnesses: witnesses, signals: signalHits, unknownFields: unknownFields)
    }
}
