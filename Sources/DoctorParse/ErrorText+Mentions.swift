import DoctorIngest
import DoctorModel
import Foundation

/// Facts a line of free text mentions: a configured base URL, a proxy variable, Docker, an
/// upgrade, model ids. Shared by the pasted-error reader and the Node log's app lines.
enum ErrorTextMentions {
    /// Words that, just before a URL, say it is the configured API address.
    static let baseURLKeys = ["baseurl", "base_url", "base url", "base-url", "apibase", "api_base", "api base",
                              "apihost", "api_host", "api host", "openai_base_url", "openai_api_base",
                              "api_url", "apiurl", "api url", "address", "endpoint", "地址", "接口", "代理地址",
                              "gateway", "host=", "host:", "server url", "服务器", "基础 url", "基础url",
                              // Qwen-Agent's `'model_server': 'http://…/v1'`, `server_url=`, `base_uri`.
                              "model_server", "server_url", "base_uri"]

    /// The URL after a base-URL word (`baseURL=…`, `base_url: …`, `地址填的是 …`), if any.
    static func baseURL(in text: String) -> String? {
        var search = text.startIndex
        while let r = text.range(of: "http", range: search..<text.endIndex) {
            search = r.upperBound
            let rest = text[r.lowerBound...]
            guard rest.hasPrefix("http://") || rest.hasPrefix("https://") else { continue }
            // The words before the URL within its clause (`baseurl 填的就是 MiniMax 官方提供的兼容
            // OpenAI 的https://…`): up to 48 characters, not across a sentence's end.
            var head = text[..<r.lowerBound].suffix(48)
            if let stop = head.lastIndex(where: { "。；;！？!?，".contains($0) }) { head = head[head.index(after: stop)...] }
            // `502 Server Error: Bad Gateway for url: …` (python-requests) names the call that
            // failed, not a setting: "gateway" there is the status's reason phrase.
            let before = head.lowercased().replacingOccurrences(of: "bad gateway", with: "")
            guard !before.hasSuffix("/"), !before.hasSuffix("for url: "), baseURLKeys.contains(where: { before.contains($0) }) else { continue }
            // `curl http://…` is a test call, not the configured address.
            if before.contains("curl") && !before.contains("base") { continue }
            let url = trimURL(rest)
            // A quoted value with blanks inside its closing quote (`"https://host/v1 "`): the
            // blanks are part of the setting (a pasted address's trailing space).
            if let open = text[..<r.lowerBound].last, "\"'“`".contains(open) {
                let after = rest.dropFirst(url.count)
                let blanks = after.prefix { $0 == " " || $0 == "\t" }
                let close: Character = open == "“" ? "”" : open
                if !blanks.isEmpty, after.dropFirst(blanks.count).first == close { return url + blanks }
            }
            return url
        }
        return nil
    }

    /// A URL alone on its line under a short label line that names a base URL (an issue
    /// form's `### Base URL` field, `base url` / `接口地址：` written above the value).
    static func labelledURL(_ text: String, label: String?) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let label, t.hasPrefix("http://") || t.hasPrefix("https://"), !t.contains(" ") else { return nil }
        let l = label.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "#*:：-_ `"))
        guard !l.isEmpty, l.count <= 40, !l.contains("http"), baseURLKeys.contains(where: { l.contains($0) }) else { return nil }
        return trimURL(Substring(t))
    }

    /// A URL up to the first space or closing punctuation. A placeholder the customer wrote
    /// for a part they hid (`https://<host>/v1`, `http://{your-ip}:3000`, `http://${HOST}/v1`)
    /// is part of it: the shape around it still counts. So is a format string's empty field
    /// (`"http://host:{}/v1/x".format(port)`), and a placeholder in the customer's own language
    /// (`/apps/{我的app_id}/completion`).
    static func trimURL(_ s: Substring) -> String {
        var end = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "<" || c == "{" || (c == "$" && s[s.index(after: i)...].first == "{") {
                let open = c == "$" ? s.index(after: i) : i
                let close: Character = s[open] == "<" ? ">" : "}"
                let inner = s[s.index(after: open)...].prefix(41)
                if let k = inner.firstIndex(of: close), !inner[..<k].isEmpty || close == "}",
                   inner[..<k].allSatisfy({ $0.isLetter || $0.isNumber || "_-. ".contains($0) }) {
                    i = s.index(after: k)
                    end = i
                    continue
                }
            }
            guard c.isASCII, !c.isWhitespace, !"\"'`<>(),;]}|".contains(c) else { break }
            i = s.index(after: i)
            end = i
        }
        var u = s[s.startIndex..<end]
        while let l = u.last, ".:!?".contains(l) { u = u.dropLast() }
        return String(u)
    }

    static let proxyNames = ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy", "NO_PROXY", "no_proxy"]

    /// `HTTPS_PROXY=http://…` and similar: the value, or the variable name when no value.
    /// Else `proxy`/`proxies`/`代理` followed closely by a URL or `host:port` (`proxy at
    /// http://10.0.0.1:3128`, `代理 127.0.0.1:7890`); nil for words alone and for "API proxy"
    /// (some clients' name for the base URL), reverse proxies and `proxy_pass`.
    static func proxy(in text: String) -> String? {
        for name in proxyNames {
            guard let r = text.range(of: name) else { continue }
            // `OPENAI_HTTP_PROXY`-like names count; `NO_PROXY_LIST` or `MY_PROXY_HOST` do not.
            if let a = text[r.upperBound...].first, a.isLetter || a.isNumber || a == "_" { continue }
            var rest = text[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == ":" || $0 == "\"" || $0 == "'" }
            rest = rest.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != "," }
            return rest.isEmpty ? name : "\(name)=\(rest)"
        }
        for key in ["proxies", "proxy", "代理"] {
            var search = text.startIndex
            while let r = text.range(of: key, options: .caseInsensitive, range: search..<text.endIndex) {
                search = r.upperBound
                if notAClientProxy(text, r) { continue }
                if let v = proxyAddress(after: text[r.upperBound...]) { return v }
            }
        }
        return nil
    }

    /// "API proxy (address)", "API 代理地址", "reverse proxy", "反向代理", "proxy_pass": the
    /// gateway side or the base URL, not a proxy the client goes through.
    static func notAClientProxy(_ text: String, _ r: Range<String.Index>) -> Bool {
        let before = text[..<r.lowerBound].suffix(12).lowercased().trimmingCharacters(in: .whitespaces)
        if ["api", "reverse", "反向", "反", "litellm", "接口", "api-", "api_"].contains(where: { before.hasSuffix($0) }) { return true }
        return text[r.upperBound...].hasPrefix("_pass")
    }

    /// A URL or `host:port` starting within a few characters after a proxy word.
    static func proxyAddress(after rest: Substring) -> String? {
        let window = rest.prefix(24)
        var i = window.startIndex
        while i < window.endIndex {
            let tail = rest[i...]
            if tail.hasPrefix("http://") || tail.hasPrefix("https://") || tail.hasPrefix("socks5://") || tail.hasPrefix("socks5h://") || tail.hasPrefix("socks4://") {
                return trimURL(tail)
            }
            if let c = tail.first, c.isASCII, c.isLetter || c.isNumber, i == window.startIndex || !(rest[rest.index(before: i)].isASCII && (rest[rest.index(before: i)].isLetter || rest[rest.index(before: i)].isNumber || ".-".contains(rest[rest.index(before: i)]))) {
                let token = tail.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) }
                if isHostPort(token) { return String(token) }
            }
            i = rest.index(after: i)
        }
        return nil
    }

    /// `127.0.0.1:7890`, `localhost:3128`, `proxy.corp.example:8080`.
    static func isHostPort(_ s: Substring) -> Bool {
        guard let colon = s.lastIndex(of: ":") else { return false }
        let host = s[..<colon], port = s[s.index(after: colon)...]
        guard (2...5).contains(port.count), port.allSatisfy(\.isNumber), !host.isEmpty, !host.contains(":") else { return false }
        return host == "localhost" || host.contains(".")
    }

    static func mentionsDocker(_ lower: String) -> Bool {
        ["docker", "container", "compose", "容器", "k8s", "kubernetes"].contains { lower.contains($0) }
    }

    static func mentionsUpgrade(_ lower: String) -> Bool {
        ["升级", "更新后", "新版", "upgrade", "updated", "updating", "after update", "new version", "since version"]
            .contains { lower.contains($0) }
    }

    /// Family prefixes of model ids, lowercased; a token starting with one is taken as a
    /// model mention even without the word "model" nearby.
    static let modelFamilies = ["gpt-", "gpt4", "gpt3", "o1-", "o3-", "o4-", "chatgpt-", "claude-", "gemini-", "gemma-",
                                "deepseek-", "deepseek/", "qwen", "glm-", "kimi-", "moonshot-", "llama", "mistral",
                                "mixtral", "doubao-", "ernie-", "yi-", "text-embedding-", "codex-", "dall-e",
                                "whisper-", "tts-", "command-r", "phi-", "grok-", "hunyuan", "baichuan", "abab",
                                "minimax-", "sonar", "step-", "internlm", "spark", "dengcao/", "openai/", "anthropic/",
                                "google/", "meta-llama/", "ollama/"]

    /// Model-id-like tokens of a prose line: quoted/back-ticked names next to "model"/"模型",
    /// and tokens that start with a known model family.
    static func models(inProse text: String) -> [String] {
        var found: [String] = []
        var previous: Substring = ""
        for raw in text.split(whereSeparator: { $0.isWhitespace || "，。；、()（）,;!?！？[]{}<>|".contains($0) }) {
            defer { previous = raw }
            // The value of a provider setting (`provider: glm-coding`) names a service, not a model.
            if ["provider:", "provider=", "platform:", "vendor:"].contains(previous.lowercased()) { continue }
            // Chinese writes words right after an id (`Qwen/QwQ-32B思考，失败`): an id is ASCII, so
            // it ends where the first other character starts. (A token that starts with Chinese,
            // `的gpt4的`, is colloquial prose, not a name the customer typed.)
            let quoted = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"'`“”‘’:：.=*"))
            var token = quoted.prefix { $0.isASCII }.trimmingCharacters(in: CharacterSet(charactersIn: "\"'`:.=*"))
            guard token.count >= 3, token.count <= 80 else { continue }
            // A client's bracketed marker right after the id (`glm-5.2[1m]`) is sent with it.
            if token.count == raw.count, let marker = contextMarker(after: raw.endIndex, in: text) { token += marker }
            let lower = token.lowercased()
            guard modelFamilies.contains(where: { lower.hasPrefix($0) }) else { continue }
            guard lower.contains(where: \.isNumber) || lower.contains("-") else { continue }
            guard !lower.hasPrefix("http"), !lower.contains("://") else { continue }
            // A tool or a provider named after its models (`gemini-cli`, `claude-code`), not a model.
            guard !lower.hasSuffix("-cli"), !lower.hasSuffix("-code") else { continue }
            // … or a name followed by the word provider (`the glm-coding provider`).
            if text[raw.endIndex...].drop(while: { $0 == " " }).prefix(8).lowercased() == "provider" { continue }
            if !found.contains(token) { found.append(token) }
        }
        for q in quotedNearModel(text) where !found.contains(q) { found.append(q) }
        return found
    }

    /// `[1m]`, `[200k]` at `i`: a context-window mark a client appends to a model id.
    static func contextMarker(after i: String.Index, in text: String) -> String? {
        guard i < text.endIndex, text[i] == "[" else { return nil }
        let body = text[text.index(after: i)...].prefix(8)
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.endIndex < body.endIndex, "kKmM".contains(body[digits.endIndex]) else { return nil }
        let close = body.index(after: digits.endIndex)
        guard close < body.endIndex, body[close] == "]" else { return nil }
        return String(text[i...close])
    }

    /// A setting that names the model: `OPENAI_MODEL=x`, `model: "x"`, `model_name = 'x'`,
    /// `"default_open_ai_model": "x"`, `defaultModel: x` (not an embedding, rerank, vision or
    /// speech model's setting),
    /// `CUSTOM_MODELS=-all,+x`, or the customer saying which model they use ("我使用的 x",
    /// "I selected x"). Not the value of a request body dump (`requestBodyValues: { model: … }`
    /// lines belong to an error, not to prose).
    static let modelSetting = setting(namedModelKeys + #"|MODEL(?:_NAME)?|model(?:_name|_id)?"#)
    /// An issue form's or a client's label line that holds one id and nothing else (`Model:
    /// minimax/MiniMax-M2.7`, `- Model: gpt-4o`). Capitalised `Model:` is read only so: before
    /// a display name with spaces (`Model: Qwen3 235B`) it is no id; and in Continue's error
    /// details (`Model:` then `Provider:` then `Status Code:`) it is the model's title from the
    /// config, not the id sent (the reader checks the next line).
    static let modelLabelLine = try! NSRegularExpression(pattern: #"^\s*(?:[-*>]\s*)?(?:\*\*)?Model(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*["'`]?([A-Za-z][\w.\-/:@]{1,80})["'`]?\s*$"#)
    /// A dict literal assigned to a config name in code (`config={`, `llm_config = {`,
    /// `config_list=[{`): its `model` key is a setting, not a request body's field.
    static let configDict = try! NSRegularExpression(pattern: #"(?i)\b\w*config(?:_list)?\s*[=:]\s*\[?\s*\{"#)
    /// `modelSetting` without the bare `model` key: a key that names the setting.
    static let namedModelSetting = setting(namedModelKeys)

    /// Keys that say which model they set: `OPENAI_MODEL`, `default_model`, `chat_model_id`,
    /// `defaultModel`; not an embedding, rerank, vision or speech model's key.
    static let namedModelKeys = #"[A-Z][A-Z_]*_MODEL(?:_NAME|_ID)?|(?!(?:embed|embedding|embeddings|rerank|reranker|vision|image|audio|tts|stt|speech|transcription|whisper)[_A-Z])(?:(?:[a-z][a-z0-9]*_)+model(?:_name|_id)?|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*Model(?:Name|Id)?)"#

    /// A `key: value` / `key=value` setting whose key is one of `keys`; group 1 is the value.
    static func setting(_ keys: String) -> NSRegularExpression {
        // A full-width colon too: Chinese tickets write `OPENAI_MODEL：x`. Not after "the": OpenAI's
        // 2023 refusal reads "The model: `gpt-4` does not exist", the name refused, not a setting.
        // A bracketed marker a client appends (`glm-5.2[1m]`, Claude Code's 1M-context mark) is
        // part of the name it sends.
        try! NSRegularExpression(pattern: #"(?:^|[\s"'{,(])(?<![Tt]he\s)(?:"# + keys + #")["']?\s*[:=：]\s*["'`]?([A-Za-z][\w.\-/:@]{1,80}(?:\[\w{1,8}\])?)"#)
    }
    /// The value of `CUSTOM_MODELS=` up to the first character no model list holds (a pasted
    /// sentence often runs on after it: `CUSTOM_MODELS=-all,+x），新对话…`).
    static let customModels = try! NSRegularExpression(pattern: #"CUSTOM_MODELS\s*=\s*["']?([\w.\-/:@+,=]+)"#)
    /// Also what the customer fetched to a local server (`ollama pull x`, "I pulled x", "then
    /// selected x"), or a setting told in words ("the default model is set to x", "set the model
    /// to x", "the user set x in the config", "we switched to x"): the model they meant to use.
    static let modelInWords = try! NSRegularExpression(pattern: #"(?i)(?:我(?:们)?(?:使用|用|选|选择|配置|设置)的(?:是|模型是)?|(?:i|we|(?:the\s+)?users?|they)\s+(?:use|used|am using|selected|chose|configured|set(?: it to)?|picked|pulled|downloaded|entered|typed|switched\s+to|changed\s+(?:it|the\s+model)\s+to)\s+(?:the\s+)?(?:model\s+)?|\b(?:then|and)\s+(?:selected|chose|picked|entered|typed|filled\s+in)\s+(?:the\s+)?(?:model\s+)?|\bollama\s+(?:pull|run)\s+|\b(?:default\s+)?model\s+(?:is\s+|was\s+|has\s+been\s+)?(?:set|configured)\s+(?:to|as)\s+|\bset\s+(?:the\s+|my\s+)?(?:default\s+)?model\s+(?:to|as)\s+)\s*[`'"“]?([A-Za-z][\w.\-/:@]*\d[\w.\-/:@]*)"#)

    /// Words that open a model list quoted in an error (`model not found … available models:
    /// a, b, c`, `Valid models are: ['a', 'b']`, `可用模型：a、b`): what the server offers.
    static let listOpeners = ["available models", "valid models", "supported models", "allowed models",
                              "valid model names", "models available", "可用模型", "支持的模型", "支持模型"]

    /// The ids of a model list the line quotes after one of `listOpeners` and a colon (or
    /// `are`/`is`), nil when the line has none or fewer than two ids. Items are split on commas,
    /// `、`, semicolons and blanks, and kept only when they look like ids (no prose words).
    static func quotedModelList(in text: String) -> [String]? {
        guard ByteSearch.contains(text, "model") || ByteSearch.contains(text, "Model") || ByteSearch.contains(text, "MODEL")
                || ByteSearch.contains(text, "模型") else { return nil }
        for key in listOpeners {
            guard let r = text.range(of: key, options: .caseInsensitive) else { continue }
            var rest = text[r.upperBound...].drop { $0 == " " }
            for w in ["are", "is", "include", "includes"] where rest.lowercased().hasPrefix(w + " ") || rest.lowercased().hasPrefix(w + ":") {
                rest = rest.dropFirst(w.count).drop { $0 == " " }
            }
            guard let c = rest.first, c == ":" || c == "：" || c == "=" else {
                // `Valid models are ['a', 'b']`: a bracket right after the verb is a list too.
                guard rest.first == "[" else { continue }
                return ids(in: rest)
            }
            return ids(in: rest.dropFirst())
        }
        return nil
    }

    /// One row of a local model server's own listing (`ollama list` / `ollama ls`:
    /// `llama3:8b   365c0bd3c000   4.7 GB   6 weeks ago`): the models installed there, whoever
    /// pasted it. Read by its shape (name, a 12-digit hex id, a size), so a row quoted without
    /// its `NAME ID SIZE MODIFIED` header (a `grep` of the listing) counts too.
    /// A proxy's start-up log naming a model it registered (`Registered new model gpt-5.1-codex
    /// from provider codex`, `registered model x for provider y`): a model it serves.
    /// A client's confirmation of the model the customer switched to (Claude Code's `/model`:
    /// `⎿  Set model to opus (claude-opus-4-20250514)`, `Set model to help`): the id in brackets
    /// when the client resolved an alias, else the name as given, whatever its shape; the last
    /// such line above a failure is the model that call carried.
    static func switchedModel(in text: String) -> String? {
        guard ByteSearch.contains(text, "odel"), let g = ErrorTextPatterns.match(modelSwitchLine, text) else { return nil }
        return g[2] ?? g[1]
    }
    static let modelSwitchLine = try! NSRegularExpression(pattern: #"(?i)^[\s⎿>*-]*(?:set|switched|changed) (?:the )?model to\s+["'`]?([^\s"'`()]{1,80})["'`]?(?:\s*\(([A-Za-z][\w.\-/:@\[\]]{1,80})\))?\s*$"#)

    static func registeredModel(in text: String) -> String? {
        guard ByteSearch.contains(text, "egistered") else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard let m = registeredModelLine.firstMatch(in: text, range: range), let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }
    static let registeredModelLine = try! NSRegularExpression(pattern: #"(?i)\bregistered (?:new )?model ([A-Za-z0-9][\w.:/@-]{1,100}) (?:from|for) provider\b"#)

    static func localListingRow(in text: String) -> String? {
        guard ByteSearch.contains(text, "B") else { return nil }
        let cols = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard cols.count >= 4, cols[0].count <= 120,
              cols[1].count == 12, cols[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              Double(cols[2]) != nil, ["B", "KB", "MB", "GB", "TB"].contains(cols[3]),
              cols[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._:/-".contains($0)) }),
              cols[0].contains(where: \.isLetter) else { return nil }
        return String(cols[0])
    }

    private static func ids(in list: Substring) -> [String]? {
        let seps: Set<Character> = [",", "、", ";", "，", "；", " ", "\t", "[", "]", "(", ")", "{", "}"]
        var out: [String] = []
        for raw in list.split(whereSeparator: { seps.contains($0) }) {
            var t = raw.trimmingCharacters(in: CharacterSet(charactersIn: "'\"`“”‘’"))
            while let l = t.last, l == "." || l == ":" { t.removeLast() }
            guard t.count >= 2, t.count <= 100, t.contains(where: \.isLetter), t.contains(where: \.isNumber) || t.contains("-"),
                  t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._:/@-".contains($0)) }) else {
                continue  // prose around the list (`and`, `please choose one`), an ellipsis
            }
            if !out.contains(t) { out.append(t) }
        }
        return out.count >= 2 ? out : nil
    }

    /// - Parameter namedOnly: only settings whose key says which model it is (`OPENAI_MODEL`,
    ///   `default_model`, `defaultModel`), for lines a structure claimed (a pasted JSON config):
    ///   a bare `"model": "x"` there is as likely a request body as a setting.
    static func configuredModels(in text: String, namedOnly: Bool = false) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        var out: [String] = []
        func add(_ v: Substring) {
            var s = String(v)
            while let l = s.last, ".,;:".contains(l) { s.removeLast() }
            // Model ids carry a digit or a hyphen; a bare word after "model:" is prose.
            guard s.count >= 2, s.contains(where: { $0.isNumber || $0 == "-" }), !out.contains(s) else { return }
            // A release (`v0.5.1`) is not a model.
            if let f = s.first, f == "v" || f == "V", s.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) { return }
            out.append(s)
        }
        for re in namedOnly ? [namedModelSetting] : [modelSetting, modelInWords] {
            for m in re.matches(in: text, range: range) {
                if let r = Range(m.range(at: 1), in: text) { add(text[r]) }
            }
        }
        if let m = customModels.firstMatch(in: text, range: range), let r = Range(m.range(at: 1), in: text) {
            for item in text[r].split(separator: ",") where item.hasPrefix("+") { add(item.dropFirst().split(separator: "=").first ?? "") }
        }
        return out
    }

    /// The models `CUSTOM_MODELS=` removes from the client's list (`-x`; `-all` removes every
    /// built-in one and names none).
    static func disabledModels(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        guard let m = customModels.firstMatch(in: text, range: range), let r = Range(m.range(at: 1), in: text) else { return [] }
        var out: [String] = []
        for item in text[r].split(separator: ",") where item.hasPrefix("-") {
            let name = String(item.dropFirst().split(separator: "=").first ?? "")
            guard name.lowercased() != "all", name.count >= 2, !out.contains(name) else { continue }
            out.append(name)
        }
        return out
    }

    /// `model "x"`, `model: 'x'`, `模型 x` style quoted names after the word model.
    static func quotedNearModel(_ text: String) -> [String] {
        var out: [String] = []
        let lower = text.lowercased()
        var search = lower.startIndex
        while let r = lower.range(of: "model", range: search..<lower.endIndex) ?? lower.range(of: "模型", range: search..<lower.endIndex) {
            search = r.upperBound
            let after = text[text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: r.upperBound))...]
            let trimmed = after.drop { $0 == " " || $0 == ":" || $0 == "=" || $0 == "s" || $0 == "：" }
            guard let q = trimmed.first, "\"'`“‘".contains(q) else { continue }
            let close: Character = q == "“" ? "”" : (q == "‘" ? "’" : q)
            let name = trimmed.dropFirst().prefix { $0 != close }
            if !name.isEmpty, name.count <= 80, !name.contains(" "), name.endIndex < trimmed.endIndex { out.append(String(name)) }
        }
        return out
    }
}
