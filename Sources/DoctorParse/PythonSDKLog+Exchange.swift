import DoctorIngest
import DoctorModel
import Foundation

/// Building exchanges from the request/response messages: attempts, retries, the lines kept
/// as evidence.
extension PythonSDKLogParser {
    static let maxEvidenceLines = 12
    static let headEvidenceLines = 3
    /// How many of the last calls an exception's lines may be added to.
    static let exceptionReach = 8

    // MARK: Attempts

    /// Starts an attempt: the same exchange when a retry was announced, else a new one.
    mutating func beginAttempt(retry: Bool, head: PyLogHead?, line: Line) {
        if retry, var c = cur.take() {
            c.ex.retries += 1
            c.phase = .built
            c.sawHTTPXStatus = false
            c.sawSDKStatus = false
            c.retryPending = false
            c.connect = nil
            c.connectLine = nil
            c.ex.status = nil
            c.ex.statusText = nil
            c.ex.failure = nil
            c.ex.responseHeaders = []
            cur = c
        } else {
            finalizeCurrent()
            var c = PyInFlight()
            c.ex.time = head?.time
            c.ex.firstSource = SourceRef(file: path, line: line.number)
            c.ex.credential = facts.credential
            if !carried.credentialSet { carried.credential = true }
            cur = c
        }
        update(line, important: false) { _ in }
    }

    /// Adds a line to the current exchange's evidence and runs `change` on it.
    mutating func update(_ line: Line, endLine: Int? = nil, important: Bool, _ change: (inout Exchange) -> Void) {
        guard cur != nil else { return }
        Self.note(&cur!.ex, path: path, line: line, endLine: endLine, important: important, pool: &linePool)
        change(&cur!.ex)
    }

    /// Keeps the first lines of a call and its error lines, and widens its source range.
    static func note(_ ex: inout Exchange, path: String, line: Line, endLine: Int? = nil, important: Bool, pool: inout PyLinePool) {
        let last = max(endLine ?? line.number, line.number)
        widen(&ex, path: path, line: line.number, last: last)
        if ex.lines.last?.ref.line == line.number { return }
        guard ex.lines.count < headEvidenceLines || important else { return }
        let kept = pool.line(SourceRef(file: path, line: line.number, endLine: last), line)
        if ex.lines.count < headEvidenceLines {
            ex.lines.append(kept)
        } else if important {
            // A rolling window after the head lines: the last error lines (the final exception)
            // matter more than the first retry's.
            if ex.lines.count >= maxEvidenceLines { ex.lines.remove(at: headEvidenceLines) }
            ex.lines.append(kept)
        }
    }

    /// Widens a call's source range to take in lines `line` to `last`.
    static func widen(_ ex: inout Exchange, path: String, line: Int, last: Int) {
        if let s = ex.firstSource {
            ex.firstSource = SourceRef(file: path, line: min(s.line, line), endLine: max(s.endLine, last))
        } else {
            ex.firstSource = SourceRef(file: path, line: line, endLine: last)
        }
    }

    /// Whether `note` would keep line `number`'s text in `ex` (else it only widens the range).
    static func keepsText(_ ex: Exchange, number: Int, important: Bool) -> Bool {
        ex.lines.last?.ref.line != number && (ex.lines.count < headEvidenceLines || important)
    }

    // MARK: Requests

    mutating func startOptions(_ s: Substring, head: PyLogHead?, line: Line) {
        var quote: UInt8 = 0
        let depth = PythonLiteral.depthChange(s, inString: &quote)
        if (depth > 0 || quote != 0) && !line.truncated {
            optionsBuffer = PyOptionsBuffer(text: String(s), depth: depth, quote: quote, head: head, line: line, lastLine: line.number)
            return
        }
        requestOptions(s, head: head, line: line, endLine: nil)
    }

    /// Collects the following lines of a `Request options` repr until it is balanced.
    /// A line that starts a new log record ends the buffer early (the repr was cut or is
    /// malformed): what was collected is read as truncated, and the line is handled as usual.
    mutating func continueOptions(_ line: Line) {
        guard var buf = optionsBuffer else { return }
        if PyLogPrefix.head(line.text) != nil || Self.startsWithSDKMessage(line) {
            optionsBuffer = nil
            requestOptions(buf.text[...], head: buf.head, line: buf.line, endLine: buf.lastLine)
            out.lines -= 1
            consume(line)
            return
        }
        buf.text += "\n" + line.text
        buf.depth += PythonLiteral.depthChange(line.text, inString: &buf.quote)
        buf.lastLine = line.number
        buf.lines += 1
        if buf.depth <= 0 && buf.quote == 0 || buf.lines >= PyOptionsBuffer.maxLines || buf.text.utf8.count >= PyOptionsBuffer.maxBytes {
            optionsBuffer = nil
            requestOptions(buf.text[...], head: buf.head, line: buf.line, endLine: buf.lastLine)
        } else {
            optionsBuffer = buf
        }
    }

    mutating func requestOptions(_ s: Substring, head: PyLogHead?, line: Line, endLine: Int?) {
        // The same options repr (a dense log repeats a few calls) reads to the same values.
        let key = PyMemo<ParsedOptions>.key(s)
        let parsed: ParsedOptions
        if let key, let hit = optionsMemo.find(key) {
            parsed = hit
        } else {
            var o = PyMessage.options(s)
            let body = pool.intern(o?.body.map(PythonLiteral.jsonText))
            if let h = o?.headers { o?.headers = pool.intern(h) }
            parsed = ParsedOptions(options: o, requestBody: body)
            if let key { optionsMemo.store(key, parsed) }
        }
        let o = parsed.options
        let requestBody = parsed.requestBody
        beginAttempt(retry: cur?.retryPending == true, head: head, line: line)
        update(line, endLine: endLine, important: false) { ex in
            if let m = o?.method { ex.method = m }
            if o?.body != nil {
                ex.requestBody = requestBody
                ex.model = parsed.model
                ex.stream = parsed.stream
            }
            if let h = o?.headers, !h.isEmpty {
                ex.requestHeaders = h
                if let key = parsed.credential { ex.credential = key }
                if let sdk = parsed.sdk { ex.sdk = sdk }
            }
        }
        cur?.optionsPath = o?.url
        if o == nil { out.problems.append(Problem(.warning, location: "\(path):\(line.number)", message: "Request options could not be read as a Python dict")) }
    }

    /// `Building HTTP request: method=GET retries_taken=0` (openai 3.x).
    mutating func building(_ s: Substring, head: PyLogHead?, line: Line) {
        let b = PyMessage.building(s)
        let retry = cur != nil && (b.retriesTaken > 0 || cur!.retryPending)
        beginAttempt(retry: retry, head: head, line: line)
        cur?.isV3 = true
        update(line, important: false) { ex in if let m = b.method { ex.method = m } }
    }

    /// `Sending HTTP Request: POST http://…/v1/chat/completions` (or just `POST` in 3.x).
    mutating func sending(_ s: Substring, head: PyLogHead?, line: Line) {
        guard let sl = PyMessage.statusLine(s) else { return }
        if cur == nil || cur!.phase != .built || (cur!.ex.method != nil && cur!.ex.method != sl.method) {
            beginAttempt(retry: cur?.retryPending == true, head: head, line: line)
        }
        cur!.phase = .sent
        cur!.sendTime = head?.time
        cur!.sendFractional = head?.fractional ?? false
        if sl.url == nil { facts.sawV3 = true; cur!.isV3 = true }
        let url = pool.intern(sl.url)
        update(line, important: false) { ex in
            ex.method = sl.method
            if let u = url { ex.url = u }
        }
    }

    /// A status line: the SDK's `HTTP Response: …` or the httpx `HTTP Request: … "HTTP/1.1 …"`.
    mutating func response(_ s: Substring, head: PyLogHead?, line: Line, fromHTTPX: Bool) {
        guard let sl = PyMessage.statusLine(s) else { return }
        if let c = cur {
            let urlDiffers = c.ex.url != nil && sl.url != nil && c.ex.url != sl.url
            let methodDiffers = c.ex.method != nil && c.ex.method != sl.method
            let again = fromHTTPX ? c.sawHTTPXStatus : c.sawSDKStatus
            if urlDiffers || methodDiffers || (c.phase == .responded && again) {
                beginAttempt(retry: c.retryPending && !urlDiffers && !methodDiffers, head: head, line: line)
            }
        } else {
            beginAttempt(retry: false, head: head, line: line)
        }
        cur!.phase = .responded
        if fromHTTPX { cur!.sawHTTPXStatus = true } else { cur!.sawSDKStatus = true }
        if sl.url == nil && !fromHTTPX { facts.sawV3 = true; cur!.isV3 = true }
        if let t = head?.time, head?.fractional == true, cur!.sendFractional, let sent = cur!.sendTime {
            cur!.ex.durationMs = max(0, t.timeIntervalSince(sent) * 1000)
        }
        let important = (sl.status ?? 0) >= 400
        let url = pool.intern(sl.url)
        let headers = sl.headersText.map { text in
            let key = PyMemo<[Header]>.key(text)
            if let key, let hit = headersMemo.find(key) { return hit }
            let h = pool.intern(PyMessage.headers(text))
            if let key { headersMemo.store(key, h) }
            return h
        }
        update(line, important: important) { ex in
            if ex.method == nil { ex.method = sl.method }
            if ex.url == nil, let u = url { ex.url = u }
            if let st = sl.status { ex.status = st }
            if let r = sl.reason { ex.statusText = r }
            if let headers {
                ex.responseHeaders = headers
                ex.contentType = PyMessage.header(ex.responseHeaders, "content-type")
            }
        }
    }

    /// httpcore's raw response head: status and headers even where openai 3.x logs neither.
    mutating func wireHeaders(_ msg: Substring, line: Line) {
        // The phase is read in place: a copy of the call in flight made the write below copy
        // every field of it.
        guard cur != nil, cur!.phase != .responded else { return }
        let key = PyMemo<WireHead?>.key(msg)
        let wire: WireHead?
        if let key, let hit = wireMemo.find(key) {
            wire = hit
        } else {
            wire = PyMessage.wireResponse(msg).map { WireHead(status: $0.status, reason: $0.reason, headers: pool.intern($0.headers)) }
            if let key { wireMemo.store(key, wire) }
        }
        guard let w = wire else { return }
        let headers = w.headers
        update(line, important: false) { ex in
            ex.status = w.status
            if let r = w.reason { ex.statusText = r }
            if !headers.isEmpty {
                ex.responseHeaders = headers
                ex.contentType = PyMessage.header(headers, "content-type")
            }
        }
    }

    /// `Encountered httpx.HTTPStatusError`, `Encountered an HTTP status error: 401`,
    /// `Encountered Exception`, `Encountered httpx.TimeoutException` / `a timeout exception`.
    mutating func encountered(_ s: Substring, line: Line) {
        if s.hasPrefix("an HTTP status error") {
            facts.sawNewStatusWording = true
            let code = Int(s.drop { !$0.isNumber }.prefix { $0.isNumber })
            update(line, important: false) { ex in if ex.status == nil, let code { ex.status = code } }
        } else if PyLogPrefix.after(s, "imeout") != nil, s.contains("imeout") {
            // The byte search rules out nearly every line before Foundation's search decides.
            setFailure(.timeout, "Request timed out.", line: line, generic: true)
        } else {
            update(line, important: false) { _ in }
        }
    }

    // MARK: Finishing a call

    /// httpcore connected somewhere else than the request URL's host and port: a proxy
    /// (`HTTP_PROXY`, a corporate gateway) sits in between.
    mutating func checkProxyConnect() {
        guard let conn = cur?.connect, let parts = cur!.ex.urlParts, let host = parts.host else { return }
        let port = parts.port ?? (parts.scheme == "https" ? 443 : 80)
        guard conn.host.lowercased() != host || conn.port != port else { return }
        let value = "\(conn.host):\(conn.port)"
        let connectLine = cur!.connectLine
        cur!.ex.hints.insert(.proxyConnect(value))
        if let l = connectLine { signal(.proxyConnect, value, l) }
    }

    /// Moves the call in flight to the output, with what can be derived from it.
    mutating func finalizeCurrent() {
        checkProxyConnect()
        // Moved out, not copied: a copy of the call retained each of its fields once more.
        guard var c = cur.take() else { return }
        var ex = Exchange()
        swap(&ex, &c.ex)
        if ex.requestID == nil {
            ex.requestID = ["x-request-id", "x-oneapi-request-id"].lazy.compactMap { PyMessage.header(ex.responseHeaders, $0) }.first
        }
        if ex.contentType == nil { ex.contentType = PyMessage.header(ex.responseHeaders, "content-type") }
        if ex.url == nil {
            if let p = c.optionsPath {
                ex.missing.append(.urlRelativeOnly(p))
            } else if c.isV3 {
                ex.missing.append(.urlNotLoggedV3)
            } else {
                ex.missing.append(.urlNotLogged)
            }
            if !carried.lastCallSet { carried.lastCall = true }
            if let call = lastCall { ex.hints.insert(.sdkCall(call)) }
        }
        if c.isV3 && ex.method != "GET" && ex.requestBody == nil {
            ex.missing.append(.requestBodyNotLoggedV3)
        }
        if ex.status == nil && ex.failure == nil { ex.missing.append(.noResponseLogged) }
        // The body was already read where it was set (exception text); only a body that gave
        // no error object is looked at again (a `/models` list, an odd error shape).
        if ex.error == nil && ex.responseBody != nil { ex.readResponseBody() }
        // Appending grew the evidence array by doubling; every call is held to the end of the
        // run, so it keeps only what it uses.
        if ex.lines.capacity > ex.lines.count { ex.lines = Self.exactCopy(ex.lines) }
        sharing.share(&ex)
        out.exchanges.append(ex)
        // The lines of a call are packed once no exception can add to them any more (one
        // reaches back at most `exceptionReach` calls); `finish` packs the rest.
        let settled = out.exchanges.count - 1 - Self.exceptionReach
        if settled >= 0 {
            packing.pack(&out.exchanges[settled])
            compact(upTo: settled + 1, atLeast: Self.rowBlock)
        }
    }

    /// Settled calls are made rows of a block this many at a time (see `CallRows`).
    static let rowBlock = 1024

    /// Makes the calls from `compactedTo` up to `end` rows of one block when there are at
    /// least `atLeast` of them: every call of a dense log held a box of its own to the end.
    mutating func compact(upTo end: Int, atLeast: Int) {
        guard end - compactedTo >= atLeast else { return }
        CallCompaction().compact(&out.exchanges, compactedTo..<end)
        compactedTo = end
    }

    /// `a` in a buffer of exactly its size.
    static func exactCopy<T>(_ a: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: a.count) { buf, n in
            _ = buf.initialize(fromContentsOf: a)
            n = a.count
        }
    }
}
