import DoctorIngest
import DoctorModel
import Foundation

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
        let base = soleConfiguredBase(signals)
        for i in out.indices {
            edits.edit(&out[i]) { ex in
                // An SDK that logs no URL built it from the base URL the bundle configures.
                if let base, ex.url == nil, ex.pathOnly == nil,
                   ex.missing.contains(where: { $0 == .urlNotLogged || $0 == .urlNotLoggedV3 }),
                   let path = endpointPath(method: ex.method, hints: ex.hints) {
                    ex.url = base + path
                    ex.hints.insert(.urlFromConfiguredBase)
                    ex.missing = ex.missing.map { $0 == .urlNotLogged || $0 == .urlNotLoggedV3 ? .urlFromConfiguredBase : $0 }
                }
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
            // Not when the error names the model as empty (`Invalid model name passed in model=`,
            // `The requested model () is not available`): the call carried none.
            if out[i].model == nil, out[i].sourceKinds == [.errorText], let src = out[i].sources.first,
               !namesEmptyModel(out[i].error?.message ?? out[i].failure?.message ?? ""),
               let m = nearestMention(signals, file: src.file, line: src.line) {
                out[i].model = m
                out[i].hints.insert(.modelFromTicketText)
            }
        }
        return out
    }

    /// A failure the customer states in words (`model x not found, but the list shows it`)
    /// while a log or capture in the same bundle holds a failing call with its status: the
    /// call is the evidence, the sentence the customer's reading of it (a name or wording
    /// retold). Such prose calls are removed; returns how many per file, for the inventory.
    static func setAsideProse(_ exchanges: inout [Exchange]) -> [(String, Int)] {
        let machineFailure = exchanges.contains { e in
            !e.sourceKinds.contains(.errorText) && ((e.status ?? 0) >= 400 || e.failure != nil)
        }
        guard machineFailure else { return [] }
        var removed: [String: Int] = [:]
        exchanges.removeAll { e in
            guard e.sourceKinds == [.errorText], e.status == nil, e.url == nil, e.pathOnly == nil, e.failure == nil,
                  e.hints.isDisjoint(with: [.accessLine, .requestStatusLine, .loggedRequestRecord]) else { return false }
            for f in Set(e.sources.map(\.file)) { removed[f, default: 0] += 1 }
            return true
        }
        for i in exchanges.indices where exchanges[i].index != i { exchanges[i].index = i }
        return removed.sorted { $0.key < $1.key }
    }

    /// Calls a log or capture recorded that are no API call of the client: an app's telemetry
    /// beacon (`POST https://stats.host/collect`), a favicon, a health probe — paths without
    /// any API marker (`/v1`, `/models`, `/chat/completions`, `/api/` …, the HAR reader's list),
    /// without a model, in a bundle whose other calls do carry one. Their 404s are not the
    /// customer's problem (a healthy session with a telemetry 404 read as a wrong base URL).
    /// Only machine records: a path quoted in an error text (`Cannot POST /chat`) is evidence.
    /// Returns, per file, how many and which paths, for the inventory.
    static func setAsideNonAPICalls(_ exchanges: inout [Exchange]) -> [(String, Int, [String])] {
        func isAPI(_ p: String) -> Bool { HAR.apiPathMarkers.contains { ByteSearch.contains(p, $0) } }
        // Nearly every call of a large log names an API path as written: a byte search of the
        // raw URL decides those without parsing it (this runs once per call).
        func nonAPIPath(_ e: borrowing Exchange) -> String? {
            guard let raw = e.url ?? e.pathOnly, !isAPI(raw) else { return nil }
            guard let p = (e.urlParts?.path ?? e.pathOnly).map({ $0.lowercased() }), !isAPI(p) else { return nil }
            return p
        }
        let machine = { (e: borrowing Exchange) in !e.sourceKinds.contains(.errorText) }
        guard exchanges.contains(where: { e in machine(e) && (e.url ?? e.pathOnly) != nil && nonAPIPath(e) == nil }) else { return [] }
        var removed: [String: (Int, [String])] = [:]
        exchanges.removeAll { e in
            guard machine(e), e.model == nil, let p = nonAPIPath(e) else { return false }
            for f in Set(e.sources.map(\.file)) {
                var r = removed[f] ?? (0, [])
                r.0 += 1
                if r.1.count < 3, !r.1.contains(p) { r.1.append(p) }
                removed[f] = r
            }
            return true
        }
        guard !removed.isEmpty else { return [] }
        for i in exchanges.indices where exchanges[i].index != i { exchanges[i].index = i }
        return removed.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    /// The one base URL (with a scheme) the bundle's settings and logs configure, without a
    /// trailing slash; nil when there is none or more than one.
    static func soleConfiguredBase(_ signals: [Signal]) -> String? {
        var bases = Set<String>()
        for s in signals where s.name == .configuredBaseURL {
            guard var v = s.value, v.contains("://") else { continue }
            while v.hasSuffix("/") { v.removeLast() }
            // Azure's client builds `/openai/deployments/<name>/…` under the resource's root.
            if let h = URLParts(url: v).host?.lowercased(), ["openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com"].contains(where: { h.hasSuffix($0) }) { return nil }
            bases.insert(v)
            if bases.count > 1 { return nil }
        }
        return bases.first
    }

    /// The endpoint path of an SDK call whose URL was not logged: the method the traceback
    /// names (`models.list`, `embeddings.create`), else what the HTTP method almost always is
    /// for these SDKs (GET lists the models, POST asks for a chat completion).
    /// (The SDK call a traceback named may be an earlier call's: a parser carries the last one
    /// forward. It counts only when the HTTP method agrees: models are listed with GET, the
    /// others are POSTed.)
    static func endpointPath(method: String?, hints: Set<Hint>) -> String? {
        let verb = method?.uppercased()
        for h in hints {
            guard case .sdkCall(let c) = h else { continue }
            let call = c.lowercased()
            let path: String? = call.hasPrefix("models.") ? "/models"
                : call.hasPrefix("chat.completions") ? "/chat/completions"
                : call.hasPrefix("responses.") ? "/responses"
                : call.hasPrefix("embeddings.") ? "/embeddings"
                : call.hasPrefix("completions.") ? "/completions" : nil
            guard let path else { continue }
            if (path == "/models") == (verb == "GET") { return path }
        }
        switch verb {
        case "GET": return "/models"
        case "POST": return "/chat/completions"
        default: return nil
        }
    }

    /// An error that names the model as empty: LiteLLM's `passed in model=` with nothing after
    /// it, `model ()`, `model ""`, `model ''`.
    static func namesEmptyModel(_ message: String) -> Bool {
        guard ByteSearch.contains(message, "model") || ByteSearch.contains(message, "Model") else { return false }
        let range = NSRange(message.startIndex..., in: message)
        return emptyModel.firstMatch(in: message, range: range) != nil
    }
    static let emptyModel = try! NSRegularExpression(pattern: #"(?i)\bpassed in model=\s*(?:$|[\s"'.,;}\]])|\bmodel\s*(?:\(\s*\)|""|''|``)\s*(?:is|was|does|not|could)\b"#)

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
