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
        case .signal(let name, let t, _): return pad + "signal `\(name)`" + (t.map { " whose value \(describe($0))" } ?? "") + "\n"
        case .test(let t): return pad + "\(t.field) \(describe(t))\n"
        }
    }

    static func describe(_ t: FieldTest) -> String {
        let ci = t.ignoreCase ? " (ignoring case)" : ""
        switch t.op {
        case .exists: return t.boolValue ? "is known" : "is absent"
        case .empty: return t.boolValue ? "is empty" : "is not empty"
        case .in, .containsAny: return "\(t.op.rawValue.replacingOccurrences(of: "_", with: " ")) [\(t.values.joined(separator: ", "))]\(ci)"
        default: return "\(t.op.rawValue.replacingOccurrences(of: "_", with: " ")) \(t.values.first ?? "")\(ci)"
        }
    }

    public static func trace(_ rules: [Rule], loaded: RuleLoader.Result, bundle: TicketBundle, redactor: Redactor) -> String {
        let engine = RuleEngine(rules: rules, definitions: loaded.definitions, aliases: loaded.aliases)
        let out = engine.run(bundle)
        var s = "On this bundle (\(bundle.exchanges.count) exchanges):\n"
        for r in rules {
            let t = out.trace[r.id] ?? RuleEngine.RuleTrace()
            s += "  \(r.id): "
            if !t.matched.isEmpty { s += "MATCHED on " + t.matched.map { "#\($0)" }.joined(separator: ", ") + "\n" }
            else if let ne = out.notEvaluated.first(where: { $0.rule == r.id }) { s += "NOT EVALUATED: \(ne.reason)\n" }
            else { s += "did not match\n" }
            for i in t.matched.prefix(5) { s += "    matched  #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            for i in t.failed.prefix(5) { s += "    no match #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            for i in t.unknown.prefix(5) { s += "    unknown  #\(i) " + redactor.redact(bundle.exchanges[i].summary).value + "\n" }
            if !t.unknownFields.isEmpty { s += "    fields the bundle does not give: \(t.unknownFields.sorted().joined(separator: ", "))\n" }
        }
        return s
    }
}
