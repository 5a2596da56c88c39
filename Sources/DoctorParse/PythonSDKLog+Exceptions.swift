import DoctorIngest
import DoctorModel
import Foundation

/// Attaching exceptions to the call they belong to: status errors with their body, network
/// failures, JSON decode errors.
extension PythonSDKLogParser {
    /// Starts collecting an exception line's message.
    mutating func startException(_ e: PyPendingException, line: Line) {
        var e = e
        e.line = line
        e.lastLine = line.number
        pendingException = e
    }

    /// Applies the collected exception, if any.
    mutating func flushException() {
        guard var e = pendingException else { return }
        pendingException = nil
        while e.message.hasSuffix("\n") { e.message.removeLast() }
        let cls = e.className
        let msg = e.message
        let line = e.line
        let end = e.lastLine
        if e.name.hasPrefix("openai.") {
            if let (code, body) = PyMessage.errorCode(msg[...]), msg.hasPrefix("Error code: ") {
                statusError(code: code, body: body, className: cls, line: line, endLine: end)
            } else if cls == "APIConnectionError" {
                setFailure(.connectionError, "\(cls): \(msg)", line: line, endLine: end, generic: true)
            } else if cls == "APITimeoutError" {
                setFailure(.timeout, "\(cls): \(msg)", line: line, endLine: end, generic: true)
            } else if cls == "APIResponseValidationError" || msg.hasPrefix("Expected Content-Type") {
                withTarget(status: nil, line: line, endLine: end) { ex in
                    ex.hints.insert(.unexpectedContentType)
                    if ex.error == nil { ex.error = APIError(type: cls, message: msg) }
                }
            } else if cls.hasSuffix("Error") && cls != "OpenAIError" && !msg.isEmpty {
                rawBodyError(msg, className: cls, line: line, endLine: end)
            } else {
                signal(.clientError, "\(e.name): \(msg)", line)
            }
            return
        }
        switch cls {
        case "HTTPStatusError":
            // `Client error '404 Not Found' for url 'http://…'`
            let code = Int(msg.drop { $0 != "'" }.dropFirst().prefix { $0.isNumber })
            let url = PyLogPrefix.after(msg[...], "for url '").map { String($0.prefix { $0 != "'" }) }
            guard cur != nil, cur!.ex.status == nil || cur!.ex.status == code else { return }
            update(line, endLine: end, important: false) { ex in
                if ex.status == nil { ex.status = code }
                if ex.url == nil { ex.url = url }
            }
        case "AttributeError":
            guard msg.contains("'str' object has no attribute") else { return }
            withTarget(status: nil, line: line, endLine: end, create: false) { ex in
                ex.hints.insert(.jsonDecodeError)
                ex.hints.insert(.strInsteadOfModel)
            }
        default:
            let kind = Self.failureKind(forText: msg, className: cls)
            guard Self.isNetworkException(cls) || kind != .connectionError else { return }
            setFailure(kind, "\(e.name): \(msg.prefix(500))", line: line, endLine: end)
        }
    }

    /// What the SDK says when it gives up, whatever the cause: less telling than the cause.
    static let genericFailureMessages = ["Connection error.", "Request timed out."]

    static func isNetworkException(_ cls: String) -> Bool {
        ["ConnectError", "ConnectTimeout", "ReadTimeout", "WriteTimeout", "PoolTimeout", "TimeoutException", "TimeoutError",
         "ProxyError", "RemoteProtocolError", "ReadError", "WriteError", "NetworkError", "ConnectionRefusedError",
         "ConnectionResetError", "ConnectionError", "gaierror", "UnsupportedProtocol", "LocalProtocolError",
         "SSLError", "SSLCertVerificationError", "ProtocolError", "NewConnectionError", "MaxRetryError"].contains(cls)
    }

    /// The failure kind a network exception or httpcore message stands for.
    static func failureKind(forText text: String, className cls: String) -> Failure.Kind {
        func has(_ n: StaticString) -> Bool { ByteSearch.contains(text, n) }
        // Class names are ASCII identifiers (`PyPendingException`): searched on bytes too.
        if ByteSearch.contains(cls, "Proxy") || has("ProxyError") || has("Tunnel connection failed") { return .proxyError }
        if cls.hasPrefix("SSL") || has("CERTIFICATE_VERIFY_FAILED") || has("SSLError") || has("SSLCert") { return .tlsError }
        if ByteSearch.contains(cls, "Timeout") || has("Timeout(") || has("timed out") { return .timeout }
        return .connectionError
    }

    /// `Error code: 404 - {…}` (exception or the app's own error line): the status, the body
    /// (a Python repr in 1.x/2.x, the message alone in 3.x) and the error object.
    mutating func statusError(code: Int, body: Substring, className: String?, line: Line, endLine: Int? = nil) {
        var t = body
        while let f = t.utf8.first, f == 0x20 || f == 0x0A || f == 0x09 || f == 0x0D { t = t.dropFirst() }
        while let l = t.utf8.last, l == 0x20 || l == 0x0A || l == 0x09 || l == 0x0D { t = t.dropLast() }
        let text = String(t)
        // A dense log repeats a few error bodies: each distinct one is read once (the readers
        // are pure), and the calls that quote it share the strings read from it.
        let key = text.utf8.count <= PyMemo<PyErrorBody>.maxKeyBytes ? PyLinePool.Bytes(s: text) : nil
        let read: PyErrorBody
        if let key, let hit = errorBodyMemo.find(key) {
            read = hit
        } else {
            read = PyErrorBody(text)
            if let key { errorBodyMemo.store(key, read) }
        }
        let json = read.json, error = read.error
        let v3 = facts.sawV3
        if !v3 { carried.sawV3 = true }
        withTarget(status: code, line: line, endLine: endLine) { ex in
            if ex.status == nil { ex.status = code }
            if ex.error == nil { ex.error = error }
            if ex.responseBody == nil {
                if let j = read.jsonText { ex.responseBody = j } else if !text.isEmpty && !v3 { ex.responseBody = text }
            }
            if json == nil && !text.isEmpty && v3 && !ex.missing.contains(.responseBodyNotLoggedV3) {
                ex.missing.append(.responseBodyNotLoggedV3)
            }
            if ex.requestID == nil, let m = error?.message { ex.requestID = PyMessage.requestIDInMessage(m) }
            if let cls = className { ex.hints.insert(.exception(cls)) }
        }
    }

    /// `openai.APIStatusError: <!DOCTYPE html …` (2.x): the raw non-JSON body is the message.
    mutating func rawBodyError(_ msg: String, className: String, line: Line, endLine: Int) {
        let statusGuess: Int? = cur.flatMap { ($0.ex.status ?? 0) >= 400 ? $0.ex.status : nil }
        withTarget(status: statusGuess, line: line, endLine: endLine) { ex in
            if ex.responseBody == nil { ex.responseBody = msg }
            if ex.error == nil { ex.error = APIError(message: PyMessage.summary(ofBody: msg)) }
            ex.hints.insert(.exception(className))
        }
    }

    /// Sets a network failure on the call in flight (or a new call when the one in flight got
    /// a response). Keeps the most specific kind and message seen: `httpcore.ConnectError:
    /// [Errno 111] …` wins over the final generic `APIConnectionError: Connection error.`.
    mutating func setFailure(_ kind: Failure.Kind, _ message: String, line: Line, endLine: Int? = nil,
                             onlyIfNone: Bool = false, generic: Bool = false) {
        if cur == nil || cur!.phase == .responded && cur!.ex.status != nil {
            beginAttempt(retry: false, head: nil, line: line)
        }
        update(line, endLine: endLine, important: true) { ex in
            guard let old = ex.failure else { ex.failure = Failure(kind, message); return }
            if onlyIfNone { return }
            func rank(_ k: Failure.Kind) -> Int { k == .connectionError || k == .noResponse ? 0 : 1 }
            let newKind = rank(kind) > rank(old.kind) ? kind : old.kind
            let oldGeneric = Self.genericFailureMessages.contains { old.message.hasSuffix($0) }
            let keepOld = generic || (!oldGeneric && rank(kind) < rank(old.kind))
            ex.failure = Failure(newKind, keepOld ? old.message : message)
        }
    }

    /// Runs `change` on the call an error belongs to: the one in flight when its status fits,
    /// else a recent one with that status, else a new call made from the error alone.
    mutating func withTarget(status: Int?, line: Line, endLine: Int? = nil, create: Bool = true, _ change: (inout Exchange) -> Void) {
        // Read in place: a copy of the call in flight made every write below copy its fields.
        if cur != nil, status == nil || cur!.ex.status == nil || cur!.ex.status == status {
            update(line, endLine: endLine, important: true, change)
            return
        }
        if !create {
            if out.exchanges.isEmpty { carried.earlierCalls = true }
            if let i = out.exchanges.indices.last {
                Self.note(&out.exchanges[i], path: path, line: line, endLine: endLine, important: true, pool: &linePool)
                change(&out.exchanges[i])
                sharing.share(&out.exchanges[i])
            }
            return
        }
        if let status, let i = out.exchanges.indices.reversed().prefix(Self.exceptionReach).first(where: { out.exchanges[$0].status == status }) {
            Self.note(&out.exchanges[i], path: path, line: line, endLine: endLine, important: true, pool: &linePool)
            change(&out.exchanges[i])
            sharing.share(&out.exchanges[i])
            return
        }
        // A search that found nothing among fewer than 8 calls would have gone on among the
        // calls of an earlier part.
        if status != nil && out.exchanges.count < Self.exceptionReach { carried.earlierCalls = true }
        beginAttempt(retry: false, head: nil, line: line)
        update(line, endLine: endLine, important: true, change)
    }
}

/// The body an exception quotes after `Error code: 404 - `, as read: the JSON (Python literal)
/// it holds, the error object in it (or the text as the message), and the JSON as text.
struct PyErrorBody {
    var json: JSONValue?
    var error: APIError?
    var jsonText: String?

    init(_ text: String) {
        if text.hasPrefix("{") || text.hasPrefix("[") { json = PythonLiteral.parse(text, allowTruncated: true) }
        if let j = json {
            error = ResponseBody.apiError(from: j) ?? j.array?.first.flatMap(ResponseBody.apiError(from:))
            jsonText = PythonLiteral.jsonText(j)
        } else if !text.isEmpty {
            error = APIError(message: text)
        }
    }
}
