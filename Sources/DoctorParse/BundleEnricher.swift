import DoctorIngest
import DoctorModel

/// Fills facts an exchange states only indirectly, after merging (so every source has had
/// its say first).
enum BundleEnricher {
    static func enrich(_ exchanges: [Exchange], signals: [Signal] = []) -> [Exchange] {
        let patterns = ErrorTextPatterns.shared
        return exchanges.map { original in
            var e = original
            // The model named by the error message, when no request body was logged
            // (tracebacks, openai 3.x logs, gateway error lines).
            if e.model == nil, let message = e.error?.message ?? e.failure?.message,
               let m = patterns.model(in: message), !placeholder(m) {
                e.model = m
                e.hints.insert(.modelFromErrorMessage)
            }
            // A pasted error that names no model: the model the customer names in the same
            // paste is the one they were calling.
            if e.model == nil, e.sourceKinds == [.errorText], let file = e.sources.first?.file,
               let m = signals.first(where: { $0.name == .mentionedModel && $0.line.ref.file == file })?.value {
                e.model = m
                e.hints.insert(.modelFromTicketText)
            }
            return e
        }
    }

    /// `model=None` and friends name no model: the body was not read.
    static func placeholder(_ m: String) -> Bool {
        ["none", "null", "undefined", "nil", ""].contains(m.lowercased())
    }
}
