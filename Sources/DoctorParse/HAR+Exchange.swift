import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// Response headers that carry a request id, most specific first.
    static let requestIDHeaders = [
        "x-request-id", "x-oneapi-request-id", "request-id", "x-litellm-call-id", "x-litellm-request-id",
        "x-amzn-requestid", "cf-ray", "x-trace-id",
    ]

    /// Resource types of page loads (Chrome / Playwright `_resourceType`).
    static let assetResourceTypes: Set<String> = [
        "document", "script", "stylesheet", "image", "font", "media", "manifest", "texttrack", "ping",
        "other-asset", "csp-violation-report", "signed-exchange", "prefetch",
    ]

    /// Path endings of static files.
    static let assetExtensions: Set<String> = [
        "html", "htm", "js", "mjs", "cjs", "css", "map", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp",
        "avif", "bmp", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "wasm", "txt", "xml",
    ]

    /// Path pieces of the APIs this tool is about (OpenAI-compatible, Anthropic, Gemini, gateway consoles).
    static let apiPathMarkers = [
        "/v1", "/models", "/chat/completions", "/completions", "/responses", "/embeddings", "/messages",
        "/api/", "/v1beta", "/openai/", "/compatible-mode/", ":generatecontent", "/images/generations", "/audio/",
    ]

    /// Why an entry is not kept as an API exchange, or nil when it is one.
    ///
    /// The rule, in order: an entry whose path looks like an API path (`/v1`, `/models`,
    /// `/chat/completions`, `/api/` …) is an API call whatever came back (a wrong host answers
    /// `/v1/models` with HTML, and that is the evidence). A CORS preflight (`OPTIONS`) that
    /// succeeded says nothing and is counted apart; a failed one is kept. Any other non-GET is
    /// an API call. A GET whose request or response is JSON or an event stream is an API call.
    /// Everything else (documents, scripts, styles, images, fonts, the favicon) is a page asset:
    /// understood, counted in a note, not an exchange.
    static func skipReason(method: String, path: String, resourceType: String?, requestMime: String?,
                           responseMime: String?, status: Int?) -> String? {
        let lower = path.lowercased()
        if method == "OPTIONS" {
            if let s = status, (200..<400).contains(s) { return "CORS preflight" }
            return nil
        }
        // Byte search: Foundation's `contains` bridges every path (one call per entry).
        if apiPathMarkers.contains(where: { ByteSearch.contains(lower, $0) }) { return nil }
        if method != "GET" && method != "HEAD" { return nil }
        let mimes = [requestMime, responseMime].compactMap { $0?.lowercased() }
        if mimes.contains(where: { ByteSearch.contains($0, "json") || ByteSearch.contains($0, "event-stream") }) { return nil }
        if let t = resourceType?.lowercased(), t == "fetch" || t == "xhr" || t == "eventsource" {
            let ext = lower.split(separator: "/").last.flatMap { $0.split(separator: ".").count > 1 ? $0.split(separator: ".").last : nil }
            if ext.map({ !assetExtensions.contains(String($0)) }) ?? true { return nil }
        }
        return "page-asset"
    }

    /// The credential a request carried: bearer token, `api-key`, `x-api-key`, `x-goog-api-key`.
    static func credential(from headers: [Header]) -> String? {
        if let auth = headers.value("authorization") {
            let t = ByteSearch.trimmedBlanks(auth)
            for scheme in ["Bearer ", "bearer ", "Basic ", "Token "] where t.hasPrefix(scheme) {
                let v = ByteSearch.trimmedBlanks(t.dropFirst(scheme.count))
                return v.isEmpty ? nil : v
            }
            return t.isEmpty ? nil : t
        }
        for name in ["api-key", "x-api-key", "x-goog-api-key"] {
            if let v = headers.value(name).map(ByteSearch.trimmedBlanks), !v.isEmpty { return v }
        }
        return nil
    }

    /// The request id a response carried, from the usual headers.
    static func requestID(from headers: [Header]) -> String? {
        for name in requestIDHeaders {
            if let v = headers.value(name).map(ByteSearch.trimmedBlanks), !v.isEmpty { return v }
        }
        return nil
    }

    /// Model and stream flag of a JSON request body.
    static func modelAndStream(ofJSON text: String) -> (String?, Bool?) {
        guard text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == 0x7B else { return (nil, nil) }
        // The two top-level fields straight from the bytes; the parse only when that is unsure.
        if let fast = text.utf8.withContiguousStorageIfAvailable({ modelAndStreamFromBytes(UnsafeRawBufferPointer($0)) }),
           let found = fast { return found }
        guard let json = JSONValue.parse(text) else { return (nil, nil) }
        var stream: Bool?
        if case .bool(let b)? = json["stream"] { stream = b }
        return (json["model"]?.string, stream)
    }

    /// The error of a server-sent-event body: the first `data:` event carrying `error`.
    static func sseError(_ body: String) -> APIError? {
        guard ByteSearch.contains(body, "error") else { return nil }
        var found: APIError?
        body.enumerateLines { line, stop in
            guard line.hasPrefix("data:") else { return }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard payload.hasPrefix("{"), payload.contains("\"error\""), let json = JSONValue.parse(payload),
                  let e = ResponseBody.apiError(from: json) else { return }
            found = e
            stop = true
        }
        return found
    }

    /// Failure kind from a browser or proxy error text (`net::ERR_PROXY_CONNECTION_FAILED` …).
    static func failureKind(_ text: String) -> Failure.Kind {
        let t = text.uppercased()
        if t.contains("TIMED_OUT") || t.contains("TIMEOUT") { return .timeout }
        if t.contains("PROXY") || t.contains("TUNNEL") { return .proxyError }
        if t.contains("SSL") || t.contains("CERT") || t.contains("TLS") { return .tlsError }
        if t.contains("EMPTY_RESPONSE") || t.contains("ABORTED") { return .noResponse }
        return .connectionError
    }

    /// Decodes a body stored as base64; invalid UTF-8 is replaced, never dropped.
    static func decodeBody(_ text: String?, encoding: String?) -> String? {
        guard let text else { return nil }
        guard encoding?.lowercased() == "base64" else { return text }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}

extension HAR.Entry {
    /// What the skip rule reads of an entry, worked out once for the exchange as well.
    struct Head {
        var method: String
        var url: String
        var requestHeaders: [Header]
        var responseHeaders: [Header]
        var responseMime: String?
    }

    /// The request facts of an entry, or why it is not an API exchange (`HAR.skipReason`).
    /// Reads no body text: `postHasText` says whether the request body has one, so a page
    /// asset is set aside before its (often large) body is decoded.
    func head(postHasText: Bool) -> (Head?, skipped: String?) {
        guard let request, let rawMethod = request.method, let url = request.url else {
            return (nil, "entries without a request method or URL")
        }
        let method = rawMethod.uppercased()
        let parts = URLParts(url: url)
        let requestHeaders = (request.headers ?? []).compactMap { h in h.name.map { Header($0, h.value ?? "") } }
        let responseHeaders = (response?.headers ?? []).compactMap { h in h.name.map { Header($0, h.value ?? "") } }
        let responseMime = response?.content?.mimeType.flatMap { $0.isEmpty ? nil : $0 } ?? responseHeaders.value("content-type")
        let requestMime = request.postData?.mimeType ?? requestHeaders.value("content-type")
        if let reason = HAR.skipReason(method: method, path: parts.path, resourceType: resourceType,
                                       requestMime: postHasText ? requestMime : nil,
                                       responseMime: responseMime, status: response?.status) {
            return (nil, reason)
        }
        return (Head(method: method, url: url, requestHeaders: requestHeaders, responseHeaders: responseHeaders,
                     responseMime: responseMime), nil)
    }

    /// The exchange this entry records, or why it is not one.
    func exchange(file: String, line: Int, browser: Bool) -> (Exchange?, skipped: String?) {
        let (head, reason) = head(postHasText: request?.postData?.text != nil)
        guard let head else { return (nil, reason) }
        return (exchange(head, file: file, line: line, browser: browser), nil)
    }

    /// The exchange of an entry that `head` kept, body texts loaded.
    func exchange(_ head: Head, file: String, line: Int, browser: Bool) -> Exchange {
        let (method, url, requestHeaders, responseHeaders, responseMime) =
            (head.method, head.url, head.requestHeaders, head.responseHeaders, head.responseMime)
        var x = Exchange()
        x.time = startedDateTime.flatMap(LogTime.iso8601)
        x.method = method
        x.url = url
        x.requestHeaders = requestHeaders
        x.responseHeaders = responseHeaders
        if let t = time, t >= 0 { x.durationMs = t }
        if let body = HAR.decodeBody(request?.postData?.text, encoding: request?.postData?.encoding), !body.isEmpty {
            x.requestBody = body
            (x.model, x.stream) = HAR.modelAndStream(ofJSON: body)
        }
        x.credential = HAR.credential(from: requestHeaders)
        if x.credential == nil, browser {
            x.missing.append(.noAuthorizationInHAR)
        }
        x.sdk = SDKInfo.from(headers: requestHeaders)
        if let ip = serverIPAddress, !ip.isEmpty { x.hints.insert(.serverIP(ip)) }

        let status = response?.status
        let failureText = [response?.failureText, response?.error, error].compactMap { $0 }.first { !$0.isEmpty }
        if let status, status > 0 {
            x.status = status
            x.statusText = response?.statusText.flatMap { $0.isEmpty ? nil : $0 }
            x.contentType = responseMime
            x.requestID = HAR.requestID(from: responseHeaders)
            x.responseBody = HAR.decodeBody(response?.content?.text, encoding: response?.content?.encoding)
            if x.responseBody?.isEmpty == true { x.responseBody = nil }
            if let body = x.responseBody, let mime = responseMime, ByteSearch.contains(mime.lowercased(), "event-stream") {
                x.error = HAR.sseError(body)
            }
            x.readHARResponseBody()
        } else {
            let text = failureText ?? (status == nil ? "no response recorded" : "no response (status \(status!))")
            x.failure = Failure(HAR.failureKind(text), text)
        }

        let ref = SourceRef(file: file, line: line)
        x.sources = [ref]
        x.lines = [SourceLine(ref: ref, text: x.harSummary)]
        return x
    }
}

extension Exchange {
    /// One synthesized evidence line: `GET http://host/v1/models -> 404 Not Found {"error":…}`.
    var harSummary: String {
        var s = "\(method ?? "?") \(url ?? pathOnly ?? "?") -> "
        if let status {
            s += statusText.map { "\(status) \($0)" } ?? "\(status)"
        } else if let failure {
            s += "failed: \(failure.message)"
        }
        if let body = responseBody, error != nil || (status ?? 0) >= 400 || listShape != nil {
            // Newlines to spaces on bytes (the same bytes Foundation's replacement gave).
            let cut = String(body.prefix(300))
            s += " " + (cut.utf8.contains(10) ? String(decoding: cut.utf8.map { $0 == 10 ? 32 : $0 }, as: UTF8.self) : cut)
        }
        return s
    }
}
