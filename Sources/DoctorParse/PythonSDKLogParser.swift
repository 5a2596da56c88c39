import DoctorIngest
import DoctorModel
import Foundation

/// Reads openai-python debug logs (`OPENAI_LOG=debug`, or an app that set the `openai`,
/// `httpx`/`httpx2` and `httpcore` loggers to DEBUG) into exchanges.
///
/// The log is read as a stream with one call in flight: `Request options` (1.x/2.x) or
/// `Building HTTP request` (3.x) opens an attempt, `Sending HTTP Request`, the httpx
/// `HTTP Request: … "HTTP/1.1 404 Not Found"` line, httpcore's wire headers and the SDK's
/// `HTTP Response` fill it, and `Retrying request to …` makes the next attempt a retry of the
/// same exchange. Tracebacks that follow attach their final exception (`openai.NotFoundError:
/// Error code: 404 - {…}`, `httpx.ConnectError: …`) to the call they belong to. Only a
/// multi-line `Request options` repr and one exception's message are ever buffered.
///
/// Messages are found after whatever logging prefix the app used (see `PyLogPrefix`), so
/// the SDK's own format, `basicConfig` defaults, loguru and unprefixed lines all read alike.
public struct PythonSDKLogParser: LogParser {
    public static let kind = InputKind.pythonSDKLog
    public static let readsWholeDocument = false

    let path: String
    var out = ParseOutput()
    var cur: PyInFlight?
    var pendingException: PyPendingException?
    var optionsBuffer: PyOptionsBuffer?
    var inTraceback = false
    var facts = PyFileFacts()
    /// Names + values of signals already emitted (each is reported once).
    var signalKeys: Set<String> = []
    /// The last model list an app line printed, and how many distinct ones were kept.
    var lastPrintedList: [String]?
    var printedLists = 0
    static let maxPrintedLists = 64
    /// SDK call seen in the last traceback frames (`models.list`), for exchanges without URL.
    var lastCall: String?
    /// Unprefixed lines that are no log record or traceback: the customer's own words when
    /// the file is a short pasted ticket.
    var proseLines: [Line] = []
    /// Strings every call repeats, stored once.
    var pool = PyStringPool()
    /// The message parts of the evidence lines, stored once (see `PyLinePool`).
    var linePool = PyLinePool()
    /// What a `Request options` repr and a headers repr read to, by their text.
    var optionsMemo = PyMemo<ParsedOptions>()
    var headersMemo = PyMemo<[Header]>()
    var wireMemo = PyMemo<WireHead?>()
    /// What an exception's quoted error body reads to, by its text.
    var errorBodyMemo = PyMemo<PyErrorBody>()
    /// The last SDK call read from a `/openai/resources/` frame, by the frame's text after
    /// that path.
    var frameCall: (tail: String, call: String)?
    /// What was read of the state carried in from before the first line (see `absorb`).
    var carried = PyCarriedReads()
    /// The common fields of the calls finished so far, shared among equal calls.
    var sharing = ExchangeSharing()
    var packing = LinePacking()
    /// The calls before this one are rows of blocks (`CallRows`), or stayed boxes.
    var compactedTo = 0
    /// The logging head (or none) `consume(bytes:)` read of the line it declined last.
    var headRead: (line: Int, head: PyLogHead?)?

    public init(path: String, sniff: Sniff) {
        self.path = path
    }

    // MARK: Sniffing

    public static func sniff(_ input: SniffInput) -> Sniff? {
        var score = 0
        var facts = PyFileFacts()
        // Pasted request lines (`GET https://… -> 200 text/html`) this parser has no use for.
        var foreignRequestLines = 0
        for line in input.lines {
            if pastedRequestLine(line) { foreignRequestLines += 1 }
            // Traceback frames name httpx/httpcore in their file paths; only log lines count.
            if ByteSearch.hasPrefix(line, "  File \"") || ByteSearch.contains(line, "site-packages/") {
                facts.observeForFormat(line)
                continue
            }
            if ByteSearch.contains(line, "openai._base_client") || ByteSearch.contains(line, "Request options: {")
                || ByteSearch.contains(line, "Sending HTTP Request: ") || ByteSearch.contains(line, "Building HTTP request: ")
                || ByteSearch.contains(line, "openai._response") {
                score = max(score, 90)
            } else if ByteSearch.contains(line, "HTTP Request: ") && ByteSearch.contains(line, "\"HTTP/") {
                score = max(score, 80)
            } else if ByteSearch.contains(line, "httpcore.connection") || ByteSearch.contains(line, "httpcore.http11")
                        || ByteSearch.contains(line, "httpcore2.") || ByteSearch.contains(line, "httpx:") || ByteSearch.contains(line, "httpx2:")
                        || ByteSearch.contains(line, "DEBUG:httpx") || ByteSearch.contains(line, "INFO:httpx") {
                // Transport logger lines (not traceback paths such as `httpcore/_sync/…`).
                score = max(score, 70)
            } else if ByteSearch.hasPrefix(line, "openai."), PyPendingException(line: line, inTraceback: false) != nil {
                score = max(score, 60)
            }
            facts.observeForFormat(line)
        }
        guard score > 0 else { return nil }
        // A LiteLLM proxy log can carry httpx lines of its own upstream calls.
        if score < 90 && ByteSearch.contains(input.text, "LiteLLM") { score = 30 }
        // A pasted exception with request lines of the customer's own (no SDK or transport
        // line at all): the pasted-error reader keeps those lines, this parser would drop them.
        if score == 60 && foreignRequestLines > 0 { score = 20 }
        return Sniff(kind: .pythonSDKLog, format: facts.format, score: score)
    }

    /// `GET https://…`, `POST /v1/…` written outside any SDK message and outside an exception.
    static func pastedRequestLine(_ line: String) -> Bool {
        let methods: [StaticString] = ["GET http", "GET /", "POST http", "POST /", "PUT http", "PUT /", "DELETE http", "DELETE /", "PATCH http", "PATCH /"]
        guard methods.contains(where: { ByteSearch.contains(line, $0) }) else { return false }
        if ByteSearch.contains(line, "HTTP Request: ") || ByteSearch.contains(line, "HTTP Response: ") || ByteSearch.contains(line, "Retrying request") { return false }
        if ByteSearch.hasPrefix(line, " ") || ByteSearch.hasPrefix(line, "\t") { return false }
        return PyPendingException(line: line, inTraceback: false) == nil
    }

    // MARK: Streaming

    public mutating func consume(_ line: Line) {
        out.lines += 1
        if optionsBuffer != nil { continueOptions(line); return }
        let text = line.text
        let head: PyLogHead?
        if let r = headRead, r.line == line.number { head = r.head } else { head = PyLogPrefix.head(text) }
        headRead = nil
        if let head {
            flushException()
            inTraceback = false
            if head.time != nil && !head.hasOffset { facts.timesWithoutOffset = true }
            linePool.prefixEnd = (line.number, head.messageOffset)
            let msg = Self.message(text, at: head.messageOffset)
            handle(msg, head: head, line: line)
            return
        }
        if ByteSearch.isBlank(text) {
            pendingException?.append(line)
            return
        }
        // An indented line (most of a traceback) starts with none of the words below.
        let first = text.utf8.first
        if first != 0x20 && first != 0x09 {
            if line.hasPrefix("Traceback (most recent call last)") {
                flushException()
                inTraceback = true
                return
            }
            if line.hasPrefix("During handling of the above exception") || line.hasPrefix("The above exception was the direct cause") {
                flushException()
                return
            }
            if Self.startsWithSDKMessage(line) {
                flushException()
                inTraceback = false
                handle(text[...], head: nil, line: line)
                return
            }
        }
        if pendingException != nil {
            // A pasted chain without its `The above exception …` separators.
            if let e = PyPendingException(line: text, inTraceback: false) {
                flushException()
                startException(e, line: line)
                return
            }
            pendingException!.append(line)
            return
        }
        if inTraceback {
            if line.hasPrefix(" ") || line.hasPrefix("\t") { frame(line); return }
            inTraceback = false
            if let e = PyPendingException(line: text, inTraceback: true) { startException(e, line: line); return }
        }
        if let e = PyPendingException(line: text, inTraceback: false) { startException(e, line: line); return }
        if appFacts(line) { return }
        if proseLines.count <= ErrorTextReader.maxTicketLines { proseLines.append(line) }
        out.skip(line)
    }

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        if let buf = optionsBuffer {
            optionsBuffer = nil
            requestOptions(buf.text[...], head: buf.head, line: buf.line, endLine: buf.lastLine)
        }
        flushException()
        finalizeCurrent()
        let sdk = facts.sawSDK ? SDKInfo(name: "openai-python", version: facts.version, language: "python", runtime: facts.runtime) : nil
        // Once per distinct set of common fields: the calls that shared them still do.
        var edits = ExchangeCommonEdits()
        for i in out.exchanges.indices {
            out.exchanges[i].index = i
            edits.edit(&out.exchanges[i]) { ex in if ex.sdk == nil { ex.sdk = sdk } }
            packing.pack(&out.exchanges[i])
        }
        compact(upTo: out.exchanges.count, atLeast: 1)
        out.format = facts.format ?? (facts.sawSDK || !out.exchanges.isEmpty ? "openai-python" : nil)
        out.notes = facts.notes(exchanges: out.exchanges)
        proseSignals()
        return out
    }

    /// Signals of the prose lines of a short file (`ticket-text`, `mentioned-model` …), read
    /// the way the pasted-error reader reads them; a long log's stray lines are no ticket.
    mutating func proseSignals() {
        guard out.lines <= ErrorTextReader.maxTicketLines, !proseLines.isEmpty else { return }
        let reader = ErrorTextReader(path: path, lines: proseLines)
        var found: [Signal] = []
        for l in proseLines where !l.text.trimmingCharacters(in: .whitespaces).isEmpty {
            reader.mentions(l.text, at: l, prose: true, into: &found)
        }
        for s in found {
            let key = s.name.rawValue + "\u{0}" + (s.value ?? "")
            if s.name == .ticketText || signalKeys.insert(key).inserted { out.signals.append(s) }
        }
    }

    // MARK: Dispatch

    /// The message part of a line, from a UTF-8 offset.
    static func message(_ text: String, at offset: Int) -> Substring {
        let u = text.utf8
        guard let i = u.index(u.startIndex, offsetBy: offset, limitedBy: u.endIndex) else { return text[text.endIndex...] }
        return text[i...]
    }

    /// `msg.hasSuffix(suffix)` for an ASCII suffix, its bytes compared first: the Character
    /// comparison walks grapheme boundaries, and nearly every message fails on the bytes.
    /// (Text that ends in other bytes never ends in those ASCII Characters.)
    static func endsWith(_ msg: Substring, _ suffix: String) -> Bool {
        var sfx = suffix
        let bytes: Bool = sfx.withUTF8 { v in
            ByteSearch.withBytes(msg) { u in
                u.count >= v.count && (v.count == 0 || memcmp(u.baseAddress! + (u.count - v.count), v.baseAddress!, v.count) == 0)
            }
        }
        return bytes && msg.hasSuffix(suffix)
    }

    /// Byte-for-byte equality of a slice and a string.
    static func sameBytes(_ a: Substring, _ b: String) -> Bool {
        var b = b
        return ByteSearch.withBytes(a) { pa in
            b.withUTF8 { pb in pa.count == pb.count && (pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0) }
        }
    }

    /// `s.hasPrefix(prefix)`, its bytes compared first (as `endsWith`). When they agree, an
    /// ASCII prefix followed by the end or by an ASCII byte other than the LF of a CRLF ends
    /// on a Character boundary, so the Characters agree too: the Character comparison (which
    /// every SDK line's logger name went through) runs only for other text.
    static func startsWith(_ s: String, _ prefix: String) -> Bool {
        var text = s, p = prefix
        // 0: the bytes differ; 1: a prefix; 2: the Characters must tell.
        let r: Int = text.withUTF8 { u in
            p.withUTF8 { v in
                guard u.count >= v.count, v.count == 0 || memcmp(u.baseAddress!, v.baseAddress!, v.count) == 0 else { return 0 }
                guard ByteSearch.isASCII(v) else { return 2 }
                guard u.count > v.count else { return 1 }
                let next = u[v.count]
                return next < 0x80 && !(next == 0x0A && v.last == 0x0D) ? 1 : 2
            }
        }
        return r == 1 || (r == 2 && s.hasPrefix(prefix))
    }

    /// Lines logged without any prefix that are still SDK messages.
    static func startsWithSDKMessage(_ line: Line) -> Bool {
        line.hasPrefix("Request options: ") || line.hasPrefix("Sending HTTP Request: ") || line.hasPrefix("HTTP Response: ")
            || line.hasPrefix("HTTP Request: ") || line.hasPrefix("Building HTTP request: ") || line.hasPrefix("Retrying request")
            || line.hasPrefix("request_id: ")
    }

    mutating func handle(_ msg: Substring, head: PyLogHead?, line: Line) {
        let logger = head?.logger ?? ""
        let fromSDK = Self.startsWith(logger, "openai")
        if fromSDK { facts.sawSDK = true }
        if Self.startsWith(logger, "httpx2") || Self.startsWith(logger, "httpcore2") { facts.sawV3 = true }
        switch true {
        case PyLogPrefix.starts(msg, "Request options: "):
            facts.sawSDK = true
            startOptions(PyLogPrefix.dropPrefix(msg, 17), head: head, line: line)
        case PyLogPrefix.starts(msg, "Building HTTP request: "):
            facts.sawSDK = true
            facts.sawV3 = true
            building(PyLogPrefix.dropPrefix(msg, 23), head: head, line: line)
        case PyLogPrefix.starts(msg, "Sending HTTP Request: "):
            facts.sawSDK = true
            sending(PyLogPrefix.dropPrefix(msg, 22), head: head, line: line)
        case PyLogPrefix.starts(msg, "HTTP Response: "):
            facts.sawSDK = true
            response(PyLogPrefix.dropPrefix(msg, 15), head: head, line: line, fromHTTPX: false)
        case PyLogPrefix.starts(msg, "HTTP Request: "):
            // httpx's own line has the `HTTP/1.1` prefix; the SDK's pre-1.24 line has not.
            response(PyLogPrefix.dropPrefix(msg, 14), head: head, line: line, fromHTTPX: ByteSearch.contains(line.text, "\"HTTP/"))
        case PyLogPrefix.starts(msg, "request_id: "):
            let id = String(PyLogPrefix.trimmed(PyLogPrefix.dropPrefix(msg, 12)))
            update(line, important: false) { ex in
                if id != "None" && !id.isEmpty { ex.requestID = id }
            }
        case PyLogPrefix.starts(msg, "Retrying request") || PyLogPrefix.starts(msg, "Retrying due to") || PyLogPrefix.starts(msg, "Retrying as header")
                || Self.endsWith(msg, "retries left") || Self.endsWith(msg, "retry left"):
            cur?.retryPending = true
            update(line, important: PyLogPrefix.starts(msg, "Retrying request")) { _ in }
        case PyLogPrefix.starts(msg, "Encountered "):
            encountered(PyLogPrefix.dropPrefix(msg, 12), line: line)
        case PyLogPrefix.starts(msg, "Raising connection error"):
            setFailure(.connectionError, "Connection error.", line: line, generic: true)
        case PyLogPrefix.starts(msg, "Raising timeout error"):
            setFailure(.timeout, "Request timed out.", line: line, generic: true)
        case PyLogPrefix.starts(msg, "Could not read JSON from response data"):
            update(line, important: true) { ex in ex.hints.insert(.jsonDecodeError) }
        case PyLogPrefix.starts(msg, "connect_tcp.started "):
            if let t = PyMessage.connectTarget(msg), cur != nil {
                cur!.connect = t
                cur!.connectLine = line
                checkProxyConnect()
            }
        case PyLogPrefix.starts(msg, "connect_tcp.failed ") || PyLogPrefix.starts(msg, "start_tls.failed ") || PyLogPrefix.starts(msg, "connect_unix_socket.failed "):
            let text = String(msg.drop { $0 != "=" }.dropFirst())
            setFailure(Self.failureKind(forText: text, className: ""), text, line: line, onlyIfNone: true)
        case PyLogPrefix.starts(msg, "receive_response_headers.complete return_value="):
            wireHeaders(msg, line: line)
        default:
            if fromSDK || Self.startsWith(logger, "httpx") || Self.startsWith(logger, "httpcore") { return }
            appLine(msg, head: head, line: line)
        }
    }

    /// An application line (another logger, or unprefixed text the app printed): an error it
    /// repeats, its base URL, its SDK version, a proxy, a key.
    mutating func appLine(_ msg: Substring, head: PyLogHead?, line: Line) {
        if line.contains("Error code: "), let (code, body) = PyMessage.errorCode(msg) {
            statusError(code: code, body: body, className: nil, line: line)
        }
        _ = appFacts(line)
    }

    /// Reads setup facts from a line; true when it had any.
    @discardableResult
    mutating func appFacts(_ line: Line) -> Bool {
        let text = line.text
        var found = false
        if let v = PyAppFacts.baseURL(in: text) { signal(.configuredBaseURL, v, line); found = true }
        if let v = PyAppFacts.sdkVersion(in: text) { if facts.version == nil { facts.version = v }; found = true }
        if let (name, v) = PyAppFacts.proxy(in: text) { signal(name, v, line); found = true }
        // An app line that prints the model list it got ("… 3 models ['a', 'b', 'c']"): what
        // the client read from /models, which the SDK's own lines never show.
        if let ids = PyAppFacts.listedModels(in: text) {
            // Each list that differs from the one printed before is kept whole, on its own line
            // (a log of several days shows a model gone from the later lists); a list printed
            // again unchanged adds nothing. Bounded: a log that keeps switching lists adds at most
            // `maxPrintedLists`.
            if ids != lastPrintedList, printedLists < Self.maxPrintedLists {
                printedLists += 1
                lastPrintedList = ids
                let src = SourceLine(ref: SourceRef(file: path, line: line.number), text: line.text)
                out.signals.append(Signal(name: .clientListedCount, value: String(ids.count), line: src))
                for id in ids { out.signals.append(Signal(name: .catalogModel, value: id, line: src)) }
            }
            found = true
        }
        if let key = PyAppFacts.credential(in: text) {
            facts.credential = key
            carried.credentialSet = true
            if cur != nil && cur!.ex.credential == nil { cur!.ex.credential = key }
            found = true
        }
        return found
    }

    mutating func signal(_ name: SignalName, _ value: String?, _ line: Line) {
        let key = name.rawValue + "\u{0}" + (value ?? "")
        guard signalKeys.insert(key).inserted else { return }
        out.signals.append(Signal(name: name, value: value, line: SourceLine(ref: SourceRef(file: path, line: line.number), text: line.text)))
    }

    /// A traceback frame or source line: runtime version, proxy transport, the SDK call.
    mutating func frame(_ line: Line) {
        guard line.hasPrefix("  File \"") else { return }
        let text = line.text
        if facts.runtime == nil, let r = PyLogPrefix.after(text[...], "/python3.") {
            let minor = r.prefix { $0.isNumber }
            if !minor.isEmpty { facts.runtime = "Python 3.\(minor)" }
        }
        if line.contains("http_proxy.py") { cur?.ex.hints.insert(.httpProxyTransport) }
        if line.contains("_base_client.py\", line "), Self.endsWith(text[...], ", in _request") || Self.endsWith(text[...], ", in _retry_request") {
            facts.sawOldRequestFrame = true
        }
        guard let r = PyLogPrefix.after(text[...], "/openai/resources/") else { return }
        // Every traceback of one kind of call repeats its frame: the call is read once.
        if let memo = frameCall, Self.sameBytes(r, memo.tail) {
            lastCall = memo.call
            carried.lastCallSet = true
            return
        }
        if let q = r.firstIndex(of: "\""), r[..<q].hasSuffix(".py"), let fn = PyLogPrefix.after(r[q...], ", in ") {
            var parts: [Substring] = []
            for p in r[..<q].dropLast(3).split(separator: "/") where parts.last != p { parts.append(p) }
            let call = (parts + [fn]).joined(separator: ".")
            lastCall = call
            carried.lastCallSet = true
            frameCall = (String(r), call)
        }
    }
}
