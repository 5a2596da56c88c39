import DoctorIngest
import DoctorModel
import Foundation

/// Tracebacks, JS stacks, access lines, prose signals and the final exchange list.
extension ErrorTextReader {
    /// Up to this many lines, a text is a pasted ticket whose prose lines are `ticket-text`.
    static let maxTicketLines = 200
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    /// Claims traceback frames and stack lines (not prose) and turns uvicorn / GIN / nginx
    /// access lines into exchanges; a traceback through httpcore's connect becomes a failure.
    func markStacksAndAccessLines(_ units: inout [Unit], _ covered: inout Set<Int>, _ res: inout Result,
                                  _ tracebackCalls: inout [(line: Int, call: String)]) {
        var i = 0
        while i < lines.count {
            let t = lines[i].text
            // A log prefix may come first (`[04:06:20] [Core] [ERRO] …: Traceback (most recent call last):`).
            if t.contains("Traceback (most recent call last)") {
                // Frames are indented; a paste often puts a blank line between them.
                var j = i + 1
                while j < lines.count {
                    if let f = lines[j].text.first, f == " " || f == "\t" { j += 1; continue }
                    if lines[j].text.allSatisfy(\.isWhitespace), let k = lines[(j + 1)...].firstIndex(where: { !$0.text.allSatisfy(\.isWhitespace) }),
                       let f = lines[k].text.first, f == " " || f == "\t" {
                        j = k
                        continue
                    }
                    break
                }
                let frames = lines[i..<j].map(\.text).joined(separator: "\n")
                covered.formUnion(i..<j)
                if res.format == "text" { res.format = "traceback" }
                // The exception line: the next non-blank line after the frames.
                let last = lines[j...].firstIndex { !$0.text.allSatisfy(\.isWhitespace) }
                let finalLine = last.map { lines[$0].text } ?? ""
                let finalFacts = pat.facts(in: finalLine)
                let call = Self.sdkCall(inFrames: frames)
                let connectFrames = (frames.contains("httpcore") || frames.contains("httpx") || frames.contains("urllib3") || frames.contains("aiohttp"))
                    && Self.hasConnectStep(frames)
                let bare = finalFacts.failure == nil && finalFacts.status == nil && finalFacts.exceptionClass == nil
                if connectFrames && finalFacts.failure == nil && finalFacts.status == nil {
                    var u = Unit(idx: Array(i..<j))
                    // Inside a timeout's scope (anyio's `fail_after`, which httpcore opens around
                    // the connect step for its connect timeout): the connect timed out.
                    let timedOut = frames.contains("in fail_after") || frames.contains("in move_on_after")
                    let what = !finalLine.isEmpty ? finalLine
                        : timedOut ? "traceback ends in the HTTP client's connect step inside its timeout (cut before the exception line)"
                        : "traceback ends in the HTTP client's connect step (cut before the exception line)"
                    u.e.failure = Failure(timedOut ? .timeout : .connectionError, what)
                    u.e.hints.insert(.tracebackConnect)
                    if let c = call { u.e.hints.insert(.sdkCall(c)) }
                    units.append(u)
                } else if bare, frames.contains("_make_status_error") || frames.contains("raise APIStatusError") {
                    // The SDK raised its HTTP status error and the paste ends (or wanders off)
                    // before the exception line: a call failed, its status is unknown.
                    var u = Unit(idx: Array(i..<j))
                    u.e.error = APIError(type: "APIStatusError", message: "the SDK raised an HTTP status error (the exception line is not in the paste)")
                    if let c = call { u.e.hints.insert(.sdkCall(c)) }
                    units.append(u)
                } else if let c = call, let k = last {
                    // The exception line is read below as its own error: it keeps the SDK call.
                    tracebackCalls.append((k, c))
                }
                i = j
                continue
            }
            if Block.isStackLine(t) || t.hasPrefix("  File \"") {
                covered.insert(i)
            } else if let u = accessUnit(t, i) {
                units.append(u)
                covered.insert(i)
            }
            i += 1
        }
    }

    /// Whether a traceback went through the HTTP client's connect step: a frame *in* a connect
    /// function (`in _connect`, `in connect_tcp`, `in create_connection`), a source line calling
    /// one, or a connect error class. Not any frame that merely names a connection: every httpcore request passes
    /// through `connection_pool.py` and `self._connection.handle_request`, also when the
    /// request was sent and then timed out waiting for the answer.
    static func hasConnectStep(_ frames: String) -> Bool {
        if frames.contains("connect_tcp") || frames.contains("ConnectError") || frames.contains("create_connection") { return true }
        // A frame's source line calling into it (`stream = self._connect(request)`), the paste
        // cut right there.
        if frames.contains("._connect(") || frames.contains(" _connect(") { return true }
        return frames.split(separator: "\n").contains { line in
            guard let r = line.range(of: ", in ", options: .backwards) else { return false }
            let fn = line[r.upperBound...].trimmingCharacters(in: .whitespaces)
            return fn == "connect" || fn == "_connect" || fn.hasPrefix("_connect_") || fn.hasPrefix("connect_")
        }
    }

    /// The openai SDK method a traceback went through (`models.list`, `chat.completions.create`):
    /// from the SDK's resource frames (`…/openai/resources/models.py", line 91, in list`), else
    /// from the caller's source line (`models = await self.client.models.list()`).
    static func sdkCall(inFrames frames: String) -> String? {
        var call: String?
        let ns = frames as NSString
        for m in resourceFrame.matches(in: frames, range: NSRange(location: 0, length: ns.length)) {
            var parts: [String] = []
            for p in ns.substring(with: m.range(at: 1)).split(separator: "/") where parts.last != String(p) { parts.append(String(p)) }
            let fn = ns.substring(with: m.range(at: 2))
            if !fn.hasPrefix("_") { call = (parts + [fn]).joined(separator: ".") }
        }
        if call != nil { return call }
        for m in sourceCall.matches(in: frames, range: NSRange(location: 0, length: ns.length)) {
            call = ns.substring(with: m.range(at: 1))
        }
        return call
    }

    static let resourceFrame = try! NSRegularExpression(pattern: #"/openai/resources/([\w/]+)\.py", line \d+, in (\w+)"#)
    static let sourceCall = try! NSRegularExpression(
        pattern: #"\.((?:beta\.)?(?:chat\.completions|completions|embeddings|models|responses|images|audio\.\w+)\.(?:create|list|retrieve|generate|parse|stream))\("#)

    /// `INFO: 1.2.3.4:5 - "POST /v1/chat/completions HTTP/1.1" 404 Not Found`, nginx combined
    /// lines, and `[GIN] … | 404 | … | POST "/v1/chat/completions"`.
    func accessUnit(_ t: String, _ i: Int) -> Unit? {
        if t.contains("\" "), t.contains(" HTTP/"), let q = t.firstIndex(of: "\"") {
            let inner = t[t.index(after: q)...].prefix { $0 != "\"" }
            let parts = inner.split(separator: " ")
            guard parts.count == 3, Self.methods.contains(String(parts[0])), parts[2].hasPrefix("HTTP/") else { return nil }
            let afterStart = t.index(q, offsetBy: inner.count + 2, limitedBy: t.endIndex) ?? t.endIndex
            let after = t[afterStart...]
            let words = after.split(separator: " ")
            guard let s = words.first.flatMap({ Int($0) }), (100..<600).contains(s) else { return nil }
            var u = Unit(idx: [i])
            u.e.method = String(parts[0]); u.e.pathOnly = String(parts[1]); u.e.status = s
            let rest = words.dropFirst().prefix { $0.first?.isLetter == true }.joined(separator: " ")
            if !rest.isEmpty { u.e.statusText = rest }
            u.e.hints.insert(.accessLine)
            return u
        }
        if t.hasPrefix("[GIN]") {
            let cols = t.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let s = cols.lazy.compactMap({ Int($0) }).first(where: { (100..<600).contains($0) }), let last = cols.last else { return nil }
            let mp = last.split(separator: " ", omittingEmptySubsequences: true)
            guard mp.count >= 2, Self.methods.contains(String(mp[0])) else { return nil }
            var u = Unit(idx: [i])
            u.e.method = String(mp[0]); u.e.pathOnly = mp[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")); u.e.status = s
            u.e.hints.insert(.accessLine)
            return u
        }
        return nil
    }

    /// Whether the next non-blank line is a `Provider:` label (Continue's error details put the
    /// model's title above it).
    func nextLineNamesProvider(after line: Line) -> Bool {
        guard let i = lines.firstIndex(where: { $0.number == line.number }) else { return false }
        guard let next = lines[(i + 1)...].first(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }) else { return false }
        return next.text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("provider:")
    }

    /// Signals of one line: the customer's words, Docker, base URL, proxy, models, upgrades.
    func mentions(_ text: String, at line: Line, prose: Bool, into signals: inout [Signal]) {
        let src = SourceLine(ref: SourceRef(file: path, line: line.number), text: text)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        // A long file that fell back to this reader is a log, not the customer's words.
        if prose, lines.count <= Self.maxTicketLines, trimmed.contains(where: \.isLetter) {
            signals.append(Signal(name: .ticketText, value: trimmed, line: src))
        }
        if ErrorTextMentions.mentionsDocker(lower) { signals.append(Signal(name: .docker, line: src)) }
        if lower.contains("http"), let u = ErrorTextMentions.baseURL(in: trimmed) {
            signals.append(Signal(name: .configuredBaseURL, value: u, line: src))
        }
        // Only a real proxy setting (a proxy variable, or a proxy's address): "API proxy
        // address" / "API 代理地址" is a client's name for the base URL.
        if lower.contains("prox") || trimmed.contains("代理"), let p = ErrorTextMentions.proxy(in: trimmed) {
            signals.append(Signal(name: .proxyEnv, value: p, line: src))
        }
        if ErrorTextMentions.mentionsUpgrade(lower) { signals.append(Signal(name: .clientUpgraded, value: trimmed, line: src)) }
        // A model list the server quoted in its error is its catalog, whoever pasted it.
        if let ids = ErrorTextMentions.quotedModelList(in: trimmed) {
            for id in ids { signals.append(Signal(name: .catalogModel, value: id, line: src)) }
        }
        // An app log read here (no SDK lines to claim it) that prints the list the client got
        // (`model list refreshed: 3 models ['a', 'b', 'c']`): the catalog, as the SDK log's
        // reader takes it.
        if let ids = PyAppFacts.listedModels(in: trimmed) {
            signals.append(Signal(name: .clientListedCount, value: String(ids.count), line: src))
            for id in ids { signals.append(Signal(name: .catalogModel, value: id, line: src)) }
        }
        if let id = ErrorTextMentions.registeredModel(in: trimmed) {
            signals.append(Signal(name: .catalogModel, value: id, line: src))
        }
        if let id = ErrorTextMentions.localListingRow(in: trimmed) {
            signals.append(Signal(name: .catalogModel, value: id, line: src))
            signals.append(Signal(name: .localListedModel, value: id, line: src))
        }
        if let m = ErrorTextMentions.switchedModel(in: trimmed) {
            signals.append(Signal(name: .mentionedModel, value: m, line: src))
            signals.append(Signal(name: .configuredModel, value: m, line: src))
        }
        guard prose else {
            // A pasted config (`"default_open_ai_model": "gpt-3.5-turbo"`) names the model too.
            // A config dict in code (`config={'api_key': …, 'model': 'x'}`, `llm_config = {"model":
            // …}`, `config_list=[{"model": …}]`) sets the model with the bare key too.
            let inConfig = ErrorTextMentions.configDict.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed)) != nil
            for m in ErrorTextMentions.configuredModels(in: trimmed, namedOnly: !inConfig) { signals.append(Signal(name: .configuredModel, value: m, line: src)) }
            return
        }
        var models = ErrorTextMentions.models(inProse: trimmed)
        for flag in ["--model ", "--model=", "--served-model-name ", " -m "] {
            if let r = trimmed.range(of: flag) {
                let v = trimmed[r.upperBound...].prefix { !$0.isWhitespace }
                // `-m` is a model only where its value reads as a model id (`-m org/Name-7B`), not
                // a module (`python -m pip`, `-m vllm.entrypoints…`).
                if flag == " -m " && (trimmed[..<r.lowerBound].contains("python") || !v.contains(where: { "/-:".contains($0) })) { continue }
                if !v.isEmpty, !models.contains(String(v)) { models.append(String(v)) }
            }
        }
        for m in models { signals.append(Signal(name: .mentionedModel, value: m, line: src)) }
        for m in ErrorTextMentions.configuredModels(in: trimmed) { signals.append(Signal(name: .configuredModel, value: m, line: src)) }
        if let g = ErrorTextPatterns.match(ErrorTextMentions.modelLabelLine, trimmed), let m = g[1], !nextLineNamesProvider(after: line) {
            signals.append(Signal(name: .configuredModel, value: m, line: src))
        }
        for m in ErrorTextMentions.disabledModels(in: trimmed) { signals.append(Signal(name: .disabledModel, value: m, line: src)) }
        for w in trimmed.split(whereSeparator: { !$0.isNumber }) where w.count == 3 {
            if let n = Int(w), (400..<600).contains(n), isStandalone(w, in: trimmed) {
                signals.append(Signal(name: .mentionedStatus, value: String(n), line: src))
            }
        }
    }

    /// A 3-digit number not part of a version, port, path or longer token. Chinese writes a
    /// status against its words (`报错404`, `报404错误`): only a Latin letter joins a token.
    func isStandalone(_ w: Substring, in s: String) -> Bool {
        if let b = s[..<w.startIndex].last, (b.isASCII && b.isLetter) || ".:/-_".contains(b) { return false }
        guard w.endIndex < s.endIndex else { return true }
        let a = s[w.endIndex]
        if (a.isASCII && a.isLetter) || ":/-_%".contains(a) { return false }
        if a == "." {
            let next = s.index(after: w.endIndex)
            if next < s.endIndex, s[next].isNumber { return false }
        }
        return true
    }

    static func failureOnly(_ e: Exchange) -> Bool {
        e.failure != nil && e.status == nil && e.error == nil && e.method == nil
    }

    /// Evidence, sources and `missing`, then one exchange per distinct error, in text order.
    func finish(_ units: [Unit]) -> [Exchange] {
        var seen = Set<String>()
        var out: [Exchange] = []
        // Consecutive failure-only lines (the customer's "can't connect" and the client's
        // "Couldn't connect to … at URL") are one failure.
        var merged: [Unit] = []
        for u in units.sorted(by: { $0.first < $1.first }) {
            if let prev = merged.last, Self.failureOnly(prev.e), Self.failureOnly(u.e), u.first - (prev.idx.max() ?? 0) <= 4 {
                var m = u
                if m.e.url == nil { m.e.url = prev.e.url }
                if m.e.url == prev.e.url || u.e.url == nil && prev.e.url != nil { m.e.failure = prev.e.url != nil ? prev.e.failure : u.e.failure }
                m.idx += prev.idx
                merged[merged.count - 1] = m
            } else {
                merged.append(u)
            }
        }
        for var u in merged {
            let idx = Array(Set(u.idx)).sorted()
            if u.e.lines.isEmpty { u.e.lines = idx.prefix(200).map(source) }
            if let a = idx.first, let b = idx.last {
                u.e.sources = [SourceRef(file: path, line: lines[a].number, endLine: lines[b].number)]
            }
            u.e.sourceKinds = [.errorText]
            if u.e.status == nil && u.e.failure == nil { u.e.missing.append(.statusNotInPaste) }
            if u.e.url == nil && u.e.pathOnly == nil { u.e.missing.append(.urlNotInPaste) }
            if u.e.model == nil { u.e.missing.append(.modelNotInPaste) }
            let key = [u.e.status.map(String.init) ?? "", u.e.error?.message ?? "", u.e.error?.code ?? "", u.e.model ?? "",
                       u.e.url ?? u.e.pathOnly ?? "", u.e.failure?.message ?? "", u.e.method ?? ""].joined(separator: "\u{1}")
            if seen.insert(key).inserted { out.append(u.e) }
        }
        return out
    }
}
