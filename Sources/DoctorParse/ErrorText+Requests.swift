import DoctorIngest
import DoctorModel
import Foundation

/// Request lines of a pasted ticket: `GET https://…/v1/models 200` with the body pasted under
/// it, a bare `POST https://…/v1/chat/completions` next to the error it produced, a model list
/// body the customer's prose says came from `/v1/models`, and client lines that say the body
/// was not JSON.
extension ErrorTextReader {
    /// A request line that states its answer: `GET https://host/v1/models -> 200 text/html`.
    struct StatusLine {
        /// Nil when the line states only the URL and its status.
        var method: String?
        var target: String
        var status: Int
        var statusText: String?
        var contentType: String?
        /// `key=value` notes after the status (`model=x`).
        var note: String?
    }

    /// Methods a pasted request line can start with, as byte-level needles.
    static func mayHaveRequest(_ line: Line) -> Bool {
        line.contains("GET ") || line.contains("POST ") || line.contains("PUT ") || line.contains("PATCH ")
            || line.contains("DELETE ") || line.contains("HEAD ") || line.contains("OPTIONS ")
    }

    /// The request and status of a line that is only that (a label or timestamp may lead).
    func statusLine(_ text: String) -> StatusLine? {
        if text.contains("://"), let g = ErrorTextPatterns.match(pat.urlStatus, text), let t = g[1],
           let s = (g[2] ?? g[3]).flatMap({ Int($0) }) {
            return StatusLine(method: nil, target: ErrorTextMentions.trimURL(Substring(t)), status: s)
        }
        guard let g = ErrorTextPatterns.match(pat.requestStatus, text), let m = g[1], let t = g[2],
              let s = g[3].flatMap({ Int($0) }) else { return nil }
        let target = t.hasPrefix("http") ? ErrorTextMentions.trimURL(Substring(t)) : t.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:"))
        let note = g[6].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        return StatusLine(method: m, target: target, status: s, statusText: g[4], contentType: g[5]?.lowercased(), note: note)
    }

    /// A partial exchange from a status line; its body, if pasted, is added later.
    func statusUnit(_ r: StatusLine, _ i: Int) -> Unit {
        var u = Unit(idx: [i])
        u.e.method = r.method
        if r.target.hasPrefix("http") { u.e.url = r.target } else { u.e.pathOnly = r.target }
        u.e.status = r.status
        u.e.statusText = r.statusText
        u.e.contentType = r.contentType
        if let n = r.note { u.e.model = pat.model(in: n) }
        u.e.hints.insert(.requestStatusLine)
        return u
    }

    /// The status line a body starting on line `li` belongs to: the line before it (blank
    /// and fence lines between are allowed), when that call has no body yet.
    func statusLineBefore(_ li: Int, _ statusLines: [Int: Unit]) -> Int? {
        // The call's last line: its request line, or the status line under it. Blank lines
        // and fences between them do not part them (status and body pasted as two blocks).
        guard let k = lineAboveBlock(li), let key = statusLines.keys.first(where: { statusLines[$0]!.idx.max() == k }),
              let u = statusLines[key], u.e.responseBody == nil, u.e.error == nil else { return nil }
        return key
    }

    /// Adds a pasted object to the call of a status line: as its error body, its request body
    /// (an object with `messages`/`prompt`/`input`), or else its response body.
    func attach(_ v: JSONValue, to u: inout Unit, span: [Int]) -> Bool {
        u.idx += span
        if let err = ErrorTextJSON.apiError(v) {
            var pf = LineFacts()
            pf.status = u.e.status
            pf.statusText = u.e.statusText
            pf.method = u.e.method
            pf.url = u.e.url
            pf.path = u.e.pathOnly
            // The model the request itself carried (a curl command's body) stays when the
            // error names none.
            let sent = u.e.model
            fillFromJSON(&u.e, v, err, prefix: pf)
            if u.e.model == nil { u.e.model = sent }
            return true
        }
        if v["messages"] != nil || v["prompt"] != nil || v["input"] != nil {
            u.e.requestBody = v.jsonText
            if u.e.model == nil { u.e.model = v["model"]?.string }
            if case .bool(let s)? = v["stream"] { u.e.stream = s }
            return false
        }
        u.e.responseBody = v.jsonText
        u.e.readResponseBody()
        return false
    }

    // MARK: Model list bodies named by prose

    /// An object that reads as a model list: `{"data":[…]}`, `{"models":[…]}`,
    /// `{"model_names":[…]}` and the like (an array of names or of objects with an id/name),
    /// or a bare array of such objects.
    static func looksLikeModelList(_ v: JSONValue) -> Bool {
        // A bare array of model objects (`[{"id":"a"},{"id":"b"}]`).
        if let arr = v.array {
            return !arr.isEmpty && arr.allSatisfy { $0["id"]?.string != nil || $0["name"]?.string != nil || $0["model"]?.string != nil }
        }
        guard let o = v.object, o["error"] == nil else { return false }
        for (k, value) in o {
            guard let arr = value.array else { continue }
            let key = k.lowercased()
            guard key.contains("model") || ["data", "items", "list", "result", "results"].contains(key) else { continue }
            if arr.isEmpty { return true }
            if arr.allSatisfy({ $0.string != nil && $0.string!.count <= 200 }) { return true }
            if arr.allSatisfy({ $0["id"] != nil || $0["name"] != nil || $0["model"] != nil }) { return true }
        }
        return false
    }

    /// The line nearest to `li` (before it first) whose words name a `…/models` list URL or
    /// path and carry no error status: where the prose says a pasted list came from.
    func modelsMention(near li: Int, covered: Set<Int>) -> (line: Int, target: String)? {
        let order = (0..<lines.count).filter { !covered.contains($0) && $0 != li }
            .sorted { (abs($0 - li) + ($0 > li ? 1 : 0), $0) < (abs($1 - li) + ($1 > li ? 1 : 0), $1) }
        for i in order {
            guard lines[i].contains("models") else { continue }
            let f = pat.facts(in: lines[i].text)
            if (f.status ?? 200) >= 300 || f.exceptionClass != nil || f.failure != nil { continue }
            if let t = Self.modelsTarget(in: lines[i].text) { return (i, t) }
        }
        return nil
    }

    /// The first URL or path in a text that lists models (`https://h/v1/models`, `/v1/models`).
    static func modelsTarget(in text: String) -> String? {
        for raw in text.split(whereSeparator: { $0.isWhitespace || "，。；、()（）,;[]{}<>|\"'`“”".contains($0) }) {
            let token = raw.hasPrefix("http") ? ErrorTextMentions.trimURL(raw)
                : raw.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?：。"))
            guard token.hasPrefix("http") || token.hasPrefix("/") else { continue }
            var e = Exchange()
            if token.hasPrefix("http") { e.url = token } else { e.pathOnly = token }
            if e.isModelListCall { return token }
        }
        return nil
    }

    /// A 2xx status the prose states as a number (`answers /v1/models with 200`).
    func statedSuccess(in text: String) -> Int? {
        for w in text.split(whereSeparator: { !$0.isNumber }) where w.count == 3 {
            if let n = Int(w), (200..<300).contains(n), isStandalone(w, in: text) { return n }
        }
        return nil
    }

    /// A pasted model list that no status line owns: its URL/path and 2xx status come from
    /// the prose that names the `/models` call; a list of another shape needs that prose.
    func pastedListUnit(_ v: JSONValue, _ span: [Int], covered: Set<Int>, context: inout Set<Int>) -> Unit? {
        let ids = ResponseBody.listedModels(from: v)
        let openAIShape = ids != nil && (v["data"]?.array?.first?.object != nil || ids!.isEmpty)
        guard openAIShape || Self.looksLikeModelList(v) else { return nil }
        let mention = modelsMention(near: span[0], covered: covered)
        guard openAIShape || mention != nil else { return nil }
        var u = Unit(idx: span)
        u.e.responseBody = v.jsonText
        u.e.hints.insert(.pastedModelList)
        if let (i, target) = mention {
            context.insert(i)
            if target.hasPrefix("http") { u.e.url = target } else { u.e.pathOnly = target }
            u.e.status = statedSuccess(in: lines[i].text) ?? (span[0] > 0 ? statedSuccess(in: lines[span[0] - 1].text) : nil)
            u.e.readResponseBody()
        } else {
            u.e.listedModels = ids
        }
        return u
    }

    // MARK: Bare request lines and decode errors

    /// Method and URL/path of a line that is only a request (`POST https://…`).
    func bareRequest(_ text: String) -> (method: String, target: String)? {
        guard let g = ErrorTextPatterns.match(pat.bareRequest, text), let m = g[1], let t = g[2] else { return nil }
        return (m, t.hasPrefix("http") ? ErrorTextMentions.trimURL(Substring(t)) : t)
    }

    /// A request with no answer of its own: a bare request line (`POST https://…`), or a
    /// `curl …` command whose output the paste does not show (its lines and its body's model).
    struct BareRequest {
        var i: Int
        var method: String
        var target: String
        var model: String?
        var lines: [Int] = []
        var credential: String?
    }

    /// Gives the paste's one bare request line to its one error, wherever the two stand.
    /// - Returns: false when the paste has not exactly one of each (the caller then pairs by
    ///   distance).
    func pairSingleRequest(_ requests: [BareRequest], _ units: inout [Unit]) -> Bool {
        guard requests.count == 1, let r = requests.first else { return false }
        let errors = units.indices.filter { k in
            let e = units[k].e
            return e.error != nil || (e.status ?? 0) >= 400 || e.failure != nil
        }
        guard errors.count == 1, let k = errors.first, units[k].e.url == nil, units[k].e.pathOnly == nil else { return false }
        if units[k].e.method == nil || units[k].e.method == r.method {
            units[k].e.method = r.method
            if r.target.hasPrefix("http") { units[k].e.url = r.target } else { units[k].e.pathOnly = r.target }
            if units[k].e.model == nil { units[k].e.model = r.model }
            if units[k].e.credential == nil { units[k].e.credential = r.credential }
            units[k].idx += [r.i] + r.lines
            return true
        }
        return false
    }

    /// A request line the pairing did not place: it details the error within four lines above
    /// it, or becomes a partial exchange of its own.
    func placeRequest(_ r: BareRequest, _ units: inout [Unit]) {
        if let k = units.lastIndex(where: { $0.idx.contains { abs($0 - r.i) <= 4 } && $0.first < r.i }) {
            if units[k].e.url == nil && units[k].e.pathOnly == nil {
                if r.target.hasPrefix("http") { units[k].e.url = r.target } else { units[k].e.pathOnly = r.target }
            }
            if units[k].e.method == nil { units[k].e.method = r.method }
            if units[k].e.model == nil { units[k].e.model = r.model }
            if units[k].e.credential == nil { units[k].e.credential = r.credential }
            units[k].idx += [r.i] + r.lines
            return
        }
        guard !r.lines.isEmpty else {
            units.append(lineUnit(pat.facts(in: lines[r.i].text), r.i))
            return
        }
        // A command alone: a request whose outcome the paste does not show.
        var u = Unit(idx: r.lines)
        u.e.method = r.method
        if r.target.hasPrefix("http") { u.e.url = r.target } else { u.e.pathOnly = r.target }
        u.e.model = r.model
        u.e.credential = r.credential
        units.append(u)
    }

    /// Client messages that mean the body was not JSON (an HTML page where JSON was due).
    static func isDecodeError(_ line: Line) -> Bool {
        line.contains("Could not read JSON from response data") || line.contains("'str' object has no attribute")
            || line.contains("JSONDecodeError") || line.contains("Expecting value: line 1 column 1")
            || line.contains("Unexpected token '<'") || line.contains("Unexpected token <")
            || line.contains("is not valid JSON") && line.contains("<")
    }

    /// The call a decode error belongs to: the one successful call with no error, if any.
    func decodeErrorOwner(_ units: [Unit]) -> Int? {
        let ok = units.indices.filter { k in
            let e = units[k].e
            return e.error == nil && e.failure == nil && (200..<300).contains(e.status ?? 0)
        }
        return ok.count == 1 ? ok.first : nil
    }
}
