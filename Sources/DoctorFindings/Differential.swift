import DoctorModel
import DoctorRedact
import DoctorRules

/// The differential beside a diagnosis that stands alone.
///
/// When the findings name fewer than three causes, the leading cause's rivals
/// (`rivals:` in `rules/causes.yaml`: the causes most often mistaken for it) follow it as `low`
/// pointers, each saying what would tell the two apart — the one fact to ask the customer for.
/// They never outrank a finding (they come after every ranked one, score below the lowest)
/// and never reach `medium`, so a quiet bundle stays quiet. A rival the facts already rule out
/// is not offered: when the lead's calls carry their full URL, the URL-shape causes were
/// decided by it.
enum Differential {
    static let urlShapeCauses: Set<String> = ["base-url-missing-version", "base-url-duplicated-version",
                                              "base-url-malformed", "base-url-includes-endpoint"]

    static func rivals(of ranked: [Finding], _ table: [String: [MessageFamilies.Rival]], bundle: TicketBundle,
                       lang: Lang, redactor: Redactor) -> [Finding] {
        let diagnostic = { (f: Finding) in f.cause != "outside-taxonomy" && f.cause != "unexplained-failure" }
        guard let lead = ranked.first(where: diagnostic), lead.severity >= .low,
              let rivals = table[lead.cause] else { return [] }
        var named = Set(ranked.filter(diagnostic).map(\.cause))
        var room = 3 - named.count
        guard room > 0 else { return [] }
        var floor = ranked.map(\.score).min() ?? lead.score
        var out: [Finding] = []
        let urlKnown = lead.exchanges.contains { $0 < bundle.exchanges.count && bundle.exchanges[$0].url != nil }
        for r in rivals where room > 0 && !(urlKnown && urlShapeCauses.contains(r.cause)) && named.insert(r.cause).inserted {
            room -= 1
            floor = max(0, ((floor - 0.01) * 100).rounded() / 100)
            let tell = r.tell.text(lang)
            let title = lang == .zh ? "也可能是：\(r.cause)（与 \(lead.cause) 的区别在于：\(tell)）"
                : "Also possible: \(r.cause) (tells it apart from \(lead.cause): \(tell))"
            let message = lang == .zh
                ? "同样的现象也常由 \(r.cause) 引起。要区分两者，请确认：\(tell)。"
                : "The same observations are often caused by \(r.cause). To tell the two apart, check \(tell)."
            var f = Finding(rule: "rival/\(lead.cause)", cause: r.cause, symptom: lead.symptom, severity: .low,
                            confidence: (lead.confidence * 0.3 * 100).rounded() / 100, subject: lead.subject,
                            title: redactor.redact(title), message: redactor.redact(message),
                            fix: redactor.redact((lang == .zh ? "请客户提供：" : "Ask the customer for: ") + tell),
                            evidence: Array(lead.evidence.prefix(1)), exchanges: lead.exchanges)
            f.score = floor
            out.append(f)
        }
        return out
    }
}
