import DoctorModel
import DoctorRedact
import DoctorRules
import Foundation

/// The wording prior's place in the ranking (`WordingModel`, `rules/wording-model.tsv`).
///
/// The rules and the families decide what they can from facts; the prior knows only which
/// cause real tickets worded like this one had. So it never outranks a diagnosis (a finding of
/// `medium` or above): it orders the pointers below them (family candidates, the differential's
/// rivals and its own proposals, by confidence plus `blend` × posterior), and it proposes
/// causes where the findings name none — beside an unexplained failure, or for a ticket that
/// gave the rules nothing at all (no call that worked either) when its wording does not read
/// like the tickets that had no problem of ours (`none`). A cause below 5% is not proposed,
/// nor one that would fall after the third cause. Its findings are
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

    static func apply(_ findings: [Finding], bundle: TicketBundle, families: MessageFamilies, contradicted: Set<String> = [],
                      lang: Lang, redactor: Redactor) -> [Finding] {
        guard let model = families.wording, !bundle.pastedLines.isEmpty else { return findings }
        let causes = findings.filter { !pseudo.contains($0.cause) }
        if causes.isEmpty, findings.contains(where: { $0.cause == "outside-taxonomy" }) { return findings }
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
        // The diagnoses (medium and above) and every finding of their causes keep their order
        // and come first: the words never move a cause the facts established.
        let diagnosed = Set(causes.filter { $0.severity >= .medium }.map(\.cause))
        let lead = causes.filter { diagnosed.contains($0.cause) }
        // Below them, the pointers (message-family candidates, the differential's rivals, the
        // wording's own proposals) are ordered by their confidence plus `blend` × the posterior of
        // their cause: a family's static weights say what a wording usually means, the posterior
        // what tickets worded like this one had (leave-one-batch-out over the labelled tickets:
        // README "Diagnosis").
        let probability = Dictionary(posteriors.map { ($0.cause, $0.probability) }, uniquingKeysWith: max)
        // The model learnt from pasted tickets. A bundle with a machine capture (an SDK log, a
        // HAR, a gateway log that gave calls) is ordered by its facts: the words only fill.
        // (Measured on the captured bundles: the blend cost them 3 top-1 and 1 top-3 of 253.)
        let captured = bundle.inventory.contains { $0.kind != .errorText && $0.kind != .unknown && $0.exchanges > 0 }
        let blend = captured ? 0 : model.blend
        var order: [String] = []
        var base: [String: Double] = [:]
        for f in causes where !diagnosed.contains(f.cause) {
            if base[f.cause] == nil { order.append(f.cause) }
            base[f.cause] = max(base[f.cause] ?? 0, f.confidence)
        }
        // Where every finding is about the model list, a cause of the chat's model name does not
        // explain it (6 of the 222 collected list tickets had one); with no finding, the
        // wording's own best reading says which symptom the ticket is about.
        let symptom = { (c: String) in families.taxonomy[c]?.symptom }
        let firstProposal = posteriors.first { $0.cause != "none" && families.taxonomy[$0.cause] != nil }?.cause
        let listOnly = causes.isEmpty ? firstProposal.flatMap(symptom) == "model-list-empty"
            : causes.allSatisfy { $0.symptom == "model-list-empty" }
        var proposed: [String: WordingModel.Posterior] = [:]
        for p in posteriors where p.cause != "none" && p.probability >= minProbability && families.taxonomy[p.cause] != nil
            && !diagnosed.contains(p.cause) && base[p.cause] == nil && !contradicted.contains(p.cause)
            && !(listOnly && symptom(p.cause) == "model-not-found" && !(causes.isEmpty && p.cause == firstProposal)) {
            order.append(p.cause)
            base[p.cause] = 0
            proposed[p.cause] = p
        }
        let key = { (c: String) in (base[c] ?? 0) + blend * (probability[c] ?? 0) }
        let ranked = order.enumerated().sorted { a, b in
            let ka = key(a.element), kb = key(b.element)
            return ka != kb ? ka > kb : a.offset < b.offset
        }.map(\.element)
        // A proposal of the words alone is shown only within the first three causes.
        var named = diagnosed.count
        var out = lead
        for c in ranked {
            if let p = proposed[c] {
                guard named < 3 else { continue }
                out.append(finding(p, model: model, bundle: bundle, families: families, lang: lang, redactor: redactor))
            } else {
                out += causes.filter { $0.cause == c }
            }
            named += 1
        }
        out += findings.filter { pseudo.contains($0.cause) }
        // Scores follow the order: everything after the diagnoses ranks below the last of them,
        // in the order given here.
        var floor = lead.last.map(\.score) ?? Double.infinity
        for i in out.indices.dropFirst(lead.count) {
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
