import Foundation

/// Where the time of an analysis went (`--stats`): wall time per stage, what was read, and per
/// rule the time its conditions took and how often they were evaluated, so a slow rule a
/// gateway operator adds is visible.
///
/// Off unless a caller passes one: every stage takes an optional collector and does nothing
/// more than a nil check without it. Stages report coarse totals (per file, per bundle), and
/// the rule engine sums per-rule times locally and hands them over once per bundle, so the
/// lock is taken a handful of times per bundle. When several bundles run at once (`triage
/// --jobs`), their times add up: stage times are then the sum over tickets, not wall time.
public final class RunStats: @unchecked Sendable {
    /// The stages every analysis passes through, in pipeline order. Parsing is reported per
    /// parser kind under `parsePrefix` + the kind (`parse python-sdk-log`).
    public enum StageName {
        public static let loadRules = "load rules"
        /// Reading input bytes: files, archives, inflating gzip (as waited for by the parser).
        public static let read = "read"
        public static let parsePrefix = "parse "
        /// Pairing and merging the exchanges of every file, then enriching them.
        public static let merge = "merge"
        /// Deriving each exchange's facts and filing it under its shape.
        public static let facts = "facts"
        /// Evaluating the rules (quantifiers, bundle rules, per-exchange rules) and grouping hits.
        public static let rules = "rules"
        /// Wording, excerpts, redaction and ranking of the findings.
        public static let findings = "findings"
        public static let ticketFacts = "ticket facts"
        public static let timeline = "timeline"
        public static let render = "render"
    }

    public struct Stage: Sendable, Equatable {
        public var name: String
        public var nanoseconds: UInt64
        /// How many times the stage ran (files parsed, bundles analysed).
        public var calls: Int
    }

    public struct RuleStat: Sendable, Equatable {
        public var rule: String
        /// Time spent evaluating the rule's conditions and running its tests for shape keys.
        public var nanoseconds: UInt64
        /// Condition evaluations: once per distinct shape, or per exchange when shapes are not
        /// shared; quantifiers and `against` included.
        public var evaluations: Int
        /// Tests of the rule run to key a large text by its outcomes (once per exchange
        /// carrying such a text).
        public var keyTests: Int
    }

    private let lock = NSLock()
    private var stageList: [Stage] = []
    private var stageIndex: [String: Int] = [:]
    private var countList: [(name: String, value: Int)] = []
    private var ruleList: [RuleStat] = []
    private var ruleIndex: [String: Int] = [:]
    private let started = RunStats.now()

    public init() {}

    /// Monotonic nanoseconds.
    @inline(__always) public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Adds `nanoseconds` to stage `name` (created in first-seen order).
    public func add(stage name: String, nanoseconds: UInt64, calls: Int = 1) {
        lock.lock(); defer { lock.unlock() }
        if let i = stageIndex[name] {
            stageList[i].nanoseconds &+= nanoseconds
            stageList[i].calls += calls
        } else {
            stageIndex[name] = stageList.count
            stageList.append(Stage(name: name, nanoseconds: nanoseconds, calls: calls))
        }
    }

    /// Runs `body` and adds its wall time to stage `name`.
    public func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let t0 = Self.now()
        defer { add(stage: name, nanoseconds: Self.now() &- t0) }
        return try body()
    }

    /// Adds `n` to counter `name` (files, lines, bytes, exchanges, shapes).
    public func count(_ name: String, _ n: Int) {
        lock.lock(); defer { lock.unlock() }
        if let i = countList.firstIndex(where: { $0.name == name }) { countList[i].value += n } else { countList.append((name, n)) }
    }

    /// Adds one bundle's figures for rule `rule`.
    public func add(rule: String, nanoseconds: UInt64, evaluations: Int, keyTests: Int) {
        lock.lock(); defer { lock.unlock() }
        if let i = ruleIndex[rule] {
            ruleList[i].nanoseconds &+= nanoseconds
            ruleList[i].evaluations += evaluations
            ruleList[i].keyTests += keyTests
        } else {
            ruleIndex[rule] = ruleList.count
            ruleList.append(RuleStat(rule: rule, nanoseconds: nanoseconds, evaluations: evaluations, keyTests: keyTests))
        }
    }

    /// Stages in the order first met.
    public var stages: [Stage] { lock.lock(); defer { lock.unlock() }; return stageList }

    /// Counters in the order first met.
    public var counts: [(name: String, value: Int)] { lock.lock(); defer { lock.unlock() }; return countList }

    public func count(_ name: String) -> Int? { counts.first { $0.name == name }?.value }

    /// Every rule evaluated, slowest first (ties: more evaluations first, then by id).
    public var rules: [RuleStat] {
        lock.lock(); defer { lock.unlock() }
        return ruleList.sorted {
            ($0.nanoseconds, $0.evaluations + $0.keyTests, $1.rule) > ($1.nanoseconds, $1.evaluations + $1.keyTests, $0.rule)
        }
    }

    /// Nanoseconds since this collector was made.
    public var elapsed: UInt64 { Self.now() &- started }

    /// The table `--stats` prints: stages, counts, then the `top` slowest rules and the total
    /// over all rules.
    public func table(top: Int = 15) -> String {
        func ms(_ ns: UInt64) -> String { String(format: "%.2f", Double(ns) / 1e6) }
        func row(_ cells: [String], _ widths: [Int]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() {
                let w = widths[i]
                let pad = String(repeating: " ", count: max(0, abs(w) - c.count))
                s += i == 0 ? c + pad : "  " + (w < 0 ? c + pad : pad + c)
            }
            return s.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        let stages = self.stages, rules = self.rules
        var out = "modeldoctor stats (wall time; with several tickets at once, summed over them)\n"
        let stageWidth = max(24, (stages.map(\.name.count).max() ?? 0))
        out += row(["stage", "ms", "runs"], [stageWidth, 10, 7])
        for s in stages { out += row([s.name, ms(s.nanoseconds), String(s.calls)], [stageWidth, 10, 7]) }
        let sum = stages.reduce(UInt64(0)) { $0 &+ $1.nanoseconds }
        out += row(["sum of stages", ms(sum), ""], [stageWidth, 10, 7])
        out += row(["elapsed", ms(elapsed), ""], [stageWidth, 10, 7])
        let counts = self.counts
        if !counts.isEmpty { out += "counts: " + counts.map { "\($0.name) \($0.value)" }.joined(separator: ", ") + "\n" }
        let shown = rules.prefix(max(0, top))
        let ruleWidth = max(24, (shown.map(\.rule.count).max() ?? 0))
        out += row(["rule (slowest \(shown.count) of \(rules.count))", "ms", "evals", "key tests"], [ruleWidth, 10, 9, 10])
        for r in shown { out += row([r.rule, ms(r.nanoseconds), String(r.evaluations), String(r.keyTests)], [ruleWidth, 10, 9, 10]) }
        let total = rules.reduce(into: (UInt64(0), 0, 0)) { $0.0 &+= $1.nanoseconds; $0.1 += $1.evaluations; $0.2 += $1.keyTests }
        out += row(["all rules", ms(total.0), String(total.1), String(total.2)], [ruleWidth, 10, 9, 10])
        return out
    }
}
