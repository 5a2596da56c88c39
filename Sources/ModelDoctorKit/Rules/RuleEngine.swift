import Foundation

/// Runs compiled rules over a bundle's exchanges and turns their hits into ranked findings.
///
/// Steps, in this order: derive facts per exchange (rules only match, they never compute);
/// evaluate each rule (three-valued, so absent inputs give "not evaluated" rather than
/// "passed"); group hits into one finding per rule and subject; score; apply `supersedes`;
/// sort with a total order (see `FindingRanker`).
///
/// Rules are compiled once (`RuleProgram`). A bundle is walked exchange by exchange, so only
/// one exchange's facts exist at a time: a first pass computes the bundle quantifiers and
/// `requires`, a second evaluates every per-exchange rule on each exchange (see
/// `RuleEngine+Passes.swift`).
public struct RuleEngine: Sendable {
    public let rules: [Rule]
    public let definitions: [String: Condition]
    public let aliases: AliasTables
    let program: RuleProgram

    public init(rules: [Rule], definitions: [String: Condition], aliases: AliasTables) {
        self.rules = rules; self.definitions = definitions; self.aliases = aliases
        program = RuleProgram(rules: rules, definitions: definitions)
    }

    public init(loaded: RuleLoader.Result) {
        self.init(rules: loaded.rules, definitions: loaded.definitions, aliases: loaded.aliases)
    }

    public struct Output: Sendable {
        public var findings: [Finding] = []
        public var notEvaluated: [NotEvaluated] = []
        /// What to ask the customer for (rules that could not decide, facts missing).
        public var askFor: [RedactedText] = []
        /// Per rule id: how it fared, for `explain`.
        public var trace: [String: RuleTrace] = [:]
    }

    /// How one rule fared on a bundle: which exchanges matched, failed, or could not be told.
    public struct RuleTrace: Sendable {
        public var matched: [Int] = []
        public var failed: [Int] = []
        public var unknown: [Int] = []
        public var unknownFields: Set<String> = []
    }

    public func run(_ bundle: TicketBundle, userCatalog: [String] = [], lang: Lang = .en, redactor: Redactor) -> Output {
        let ctx = BundleContext(exchanges: bundle.exchanges, userCatalog: userCatalog, aliases: aliases, signals: bundle.signals)
        let runs = evaluate(bundle, ctx)
        var out = Output()
        var ask: [String] = []
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
                    if let a = rule.ask { ask.append(a.text(lang)) }
                }
                continue
            }
            for key in run.order {
                let g = run.groups[key]!
                let first = g.first.map { Facts.derive(bundle.exchanges[$0], in: ctx) } ?? Facts()
                out.findings.append(finding(rule, g, subject: key, facts: first, againstHits: run.againstHits,
                                            bundle: bundle, lang: lang, redactor: redactor))
            }
        }
        out.findings = FindingRanker.rank(out.findings)
        var seen = Set<String>()
        for e in bundle.exchanges { for m in e.missing where seen.insert(m).inserted { ask.append(m) } }
        out.askFor = ask.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.map { redactor.redact($0) }
        out.notEvaluated.sort { ($0.cause, $0.rule) < ($1.cause, $1.rule) }
        return out
    }

    struct Group {
        var first: Int?
        var exchanges: [Int]
        var signals: [Signal]
        var occurrences = 1
        /// The members of `exchanges`, for merging thousands of hits without a quadratic scan
        /// (filled when the group is stored, see `RuleRun.add`).
        var members: Set<Int> = []

        init(first: Int?, exchanges: [Int], signals: [Signal]) {
            self.first = first; self.exchanges = exchanges; self.signals = signals
        }

        mutating func merge(_ o: Group) {
            occurrences += 1
            for i in o.exchanges where members.insert(i).inserted { exchanges.append(i) }
            signals += o.signals
        }
    }

    /// - Parameter againstHits: exchanges (ascending) where the rule's `against` holds.
    private func finding(_ rule: Rule, _ g: Group, subject: String, facts f: Facts, againstHits: [Int], bundle: TicketBundle,
                         lang: Lang, redactor: Redactor) -> Finding {
        func fill(_ t: LocalizedText) -> RedactedText {
            redactor.redact(Template.fill(t.text(lang), facts: f, extra: ["subject": subject, "occurrences": String(g.occurrences)]))
        }
        var evidence: [Evidence] = []
        for i in g.exchanges.prefix(4) {
            for line in Excerpt.pick(bundle.exchanges[i]) {
                evidence.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
            }
        }
        for s in g.signals.prefix(3) where !evidence.contains(where: { $0.source == s.line.ref.description }) {
            evidence.append(Evidence(source: s.line.ref.description, excerpt: redactor.redact(s.line.text, file: s.line.ref.file)))
        }
        var against: [Evidence] = []
        var confidence = rule.confidence
        if rule.against != nil {
            let hits = againstHits.filter { !g.members.contains($0) }
            for i in hits.prefix(3) {
                for line in Excerpt.pick(bundle.exchanges[i]).prefix(1) {
                    against.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
                }
            }
            if !hits.isEmpty { confidence *= 0.6 }
        }
        var missing: [String] = []
        for i in g.exchanges { for m in bundle.exchanges[i].missing where !missing.contains(m) { missing.append(m) } }
        if let a = rule.ask, f.isEmpty || !missing.isEmpty { missing.append(a.text(lang)) }
        let symptom = rule.symptom == "either" ? Symptoms.infer(g.exchanges.map { bundle.exchanges[$0] }) : rule.symptom
        return Finding(rule: rule.id, cause: rule.cause, symptom: symptom, severity: rule.severity,
                       confidence: (confidence * 100).rounded() / 100, score: 0,
                       subject: subject.isEmpty ? nil : subject, title: fill(rule.title), message: fill(rule.message),
                       fix: fill(rule.fix), occurrences: g.occurrences, evidence: evidence, evidenceAgainst: against,
                       missing: missing.map { redactor.redact($0) }, supersedes: rule.supersedes, exchanges: g.exchanges.sorted())
    }
}

/// Which symptom a set of exchanges shows: a failing `/models` call → empty list; a failing
/// call that names a model → model not found.
enum Symptoms {
    static func infer(_ xs: [Exchange]) -> String {
        if xs.contains(where: { $0.endpoint == .models }) { return "model-list-empty" }
        if xs.contains(where: { $0.model != nil || $0.endpoint == .chat || $0.endpoint == .responses }) { return "model-not-found" }
        return "model-list-empty"
    }
}

/// Fills `{field}` placeholders from facts.
enum Template {
    static func fill(_ text: String, facts: Facts, extra: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let key = String(rest[rest.index(after: open)..<close])
            if let v = extra[key] ?? facts[key]?.description { out += v.isEmpty ? "(none)" : String(v.prefix(200)) }
            else if key.contains(" ") || key.isEmpty { out += "{\(key)}" }
            else { out += "(unknown)" }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// Picks the evidence lines of an exchange: the line that shows the request and the one
/// that shows the error, at most three.
enum Excerpt {
    static func pick(_ e: Exchange) -> [SourceLine] {
        guard !e.lines.isEmpty else {
            return e.sources.prefix(1).map { SourceLine(ref: $0, text: e.summary) }
        }
        var out: [SourceLine] = [e.lines[0]]
        let errorish = e.lines.dropFirst().last { l in
            ["rror", "404", "401", "403", "429", "500", "502", "503", "not found", "不存在", "-> "].contains { l.text.contains($0) }
        }
        if let x = errorish, x != out[0] { out.append(x) }
        if out.count == 1, e.lines.count > 1 { out.append(e.lines[e.lines.count - 1]) }
        return out
    }
}

extension Exchange {
    /// One line: `GET http://host/v1/models -> 404 Not Found`.
    public var summary: String {
        var s = [method, url ?? pathOnly].compactMap { $0 }.joined(separator: " ")
        if let status { s += " -> \(status)" + (statusText.map { " \($0)" } ?? "") }
        if let failure { s += " -> \(failure.kind.rawValue): \(failure.message)" }
        if let m = error?.message { s += " (\(m.prefix(160)))" }
        return s.isEmpty ? "(partial exchange)" : s
    }
}
