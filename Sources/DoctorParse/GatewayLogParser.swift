import DoctorIngest
import DoctorModel
import Foundation

/// Reads the logs of the gateway in front of the model servers: LiteLLM proxy output
/// (`litellm`), One API / New API (`one-api`, `new-api`, plain Gin `gin`), nginx access
/// logs (`nginx`), uvicorn access lines alone (`uvicorn`) and generic JSON lines (`jsonl`).
///
/// Every access line becomes an exchange with method, path (`pathOnly`: access lines carry no
/// host) and status. What the gateway logged about the request before its access line (the
/// error, the model, the call id) is gathered in a pending context and attached to it; One
/// API / New API lines are paired by their request id instead. Line shapes are recognised
/// independently of the sniffed sub-format, so a mixed file (LiteLLM JSON logs plus uvicorn
/// access lines) still reads fully.
public struct GatewayLogParser: LogParser {
    public static let kind = InputKind.gatewayLog
    public static let readsWholeDocument = false

    let path: String
    var format: String
    var out = ParseOutput()
    /// The common fields of equal calls, held once (a gateway log repeats a few kinds of
    /// call: each kept its own copy of method, path, model, body, error and hints).
    var sharing = ExchangeSharing()
    var packing = LinePacking()
    /// Context of the request whose access line has not been seen yet (line order pairing).
    var pending = GatewayPending()
    /// Context by request id (One API / New API), waiting for the `[GIN]` line of that id.
    var pendingByID: [String: GatewayPending] = [:]
    /// The previous line opened a multi-line record (request body, traceback …).
    var inRecord = false
    /// The previous LiteLLM record announced a request body on the next line.
    var inModelList = false
    var expectRequestBody = false
    var sawClockOnlyTimes = false
    var sawZonelessGinTimes = false

    public init(path: String, sniff: Sniff) {
        self.path = path
        self.format = sniff.format ?? "gateway"
    }

    public static func sniff(_ input: SniffInput) -> Sniff? {
        var litellm = 0, uvicorn = 0, gin = 0, ginWithID = 0, levelLines = 0, nginx = 0, json = 0, nonBlank = 0
        var newAPI = 0, oneAPI = 0
        for raw in input.lines {
            let line = ByteSearch.contains(raw, "\u{1B}") ? GatewayLog.stripANSI(raw) : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            nonBlank += 1
            if GatewayLog.isLiteLLMRecord(line) || ByteSearch.contains(line, "LiteLLM: Proxy initialized")
                || ByteSearch.contains(line, "Thank you for using LiteLLM") || ByteSearch.contains(line, "LiteLLM Proxy:") {
                litellm += 1
            } else if ByteSearch.hasPrefix(line, "INFO:") || ByteSearch.hasPrefix(line, "WARNING:") || ByteSearch.hasPrefix(line, "ERROR:"),
                      GatewayLog.uvicornAccess(line) != nil {
                uvicorn += 1
            } else if ByteSearch.hasPrefix(line, "[GIN] ") {
                gin += 1
                if let g = GatewayLog.ginAccess(line), let id = g.requestID {
                    ginWithID += 1
                    if id.contains(where: \.isLetter) { newAPI += 1 } else { oneAPI += 1 }
                }
            } else if let rec = GatewayLog.ginRecord(line) {
                levelLines += 1
                if let id = rec.requestID { if id.contains(where: \.isLetter) { newAPI += 1 } else { oneAPI += 1 } }
            } else if GatewayLog.nginxAccess(line) != nil {
                nginx += 1
            } else if ByteSearch.hasPrefix(line, "{"), let obj = JSONBytes.parse(line)?.object {
                if GatewayLog.jsonAccess(obj) != nil { json += 1 }
                else if obj["level"] != nil, let m = obj["message"]?.string, m.contains("litellm") { litellm += 1 }
            }
            if ByteSearch.contains(line, "new_api_error") || ByteSearch.contains(line, "New API") { newAPI += 2 }
            if ByteSearch.contains(line, "one_api_error") || ByteSearch.contains(line, "One API") { oneAPI += 2 }
        }
        guard nonBlank > 0 else { return nil }
        if litellm > 0 { return Sniff(kind: .gatewayLog, format: "litellm", score: litellm >= 3 ? 85 : 78) }
        if ginWithID > 0 || (levelLines > 0 && (newAPI + oneAPI) > 0) {
            return Sniff(kind: .gatewayLog, format: newAPI > oneAPI ? "new-api" : "one-api", score: 85)
        }
        if gin > 0 || levelLines >= 2 { return Sniff(kind: .gatewayLog, format: levelLines > 0 ? "one-api" : "gin", score: 75) }
        if nginx > 0, nginx * 10 >= nonBlank * 3 { return Sniff(kind: .gatewayLog, format: "nginx", score: nginx >= 3 ? 80 : 72) }
        if uvicorn > 0 { return Sniff(kind: .gatewayLog, format: "uvicorn", score: 70) }
        if json > 0, json * 2 >= nonBlank { return Sniff(kind: .gatewayLog, format: "jsonl", score: 70) }
        return nil
    }

    public mutating func consume(_ line: Line) {
        out.lines += 1
        let text = line.contains("\u{1B}") ? GatewayLog.stripANSI(line.text) : line.text
        if ByteSearch.isBlank(text) { return }

        // LiteLLM prints its configured models at start-up ("Set models:" then one per
        // indented line): the gateway's own catalog, whatever the /models answer says.
        if inModelList {
            let name = text.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix(" "), !name.isEmpty, !name.contains(" ") {
                out.signals.append(Signal(name: .catalogModel, value: name, line: SourceLine(ref: SourceRef(file: path, line: line.number), text: text)))
                return
            }
            inModelList = false
        }
        if line.contains("Set models:") { inModelList = true; return }
        // A deployment LiteLLM dropped at start-up (no provider prefix, a bad key): the model
        // stays in the config and `Set models:`, and every call for it finds no deployment.
        if line.contains("Error creating deployment"), let m = Self.passedModel(text) {
            out.signals.append(Signal(name: .gatewayDeploymentError, value: m, line: SourceLine(ref: SourceRef(file: path, line: line.number), text: text)))
        }
        if expectRequestBody {
            expectRequestBody = false
            if text.first == "{" { readRequestBody(text); return }
        }
        if ByteSearch.hasPrefix(text, "[") {
            if ByteSearch.hasPrefix(text, "[GIN] "), let g = GatewayLog.ginAccess(text) {
                ginAccess(g, line: line, text: text); inRecord = false; return
            }
            if let rec = GatewayLog.ginRecord(text) { ginRecord(rec, line: line, text: text); return }
        }
        if ByteSearch.hasPrefix(text, "{"), let obj = JSONBytes.parse(text)?.object {
            jsonLine(obj, line: line, text: text)
            return
        }
        if ByteSearch.hasPrefix(text, "INFO:") || ByteSearch.hasPrefix(text, "WARNING:") || ByteSearch.hasPrefix(text, "ERROR:") {
            if let a = GatewayLog.uvicornAccess(text) {
                emit(method: a.method, target: a.target, status: a.status, statusText: a.reason, line: line, text: text)
                inRecord = false
                return
            }
            inRecord = false
            return  // uvicorn's own lifecycle lines (startup, shutdown)
        }
        if GatewayLog.isLiteLLMRecord(text) { liteLLMRecord(text, line: line); inRecord = true; return }
        if let n = GatewayLog.nginxAccess(text) {
            emit(method: n.method, target: n.target, status: n.status, statusText: nil, line: line, text: text,
                 time: n.time, userAgent: n.userAgent)
            inRecord = false
            return
        }
        if GatewayLog.isBannerOrNoise(text) { inRecord = true; return }
        if liteLLMContinuation(text, line: line) { return }
        if inRecord { return }  // continuation of a multi-line record
        out.skip(line)
    }

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        // Requests whose access line never came (log cut short, crash): keep what is known.
        if pending.error != nil { emit(method: nil, target: nil, status: nil, statusText: nil, line: nil, text: nil) }
        for (id, ctx) in pendingByID.sorted(by: { ($0.value.firstLine ?? 0) < ($1.value.firstLine ?? 0) }) where ctx.error != nil {
            pending = ctx
            pending.requestID = id
            emit(method: nil, target: nil, status: nil, statusText: nil, line: nil, text: nil)
        }
        if sawClockOnlyTimes { out.notes.append("LiteLLM log lines carry the time of day only (no date): exchange times unknown") }
        if sawZonelessGinTimes { out.notes.append("Gin access lines carry local time without a zone: exchange times not set") }
        out.format = format
        return out
    }
}

/// What the gateway logged about one request before its access line.
struct GatewayPending {
    var model: String?
    var stream: Bool?
    var requestBody: String?
    var error: APIError?
    /// How trustworthy `error` is: 3 the proxy's own exception record, 2 a known message,
    /// 1 the last line of a traceback.
    var errorRank = 0
    var requestID: String?
    var sdk: SDKInfo?
    var lines: [SourceLine] = []
    /// The line of a rank-1 error (a traceback's last line), shown only when nothing better came.
    var tracebackLine: SourceLine?
    var firstLine: Int?
    var hints: Set<Hint> = []

    mutating func note(_ line: Line, _ text: String) {
        if firstLine == nil { firstLine = line.number }
        if lines.count < 6 { lines.append(SourceLine(ref: SourceRef(file: "", line: line.number), text: text)) }
    }

    mutating func offer(_ e: APIError, rank: Int) {
        if rank > errorRank {
            // Keep a type learnt from a weaker line when the stronger one has none.
            var e = e
            if e.type == nil { e.type = error?.type }
            if e.code == nil { e.code = error?.code }
            error = e
            errorRank = rank
        } else if error != nil {
            if error?.type == nil { error?.type = e.type }
            if error?.code == nil { error?.code = e.code }
        }
    }
}

extension GatewayLogParser {
    /// The model of LiteLLM's `You passed model=x` (up to a space, a quote or an escaped newline).
    static func passedModel(_ text: String) -> String? {
        guard let r = text.range(of: "You passed model=") else { return nil }
        var m = Substring(text[r.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "," })
        if let esc = m.range(of: "\\") { m = m[..<esc.lowerBound] }
        while let l = m.last, l == "." || l == ")" { m.removeLast() }
        return m.isEmpty ? nil : String(m)
    }
}
