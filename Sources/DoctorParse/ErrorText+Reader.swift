import DoctorIngest
import DoctorModel
import Foundation

/// Turns the lines of a pasted ticket into partial exchanges and signals.
///
/// Order matters: a curl transcript claims its lines first (its body is part of that call);
/// then request lines that state their status (`GET https://…/v1/models 200`); then every
/// JSON-like object is read (a body under a status line is that call's body; an error body
/// becomes an exchange, with the status and class printed before it on the same line; a
/// model list takes the `/models` URL and status the prose states); then tracebacks, stacks
/// and access lines; then the remaining lines are either error lines (a status, an
/// exception, a connection failure, a model named by an error), bare request lines (paired
/// with the paste's one error), or the customer's prose, which becomes signals.
struct ErrorTextReader {
    let path: String
    let lines: [Line]
    let pat = ErrorTextPatterns.shared

    /// A partial exchange being built and the line indexes it came from.
    struct Unit {
        var e = Exchange()
        var idx: [Int] = []
        var first: Int { idx.min() ?? 0 }
    }

    struct Result {
        var exchanges: [Exchange] = []
        var signals: [Signal] = []
        var format = "text"
    }

    func read() -> Result {
        var res = Result()
        var units: [Unit] = []
        var covered = Set<Int>()
        var requestBodies: [(line: Int, value: JSONValue)] = []

        if ErrorTextCurl.looksLikeTranscript(lines) {
            let (ex, used) = ErrorTextCurl.exchanges(lines, path: path)
            units += ex.map { e in Unit(e: e, idx: e.lines.compactMap { l in lines.firstIndex { $0.number == l.ref.line } }) }
            covered.formUnion(used)
            if !ex.isEmpty { res.format = "curl" }
        }

        // Request lines that state their status (`GET https://…/v1/models 200`): the body
        // pasted under one belongs to that call.
        var statusLines: [Int: Unit] = [:]
        for (i, l) in lines.enumerated() where !covered.contains(i) && (Self.mayHaveRequest(l) || l.contains("://")) {
            if let r = statusLine(l.text) {
                statusLines[i] = statusUnit(r, i)
            } else if let (r, j) = statusOnNextLine(i, covered: covered) {
                var u = statusUnit(r, i)
                u.idx.append(j)
                covered.insert(j)
                statusLines[i] = u
            }
        }
        // Labelled fields (a browser's developer tools copy) and an API URL with its status under it.
        let claimed = Set(statusLines.values.flatMap(\.idx))
        for i in lines.indices where !covered.contains(i) && !claimed.contains(i) {
            guard let (r, used) = fieldCall(at: i, covered: covered) else { continue }
            var u = statusUnit(r, i)
            u.idx = used
            covered.formUnion(used)
            statusLines[i] = u
        }
        covered.formUnion(statusLines.keys)
        let (commands, pipedCommands) = commandRequests(&statusLines, &covered)
        attachHTMLPages(&statusLines, &covered)
        // Prose lines that only located a pasted body (`/v1/models answers 200:`).
        var context = Set<Int>()

        // JSON-like objects anywhere (also spanning lines).
        let (joined, starts) = joinedText()
        for f in ErrorTextJSON.objects(in: joined) {
            let li = lineIndex(forByte: f.start, starts), lj = lineIndex(forByte: max(f.start, f.end - 1), starts)
            let span = Array(li...lj)
            if span.contains(where: covered.contains) { continue }
            let prefix = String(decoding: Array(joined.utf8)[starts[li]..<f.start], as: UTF8.self)
            var owner: Int?
            if prefix.trimmingCharacters(in: .whitespaces).isEmpty {
                owner = statusLineBefore(li, statusLines)
            } else if Self.mayHaveRequest(lines[li]), let r = statusLine(prefix) {
                statusLines[li] = statusUnit(r, li)
                owner = li
            }
            if let k = owner, var u = statusLines[k] {
                covered.formUnion(span)
                if attach(f.value, to: &u, span: span) { res.format = res.format == "curl" ? "curl" : "json-error" }
                statusLines[k] = u
                continue
            }
            covered.formUnion(span)
            // A pasted client config (`[{"baseURL": "…", "models": ["x:tag"]}]`) names the
            // models the customer set.
            for m in Self.configuredModels(inConfig: f.value) {
                res.signals.append(Signal(name: .configuredModel, value: m, line: source(li)))
            }
            if let err = ErrorTextJSON.apiError(f.value) {
                var u = Unit(idx: span)
                var pf = pat.facts(in: prefix)
                // `HTTP 503` / `Error 404:` alone on the line before a pretty-printed body.
                // Or a longer line that introduces it (`HTTP POST https://… failed with status code 401:`).
                // The two are often pasted as separate blocks (a ```http block with the status
                // line, then a ```json block with the body): blank lines and fence lines between
                // them do not part them.
                if pf.status == nil, prefix.trimmingCharacters(in: .whitespaces).isEmpty, let k = lineAboveBlock(li),
                   !covered.contains(k),
                   lines[k].text.count <= 60 || lines[k].text.trimmingCharacters(in: .whitespaces).hasSuffix(":"),
                   !lines[k].text.contains("<") {
                    let before = pat.facts(in: lines[k].text)
                    if before.status != nil { pf = before; u.idx.append(k); covered.insert(k) }
                }
                fillFromJSON(&u.e, f.value, err, prefix: pf)
                // A body damaged in the paste (`"message": "", "": "": "The model … has been
                // deprecated"`): its message is the longest sentence quoted inside it.
                if (u.e.error?.message ?? "").isEmpty, let m = ErrorTextJSON.longestQuotedSentence(String(decoding: Array(joined.utf8)[f.start..<f.end], as: UTF8.self)) {
                    u.e.error?.message = m
                    if u.e.model == nil { u.e.model = pat.model(in: m) ?? ErrorTextPatterns.quotedFamilyModel(in: m) }
                }
                units.append(u)
                res.format = res.format == "curl" ? "curl" : "json-error"
            } else if isRequestLike(f.value) {
                if let u = requestUnit(f.value, span) { units.append(u) } else { requestBodies.append((li, f.value)) }
            } else if let u = pastedListUnit(f.value, span, covered: covered.subtracting(unanswered(commands, pipedCommands, statusLines)), context: &context) {
                units.append(u)
            } else if li == lj, !prefix.trimmingCharacters(in: .whitespaces).isEmpty {
                // An object embedded in an error line (`RateLimitError: … cooldown_list=[(…, {…})]`)
                // says nothing itself: the line is read for its own error below.
                covered.subtract(span)
            }
        }
        // A command whose answer the paste does not show is the customer's test, read as
        // their words (it names a URL, it is no call with a known outcome).
        // It is placed as a bare request line is (below): with the paste's one error, or the
        // error just above it.
        var unansweredCommands = pipedCommands
        for k in commands {
            guard let u = statusLines[k], Self.unanswered(u) else { continue }
            statusLines[k] = nil
            unansweredCommands.append(u)
        }
        units += statusLines.keys.sorted().compactMap { statusLines[$0] }

        looseErrors(&units, &covered, &res)
        var tracebackCalls: [(line: Int, call: String)] = []
        markStacksAndAccessLines(&units, &covered, &res, &tracebackCalls)

        // Remaining lines: error lines or prose.
        var requests: [BareRequest] = unansweredCommands.map {
            BareRequest(i: $0.first, method: $0.e.method ?? "GET", target: $0.e.url ?? "", model: $0.e.model, lines: $0.idx,
                        credential: $0.e.credential)
        }
        for (i, line) in lines.enumerated() where !covered.contains(i) {
            let text = line.text
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if context.contains(i) {
                mentions(text, at: line, prose: true, into: &res.signals)
                continue
            }
            if Self.mayHaveRequest(line), let r = bareRequest(text) {
                mentions(text, at: line, prose: false, into: &res.signals)
                requests.append(BareRequest(i: i, method: r.method, target: r.target))
                continue
            }
            var f = pat.facts(in: text)
            // A line the paste labels as the error, or the first line under an issue form's error
            // heading, is the error, whatever it says. (Only here, among the lines no structure
            // claimed: a status line or a curl answer is read as what it is.)
            if !f.isHard, let g = ErrorTextPatterns.match(pat.labelledError, text), let m = g[1] ?? g[2] ?? g[3] {
                f.labelled = true
                f.message = m.trimmingCharacters(in: .whitespaces)
            } else if !Self.isFence(text), let above = previousLabel(before: i, skippingFence: true), ErrorTextPatterns.match(pat.errorHeading, above) != nil {
                // (A line that reads as an error anyway keeps its own reading, but is no
                // sentence of the customer's either.)
                if !f.isHard { f.message = text.trimmingCharacters(in: .whitespaces) }
                f.labelled = true
            }
            // The customer states that a call to an API URL failed: that call, with its URL.
            var stated = false
            if !f.isHard, f.url != nil, ErrorTextPatterns.match(pat.statedFailure, text) != nil {
                f.labelled = true
                f.message = text.trimmingCharacters(in: .whitespaces)
                stated = true
            }
            // `Could not read JSON …` / `'str' object has no attribute …`: the answer of the
            // one successful call was not JSON (an HTML page).
            if Self.isDecodeError(line) {
                mentions(text, at: line, prose: false, into: &res.signals)
                if let k = decodeErrorOwner(units) {
                    units[k].e.hints.insert(.jsonDecodeError)
                    if let c = f.exceptionClass { units[k].e.hints.insert(.exception(c)) }
                    units[k].idx.append(i)
                } else {
                    var u = lineUnit(f, i)
                    u.e.hints.insert(.jsonDecodeError)
                    units.append(u)
                }
                continue
            }
            // An error the customer quotes inside a sentence (`Getting "Error: 400 unknown provider
            // for model x"`): the quoted words are the error line, with the status they state.
            if f.status == nil, f.exceptionClass == nil, !f.labelled, let q = Self.quotedError(text) {
                let g = pat.facts(in: q)
                if g.status != nil || g.exceptionClass != nil {
                    f = g
                    f.labelled = true
                    if f.message == nil { f.message = q }
                }
            }
            // A line that is an error only by a model name or a failure phrase may still be
            // the customer's own sentence: keep its words too.
            // Chinese runs words together: a dozen CJK characters is a sentence too.
            let sentence = f.status == nil && f.exceptionClass == nil && !f.labelled
                && (text.split(separator: " ").count >= 6 || text.unicodeScalars.lazy.filter { $0.value >= 0x4E00 && $0.value <= 0x9FFF }.count >= 12)
            // A gateway's refusal wording with no name the reader can use is an error line when
            // it stands short (`test模型无可用渠道`), the customer's own account when it is a
            // sentence (`切换到任何 GPT-4 模型都提示模型不存在`): prose only.
            if sentence && f.modelRefusal && f.model == nil && f.failure == nil && f.method == nil && !f.invalidURL { f.modelRefusal = false }
            // A property of the error printed above it (Node's inspect of an SDK error:
            // `url: 'https://host/messages',` under `Error [AI_APICallError]: Not Found`) is
            // that call's URL.
            if !f.isHard, let url = f.url, Self.isURLProperty(text),
               let k = units.lastIndex(where: { $0.idx.contains { i - $0 <= 4 && i > $0 } }),
               units[k].e.url == nil, units[k].e.pathOnly == nil {
                mentions(text, at: line, prose: false, into: &res.signals)
                units[k].e.url = url
                units[k].idx.append(i)
                continue
            }
            mentions(text, at: line, prose: !f.isHard || sentence, into: &res.signals)
            guard f.isHard else { continue }
            let onlyDetail = f.status == nil && f.exceptionClass == nil && f.failure == nil
            // A model an error names is not a detail of a call that succeeded: an app's own
            // access line (`POST /webhook 200`) above the error of the API call it made is
            // another call.
            if onlyDetail, let k = units.lastIndex(where: { $0.idx.contains { abs($0 - i) <= 4 } && $0.first < i }),
               !(Self.succeeded(units[k].e) && f.model != nil) {
                var e = units[k].e
                // Under an error heading below a bare status (`Status Code: 500` … `**Error
                // Output**` … the server's words): the line is that answer's message.
                if f.labelled, Self.isBareStatus(units[k]) {
                    e.error = APIError(message: wrapped(f.message ?? text.trimmingCharacters(in: .whitespaces), after: i))
                }
                if e.model == nil { e.model = f.model }
                if e.url == nil && e.pathOnly == nil { e.url = f.url; e.pathOnly = f.path }
                if e.method == nil { e.method = f.method }
                units[k].e = e
                units[k].idx.append(i)
                continue
            }
            var u = lineUnit(f, i)
            if sentence || stated { u.e.hints.insert(.statedInProse) }
            // A client's error report states the status on a line of its own, then the
            // server's words under a heading or in a fenced block (`Status Code: 401` …
            // `**Error Output**` … `401 Incorrect API key provided: …`): one answer.
            if !sentence, let k = units.indices.last, Self.isBareStatus(units[k]), let above = lineAboveBlock(i),
               units[k].idx.contains(above), u.e.status == nil || u.e.status == units[k].e.status {
                u.e.status = units[k].e.status
                u.idx = units[k].idx + u.idx
                units[k] = u
                continue
            }
            units.append(u)
        }
        // The paste's one request line goes with its one error; otherwise a request line
        // details the error just above it, or stands alone.
        requests.sort { $0.i < $1.i }
        if !pairSingleRequest(requests, &units) {
            for r in requests { placeRequest(r, &units) }
        }

        // A request body pasted without a URL belongs to the error after it.
        for (li, v) in requestBodies {
            if let k = units.firstIndex(where: { $0.first > li && $0.e.requestBody == nil && $0.e.error != nil }) {
                units[k].e.requestBody = v.jsonText
                units[k].idx.append(li)
            }
            if let m = v["model"]?.string {
                res.signals.append(Signal(name: .mentionedModel, value: m, line: source(li)))
            }
        }
        // Lines a structure claimed (a JSON config object, a curl transcript, an error body,
        // a stack) still state settings: `"baseUrl": "https://…"` inside a pasted config is
        // the configured base URL. Read them for settings only, never as the customer's words.
        for (i, line) in lines.enumerated() where covered.contains(i) && !context.contains(i) {
            mentions(line.text, at: line, prose: false, into: &res.signals)
        }
        // An issue form's field: a label line (`### Base URL`, `base url`, `接口地址：`) and the
        // URL alone on the next non-blank line. The URL is the configured base URL.
        for (i, line) in lines.enumerated() {
            guard let u = ErrorTextMentions.labelledURL(line.text, label: previousLabel(before: i)) else { continue }
            res.signals.append(Signal(name: .configuredBaseURL, value: u, line: source(i)))
        }
        // The SDK call a traceback went through names the endpoint of its exception line's error.
        for (li, call) in tracebackCalls {
            if let k = units.firstIndex(where: { $0.idx.contains(li) }) { units[k].e.hints.insert(.sdkCall(call)) }
        }
        res.exchanges = finish(units)
        // A model named again later (in the error itself) is one mention.
        var seenModels = Set<String>()
        res.signals.removeAll { $0.name == .mentionedModel && !seenModels.insert($0.value ?? "").inserted }
        var seen = Set<String>()
        res.signals.removeAll { !seen.insert("\($0.name)\u{1}\($0.value ?? "")\u{1}\($0.line.ref.line)").inserted }
        return res
    }

    /// The text of the nearest non-blank line before `i` (at most two lines up), if any.
    /// - Parameter skippingFence: look past a Markdown fence that opens right above `i` (an
    ///   issue form's `**Error Output**` heading, then the fenced error: ```` ``` ```` between).
    func previousLabel(before i: Int, skippingFence: Bool = false) -> String? {
        var j = i - 1
        var fences = 0
        while j >= 0, j >= i - 3 - fences {
            let t = lines[j].text.trimmingCharacters(in: .whitespaces)
            if skippingFence, fences == 0, Self.isFence(t) { fences = 1; j -= 1; continue }
            if !t.isEmpty { return t }
            j -= 1
        }
        return nil
    }

    /// `curl …` commands pasted without a transcript: each is a request (method, URL, body and
    /// its model) whose answer is what the paste shows right under it: a JSON body (attached
    /// as a status line's body is) or a line that states a status (`404 page not found`).
    /// curl's progress meter, blank lines and fences between the two do not part them.
    /// - Returns: the keys of the commands in `statusLines`, and the commands piped into
    ///   another program (no answer of theirs is in the paste; they own no body).
    func commandRequests(_ statusLines: inout [Int: Unit], _ covered: inout Set<Int>) -> (keys: [Int], piped: [Unit]) {
        var keys: [Int] = []
        var piped: [Unit] = []
        var i = 0
        while i < lines.count {
            guard !covered.contains(i), let c = ErrorTextCurl.command(at: i, lines), !c.lines.contains(where: covered.contains) else { i += 1; continue }
            var u = Unit(idx: c.lines)
            u.e.method = c.method
            u.e.url = c.url
            u.e.credential = c.auth
            if let b = c.body {
                u.e.requestBody = b
                if let j = JSONValue.parse(b) {
                    u.e.model = j["model"]?.string
                    if case .bool(let st)? = j["stream"] { u.e.stream = st }
                }
            }
            covered.formUnion(c.lines)
            // Piped into another program (`| wc -l`, `| grep …`), what follows is that
            // program's output; a JSON pretty-printer still shows the answer.
            if c.pipedElsewhere {
                piped.append(u)
                i = (c.lines.last ?? i) + 1
                continue
            }
            keys.append(i)
            var k = (c.lines.last ?? i) + 1
            while k < lines.count, k - (c.lines.last ?? i) <= 8 {
                let t = lines[k].text.trimmingCharacters(in: .whitespaces)
                if t.isEmpty || Self.isFence(t) { k += 1; continue }
                if ErrorTextCurl.isProgressMeter(t) { u.idx.append(k); covered.insert(k); k += 1; continue }
                break
            }
            // A text answer: a status stated on the line itself.
            if k < lines.count, !covered.contains(k), !lines[k].text.contains("{"), ErrorTextCurl.command(at: k, lines) == nil {
                let f = pat.facts(in: lines[k].text)
                if let st = f.status, f.method == nil, f.url == nil {
                    u.e.status = st
                    u.e.statusText = f.statusText
                    if st >= 400, let m = f.message, !m.isEmpty { u.e.error = APIError(type: f.exceptionClass, message: m) }
                    u.idx.append(k)
                    covered.insert(k)
                } else if let fl = f.failure {
                    u.e.failure = fl
                    u.idx.append(k)
                    covered.insert(k)
                }
            }
            statusLines[i] = u
            i = (c.lines.last ?? i) + 1
        }
        return (keys, piped)
    }

    /// Keys of a client config object that hold its base URL.
    static let configURLKeys: Set<String> = ["baseurl", "base_url", "apibase", "api_base", "api_base_url", "apibaseurl", "apiurl", "api_url", "endpoint", "host", "openai_base_url", "openai_api_base"]

    /// The models a client config object sets: in every object that also sets a base URL,
    /// its `models` list (names, or objects with an `id` / `name`) and its `model` /
    /// `default_model` value.
    /// A config that keeps the provider apart from the agent's defaults (`{"agents": {"defaults":
    /// {"model": "x"}}, "providers": {"p": {"apiBase": "…"}}}`) sets its model in an object
    /// with no URL: in a document that sets a base URL somewhere, an object's `model` is a
    /// setting too, unless the object is a request body (`messages`, `prompt`, `input`).
    static func configuredModels(inConfig v: JSONValue) -> [String] {
        var out: [String] = []
        func setsURL(_ v: JSONValue, depth: Int) -> Bool {
            guard depth < 8 else { return false }
            if let arr = v.array { return arr.contains { setsURL($0, depth: depth + 1) } }
            guard let o = v.object else { return false }
            if o.contains(where: { configURLKeys.contains($0.key.lowercased()) && $0.value.string?.contains("://") == true }) { return true }
            return o.values.contains { setsURL($0, depth: depth + 1) }
        }
        let isConfig = setsURL(v, depth: 0)
        func visit(_ v: JSONValue, depth: Int) {
            guard depth < 8 else { return }
            if let arr = v.array { for x in arr { visit(x, depth: depth + 1) }; return }
            guard let o = v.object else { return }
            let keys = Dictionary(o.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
            if keys.keys.contains(where: configURLKeys.contains) {
                for k in ["models", "model_list", "modellist"] {
                    for x in keys[k]?.array ?? [] {
                        if let name = x.string ?? x["id"]?.string ?? x["name"]?.string, !name.isEmpty, !out.contains(name) { out.append(name) }
                    }
                }
            }
            if keys.keys.contains(where: configURLKeys.contains) || (isConfig && !keys.keys.contains(where: requestBodyKeys.contains)) {
                for k in ["model", "default_model", "defaultmodel", "model_name", "modelname"] {
                    if let name = keys[k]?.string, !name.isEmpty, !out.contains(name) { out.append(name) }
                }
            }
            for (_, x) in o where x.object != nil || x.array != nil { visit(x, depth: depth + 1) }
        }
        visit(v, depth: 0)
        return out
    }

    /// Keys only a request body has: an object holding one is a call, not a setting.
    static let requestBodyKeys: Set<String> = ["messages", "prompt", "input", "contents"]

    static func unanswered(_ u: Unit) -> Bool {
        u.e.status == nil && u.e.responseBody == nil && u.e.error == nil && u.e.failure == nil
    }

    /// The lines of the commands that have no answer yet: still the customer's words for
    /// anything that looks for them (a list's URL named nearby).
    func unanswered(_ commands: [Int], _ piped: [Unit], _ statusLines: [Int: Unit]) -> Set<Int> {
        Set((commands.compactMap { statusLines[$0] } + piped).filter(Self.unanswered).flatMap(\.idx))
    }

    /// The nearest line above `li` that is neither blank, nor a Markdown fence (```` ``` ````,
    /// ```` ```json ````), nor a heading that only names the block (`**Error Output**`,
    /// `### Response`, `Response body:`; an issue form's or a client's error report puts one
    /// between the status and the body), at most six lines up.
    func lineAboveBlock(_ li: Int) -> Int? {
        var k = li - 1
        while k >= 0, li - k <= 6 {
            let t = lines[k].text.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty && !Self.isFence(t) && !Self.isBlockHeading(t) { return k }
            k -= 1
        }
        return nil
    }

    /// A call that is only a status line (`Status Code: 404`, `HTTP 401`): no model, URL,
    /// exception or body, and its message is the status and its label.
    static func isBareStatus(_ u: Unit) -> Bool {
        let e = u.e
        guard let s = e.status, e.model == nil, e.url == nil, e.pathOnly == nil, e.failure == nil, e.responseBody == nil,
              !e.hints.contains(where: { if case .exception = $0 { return true } else { return false } }) else { return false }
        var m = (e.error?.message ?? "").lowercased()
        for w in ["status code", "status", "http", "code", "error", "状态码", String(s)] { m = m.replacingOccurrences(of: w, with: "") }
        return m.allSatisfy { $0 == " " || $0 == ":" || $0 == "：" || $0 == "-" || $0 == "*" || $0 == "#" }
    }

    /// A short line of words only, marked as a heading (`#`, `**…**`) or ending in a colon:
    /// no digit (a status line `Error 404:` is no heading), no URL.
    static func isBlockHeading(_ t: String) -> Bool {
        guard t.utf8.count <= 40, !t.contains(where: \.isNumber), !t.contains("://") else { return false }
        let words = t.trimmingCharacters(in: CharacterSet(charactersIn: "#*_: ："))
        guard !words.isEmpty, words.allSatisfy({ $0.isLetter || $0 == " " }) else { return false }
        return t.hasPrefix("#") || (t.hasPrefix("**") && t.hasSuffix("**")) || t.hasSuffix(":") || t.hasSuffix("：")
    }

    /// The text between double quotes (straight or curly) in a line that holds a status or an
    /// `Error:` head, at least a dozen characters: an error quoted in the customer's words.
    static func quotedError(_ text: String) -> String? {
        guard text.contains("\"") || text.contains("“") else { return nil }
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "\"" || $0 == "“" }) {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(where: { $0 == "\"" || $0 == "”" }) else { return nil }
            let inner = rest[after..<close].trimmingCharacters(in: .whitespaces)
            if inner.count >= 12, ErrorTextPatterns.match(ErrorTextPatterns.shared.quotedErrorHead, inner) != nil {
                return inner
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// A Markdown fence line (```` ``` ````, ```` ```json ````, `~~~`): the frame of a block, never its text.
    static func isFence(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        return t.hasPrefix("```") || t.hasPrefix("~~~")
    }

    /// A call whose answer was a success and carries no error.
    static func succeeded(_ e: Exchange) -> Bool {
        (200..<300).contains(e.status ?? 0) && e.error == nil && e.failure == nil
    }

    /// `url: 'https://…',` / `"requestUrl": "https://…"`: a URL-valued property line.
    static func isURLProperty(_ text: String) -> Bool {
        let t = text.drop { $0 == " " || $0 == "\t" }.drop { $0 == "\"" || $0 == "'" }
        let key = t.prefix { $0.isLetter || $0 == "_" }.lowercased()
        guard ["url", "requesturl", "request_url", "uri", "endpoint"].contains(key) else { return false }
        let rest = t.dropFirst(key.count).drop { $0 == "\"" || $0 == "'" || $0 == " " }
        guard rest.first == ":" || rest.first == "=" else { return false }
        let value = rest.dropFirst().drop { $0 == " " }
        return value.first == "'" || value.first == "\"" || value.hasPrefix("http")
    }

    /// Error bodies no parser could read (cut or doubly escaped): one exchange per body start.
    func looseErrors(_ units: inout [Unit], _ covered: inout Set<Int>, _ res: inout Result) {
        var i = 0
        while i < lines.count {
            let t = lines[i].text
            guard !covered.contains(i), t.contains("error"), t.contains("message"), let brace = t.firstIndex(of: "{") else { i += 1; continue }
            var j = i
            var depth = 0
            repeat {
                depth += Block.bracketDelta(j == i ? String(t[brace...]) : lines[j].text)
                j += 1
            } while depth > 0 && j < lines.count && j - i < 50 && !covered.contains(j)
            let text = ([String(t[brace...])] + lines[(i + 1)..<j].map(\.text)).joined(separator: "\n")
            guard let (err, status, statusText) = ErrorTextJSON.looseError(in: text) else { i += 1; continue }
            var u = Unit(idx: Array(i..<j))
            let pf = pat.facts(in: String(t[..<brace]))
            u.e.error = err
            u.e.status = pf.status ?? status
            u.e.statusText = pf.statusText ?? statusText
            u.e.model = pat.model(inError: err.message ?? "")
            u.e.hints.insert(.errorBodyUnparsable)
            if let c = pf.exceptionClass { u.e.hints.insert(.exception(c)) }
            units.append(u)
            covered.formUnion(i..<j)
            if res.format == "text" { res.format = "json-error" }
            i = j
        }
    }

    /// The whole text and the UTF-8 offset where each line starts.
    ///
    /// JSON pasted through a word processor or a forum arrives with typographic quotes
    /// (`“error”: {“message”: “…”}`): when its keys are quoted so, every “ and ” becomes a
    /// plain quote padded with two spaces outside the string (same byte length, so offsets
    /// still map to lines).
    func joinedText() -> (String, [Int]) {
        var starts: [Int] = []
        var off = 0
        for l in lines { starts.append(off); off += l.text.utf8.count + 1 }
        let text = lines.map(\.text).joined(separator: "\n")
        guard text.contains("\u{201C}"), Self.curlyKey.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else {
            return (text, starts)
        }
        return (text.replacingOccurrences(of: "\u{201C}", with: "  \"").replacingOccurrences(of: "\u{201D}", with: "\"  "), starts)
    }

    static let curlyKey = try! NSRegularExpression(pattern: #"\u201C\w+\u201D\s*:"#)

    func lineIndex(forByte b: Int, _ starts: [Int]) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= b { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    func source(_ i: Int) -> SourceLine {
        SourceLine(ref: SourceRef(file: path, line: lines[i].number), text: lines[i].text)
    }

    /// Fills an exchange from an error body and what was printed before it.
    func fillFromJSON(_ e: inout Exchange, _ v: JSONValue, _ err: APIError, prefix: LineFacts) {
        e.error = err
        e.responseBody = v.jsonText
        e.status = prefix.status
        e.statusText = prefix.statusText
        e.method = prefix.method
        e.url = prefix.url
        e.pathOnly = prefix.path
        if let c = prefix.exceptionClass { e.hints.insert(.exception(c)) }
        let errObj = v["error"]?.object != nil ? v["error"]! : v
        if e.status == nil, let c = errObj["code"] ?? v["code"], case .number(let n) = c, n >= 100, n < 600 { e.status = Int(n) }
        if e.status == nil, let c = err.code, c.count == 3, let n = Int(c), (100..<600).contains(n) { e.status = n }
        if e.statusText == nil, let s = errObj["status"]?.string ?? v["status"]?.string, Int(s) == nil { e.statusText = s }
        let msg = err.message ?? ""
        e.model = pat.model(in: msg) ?? ErrorTextPatterns.match(pat.modelOnlyMessage, msg)?[1] ?? v["model"]?.string
            ?? ErrorTextPatterns.quotedFamilyModel(in: msg)
        if let r = v["request_id"]?.string ?? errObj["request_id"]?.string, !r.isEmpty { e.requestID = r }
        if e.requestID == nil, let g = ErrorTextPatterns.match(pat.requestID, msg) { e.requestID = g[1] }
        if e.method == nil, let g = ErrorTextPatterns.match(pat.methodPath, msg), let m = g[1], let p = g[2] {
            e.method = m
            let t = p.trimmingCharacters(in: CharacterSet(charactersIn: ").,;:"))
            if t.hasPrefix("http") { e.url = t } else { e.pathOnly = t }
        }
        if e.url == nil, e.pathOnly == nil, let g = ErrorTextPatterns.match(pat.leadingRoute, msg) { e.pathOnly = g[1] }
        // A web framework's own error body names the path it was asked (Spring Boot:
        // `{"timestamp": …, "status": 404, "error": "Not Found", "path": "//chat/completions/v1/messages"}`).
        if e.url == nil, e.pathOnly == nil, let p = v["path"]?.string, p.hasPrefix("/"), !p.contains(" ") { e.pathOnly = p }
        if e.status == nil, case .number(let n)? = v["status"], n >= 100, n < 600 { e.status = Int(n) }
        e.readResponseBody()
    }

    /// An object that looks like a request or a relay log record (model, URL, messages).
    func isRequestLike(_ v: JSONValue) -> Bool {
        guard let o = v.object else { return false }
        return o["model"]?.string != nil || o["messages"] != nil || requestURL(v) != nil
    }

    func requestURL(_ v: JSONValue) -> String? {
        for k in ["url", "targetUrl", "target_url", "endpoint", "requestUrl", "request_url", "upstreamUrl"] {
            if let u = v[k]?.string, u.hasPrefix("http") || u.hasPrefix("/") { return u }
        }
        return nil
    }

    /// A logged request record with a URL becomes a partial exchange of its own.
    func requestUnit(_ v: JSONValue, _ span: [Int]) -> Unit? {
        guard let u = requestURL(v) else { return nil }
        var unit = Unit(idx: span)
        if u.hasPrefix("http") { unit.e.url = u } else { unit.e.pathOnly = u }
        unit.e.method = v["method"]?.string?.uppercased()
        unit.e.model = v["model"]?.string
        if case .bool(let s)? = v["stream"] { unit.e.stream = s }
        if let s = v["status"]?.string.flatMap(Int.init) ?? v["statusCode"]?.string.flatMap(Int.init) { unit.e.status = s }
        if v["messages"] != nil || v["input"] != nil { unit.e.requestBody = v.jsonText }
        unit.e.hints.insert(.loggedRequestRecord)
        return unit
    }

    /// A partial exchange from one error line.
    /// A message a logger wrapped onto an indented next line (`Model x not found,` then
    /// `    using default token size (8192)`): the sentence goes on there, and what it says
    /// after the comma can change what the message means.
    func wrapped(_ m: String, after i: Int) -> String {
        guard m.hasSuffix(","), i + 1 < lines.count else { return m }
        let next = lines[i + 1].text
        guard next.first == " " || next.first == "\t" else { return m }
        let t = next.trimmingCharacters(in: .whitespaces)
        guard let c = t.first, c.isLowercase, t.count <= 200 else { return m }
        return m + " " + t
    }

    func lineUnit(_ f: LineFacts, _ i: Int) -> Unit {
        var u = Unit(idx: [i])
        u.e.status = f.status
        u.e.statusText = f.statusText
        u.e.method = f.method
        u.e.url = f.url
        u.e.pathOnly = f.path
        // An error line quotes the name it was sent (`404 'gpt-4o' is not available`).
        u.e.model = f.model ?? (f.status != nil || f.exceptionClass != nil ? ErrorTextPatterns.quotedFamilyModel(in: f.message ?? "") : nil)
        u.e.requestID = f.requestID
        u.e.failure = f.failure
        if let c = f.exceptionClass { u.e.hints.insert(.exception(c)) }
        // The exception class is the error's type (`RateLimitError: No deployments available …`).
        // A line that states a success (`"POST /webhook" - 200 OK`) carries no error.
        let success = (200..<400).contains(f.status ?? 0) && f.exceptionClass == nil
        if f.failure == nil, !success, let m = f.message, !m.isEmpty { u.e.error = APIError(type: f.exceptionClass, message: wrapped(m, after: i)) }
        let lower = lines[i].text.lowercased()
        if lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<title>") {
            // A pasted error page: the page is the body.
            u.e.responseBody = lines[i].text
            u.e.contentType = "text/html"
            u.e.hints.insert(.contentTypeGuessed)
            u.e.error = nil
        }
        return u
    }
}
