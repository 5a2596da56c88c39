import DoctorModel
import Foundation

/// The placeholder syntax of rule texts (title, message, fix, ask), shared by the findings
/// stage that fills them and by lint that checks them.
///
/// `{name}` is a placeholder; `{{` and `}}` are a literal `{` and `}` (for JSON shapes such as
/// `{{"data": […]}}`). For packs written before the escape existed, a brace pair whose inside is
/// empty or holds a space (`{"data": [...]}`) and a `{` without a closing `}` stay literal.
public enum TemplateText {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(String)
    }

    public static func parts(_ text: String) -> [Part] {
        var out: [Part] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if (c == "{" || c == "}"), next < text.endIndex, text[next] == c {
                literal.append(c)
                i = text.index(after: next)
                continue
            }
            if c == "{", let close = text[next...].firstIndex(of: "}") {
                let key = String(text[next..<close])
                if key.isEmpty || key.contains(" ") {
                    literal += "{" + key + "}"
                } else {
                    if !literal.isEmpty { out.append(.literal(literal)); literal = "" }
                    out.append(.placeholder(key))
                }
                i = text.index(after: close)
                continue
            }
            literal.append(c)
            i = next
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    /// The placeholder names of a text, in order.
    /// The field names the placeholders use; `{a|b}` (the first of `a`, `b` the bundle gives)
    /// names both.
    public static func placeholders(_ text: String) -> [String] {
        parts(text).flatMap { part -> [String] in
            guard case .placeholder(let k) = part else { return [] }
            return k.split(separator: "|").map(String.init)
        }
    }

    /// Names a template may use besides the fact fields.
    public static let extraNames: Set<String> = ["subject", "occurrences"]
}
