import DoctorModel
import DoctorRedact
import DoctorRules
import Foundation

/// Reads the failures of a bundle through the message families (`rules/families.yaml`) and
/// adds what the rules alone would miss:
///
/// - **candidates**: a failure whose wording belongs to a taxonomy family proposes that
///   family's causes, weighted, filtered by the structural facts of the failing call (the
///   version segment and endpoint of its URL, or of the URL or request line quoted beside the
///   error). They rank below any rule finding of higher score, and fill the top three.
/// - **outside the taxonomy**: a failure of another kind (context length, rate limit, content
///   filter…) is named at `info`, so it is neither silence nor mistaken for a model problem.
/// - **unexplained failure**: a call failed and nothing else was found — a `low` pointer that
///   names the status, endpoint and family, never "no problem found".
enum FamilyTriage {
    /// One failure read through the families.
    struct Failure {
        var family: MessageFamilies.Family?
        var line: SourceLine
        var exchange: Int?
        var status: Int?
        var shape: PathShape?
        var text: String
    }

    /// - Parameter versionless: services that answer at their root without a version segment
    ///   (`providers:` with `versionless: true`): no version is missing from their paths.
    static func findings(existing: [Finding], bundle: TicketBundle, families: MessageFamilies,
                         versionless: [AliasTables.Provider] = [], lang: Lang, redactor: Redactor) -> [Finding] {
        var failures = collect(bundle, families, versionless: versionless)
        if failures.isEmpty {
            // Nothing failed in the paste: the customer's own statement of the symptom, if any,
            // proposes the symptom's usual causes (only when no rule found anything).
            guard !existing.contains(where: { $0.severity >= .low }), let f = statedSymptom(bundle, families) else { return [] }
            failures = [f]
        }
        var out: [Finding] = []
        // What the customer says around the failure ("all models fail", "other models work"),
        // typed by the packs' `cues:`: candidates weigh the cue, not the raw prose (the same
        // reading as the fact `ticket.cues`).
        let cues = families.ticketCues(pasted: bundle.pastedLines, signals: bundle.signals)
        // Read from the calls only when a family asks for it (one pass over every call).
        var working: Working?
        func workingCues(_ f: Failure) -> Set<String> {
            if working == nil { working = Working(bundle) }
            return working?.cues(f, bundle) ?? []
        }
        var proposed = Set(existing.map(\.cause))
        let pointerOnly = proposed.filter { c in existing.allSatisfy { $0.cause != c || $0.severity <= .low } }
        let configuredHosts = bundle.signals.filter { $0.name == .configuredBaseURL }.compactMap { $0.value.flatMap { URLParts(url: $0).host } }
        // Candidates fill the report up to three distinct causes: enough to tell apart, not a list.
        var room = max(0, 3 - proposed.count)
        var named = Set<String>()
        // Candidates are scored, not first come: every failure's family proposes its causes
        // with their weights, and the best weight per cause wins; the report takes the
        // heaviest causes up to the room left. A weak default of the first failure in the
        // paste (a title line's "fetching models failed") does not crowd out a strong reading
        // of a later one (the request URL with `/v3/v1/models`). A large log repeats a few
        // failures: at most `considered` of them are read.
        struct Pick { var weight: Double; var order: Int; var c: MessageFamilies.Candidate; var f: Failure; var fam: MessageFamilies.Family }
        func propose(_ fs: [Failure], pick family: (Failure) -> MessageFamilies.Family?) {
            var best: [String: Pick] = [:]
            var order = 0
            for f in fs.prefix(considered) {
                guard let fam = family(f) else { continue }
                if fam.outside {
                    guard named.insert(fam.name).inserted else { continue }
                    out.append(make(rule: "family/\(fam.name)", cause: "outside-taxonomy", severity: .info, confidence: 0.8,
                                    subject: fam.name, title: fam.title.text(lang), message: outsideMessage(fam, f, lang),
                                    fix: lang == .zh ? "这不是模型列表或模型名称问题：按该错误本身处理。" : "This is not a model-list or model-name problem: handle the error itself.",
                                    f, bundle: bundle, redactor: redactor))
                    continue
                }
                let hosts = configuredHosts + (f.exchange.flatMap { bundle.exchanges[$0].urlParts?.host }.map { [$0] } ?? [])
                let method = f.exchange.flatMap { bundle.exchanges[$0].method }
                let cues = Working.asked(by: fam) ? cues.union(workingCues(f)) : cues
                // A cause the rules name only as a pointer (`low`) is still open to a family's
                // firm reading of it (a medium candidate): the stronger reading is reported.
                for c in fam.candidates where (!proposed.contains(c.cause) || (c.weight >= 0.6 && fam.fallback == nil && pointerOnly.contains(c.cause)))
                    && holds(c.when, f, cues: cues, hosts: hosts, method: method) {
                    order += 1
                    if let b = best[c.cause], b.weight >= c.weight { continue }
                    best[c.cause] = Pick(weight: c.weight, order: order, c: c, f: f, fam: fam)
                }
            }
            let ranked = best.values.sorted { ($0.weight, -$0.order) > ($1.weight, -$1.order) }
            let chosen = ranked.filter { proposed.contains($0.c.cause) } + ranked.filter { !proposed.contains($0.c.cause) }.prefix(room)
            for p in chosen.sorted(by: { $0.order < $1.order }) {
                if proposed.insert(p.c.cause).inserted { room -= 1 }
                // A fallback is a pointer, never a diagnosis: `low` whatever its weight.
                let severity: Severity = p.c.weight >= 0.6 && p.fam.fallback == nil ? .medium : .low
                out.append(make(rule: "family/\(p.fam.name)", cause: p.c.cause, severity: severity, confidence: p.c.weight,
                                subject: p.fam.name, title: candidateTitle(p.fam, p.c, lang), message: candidateMessage(p.fam, p.f, lang),
                                fix: p.fam.tell.map { (lang == .zh ? "请客户提供：" : "Ask the customer for: ") + $0.text(lang) } ?? "",
                                p.f, bundle: bundle, redactor: redactor))
            }
        }
        // What a call answered outranks what the customer's words or a loose pasted line say:
        // the calls' failures propose first, the rest fill the room they leave.
        let stated = { (f: Failure) in isStated(f, bundle) }
        propose(failures.filter { !stated($0) }) { $0.family }
        propose(failures.filter(stated)) { $0.family }
        // A failure no family explains (its wording is unknown, or its family's candidates need
        // a path the paste does not show): its status and path alone propose the usual causes
        // (`fallback: failure` family), but only when nothing else explains a failure or names
        // one as outside the taxonomy.
        let fallbackRules = Set(families.families.filter { $0.fallback != nil }.map { "family/\($0.name)" })
        let settled = (existing + out).contains { $0.cause == "outside-taxonomy" || ($0.severity >= .low && !fallbackRules.contains($0.rule)) }
        if !settled, let unmatched = families.fallback(.failure) {
            propose(failures.filter { $0.family?.fallback == nil }) { _ in unmatched }
        }
        // Fallback candidates do not explain a failure: the pointer follows them.
        let diagnosed = (existing + out).contains { $0.cause != "outside-taxonomy" && $0.severity >= .low && !fallbackRules.contains($0.rule) }
        if !diagnosed, !out.contains(where: { $0.cause == "outside-taxonomy" }),
           let f = failures.first, f.family?.fallback != .symptom {
            out.append(make(rule: "unexplained-failure", cause: "unexplained-failure", severity: .low, confidence: 0.3,
                            subject: nil, title: unexplainedTitle(f, lang), message: unexplainedMessage(f, lang),
                            fix: lang == .zh ? "请客户提供完整的请求 URL、HTTP 状态码和错误响应原文。"
                                : "Ask the customer for the full request URL, the HTTP status and the error body as received.",
                            f, bundle: bundle, redactor: redactor))
        }
        return out
    }

    /// The routes the bundle's own calls show working: per host (nil: calls that show none),
    /// whether a chat route (`/chat/completions`, Ollama's `/api/generate`) and a list route
    /// (`/models`, `/api/tags`) answered 2xx. One pass over the calls.
    struct Working {
        var chat: Set<String?> = []
        var list: Set<String?> = []

        init(_ bundle: TicketBundle) {
            // A large log repeats a few URLs: each distinct one is read once.
            var seen = Set<String>()
            for e in bundle.exchanges {
                guard let st = e.status, (200..<300).contains(st), let u = e.url ?? e.pathOnly else { continue }
                if seen.count < 4096 { guard seen.insert(u).inserted else { continue } }
                let parts = e.urlParts
                guard let path = routePath(parts, e.pathOnly) else { continue }
                if isChatRoute(path) { chat.insert(parts?.host) }
                if isListRoute(path) { list.insert(parts?.host) }
            }
        }

        /// Whether a family's candidates weigh a cue the calls can give.
        static func asked(by fam: MessageFamilies.Family) -> Bool {
            fam.candidates.contains { c in
                c.when.contains { p in
                    switch p {
                    case .cue(let n), .noCue(let n): return n == "chat-works" || n == "list-works"
                    default: return false
                    }
                }
            }
        }

        /// A host matches itself, and a call that shows no host matches any.
        static func holds(_ m: Set<String?>, _ host: String?) -> Bool {
            host == nil ? !m.isEmpty : (m.contains(host) || m.contains(nil))
        }

        /// What the working calls say about a failure, named as the cues the customer's words
        /// give: a chat route working on its host while it asked another route is "chat works",
        /// a list route "list works". The base URL reached the server then; the route that
        /// failed is what it lacks. A failure with no call of its own (stated in the paste) is
        /// read against the bundle's first failed call that shows a path.
        func cues(_ f: Failure, _ bundle: TicketBundle) -> Set<String> {
            guard !chat.isEmpty || !list.isEmpty else { return [] }
            let failed = f.exchange.map { bundle.exchanges[$0] }
                ?? bundle.exchanges.first { ($0.status ?? 0) >= 400 && FamilyTriage.routePath($0.urlParts, $0.pathOnly) != nil }
            // Only a route the server does not serve (404, 501, or no answer read): a 405, or a
            // GET on a chat route (a browser opening it), found the route and the method was
            // wrong; a 400 or 422 was read, and its body is what failed.
            guard let failed else { return [] }
            let parts = failed.urlParts
            guard let path = FamilyTriage.routePath(parts, failed.pathOnly), failed.status.map({ [404, 501].contains($0) }) ?? true,
                  !(failed.method?.uppercased() == "GET" && FamilyTriage.isChatRoute(path)) else { return [] }
            let host = parts?.host
            var out: Set<String> = []
            if !FamilyTriage.isChatRoute(path), Self.holds(chat, host) { out.insert("chat-works") }
            if !FamilyTriage.isListRoute(path), Self.holds(list, host) { out.insert("list-works") }
            return out
        }
    }

    /// The path a call asked, lower-cased, without its query.
    static func routePath(_ parts: URLParts?, _ pathOnly: String?) -> String? {
        guard let p = parts?.path ?? pathOnly, p.hasPrefix("/") else { return nil }
        return String(p.lowercased().prefix { $0 != "?" })
    }

    static func isChatRoute(_ p: String) -> Bool { Endpoint.isChatRoute(p) }

    static func isListRoute(_ p: String) -> Bool { Endpoint.isListRoute(p) }

    // MARK: - Reading failures

    static let urlPattern = try! NSRegularExpression(pattern: #"https?://[^\s"'<>`)\]}，。]+"#)
    static let requestLine = try! NSRegularExpression(pattern: #"\b(GET|POST|PUT|DELETE|PATCH)\s*(/[^\s"'<>`)\]}，。]*)"#)
    /// A 4xx/5xx number standing alone: not inside a version, port, path, hex digest or id
    /// (`…c494d9…` in a signature is no status). A Chinese word may touch it (`报错404`).
    static let statusPattern = try! NSRegularExpression(pattern: #"(?<![\dA-Za-z_.:/-])([45]\d\d)(?![\dA-Za-z_.:/-])"#)

    /// How many failures of each list `findings` proposes from are read: a large log repeats
    /// a few failures.
    static let considered = 256

    /// The failure was stated in the customer's prose (or pasted), not answered by a call.
    static func isStated(_ f: Failure, _ bundle: TicketBundle) -> Bool { isStated(exchange: f.exchange, bundle) }

    static func isStated(exchange: Int?, _ bundle: TicketBundle) -> Bool {
        exchange.map { bundle.exchanges[$0].hints.contains(.statedInProse) } ?? true
    }

    /// The failures `findings` reads, in bundle order: the first `considered` of each list it
    /// proposes from (the failures not stated in prose, those stated, those no family with
    /// a fallback explains) and so the first of all. A failure past those in every list is
    /// never read, and a dense log has one per failed call: it is not kept.
    static func collect(_ bundle: TicketBundle, _ families: MessageFamilies, versionless: [AliasTables.Provider] = []) -> [Failure] {
        var out: [Failure] = []
        var seen = (stated: 0, unstated: 0, unmatched: 0)
        // The families of every failure met, kept or not.
        var familiesMet = Set<String>()
        /// Whether a failure of `family` is kept; counts it in its lists.
        func admit(_ family: MessageFamilies.Family?, exchange: Int?) -> Bool {
            if let n = family?.name { familiesMet.insert(n) }
            var keep = false
            if isStated(exchange: exchange, bundle) {
                keep = seen.stated < considered
                seen.stated += 1
            } else {
                keep = seen.unstated < considered
                seen.unstated += 1
            }
            if family?.fallback == nil {
                keep = keep || seen.unmatched < considered
                seen.unmatched += 1
            }
            return keep
        }
        // A large log repeats a few error wordings and URLs thousands of times: each distinct
        // text is matched against the families' regexes once (memos bounded: all-distinct texts
        // are only matched, not kept).
        let memoLimit = 4096
        var matched: [String: MessageFamilies.Family?] = [:]
        var quoted: [String: PathShape?] = [:]
        var shapes: [String: PathShape] = [:]
        /// A provider that answers at its host's root (`versionless`) lacks no version.
        func answered(_ shape: PathShape?) -> PathShape? { shape?.answered(by: versionless) }
        func pathShape(_ url: String) -> PathShape {
            if let s = shapes[url] { return s }
            let s = PathShape(url: url).answered(by: versionless)
            if shapes.count < memoLimit { shapes[url] = s }
            return s
        }
        func match(_ text: String) -> MessageFamilies.Family? {
            if let m = matched[text] { return m }
            let m = families.match(text)
            if matched.count < memoLimit { matched[text] = m }
            return m
        }
        func quotedShapeOnce(_ text: String) -> PathShape? {
            if let s = quoted[text] { return s }
            let s = answered(quotedShape(text))
            if quoted.count < memoLimit { quoted[text] = s }
            return s
        }
        // The path of a failure that carries no URL: the URL quoted on its own line, else the
        // defective one among all URLs quoted in the paste (an "expected" URL is often quoted
        // beside the actual one), else the first, else the configured base URL with the
        // endpoint the ticket talks about. Pairs a status line with the URL pasted beside it.
        // Read only when some failure has no path of its own: a log whose calls carry their
        // URLs never pays for a scan of every pasted line.
        var pasteShapeMemo: PathShape??
        func pasteShape() -> PathShape? {
            if let s = pasteShapeMemo { return s }
            let s = answered(FamilyTriage.pasteShape(bundle, quoted: quotedShapeOnce))
            pasteShapeMemo = .some(s)
            return s
        }
        // Each call is read in place (a parameter, not a copy: a copy retains every field of
        // every call of a large log, most of which did not fail).
        func failure(_ e: Exchange, _ i: Int) -> Failure? {
            var shape = (e.url ?? e.pathOnly).map(pathShape)
            // A path no endpoint names says nothing of the base, unless it is malformed (a
            // doubled slash: `//api/generate`) whatever it asks.
            if shape?.endpoint == .other, shape?.malformed != true { shape = nil }
            // An API client does not follow a redirect of its call: a 3xx on a defective path failed.
            let redirected = (300..<400).contains(e.status ?? 0) && shape?.isDefective == true
            let failed = (e.status ?? 0) >= 400 || e.error != nil || e.failure != nil || redirected
            guard failed else { return nil }
            let text = MessageFamilies.failureText(error: e.error, failure: e.failure, responseBody: e.responseBody)
            let family = match(text) ?? match(e.summary)
            // The rest is made for the failures kept only.
            guard admit(family, exchange: i) else { return nil }
            let line = Excerpt.pick(e).last ?? SourceLine(ref: e.sources.first ?? SourceRef(file: "bundle", line: 0), text: e.summary)
            // A call whose status no parser read: the status its error message quotes
            // (`Client error '404 Not Found' for url …`).
            return Failure(family: family, line: line, exchange: i,
                           status: e.status ?? status(in: text), shape: shape ?? quotedShapeOnce(text) ?? pasteShape(), text: text)
        }
        for i in bundle.exchanges.indices {
            if let f = failure(bundle.exchanges[i], i) { out.append(f) }
        }
        // Pasted lines no parser turned into a failing call: wordings of a family only.
        let pasted = bundle.pastedLines
        for (k, l) in pasted.enumerated() {
            // An app's table of status messages (`{400: '参数不正确', 401: 'API key 错误', 402:
            // '账号余额不足' …}`, printed in a variable dump) words every error it could meet.
            guard !isStatusTable(l.text), let fam = families.match(l.text) else { continue }
            if familiesMet.contains(fam.name) { continue }
            // One message is often wrapped over a few lines (`→ 401, message` / `→ Incorrect
            // API key provided` / `→ sk-or-v1…. You can find your API key at …`): its
            // paragraph is the failure's text, so the status and the words that tell the
            // causes apart count wherever the wrap put them.
            let text = paragraph(pasted, around: k)
            guard admit(fam, exchange: nil) else { continue }
            out.append(Failure(family: fam, line: l, exchange: nil, status: status(in: l.text) ?? status(in: text),
                               shape: quotedShapeOnce(l.text) ?? pasteShape(), text: text))
        }
        return out
    }

    /// Three or more HTTP statuses each keyed to a quoted message on one line: a lookup table of
    /// messages, not a message.
    static func isStatusTable(_ text: String) -> Bool {
        guard text.utf8.count >= 24 else { return false }
        return statusTableEntry.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) >= 3
    }
    static let statusTableEntry = try! NSRegularExpression(pattern: #"(?<![\d.])[1-5]\d\d["']?\s*:\s*["']"#)

    /// The line at `k` with up to two lines before and three after it, as long as they are
    /// consecutive lines of the same file. Pasted lines keep no blank line, so a gap in the
    /// line numbers is a blank line: it ends the paragraph.
    static func paragraph(_ lines: [SourceLine], around k: Int) -> String {
        func adjacent(_ a: SourceLine, _ b: SourceLine) -> Bool { a.ref.file == b.ref.file && b.ref.line == a.ref.line + 1 }
        var lo = k, hi = k
        while lo > 0, k - lo < 2, adjacent(lines[lo - 1], lines[lo]) { lo -= 1 }
        while hi + 1 < lines.count, hi - k < 3, adjacent(lines[hi], lines[hi + 1]) { hi += 1 }
        return lines[lo...hi].map(\.text).joined(separator: "\n")
    }

    /// The path of the paste as a whole: the defective one among the URLs and request lines
    /// quoted on its lines (an "expected" URL is often quoted beside the actual one), else the
    /// first, else the configured base URL joined with the endpoint the ticket talks about.
    static func pasteShape(_ bundle: TicketBundle, quoted: (String) -> PathShape? = quotedShape) -> PathShape? {
        // A line that states the configured base URL is a setting, not a call: its URL is
        // joined with the endpoint below, not read as a request path.
        // Except a full endpoint URL under an "API URL" / "endpoint" name (gpt_academic's
        // `API_URL`, plugins' "API endpoint" fields): such settings are the request URL.
        let bases = Set(bundle.signals.filter { $0.name == .configuredBaseURL && !isFullURLSetting($0) }.map(\.line.ref))
        let quotedShapes = bundle.pastedLines.filter { !bases.contains($0.ref) }.compactMap { quoted($0.text) }
        if let s = quotedShapes.first(where: \.isDefective) { return s }
        // A configured base that already holds an endpoint or a doubled version explains a
        // failure before a healthy URL quoted beside it (often the customer's own working test:
        // `curl …/v1/responses` beside a base URL that already ends in `/v1/responses`). Not a
        // doubled slash: that one comes from joining a trailing slash, as not every client does.
        // (Not a setting that names the whole request URL: gpt_academic's `API_URL_REDIRECT`.)
        // Any of the configured bases: a config with one base per service (`llm_base_url`,
        // `embedding_base_url`) may hold the defect in its second.
        for s in bundle.signals where s.name == .configuredBaseURL && !isFullURLSetting(s) {
            if let c = configuredShape(bundle, setting: s), c.includesEndpoint == true || c.versionDuplicated == true { return c }
        }
        let setting = bundle.signals.first(where: { $0.name == .configuredBaseURL })
        return quotedShapes.first ?? configuredShape(bundle, setting: setting)
    }

    /// The customer's statement of the symptom ("获取模型列表失败", "the model list is empty")
    /// when nothing in the paste failed: read through the `fallback: symptom` family, whose
    /// patterns are such statements. The path is the paste's (quoted URLs, else the configured
    /// base joined with `/models`).
    static func statedSymptom(_ bundle: TicketBundle, _ families: MessageFamilies) -> Failure? {
        guard let fam = families.fallback(.symptom) else { return nil }
        for l in bundle.pastedLines {
            let range = NSRange(l.text.startIndex..., in: l.text)
            guard fam.patterns.contains(where: { $0.regex.firstMatch(in: l.text, range: range) != nil }) else { continue }
            return Failure(family: fam, line: l, exchange: nil, status: status(in: l.text), shape: pasteShape(bundle), text: l.text)
        }
        return nil
    }

    /// The path shape of a URL or request line quoted in a text, when it names an API endpoint:
    /// a defective one first, else the first.
    static func quotedShape(_ text: String) -> PathShape? {
        let range = NSRange(text.startIndex..., in: text)
        var shapes: [PathShape] = []
        for m in urlPattern.matches(in: text, range: range) {
            guard let r = Range(m.range, in: text) else { continue }
            let u = String(text[r])
            let s = PathShape(url: u)
            if s.endpoint != .other || s.malformed == true { shapes.append(s) }
            // A URL cut after two version roots (`https://host/v1/v1`, how a client prints the
            // base it built): the doubled version is the defect whatever endpoint follows.
            else if doubledVersionEnd.firstMatch(in: u, range: NSRange(u.startIndex..., in: u)) != nil {
                var base = u
                while base.hasSuffix("/") { base.removeLast() }
                shapes.append(PathShape(url: base + "/chat/completions"))
            }
        }
        for m in requestLine.matches(in: text, range: range) {
            guard let r = Range(m.range(at: 2), in: text) else { continue }
            let s = PathShape(url: String(text[r]))
            if s.endpoint != .other { shapes.append(s) }
        }
        // A path an error message quotes without a method or host (`No static resource
        // api-openai/v1/chat/completions/chat/completions.`): after the others, so it decides
        // only when it shows a defect or nothing else is quoted.
        for m in barePath.matches(in: text, range: range) {
            guard let r = Range(m.range(at: 1), in: text) else { continue }
            let p = String(text[r])
            let s = PathShape(url: p.hasPrefix("/") ? p : "/" + p)
            if s.endpoint != .other { shapes.append(s) }
        }
        return shapes.first(where: \.isDefective) ?? shapes.first
    }

    /// A URL whose path ends in two version roots in a row.
    static let doubledVersionEnd = try! NSRegularExpression(pattern: #"(?i)/v\d+[a-z]*\d*/v\d+[a-z]*\d*/?$"#)

    /// A relative API path inside a sentence: segments ending in an endpoint name.
    static let barePath = try! NSRegularExpression(
        // Not a file path (`site-packages/requests/models.py`): no extension after the name.
        pattern: #"(?<![\w/.:@-])(/?(?:[\w.\-]+/)+(?:chat/completions|completions|models|embeddings|responses|messages)(?:/[\w\-]+)*)(?![\w/\-]|\.\w)"#)

    /// A setting that names the whole request URL rather than a base: an "API URL" or
    /// "endpoint" key whose value already ends in an endpoint path.
    static func isFullURLSetting(_ s: Signal) -> Bool {
        guard let v = s.value, PathShape(url: v).endpoint != .other else { return false }
        let line = s.line.text.lowercased()
        guard let at = line.range(of: v.lowercased()) else { return false }
        let key = line[..<at.lowerBound]
        return !key.contains("base") && ["api_url", "apiurl", "api url", "endpoint"].contains { key.contains($0) }
    }

    /// Words that say the failing call was the model-list call.
    static let listWords = try! NSRegularExpression(
        pattern: #"(?i)models? list|list(ing)? (the )?models|\bmodels\.list\(|(fetch|get|load|refresh)(ing)? (the )?models|/models\b|模型列表|获取模型|拉取模型|列举模型|刷新模型"#)

    /// The configured base URL (stated in the ticket or a log) joined with the endpoint the
    /// ticket talks about — the model list when it says so, else chat completions — so a call
    /// that carries no URL is still checked against the base-URL shapes.
    /// `setting` is the bundle's first configured-base-URL signal (the caller has it at hand).
    static func configuredShape(_ bundle: TicketBundle, setting: Signal?) -> PathShape? {
        guard let base = setting?.value, base.hasPrefix("http") else { return nil }
        let text = bundle.pastedLines.lazy.map(\.text)
        let list = text.contains { listWords.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        let endpoint = list ? "/models" : "/chat/completions"
        // A base URL for software that appends `/v1` and the endpoint itself (a One API / New
        // API channel, NextChat's OpenAI endpoint, Spring AI's `base-url`): it trims a trailing
        // slash, so a base that already holds a version root (`…/v1beta/openai/`, `…/inference/v1`)
        // doubles it, whatever that root is.
        if text.contains(where: { appendsVersionWords.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }) {
            var trimmed = base
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            var s = PathShape(url: trimmed + "/v1" + endpoint)
            if PathShape(url: trimmed + endpoint).versionMissing == false { s.versionDuplicated = true }
            return s.endpoint == .other ? nil : s
        }
        // Joined as a client does: a trailing slash in the setting gives `//models`.
        let s = PathShape(url: base + endpoint)
        return s.endpoint == .other ? nil : s
    }

    /// Words that name software appending `/v1` to the base URL itself: a One API / New API
    /// channel's setting (`渠道类型: OpenAI`), NextChat (ChatGPT-Next-Web), Spring AI.
    static let appendsVersionWords = try! NSRegularExpression(
        pattern: #"(?i)渠道类型|\bchannel type\b|\b(one|new)[ -]?api\b[^\n]{0,40}(渠道|\bchannel\b)|(渠道|\bchannel\b)[^\n]{0,40}\b(one|new)[ -]?api\b|\bnext ?chat\b|\bchatgpt-next-web\b|\bspring[ -.]ai\b"#)

    static func status(in text: String) -> Int? {
        let range = NSRange(text.startIndex..., in: text)
        guard let m = statusPattern.firstMatch(in: text, range: range), let r = Range(m.range(at: 1), in: text) else { return nil }
        return Int(text[r])
    }

    static func holds(_ preds: [MessageFamilies.Predicate], _ f: Failure, cues: Set<String> = [], hosts: [String] = [], method: String? = nil) -> Bool {
        preds.allSatisfy { p in
            switch p {
            case .versionMissing(let b): return f.shape?.versionMissing == b
            case .versionDuplicated(let b): return f.shape?.versionDuplicated == b
            case .includesEndpoint(let b): return f.shape?.includesEndpoint == b
            case .malformed(let b): return f.shape?.malformed == b
            case .endpointIn(let names): return f.shape.map { names.contains($0.endpoint.rawValue) } ?? false
            case .statusIn(let codes): return f.status.map(codes.contains) ?? false
            case .pathKnown(let b): return (f.shape != nil) == b
            case .textMatches(let pattern): return pattern.occurs(in: f.text) || pattern.occurs(in: f.line.text)
            case .methodIn(let names): return method.map { names.contains($0.uppercased()) } ?? false
            case .hostMatches(let pattern): return hosts.contains { pattern.occurs(in: $0) }
            case .cue(let name): return cues.contains(name)
            case .noCue(let name): return !cues.contains(name)
            }
        }
    }

    // MARK: - Wording

    static func candidateTitle(_ fam: MessageFamilies.Family, _ c: MessageFamilies.Candidate, _ lang: Lang) -> String {
        lang == .zh ? "可能的原因：\(c.cause)（\(fam.title.text(lang))）" : "Possible cause: \(c.cause) (\(fam.title.text(lang)))"
    }

    static func candidateMessage(_ fam: MessageFamilies.Family, _ f: Failure, _ lang: Lang) -> String {
        let where_ = f.status.map { " (HTTP \($0))" } ?? ""
        let endpoint = f.shape?.endpoint.rawValue ?? (lang == .zh ? "未知" : "unknown")
        switch fam.fallback {
        case .failure:
            return lang == .zh
                ? "调用失败\(where_)，但错误措辞不属于任何已知类别；按状态码和请求路径（端点：\(endpoint)），这是常见原因之一。这只是一个提示，不是诊断。"
                : "A call failed\(where_) with a wording no message family knows; by its status and path (endpoint: \(endpoint)) this is one of the usual causes. A pointer, not a diagnosis."
        case .symptom:
            return lang == .zh
                ? "粘贴的内容里没有失败的调用，但客户描述了这一现象；这是该现象的常见原因之一，按粘贴内容中的事实排序。这只是一个提示，不是诊断。"
                : "No call in the paste failed, but the customer describes the symptom; this is one of its usual causes, ranked by the facts of the paste. A pointer, not a diagnosis."
        case nil: break
        }
        return lang == .zh
            ? "错误措辞属于「\(fam.title.text(lang))」一类\(where_)；这一类错误可能有几种原因，此项按其权重和请求路径的结构排序。"
            : "The error wording belongs to the family \"\(fam.title.text(lang))\"\(where_); that family has several possible causes, ranked by weight and by the shape of the request path."
    }

    static func outsideMessage(_ fam: MessageFamilies.Family, _ f: Failure, _ lang: Lang) -> String {
        lang == .zh ? "调用失败，但错误属于「\(fam.title.text(lang))」，不在模型列表 / 模型名称问题的范围内。"
            : "A call failed, but the error is \"\(fam.title.text(lang))\", outside the model-list / model-name problems this tool diagnoses."
    }

    static func unexplainedTitle(_ f: Failure, _ lang: Lang) -> String {
        let status = f.status.map(String.init) ?? (lang == .zh ? "未知状态" : "unknown status")
        return lang == .zh ? "调用失败，原因未能确定（\(status)）" : "A call failed and no cause could be established (\(status))"
    }

    static func unexplainedMessage(_ f: Failure, _ lang: Lang) -> String {
        let endpoint = f.shape?.endpoint.rawValue ?? (lang == .zh ? "未知" : "unknown")
        return lang == .zh
            ? "有调用失败（端点：\(endpoint)），但没有规则能说明原因。这只是一个提示，不是诊断。"
            : "A call failed (endpoint: \(endpoint)) but no rule explains why. This is a pointer, not a diagnosis."
    }

    static func make(rule: String, cause: String, severity: Severity, confidence: Double, subject: String?,
                     title: String, message: String, fix: String, _ f: Failure, bundle: TicketBundle,
                     redactor: Redactor) -> Finding {
        let evidence = [Evidence(source: f.line.ref.description, excerpt: redactor.redact(f.line.text, file: f.line.ref.file))]
        return Finding(rule: rule, cause: cause, symptom: symptom(f, bundle), severity: severity,
                       confidence: confidence, subject: subject, title: redactor.redact(title),
                       message: redactor.redact(message), fix: redactor.redact(fix), evidence: evidence,
                       exchanges: f.exchange.map { [$0] } ?? [])
    }

    static func symptom(_ f: Failure, _ bundle: TicketBundle) -> String {
        if let i = f.exchange { return Symptoms.infer([bundle.exchanges[i]]) }
        if f.family?.fallback == .symptom { return "model-list-empty" }
        if f.shape?.endpoint == .models { return "model-list-empty" }
        return "model-not-found"
    }
}
