import Foundation

/// Runs compiled rules over a bundle's exchanges and turns their hits into ranked findings.
///
/// Steps, in this order: derive facts once per exchange (rules only match, they never
/// compute); evaluate each rule (three-valued, so absent inputs give "not evaluated" rather
/// than "passed"); group hits into one finding per rule and subject; score; apply
/// `supersedes`; sort with a total order (see `FindingRanker`).
public struct RuleEngine: Sendable {
    public let rules: [Rule]
    public let definitions: [String: Condition]
    public let aliases: AliasTables

    public init(rules: [Rule], definitions: [String: Condition], aliases: AliasTables) {
        self.rules = rules; self.definitions = definitions; self.aliases = aliases
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
        let facts = bundle.exchanges.map { Facts.derive($0, in: ctx) }
        var out = Output()
        var ask: [String] = []
        for rule in rules {
            var ev = Evaluator(facts: facts, signals: bundle.signals, definitions: definitions)
            var trace = RuleTrace()
            var groups: [String: Group] = [:]
            var order: [String] = []
            let requiredKnown = rule.requires.isEmpty || facts.contains { f in rule.requires.allSatisfy { f[$0] != nil } }
            func add(_ key: String, _ g: Group) {
                if groups[key] == nil { order.append(key); groups[key] = g } else { groups[key]!.merge(g) }
            }
            if requiredKnown {
                switch rule.scope {
                case .exchange:
                    for i in facts.indices {
                        ev.witnesses = []; ev.signalHits = []
                        switch ev.eval(rule.when, i) {
                        case .yes:
                            trace.matched.append(i)
                            let subject = rule.subject.flatMap { facts[i][$0]?.description } ?? ""
                            add(subject, Group(first: i, exchanges: [i] + ev.witnesses.sorted().filter { $0 != i }, signals: ev.signalHits))
                        case .no: trace.failed.append(i)
                        case .unknown: trace.unknown.append(i)
                        }
                    }
                case .bundle:
                    ev.witnesses = []; ev.signalHits = []
                    if ev.eval(rule.when, nil) == .yes {
                        let w = ev.witnesses.sorted()
                        let subject = rule.subject.flatMap { s in w.first.flatMap { facts[$0][s]?.description } } ?? ""
                        add(subject, Group(first: w.first, exchanges: w, signals: ev.signalHits))
                        trace.matched = w
                    }
                }
            }
            trace.unknownFields = ev.unknownFields
            out.trace[rule.id] = trace
            if order.isEmpty {
                let noExchanges = facts.isEmpty && rule.scope == .exchange
                if !requiredKnown || noExchanges || (trace.failed.isEmpty && !trace.unknown.isEmpty) {
                    let fields = requiredKnown ? ev.unknownFields.sorted() : rule.requires
                    let reason = noExchanges ? "no HTTP call found in the bundle"
                        : "the bundle does not give: " + fields.joined(separator: ", ")
                    out.notEvaluated.append(NotEvaluated(rule: rule.id, cause: rule.cause, reason: reason))
                    if let a = rule.ask { ask.append(a.text(lang)) }
                }
                continue
            }
            for key in order {
                let g = groups[key]!
                out.findings.append(finding(rule, g, subject: key, facts: facts, bundle: bundle, lang: lang, redactor: redactor))
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
        mutating func merge(_ o: Group) {
            occurrences += 1
            for i in o.exchanges where !exchanges.contains(i) { exchanges.append(i) }
            signals += o.signals
        }
    }

    private func finding(_ rule: Rule, _ g: Group, subject: String, facts: [Facts], bundle: TicketBundle, lang: Lang, redactor: Redactor) -> Finding {
        let f = g.first.map { facts[$0] } ?? Facts()
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
        if let a = rule.against {
            var ev = Evaluator(facts: facts, signals: bundle.signals, definitions: definitions)
            let hits = facts.indices.filter { ev.eval(a, $0) == .yes && !g.exchanges.contains($0) }
            for i in hits.prefix(3) {
                for line in Excerpt.pick(bundle.exchanges[i]).prefix(1) {
                    against.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
                }
            }
            if !hits.isEmpty { confidence *= 0.6 }
        }
        var missing: [String] = []
        for i in g.exchanges { for m in bundle.exchanges[i].missing where !missing.contains(m) { missing.append(m) } }
        if let a = rule.ask, f.values.isEmpty || !missing.isEmpty { missing.append(a.text(lang)) }
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
