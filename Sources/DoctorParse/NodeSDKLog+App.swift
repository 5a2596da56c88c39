import DoctorIngest
import DoctorModel
import Foundation

/// The first line of an error the app printed: `… chat failed: NotFoundError: 404 <message>`.
struct AppErrorHeader: Sendable {
    var className: String
    var status: Int?
    var message: String

    /// openai-node's status classes and the status each stands for.
    static let statusClasses: [String: Int] = [
        "BadRequestError": 400, "AuthenticationError": 401, "PermissionDeniedError": 403,
        "NotFoundError": 404, "ConflictError": 409, "UnprocessableEntityError": 422,
        "RateLimitError": 429, "InternalServerError": 500,
    ]
    static let plainJSErrors: Set<String> = ["TypeError", "SyntaxError", "RangeError", "ReferenceError"]

    var isConnectionClass: Bool { className == "APIConnectionError" || className == "APIConnectionTimeoutError" }
    var isAPIStatus: Bool {
        AppErrorHeader.statusClasses[className] != nil || className == "APIError" || (status != nil && !AppErrorHeader.plainJSErrors.contains(className))
    }
}

enum AppError {
    /// Finds `<Name>Error: message` in a line (the first such word).
    static func header(in text: String) -> AppErrorHeader? {
        var search = text.startIndex
        while let r = text.range(of: "Error: ", range: search..<text.endIndex) {
            var start = r.lowerBound
            while start > text.startIndex {
                let p = text.index(before: start)
                guard text[p].isLetter || text[p].isNumber || text[p] == "_" else { break }
                start = p
            }
            let name = String(text[start..<text.index(r.upperBound, offsetBy: -2)])
            if let f = name.first, f.isUppercase, name.hasSuffix("Error"), name.unicodeScalars.allSatisfy({ $0.isASCII }) {
                let msg = String(text[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                var status: Int?
                let digits = msg.prefix(3)
                if digits.count == 3, digits.allSatisfy(\.isNumber), let s = Int(digits), (100...599).contains(s),
                   msg.count == 3 || msg[msg.index(msg.startIndex, offsetBy: 3)] == " ",
                   !AppErrorHeader.plainJSErrors.contains(name) {
                    status = s
                }
                return AppErrorHeader(className: name, status: status, message: msg)
            }
            search = r.upperBound
        }
        return nil
    }

    static let connectionMarkers = ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN",
                                    "fetch failed", "Connection error.", "UND_ERR_CONNECT", "socket hang up"]
}

extension NodeSDKLogParser {
    mutating func applyAppError(_ b: Block) {
        guard let h = AppError.header(in: b.lines[0].text) else { return }
        var props: JSONValue?
        if b.inObject, let k = b.lines.firstIndex(where: { Block.isStackLine($0.text) && $0.text.hasSuffix("{") }) {
            props = NodeInspect.parse((["{"] + b.lines[(k + 1)...].map(\.text)).joined(separator: "\n"))
        }
        let evidence = b.lines.prefix(200).map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
        let cause = b.lines.dropFirst().first { l in AppError.connectionMarkers.contains { l.text.contains($0) } }?.text
        applyAppError(h, props: props, text: b.text, cause: cause, evidence: evidence)
    }

    /// An error the app printed, however it was printed: its `Name: message` head, its own
    /// properties (`status`, `headers`, `error` …) when shown, its whole text (for connection
    /// markers), the line naming the network cause if any, and the evidence lines.
    mutating func applyAppError(_ h: AppErrorHeader, props: JSONValue?, text: String, cause: String?,
                                evidence: [SourceLine]) {
        let isConnection = h.isConnectionClass || (!h.isAPIStatus && AppError.connectionMarkers.contains { text.contains($0) })

        if h.isAPIStatus {
            applyAPIError(h, props: props, evidence: evidence)
        } else if isConnection {
            let kind: Failure.Kind = h.className == "APIConnectionTimeoutError" || text.contains("ETIMEDOUT") || text.contains("timed out") ? .timeout : .connectionError
            var msg = "\(h.className): \(h.message)"
            if let c = cause?.trimmingCharacters(in: .whitespaces), !c.hasPrefix("at ") { msg += " (\(c))" }
            let i = calls.lastIndex { $0.status == nil } ?? newPartial()
            if calls[i].failure == nil || calls[i].failure?.message.hasPrefix("connection") == true {
                calls[i].failure = Failure(kind, msg)
            }
            calls[i].lines += evidence
        } else if let i = calls.lastIndex(where: { ($0.status ?? 0) / 100 == 2 && Self.isHTML($0) }) {
            // HTML answered with 200 is not an error in openai-node: the app fails later.
            calls[i].hints.insert(.jsonDecodeError)
            calls[i].hints.insert(.appErrorAfterHTML(h.className))
            calls[i].lines += evidence
        }
    }

    static func isHTML(_ e: Exchange) -> Bool {
        if e.contentType?.lowercased().contains("html") == true { return true }
        let head = e.responseBody?.prefix(64).lowercased() ?? ""
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    mutating func newPartial() -> Int {
        var e = Exchange()
        e.sourceKinds = [.nodeSDKLog]
        e.sdk = SDKInfo(name: "openai-node", version: sdkVersion, language: "js")
        e.missing.append(.errorWithoutDebugRecord)
        calls.append(e)
        return calls.count - 1
    }

    /// `NotFoundError: 404 …` with `{ status, headers, error, code, param, type, requestID }`.
    mutating func applyAPIError(_ h: AppErrorHeader, props: JSONValue?, evidence: [SourceLine]) {
        let status = props?["status"]?.string.flatMap(Int.init) ?? h.status ?? AppErrorHeader.statusClasses[h.className]
        var ids: [String] = []
        if let r = props?["requestID"]?.string ?? props?["request_id"]?.string { ids.append(r) }
        if let r = h.message.range(of: "(request id: ") {
            ids.append(String(h.message[r.upperBound...].prefix { $0 != ")" && $0 != " " }))
        }
        let errHeaders = props?["headers"].map(Self.headers) ?? []
        ids += errHeaders.filter { $0.name.lowercased().hasSuffix("request-id") }.map(\.value)

        let byID = ids.isEmpty ? nil : calls.lastIndex { e in
            (e.requestID.map(ids.contains) ?? false)
                || e.responseHeaders.contains { $0.name.lowercased().hasSuffix("request-id") && ids.contains($0.value) }
        }
        let byStatus = calls.lastIndex { e in
            guard let s = e.status, s >= 400 else { return false }
            return (status == nil || s == status) && e.error?.message == nil
        }
        let i = byID ?? byStatus ?? newPartial()

        if calls[i].status == nil { calls[i].status = status }
        let errObj = props?["error"]
        var apiError: APIError?
        if let errObj, errObj.object != nil {
            apiError = APIError(type: errObj["type"]?.string, code: errObj["code"]?.string,
                                message: errObj["message"]?.string, param: errObj["param"]?.string)
        } else if let s = errObj?.string {
            apiError = APIError(message: s)
        }
        if apiError == nil {
            var msg = h.message
            if h.status != nil { msg = String(msg.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
            apiError = APIError(type: props?["type"]?.string, code: props?["code"]?.string, message: msg,
                                param: props?["param"]?.string)
        }
        if calls[i].error?.message == nil { calls[i].error = apiError }
        if calls[i].responseBody == nil, let errObj, !errObj.isNull {
            // The SDK keeps the body's `error` member as `err.error`: rebuild the body from it.
            calls[i].responseBody = JSONValue.object(["error": errObj]).jsonText
        }
        if calls[i].responseHeaders.isEmpty && !errHeaders.isEmpty {
            calls[i].responseHeaders = errHeaders
            calls[i].contentType = errHeaders.value("content-type")
        }
        if calls[i].requestID == nil, let r = props?["requestID"]?.string { calls[i].requestID = r }
        calls[i].hints.insert(.appError(h.className))
        calls[i].lines += evidence
    }

    /// An app line: base URL / proxy signals; an opened array or object starts a block.
    mutating func handleAppLine(_ line: Line) {
        let text = line.text
        let src = SourceLine(ref: SourceRef(file: path, line: line.number), text: text)
        var understood = Block.looksTimestamped(text)
        if line.contains("http"), let u = ErrorTextMentions.baseURL(in: text) {
            out.signals.append(Signal(name: .configuredBaseURL, value: u, line: src))
            understood = true
        }
        if line.contains("PROXY") || line.contains("proxy"), let p = ErrorTextMentions.proxy(in: text) {
            out.signals.append(Signal(name: .proxyEnv, value: p, line: src))
            understood = true
        }
        if line.contains("OPENAI_LOG") && line.contains("expected one of") {
            out.notes.append("OPENAI_LOG had an invalid value, so the SDK logged at its default level")
            understood = true
        }
        let b = Block(kind: .appValue, first: line)
        if !b.isComplete {
            block = b
            return
        }
        if line.contains("[") && line.contains("]") { applyAppValue(b); understood = true }
        if !understood { out.skip(line) }
    }

    /// Where the printed value of an app line starts: the first bracket left open on the first
    /// line, else the last `[ ` group (so `[agent-runner]` tags are passed over).
    static func valueStart(in text: String) -> String.Index? {
        let first = text.prefix { $0 != "\n" }
        var open: [String.Index] = []
        var lastGroup: String.Index?
        var quote: Character?
        for i in first.indices {
            let c = first[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c; continue }
            if c == "[" || c == "{" { open.append(i) }
            if c == "]" || c == "}", let o = open.popLast(), open.isEmpty, first[o] == "[" {
                let next = first.index(after: o)
                if next < first.endIndex, first[next] == " " || first[next] == "]" { lastGroup = o }
            }
        }
        return open.first ?? lastGroup
    }

    /// An app line that printed an array, e.g. `model list refreshed: 7 models [ 'a', … ]`:
    /// when its strings fill a `/models` list the debug dump cut to `[Object]`, take them.
    mutating func applyAppValue(_ b: Block) {
        let text = b.text
        guard text.lowercased().contains("model"), let open = Self.valueStart(in: text) else { return }
        guard let arr = NodeInspect.parse(String(text[open...]))?.array, !arr.isEmpty else { return }
        let ids = arr.compactMap(\.string)
        guard ids.count == arr.count, !ids.contains(where: { NodeInspect.isPlaceholder(.string($0)) }) else { return }
        guard let i = calls.lastIndex(where: { $0.hints.contains(.listedModelsCut(ids.count)) && $0.listedModels == nil }) else { return }
        calls[i].listedModels = ids
        calls[i].hints.insert(.listedModelsFromAppLog)
        calls[i].missing.removeAll { if case .listedModelsCut = $0 { return true } else { return false } }
        calls[i].lines += b.lines.prefix(200).map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
    }
}
