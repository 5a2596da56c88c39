import DoctorModel
import DoctorParse
import Foundation

/// Runs compiled rules over a bundle's exchanges and returns their hits.
///
/// Steps, in this order: derive facts per exchange (rules only match, they never compute);
/// evaluate each rule (three-valued, so absent inputs give "not evaluated" rather than
/// "passed"); group hits into one `RuleHit` per rule and subject. Wording, excerpts, redaction
/// and ranking belong to the findings stage, which reads these hits.
///
/// Rules are compiled once (`RuleProgram`). A bundle is walked exchange by exchange, so only
/// one exchange's facts exist at a time: a first pass computes the bundle quantifiers and
/// `requires`, a second evaluates every per-exchange rule on each exchange (see
/// `RuleEngine+Passes.swift`).
public struct RuleEngine: Sendable {
    public let rules: [Rule]
    public let definitions: [String: Condition]
    public let aliases: AliasTables
    /// Message families, for the findings stage (candidates, unexplained failures).
    public let families: MessageFamilies
    let program: RuleProgram

    public init(rules: [Rule], definitions: [String: Condition], aliases: AliasTables,
                families: MessageFamilies = MessageFamilies()) {
        self.rules = rules; self.definitions = definitions; self.aliases = aliases; self.families = families
        program = RuleProgram(rules: rules, definitions: definitions)
    }

    public init(loaded: RuleLoader.Result) {
        self.init(rules: loaded.rules, definitions: loaded.definitions, aliases: loaded.aliases, families: loaded.families)
    }

    /// What evaluation found: one hit per rule and subject, the rules that could not be
    /// evaluated, and a trace per rule. Turning hits into worded, ranked findings is the
    /// findings stage's job (`FindingBuilder`).
    public struct Output: Sendable {
        public var hits: [RuleHit] = []
        public var notEvaluated: [NotEvaluated] = []
        /// Rules that could not decide, in rule order: their `ask` lines go to the customer.
        public var undecided: [Rule] = []
        /// Per rule id: how it fared, for `explain`.
        public var trace: [String: RuleTrace] = [:]
    }

    /// How one rule fared on a bundle: which exchanges matched, failed, or could not be told.
    /// The lists are `IndexList`s: over a dense log they hold rules × calls indices.
    public struct RuleTrace: Sendable {
        public var matched = IndexList()
        public var failed = IndexList()
        public var unknown = IndexList()
        public var unknownFields: Set<String> = []
        public init() {}
    }

    /// - Parameter stats: told the time of the `facts` and `rules` stages and of each rule.
    public func run(_ bundle: TicketBundle, userCatalog: [String] = [], stats: RunStats? = nil) -> Output {
        let t0 = stats == nil ? 0 : RunStats.now()
        var timer: RuleTimer? = stats == nil ? nil : RuleTimer(rules: rules.count)
        defer {
            if let stats, let timer {
                let total = RunStats.now() &- t0
                stats.add(stage: RunStats.StageName.facts, nanoseconds: timer.factsNanoseconds)
                stats.add(stage: RunStats.StageName.rules, nanoseconds: total &- min(total, timer.factsNanoseconds))
                timer.report(to: stats, rules: rules)
            }
        }
        let ctx = BundleContext(exchanges: bundle.exchanges, userCatalog: userCatalog, aliases: aliases, signals: bundle.signals, families: families, pasted: bundle.pastedLines)
        let runs = evaluate(bundle, ctx, timer: &timer)
        var out = Output()
        let noExchanges = bundle.exchanges.isEmpty
        for (r, rule) in rules.enumerated() {
            let run = runs[r]
            out.trace[rule.id] = run.trace
            if run.order.isEmpty {
                let noCalls = noExchanges && rule.scope == .exchange
                if !run.requiredKnown || noCalls || (run.trace.failed.isEmpty && !run.trace.unknown.isEmpty) {
                    let fields = run.requiredKnown ? run.trace.unknownFields.sorted() : rule.requires
                    let reason = noCalls ? "no HTTP call found in the bundle"
                        : "the bundle does not give: " + fields.joined(separator: ", ")
                    out.notEvaluated.append(NotEvaluated(rule: rule.id, cause: rule.cause, reason: reason))
                    out.undecided.append(rule)
                }
                continue
            }
            for key in run.order {
                let g = run.groups[key]!
                let first = g.first.map { Facts.derive(bundle.exchanges[$0], in: ctx) } ?? Facts()
                let against = rule.against == nil ? [] : run.againstHits.filter { !g.members.contains($0) }
                out.hits.append(RuleHit(rule: rule, subject: key, exchangeList: g.exchanges, signalList: g.signalList,
                                        occurrences: g.occurrences, againstExchanges: against, facts: first))
            }
        }
        out.notEvaluated.sort { ($0.cause, $0.rule) < ($1.cause, $1.rule) }
        return out
    }

    struct Group {
        var first: Int?
        /// The members in the order they joined, as an `IndexList`: a rule that holds on most
        /// calls of a dense log appended each to an `[Int]` (8 bytes a call, and twice that
        /// while it grew), the rule pass's largest growth with the calls; the hit keeps the
        /// list, and the finding's array is made from it (`RuleHit.exchangeList`).
        var exchanges: IndexList
        /// Each member's signals, as appended (`SignalList`: a list per shape, not per call).
        var signalList: SignalList
        var signals: [Signal] { signalList.array }
        var occurrences = 1
        /// The members of `exchanges`, for merging thousands of hits without a quadratic scan
        /// (filled when the group is stored, see `RuleRun.add`).
        var members = IndexBits()

        init(first: Int?, exchanges: [Int], signals: [Signal]) {
            self.first = first; self.exchanges = IndexList(exchanges); signalList = SignalList(signals)
        }

        mutating func merge(_ o: Group) {
            occurrences += 1
            for i in o.exchanges where members.insert(i).inserted { exchanges.append(i) }
            signalList.append(contentsOf: o.signalList)
        }

        /// `merge(Group(first: i, exchanges: [i] + witnesses without i, signals: signals))`
        /// without that group made.
        mutating func merge(exchange i: Int, witnesses: [Int], signals: [Signal]) {
            occurrences += 1
            if members.insert(i).inserted { exchanges.append(i) }
            for w in witnesses where w != i && members.insert(w).inserted { exchanges.append(w) }
            signalList.append(signals)
        }
    }
}
