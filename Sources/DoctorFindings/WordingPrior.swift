import DoctorModel
import DoctorRedact
import DoctorRules
import Foundation

/// The wording prior's place in the ranking (`WordingModel`, `rules/wording-model.tsv`).
///
/// The rules and the families decide what they can from facts; the prior knows only which
/// cause real tickets worded like this one had. So it never outranks them: it fills the
/// differential where the findings name fewer than three causes (taking the place of the
/// static rivals, which it comes before), and it proposes causes where the findings name none
/// — beside an unexplained failure, or for a ticket that gave the rules nothing at all (no call
/// that worked either) when its wording does not read like the tickets that had no problem of
/// ours (`none`). A cause below 5% is not proposed. Its findings are
/// `low` (a pointer, never a diagnosis), carry their probability and the words that weighed
/// most, and say what would confirm them. A failure named as outside the taxonomy (a context
/// length, a rate limit) with no cause beside it gets none: that is its answer.
enum WordingPrior {
    /// Above this probability of `none`, a ticket with no finding stays without one.
    static let quietAbove = 0.5
    /// A cause less likely than this is not proposed (the differential's rivals stay).
    static let minProbability = 0.05
    /// The pasted text read (a larger paste is a log, and its head is the ticket).
    static let maxText = 256 * 1024
    static let pseudo: Set<String> = ["unexplained-failure", "outside-taxonomy"]

    static func apply(_ findings: [Finding], bundle: TicketBundle, families: MessageFamilies,
                      lang: Lang, redactor: Redactor) -> [Finding] {
        guard let model = families.wording, !bundle.pastedLines.isEmpty else { return findings }
        let causes = findings.filter { !pseudo.contains($0.cause) }
        if causes.isEmpty, findings.contains(where: { $0.cause == "outside-taxonomy" }) { return findings }
        let isRival = { (f: Finding) in f.rule.hasPrefix("rival/") }
        let kept = causes.filter { !isRival($0) }
        var named: [String] = []
        for f in kept where !named.contains(f.cause) { named.append(f.cause) }
        let room = 3 - named.count
        guard room > 0 else { return findings }
        var text = ""
        for l in bundle.pastedLines {
            guard text.utf8.count < maxText else { break }
            text += l.text
            text += "\n"
        }
        let posteriors = model.posteriors(text)
        if findings.isEmpty {
            // Nothing found and nothing failed: calls that worked are the answer, not the words.
            let failed = bundle.exchanges.contains { ($0.status ?? 0) >= 400 || $0.error != nil || $0.failure != nil }
            if !bundle.exchanges.isEmpty && !failed { return findings }
            if (posteriors.first { $0.cause == "none" }?.probability ?? 0) > quietAbove { return findings }
        }
        // Where every finding is about the model list, a cause of the chat's model name does not
        // explain it (6 of the 222 collected list tickets had one).
        // With no finding, the wording's own best reading says which symptom the ticket is about.
        let candidates = posteriors.filter {
            $0.cause != "none" && $0.probability >= minProbability && !named.contains($0.cause) && families.taxonomy[$0.cause] != nil
        }
        let listOnly = kept.isEmpty ? candidates.first.flatMap { families.taxonomy[$0.cause]?.symptom } == "model-list-empty"
            : kept.allSatisfy { $0.symptom == "model-list-empty" }
        let picks = candidates.enumerated().filter { i, p in
            (kept.isEmpty && i == 0) || !(listOnly && families.taxonomy[p.cause]?.symptom == "model-not-found")
        }.map(\.element).prefix(room)
        guard !picks.isEmpty else { return findings }
        // A cause the differential already offers as a rival keeps that finding (it says what
        // tells it from the lead), moved up to the wording's place.
        let rivals = causes.filter(isRival)
        let added = picks.map { p in
            rivals.first { $0.cause == p.cause } ?? finding(p, model: model, bundle: bundle, families: families, lang: lang, redactor: redactor)
        }
        let proposed = Set(added.map(\.cause))
        var out = kept + added + rivals.filter { !proposed.contains($0.cause) } + findings.filter { pseudo.contains($0.cause) }
        // Scores follow the order: everything after the rules' and families' findings ranks
        // below the last of them, in the order given here.
        var floor = kept.last.map(\.score) ?? Double.infinity
        for i in out.indices.dropFirst(kept.count) {
            let s = min(out[i].score, floor == .infinity ? out[i].score : floor - 0.01)
            out[i].score = max(0, (s * 100).rounded() / 100)
            floor = out[i].score
        }
        return out
    }

    static func finding(_ p: WordingModel.Posterior, model: WordingModel, bundle: TicketBundle, families: MessageFamilies,
                        lang: Lang, redactor: Redactor) -> Finding {
        let def = families.taxonomy[p.cause]
        let title = def?.title.text(lang) ?? p.cause
        let words = p.words.map { w in w.hasPrefix("path:") ? String(w.dropFirst(5)) : (w.hasPrefix("status:") ? String(w.dropFirst(7)) : w) }
        let percent = Int((p.probability * 100).rounded())
        let wordList = words.map { "“\($0)”" }.joined(separator: lang == .zh ? "、" : ", ")
        let message: String
        let fix: String
        if lang == .zh {
            message = "仅依据措辞，而非本包中的事实：在训练措辞模型所用的已标注真实工单中，措辞与本工单相近的工单常见此原因（概率 \(percent)%"
                + (words.isEmpty ? "" : "；起作用的词：\(wordList)") + "）。" + (def.map { $0.description.text(lang) } ?? "")
            fix = "请向客户确认是否属于这种情况：" + (def.map { $0.description.text(lang) } ?? p.cause)
        } else {
            message = "From the wording alone, not from facts of this bundle: among the labelled real tickets the wording model was trained on, tickets worded like this one often had this cause (probability \(percent)%"
                + (words.isEmpty ? "" : "; words that weighed for it: \(wordList)") + "). " + (def.map { $0.description.text(lang) } ?? "")
            fix = "Confirm with the customer whether this is the case: " + (def.map { $0.description.text(lang) } ?? p.cause)
        }
        // Evidence: the pasted lines holding the words that weighed most.
        var evidence: [Evidence] = []
        for w in words where evidence.count < 2 {
            guard let line = bundle.pastedLines.first(where: { $0.text.lowercased().contains(w) }),
                  !evidence.contains(where: { $0.source == line.ref.description }) else { continue }
            evidence.append(Evidence(source: line.ref.description, excerpt: redactor.redact(line.text, file: line.ref.file)))
        }
        let confidence = max(0.01, min(0.5, (p.probability * 100).rounded() / 100))
        return Finding(rule: "wording/\(p.cause)", cause: p.cause, symptom: def?.symptom ?? "either", severity: .low,
                       confidence: confidence, score: (FindingRanker.weight(.low) * confidence * 100).rounded() / 100,
                       title: redactor.redact(lang == .zh ? "可能：\(title)（依据工单措辞）" : "Possible: \(title) (by the ticket's wording)"),
                       message: redactor.redact(message), fix: redactor.redact(fix), evidence: evidence)
    }
}
