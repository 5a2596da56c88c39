import DoctorModel
import DoctorRedact
import DoctorRules

/// Scores and orders findings.
///
/// Score = severity weight × confidence × a small bonus for repeated occurrences. A finding
/// whose cause another firing rule `supersedes` is capped just below it (a missing `/v1`
/// explains the 404 on every call). Ties break on rule id, then subject: a total order, so
/// the same bundle always ranks the same way.
public enum FindingRanker {
    static func weight(_ s: Severity) -> Double {
        switch s {
        case .info: return 1
        case .low: return 2
        case .medium: return 4
        case .high: return 7
        case .critical: return 9
        }
    }

    public static func rank(_ findings: [Finding]) -> [Finding] {
        var fs = findings
        for i in fs.indices {
            let repeatBonus = 1 + 0.05 * Double(min(fs[i].occurrences - 1, 4))
            let evidenceBonus = fs[i].evidence.isEmpty ? 0.9 : 1.0
            fs[i].score = ((weight(fs[i].severity) * fs[i].confidence * repeatBonus * evidenceBonus) * 100).rounded() / 100
        }
        // Supersession: repeat until stable (chains are short).
        for _ in 0..<3 {
            for i in fs.indices {
                for j in fs.indices where i != j && fs[i].supersedes.contains(fs[j].cause) && fs[j].cause != fs[i].cause {
                    if fs[j].score >= fs[i].score { fs[j].score = max(0, ((fs[i].score - 0.01) * 100).rounded() / 100) }
                }
            }
        }
        return fs.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.severity != b.severity { return a.severity > b.severity }
            if a.rule != b.rule { return a.rule < b.rule }
            return (a.subject ?? "") < (b.subject ?? "")
        }
    }
}
