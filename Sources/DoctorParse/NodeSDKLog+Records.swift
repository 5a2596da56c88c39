import DoctorIngest
import DoctorModel
import Foundation

/// Applying SDK records (v5+ `[log_…]`, v4 `OpenAI:DEBUG:`, streamed `response …`) to exchanges.
extension NodeSDKLogParser {
    mutating func apply(_ b: Block) {
        switch b.kind {
        case .record(let tag): applyRecord(tag, b)
        case .v4: applyV4(b)
        case .streamResponse: applyStream(b)
        case .appError: applyAppError(b)
        case .appValue: applyAppValue(b)
        }
    }

    /// Splits `message { … }` into the message and the dump (from the first `{` outside quotes).
    static func splitMessage(_ rest: String, following: ArraySlice<Line>) -> (String, String?) {
        var quote: Character?
        var idx: String.Index?
        for i in rest.indices {
            let c = rest[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c; continue }
            if c == "{" { idx = i; break }
        }
        guard let idx else { return (rest.trimmingCharacters(in: .whitespaces), nil) }
        let message = rest[..<idx].trimmingCharacters(in: .whitespaces)
        let obj = ([String(rest[idx...])] + following.map(\.text)).joined(separator: "\n")
        return (message, obj)
    }

    mutating func applyRecord(_ tag: LogTag, _ b: Block) {
        let (message, objText) = Self.splitMessage(tag.rest, following: b.lines.dropFirst())
        applyRecord(tag, message: message, details: objText.flatMap(NodeInspect.parse), lines: b.lines)
    }

    /// One SDK record, however it was printed: its message (`sending request`, `… with status
    /// 404 in 12ms - …`, `response start` …), the details object the SDK passed along (nil when
    /// the sink dropped it) and the lines it came from (the evidence).
    mutating func applyRecord(_ tag: LogTag, message: String, details obj: JSONValue?, lines: [Line]) {
        let retryOf = obj?["retryOf"]?.string ?? obj?["retryOfRequestLogID"]?.string ?? tag.retryOf

        let isNewAttempt = message == "sending request"
        let i = callIndex(tag.id, retryOf: retryOf, newAttempt: isNewAttempt)
        calls[i].lines += lines.prefix(400).map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
        if let rid = tag.requestID { calls[i].requestID = rid }

        if isNewAttempt {
            applyRequest(obj, to: i)
        } else if message.contains(" with status ") {
            applySummary(message, to: i)
        } else if message.hasPrefix("connection failed") || message.hasPrefix("connection timed out") {
            let kind: Failure.Kind = message.hasPrefix("connection timed out") ? .timeout : .connectionError
            let detail = obj?["message"]?.string
            let text = detail.map { "connection \(kind == .timeout ? "timed out" : "failed"): \($0)" } ?? message
            if calls[i].failure == nil || detail != nil { calls[i].failure = Failure(kind, text) }
            if message.contains("retrying") { retrying.insert(i) } else { retrying.remove(i) }
            if let ms = obj?["durationMs"]?.string.flatMap(Double.init) { calls[i].durationMs = ms }
        } else if message.hasPrefix("response") {
            applyResponseDetails(obj, message: message, to: i)
        } else {
            out.skip(lines[0])
        }
    }

    /// The call a log id belongs to; a new attempt with `retryOf` joins its first attempt.
    mutating func callIndex(_ id: String, retryOf: String?, newAttempt: Bool) -> Int {
        if let i = callByLogID[id] { return i }
        if let root = retryOf, let i = callByLogID[root] {
            callByLogID[id] = i
            startRetry(i)
            return i
        }
        var e = Exchange()
        e.sourceKinds = [.nodeSDKLog]
        calls.append(e)
        let i = calls.count - 1
        callByLogID[id] = i
        if let root = retryOf {
            // The first attempt is not in the log (cut); count this one as a retry.
            callByLogID[root] = i
            calls[i].retries = 1
        }
        return i
    }

    /// A retry replaces the previous attempt's outcome; its status is kept as a hint.
    mutating func startRetry(_ i: Int) {
        calls[i].retries += 1
        if let s = calls[i].status { calls[i].hints.insert(.retriedAfterStatus(s)) }
        if let f = calls[i].failure { calls[i].hints.insert(.retriedAfter(f.kind)) }
        calls[i].status = nil
        calls[i].statusText = nil
        calls[i].failure = nil
        calls[i].responseHeaders = []
        calls[i].responseBody = nil
        calls[i].error = nil
        calls[i].contentType = nil
        retrying.remove(i)
    }

    mutating func applyRequest(_ obj: JSONValue?, to i: Int) {
        guard let obj else { return }
        if let m = obj["method"]?.string ?? obj["options"]?["method"]?.string { calls[i].method = m.uppercased() }
        if let u = obj["url"]?.string { calls[i].url = u }
        let options = obj["options"]
        if let body = options?["body"], !body.isNull {
            applyRequestBody(body, to: i)
        }
        if let s = options?["stream"], case .bool(let v) = s { calls[i].stream = v }
        if let h = obj["headers"] {
            calls[i].requestHeaders = Self.headers(h)
            recordSDK(calls[i].requestHeaders, at: i)
        }
    }

    mutating func applyRequestBody(_ body: JSONValue, to i: Int) {
        switch body {
        case .string(let s):
            calls[i].requestBody = s
            if let j = JSONValue.parse(s) { readModel(j, into: i) }
        default:
            calls[i].requestBody = body.jsonText
            readModel(body, into: i)
        }
    }

    mutating func readModel(_ body: JSONValue, into i: Int) {
        if let m = body["model"]?.string, !NodeInspect.isPlaceholder(.string(m)) { calls[i].model = m }
        if let s = body["stream"], case .bool(let v) = s { calls[i].stream = v }
    }

    mutating func recordSDK(_ headers: [Header], at i: Int) {
        if let sdk = SDKInfo.from(headers: headers) {
            calls[i].sdk = sdk
            if sdk.name == "openai-node", let v = sdk.version { sdkVersion = v }
        }
        if let auth = headers.value("authorization"), auth.hasPrefix("Bearer "), auth.count > 12 {
            // Only an unmasked key is a credential; `***` / `REDACTED` are the SDK's masks.
            calls[i].credential = String(auth.dropFirst(7))
        }
    }

    /// `get http://h/v1/models succeeded with status 200 in 16ms - …`
    mutating func applySummary(_ message: String, to i: Int) {
        let words = message.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let w = words.firstIndex(of: "with"), w >= 1, w + 2 < words.count, words[w + 1] == "status",
              let status = Int(words[w + 2]) else { return }
        if w >= 3 {
            if calls[i].method == nil { calls[i].method = words[w - 3].uppercased() }
            if calls[i].url == nil { calls[i].url = words[w - 2] }
        }
        calls[i].status = status
        calls[i].failure = nil
        if w + 4 < words.count, words[w + 3] == "in", words[w + 4].hasSuffix("ms"),
           let ms = Double(words[w + 4].dropLast(2)) {
            calls[i].durationMs = ms
        }
        if message.contains("- retrying") { retrying.insert(i) } else { retrying.remove(i) }
        if message.contains("no more retries left") { calls[i].hints.insert(.retriesExhausted) }
    }

    /// `response start` / `response error (…)` / `response parsed` dumps.
    mutating func applyResponseDetails(_ obj: JSONValue?, message: String, to i: Int) {
        guard let obj else { return }
        if calls[i].url == nil, let u = obj["url"]?.string { calls[i].url = u }
        if let s = obj["status"]?.string.flatMap(Int.init) { calls[i].status = s }
        if let h = obj["headers"], h.object != nil {
            calls[i].responseHeaders = Self.headers(h)
            if let ct = calls[i].responseHeaders.value("content-type") { calls[i].contentType = ct }
        }
        if message.hasPrefix("response start"), let ms = obj["durationMs"]?.string.flatMap(Double.init) {
            calls[i].durationMs = ms
        }
        if message.hasPrefix("response error"), let m = obj["message"]?.string, !m.isEmpty {
            calls[i].responseBody = m  // the raw body when it was not JSON
            guessContentType(i)
        }
        if message.hasPrefix("response parsed"), let body = obj["body"] {
            setParsedBody(body, at: i)
        }
        calls[i].readResponseBody()
        checkCutList(i)
    }

    mutating func setParsedBody(_ body: JSONValue, at i: Int) {
        switch body {
        case .string(let s):
            calls[i].responseBody = s
            guessContentType(i)
        case .object(let o) where o["iterator"] != nil && o["controller"] != nil:
            if calls[i].stream == nil { calls[i].stream = true }  // a Stream instance, no body
        case .null:
            break
        default:
            calls[i].responseBody = body.jsonText
            if NodeInspect.containsPlaceholder(body) { calls[i].hints.insert(.responseBodyCut) }
        }
    }

    /// When the body is HTML but no header said so.
    mutating func guessContentType(_ i: Int) {
        guard calls[i].contentType == nil, let b = calls[i].responseBody else { return }
        let head = b.prefix(200).lowercased().drop { $0 == " " || $0 == "\n" }
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<head") {
            calls[i].contentType = "text/html"
            calls[i].hints.insert(.contentTypeGuessed)
        }
    }

    /// A `/models` list whose entries the dump cut to `[Object]` gives no ids: say so.
    mutating func checkCutList(_ i: Int) {
        guard let listed = calls[i].listedModels, listed.contains(where: { NodeInspect.isPlaceholder(.string($0)) }) else { return }
        calls[i].listedModels = nil
        calls[i].hints.insert(.listedModelsCut(listed.count))
        let note = MissingNote.listedModelsCut(listed.count)
        if !calls[i].missing.contains(note) { calls[i].missing.append(note) }
    }

    /// Header dumps are objects (`{ 'content-type': '…' }` or `Headers { … }`); sorted by name
    /// because the dump's order is lost in `JSONValue`.
    static func headers(_ v: JSONValue) -> [Header] {
        guard let o = v.object else { return [] }
        return o.keys.sorted().map { k in Header(k, o[k]!.string ?? o[k]!.jsonText) }
    }

    /// A streamed call's `response 200 <url> Headers { … } ReadableStream { … }` line.
    mutating func applyStream(_ b: Block) {
        let vals = NodeInspect.parseValues(String(b.text.dropFirst(9)))
        guard vals.count >= 2, let url = vals[1].string else { return }
        guard let i = calls.lastIndex(where: { $0.url == url }) else { return }
        calls[i].lines += b.lines.prefix(100).map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
        if calls[i].responseHeaders.isEmpty, vals.count >= 3 { calls[i].responseHeaders = Self.headers(vals[2]) }
        if calls[i].stream == nil { calls[i].stream = true }
    }
}
