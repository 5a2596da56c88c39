/// Fills facts an exchange states only indirectly, after merging (so every source has had
/// its say first): the model named by the error message when no request body was logged
/// (tracebacks, openai 3.x logs, gateway error lines).
enum BundleEnricher {
    static func enrich(_ exchanges: [Exchange]) -> [Exchange] {
        let patterns = ErrorTextPatterns()
        return exchanges.map { e in
            var e = e
            if e.model == nil, let message = e.error?.message ?? e.failure?.message,
               let m = patterns.model(in: message), !["none", "null", "undefined", "nil"].contains(m.lowercased()) {
                e.model = m
                e.hints.insert("model-from-error-message")
            }
            return e
        }
    }
}
