import DoctorModel
import DoctorRedact
import DoctorRules
import Foundation

/// Which symptom a set of exchanges shows: a failing `/models` call → empty list; a failing
/// call that names a model → model not found.
enum Symptoms {
    static func infer<S: Sequence<Exchange>>(_ xs: S) -> String {
        if xs.contains(where: { $0.endpoint == .models }) { return "model-list-empty" }
        if xs.contains(where: { $0.model != nil || $0.endpoint == .chat || $0.endpoint == .responses }) { return "model-not-found" }
        return "model-list-empty"
    }
}

/// Fills `{field}` placeholders from facts; `{{` and `}}` are literal braces (`TemplateText`).
/// `{a|b}` takes the first of `a`, `b` the bundle gives. An empty fact reads "(none)", a fact the
/// bundle does not give "(unknown)", in `lang`: the
/// rest of the text is the rule pack's, already in that language.
enum Template {
    static func fill(_ text: String, facts: Facts, extra: [String: String], lang: Lang = .en) -> String {
        var out = ""
        for part in TemplateText.parts(text) {
            switch part {
            case .literal(let s): out += s
            case .placeholder(let keys):
                // `{a|b}`: the first of the fields the bundle gives.
                let value = keys.split(separator: "|").lazy.compactMap { k in extra[String(k)] ?? facts[String(k)]?.description }.first
                if let v = value { out += v.isEmpty ? (lang == .zh ? "（无）" : "(none)") : String(v.prefix(200)) }
                else { out += lang == .zh ? "（未知）" : "(unknown)" }
            }
        }
        return out
    }
}

/// Picks the evidence lines of an exchange: the line that shows the request and the one
/// that shows the error, at most three.
enum Excerpt {
    static func pick(_ e: Exchange) -> [SourceLine] {
        let lines = e.lines  // once: packed lines are made into an array on each read
        guard !lines.isEmpty else {
            return e.sources.prefix(1).map { SourceLine(ref: $0, text: e.summary) }
        }
        var out: [SourceLine] = [lines[0]]
        let errorish = lines.dropFirst().last { l in
            ["rror", "404", "401", "403", "429", "500", "502", "503", "not found", "不存在", "-> "].contains { l.text.contains($0) }
        }
        if let x = errorish, x != out[0] { out.append(x) }
        if out.count == 1, lines.count > 1 { out.append(lines[lines.count - 1]) }
        return out
    }
}

