import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

/// Human-readable explanations for `modeldoctor explain`: what a rule checks, and, with a
/// bundle, which exchanges matched, which did not, and which could not be told.
public enum RuleExplainer {
    public static func describe(_ rules: [Rule], lang: Lang) -> String {
        var out = ""
        for r in rules {
            out += "rule \(r.id) (pack \(r.pack), \(r.position))\n"
            out += "  cause: \(r.cause)   symptom: \(r.symptom)   severity: \(r.severity.rawValue)   confidence: \(r.confidence)   scope: \(r.scope.rawValue)\n"
            out += "  title: \(r.title.text(lang))\n"
            out += "  fix:   \(r.fix.text(lang))\n"
            out += "  checks:\n" + text(r.when, indent: 4)
            if let a = r.against { out += "  evidence against:\n" + text(a, indent: 4) }
            if !r.supersedes.isEmpty { out += "  explains (supersedes): \(r.supersedes.joined(separator: ", "))\n" }
            out += "  examples: \(r.examplesFire.count) must fire, \(r.examplesQuiet.count) must stay quiet\n\n"
        }
        return out
    }

    /// The condition tree, one node per line.
    public static func text(_ c: Condition, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch c {
        case .all(let cs): return pad + "all of:\n" + cs.map { text($0, indent: indent + 2) }.joined()
        case .any(let cs): return pad + "any of:\n" + cs.map { text($0, indent: indent + 2) }.joined()
        case .not(let x): return pad + "not:\n" + text(x, indent: indent + 2)
        case .exists(let x): return pad + "some exchange in the bundle has:\n" + text(x, indent: indent + 2)
        case .none(let x): return pad + "no exchange in the bundle has:\n" + text(x, indent: indent + 2)
        case .count(let x, let cmp, let n): return pad + "number of exchanges \(cmp.rawValue) \(Int(n)) with:\n" + text(x, indent: indent + 2)
        case .ref(let name, _): return pad + "definition `\(name)`\n"
        case .signal(let name, let t, _): return pad + "signal `\(name)`" + (t.map { " whose value \($0.explained)" } ?? "") + "\n"
        case .test(let t): return pad + "\(t.field) \(t.explained)\n"
        }
    }

    public static func trace(_ rules: [Rule], loaded: RuleLoader.Result, bundle: TicketBundle, redactor: Redactor) -> String {
        let engine = RuleEngine(rules: rules, definitions: loaded.definitions, aliases: loaded.aliases, families: loaded.families)
        let out = engine.run(bundle)
        var s = "On this bundle (\(bundle.exchanges.count) exchanges):\n"
        for r in rules {
            let t = out.trace[r.id] ?? RuleEngine.RuleTrace()
            s += "  \(r.id): "
            if !t.matched.isEmpty { s += "MATCHED on " + t.matched.map { "#\($0)" }.joined(separator: ", ") + "\n" }
            // A bundle rule on the ticket's words alone hits with no exchange as witness.
            else if out.hits.contains(where: { $0.rule.id == r.id }) { s += "MATCHED (on the bundle as a whole)\n" }
            else if let ne = out.notEvaluated.first(where: { $0.rule == r.id }) { s += "NOT EVALUATED: \(ne.reason)\n" }
            else { s += "did not match\n" }
            for i in t.matched.prefix(5) { s += "    matched  #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            for i in t.failed.prefix(5) { s += "    no match #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            for i in t.unknown.prefix(5) { s += "    unknown  #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            if !t.unknownFields.isEmpty { s += "    fields the bundle does not give: \(t.unknownFields.sorted().joined(separator: ", "))\n" }
            // Per exchange, each condition with its outcome: which one failed or was unknown.
            let shown: [Int?] = r.scope == .bundle ? [nil]
                : Array((Array(t.matched.prefix(perRule)) + Array(t.failed.prefix(perRule)) + Array(t.unknown.prefix(perRule))).prefix(perRule))
            for i in shown {
                let head = i.map { "#\($0) " + redactor.redact(bundle.exchanges[$0].summary).value } ?? "the bundle as a whole"
                s += "    on \(head):\n"
                for line in engine.explain(r, on: bundle, exchange: i) {
                    s += "      " + outcomeLine(line, redactor: redactor) + "\n"
                }
            }
        }
        return s
    }

    /// How many exchanges' condition trees `explain` prints per rule.
    static let perRule = 3

    /// `no       all of` / `yes        status in [404]   = 404` / `unknown    request.model is known   (not in the bundle)`.
    static func outcomeLine(_ o: ConditionOutcome, redactor: Redactor) -> String {
        let mark = o.truth.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        var line = mark + String(repeating: "  ", count: o.depth) + o.label
        if o.missing { line += "   (not in the bundle)" }
        else if let v = o.value { line += "   = " + redactor.redact(v).value }
        return line
    }
}
