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
        for i in out.indices {
            // The model named by the error message, when no request body was logged
            // (tracebacks, openai 3.x logs, gateway error lines).
            if out[i].model == nil, let message = out[i].error?.message ?? out[i].failure?.message,
               let m = model(in: message), !placeholder(m) {
                out[i].model = m
                out[i].hints.insert(.modelFromErrorMessage)
            }
            // A pasted error that names no model: the model the customer names in the same
            // paste is the one they were calling.
            if out[i].model == nil, out[i].sourceKinds == [.errorText], let file = out[i].sources.first?.file,
               let m = signals.first(where: { $0.name == .mentionedModel && $0.line.ref.file == file })?.value {
                out[i].model = m
                out[i].hints.insert(.modelFromTicketText)
            }
        }
        return out
    }

    /// `model=None` and friends name no model: the body was not read.
    static func placeholder(_ m: String) -> Bool {
        ["none", "null", "undefined", "nil", ""].contains(m.lowercased())
    }
}
