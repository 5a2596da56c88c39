import DoctorModel
import DoctorRedact
import DoctorRules
import Foundation

/// Turns the rule engine's hits into worded, redacted, ranked findings.
///
/// Steps, in this order: fill each hit's message templates from its facts (placeholders may
/// name bundle text, so filling comes before redaction); pick evidence excerpts and redact
/// them; lower confidence where the rule's `against` holds elsewhere; collect what to ask the
/// customer; rank with a total order (`FindingRanker`), which applies `supersedes`.
public enum FindingBuilder {
    /// The findings stage's result for one bundle.
    public struct Diagnosis: Sendable {
        public var findings: [Finding] = []
        public var notEvaluated: [NotEvaluated] = []
        /// What to ask the customer for (rules that could not decide, facts missing).
        public var askFor: [RedactedText] = []
        /// Per rule id: how it fared, for `explain`.
        public var trace: [String: RuleEngine.RuleTrace] = [:]
    }

    static let outsideTaxonomy = "outside-taxonomy"

    public static func build(_ out: RuleEngine.Output, bundle: TicketBundle, families: MessageFamilies = MessageFamilies(),
                             versionless: [AliasTables.Provider] = [], lang: Lang, redactor: Redactor) -> Diagnosis {
        var d = Diagnosis()
        d.notEvaluated = out.notEvaluated
        d.trace = out.trace
        let fromRules = out.hits.map { finding($0, bundle: bundle, lang: lang, redactor: redactor) }
        let fromFamilies = FamilyTriage.findings(existing: fromRules, bundle: bundle, families: families, versionless: versionless,
                                                    lang: lang, redactor: redactor)
        d.findings = FindingRanker.rank(fromRules + fromFamilies)
        d.findings += Differential.rivals(of: d.findings, families.rivals, bundle: bundle, lang: lang, redactor: redactor)
        // A note that a failure is outside the taxonomy (context length, rate limit …) names no
        // cause: it follows every cause candidate, so the first entries are the differential
        // (best first) whatever the note's score. Order within each part is kept.
        d.findings = d.findings.filter { $0.cause != outsideTaxonomy } + d.findings.filter { $0.cause == outsideTaxonomy }
        // A pointer to a base-URL shape mistake that every base URL shown answers is dropped,
        // and the wording prior does not propose it (`BaseShapeContradiction`).
        let contradicted = BaseShapeContradiction(bundle, versionless: versionless).contradicted
        if !contradicted.isEmpty {
            d.findings.removeAll { $0.severity < .medium && contradicted.contains($0.cause) }
        }
        // The wording prior fills what is left of the differential (never before the above).
        d.findings = WordingPrior.apply(d.findings, bundle: bundle, families: families, contradicted: contradicted,
                                        lang: lang, redactor: redactor)
        // An undecided rule matched no exchange: its placeholders have nothing to name.
        var ask: [String] = out.undecided.compactMap { $0.ask.map { Template.fill($0.text(lang), facts: Facts(), extra: [:], lang: lang) } }
        var seen = Set<String>()
        for e in bundle.exchanges { for m in e.missing where seen.insert(m.text(lang)).inserted { ask.append(m.text(lang)) } }
        d.askFor = ask.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.map { redactor.redact($0) }
        return d
    }

    static func finding(_ hit: RuleHit, bundle: TicketBundle, lang: Lang, redactor: Redactor) -> Finding {
        let rule = hit.rule
        func filled(_ t: LocalizedText) -> String {
            Template.fill(t.text(lang), facts: hit.facts, extra: ["subject": hit.subject, "occurrences": String(hit.occurrences)], lang: lang)
        }
        func fill(_ t: LocalizedText) -> RedactedText { redactor.redact(filled(t)) }
        var evidence: [Evidence] = []
        // The hit's calls read from its list in place (`RuleHit.exchanges` makes an array).
        let calls = hit.exchangeList
        for i in calls.prefix(4) {
            for line in Excerpt.pick(bundle.exchanges[i]) {
                evidence.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
            }
        }
        for s in hit.signalList.prefix(3) where !evidence.contains(where: { $0.source == s.line.ref.description }) {
            evidence.append(Evidence(source: s.line.ref.description, excerpt: redactor.redact(s.line.text, file: s.line.ref.file)))
        }
        var against: [Evidence] = []
        var confidence = rule.confidence
        for i in hit.againstExchanges.prefix(3) {
            for line in Excerpt.pick(bundle.exchanges[i]).prefix(1) {
                against.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
            }
        }
        if !hit.againstExchanges.isEmpty { confidence *= 0.6 }
        var missing: [String] = []
        for i in calls { for m in bundle.exchanges[i].missing.map({ $0.text(lang) }) where !missing.contains(m) { missing.append(m) } }
        if let a = rule.ask, hit.facts.isEmpty || !missing.isEmpty { missing.append(filled(a)) }
        // The calls read in place: a hit on every call of a dense log made an array of them all.
        let symptom = rule.symptom == "either" ? Symptoms.infer(calls.lazy.map { bundle.exchanges[$0] }) : rule.symptom
        // A hit's calls are nearly always in order already: then the array is made as listed.
        let exchanges = zip(calls, calls.dropFirst()).allSatisfy { $0 <= $1 } ? calls.array : calls.sorted()
        return Finding(rule: rule.id, cause: rule.cause, symptom: symptom, severity: rule.severity,
                       confidence: (confidence * 100).rounded() / 100, score: 0,
                       subject: hit.subject.isEmpty ? nil : hit.subject, title: fill(rule.title), message: fill(rule.message),
                       fix: fill(rule.fix), occurrences: hit.occurrences, evidence: evidence, evidenceAgainst: against,
                       missing: missing.map { redactor.redact($0) }, supersedes: rule.supersedes, exchanges: exchanges)
    }
}

extension RuleEngine {
    /// The services that answer at their root without a version segment.
    var versionlessProviders: [AliasTables.Provider] { aliases.providers.filter(\.versionless) }

    /// Evaluation and the findings stage in one call: what most callers want.
    /// - Parameter stats: told the time of the rule pass, of each rule and of the findings stage.
    public func diagnose(_ bundle: TicketBundle, userCatalog: [String] = [], lang: Lang = .en,
                         redactor: Redactor, stats: RunStats? = nil) -> FindingBuilder.Diagnosis {
        let out = run(bundle, userCatalog: userCatalog, stats: stats)
        guard let stats else { return FindingBuilder.build(out, bundle: bundle, families: families, versionless: versionlessProviders, lang: lang, redactor: redactor) }
        return stats.time(RunStats.StageName.findings) {
            FindingBuilder.build(out, bundle: bundle, families: families, versionless: versionlessProviders, lang: lang, redactor: redactor)
        }
    }
}
