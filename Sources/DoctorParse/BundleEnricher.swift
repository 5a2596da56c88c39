import DoctorIngest
import DoctorModel

/// Fills facts an exchange states only indirectly, after merging (so every source has had
/// its say first).
enum BundleEnricher {
    /// Takes the list over and fills it in place (no second copy of a large bundle's calls).
    static func enrich(_ exchanges: consuming [Exchange], signals: [Signal] = []) -> [Exchange] {
        let patterns = ErrorTextPatterns.shared
        var out = exchanges
        // A dense log repeats a few error messages thousands of times: each distinct message
        // goes through the patterns once (bounded, so unique messages cost no more than before).
        var modelOf: [ByteKey: String?] = [:]
        func model(in message: String) -> String? {
            let key = ByteKey(message)
            if let m = modelOf[key] { return m }
            let m = patterns.model(in: message)
            if modelOf.count < 4096 { modelOf[key] = m }
            return m
        }
        // The first two reads use common fields only: once per distinct set where a parser
        // shared them among its calls.
        var edits = ExchangeCommonEdits()
        for i in out.indices {
            edits.edit(&out[i]) { ex in
                // Gemini's native API names the model in the path (`/v1beta/models/gemini-1.5-pro:generateContent`):
                // that is the model the call sent.
                if ex.model == nil, let url = ex.url ?? ex.pathOnly, let m = modelInPath(url) {
                    ex.model = m
                    ex.missing.removeAll { $0 == .modelNotInPaste }
                }
                // The model named by the error message, when no request body was logged
                // (tracebacks, openai 3.x logs, gateway error lines).
                if ex.model == nil, let message = ex.error?.message ?? ex.failure?.message,
                   let m = model(in: message), !placeholder(m) {
                    ex.model = m
                    ex.hints.insert(.modelFromErrorMessage)
                }
            }
            // A pasted error that names no model: the model the customer names in the same
            // paste is the one they were calling, the mention nearest above the error first
            // (a log pasted whole names providers and other models further up).
            if out[i].model == nil, out[i].sourceKinds == [.errorText], let src = out[i].sources.first,
               let m = nearestMention(signals, file: src.file, line: src.line) {
                out[i].model = m
                out[i].hints.insert(.modelFromTicketText)
            }
        }
        return out
    }

    /// The model mentioned on the nearest line at or above `line` of `file`, else the first
    /// mentioned below it.
    static func nearestMention(_ signals: [Signal], file: String, line: Int) -> String? {
        let mentions = signals.filter { $0.name == .mentionedModel && $0.line.ref.file == file && $0.value != nil }
        if let above = mentions.filter({ $0.line.ref.line <= line }).max(by: { $0.line.ref.line < $1.line.ref.line }) { return above.value }
        return mentions.first?.value
    }

    /// The model of a `/models/{id}:{method}` path (Gemini's native API), nil for any other.
    static func modelInPath(_ url: String) -> String? {
        // Bytes first: every call's URL comes here, and few hold the segment.
        guard ByteSearch.contains(url, "/models/"), let r = url.range(of: "/models/") else { return nil }
        let rest = url[r.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let id = rest[..<colon], method = rest[rest.index(after: colon)...].prefix { $0.isLetter }
        guard !id.isEmpty, !id.contains("/"), !id.contains("?"),
              ["generateContent", "streamGenerateContent", "countTokens", "embedContent", "batchEmbedContents", "predict"].contains(String(method))
        else { return nil }
        return String(id)
    }

    /// `model=None` and friends name no model: the body was not read.
    static func placeholder(_ m: String) -> Bool {
        ["none", "null", "undefined", "nil", ""].contains(m.lowercased())
    }
}
