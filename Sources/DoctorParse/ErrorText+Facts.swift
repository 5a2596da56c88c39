import DoctorIngest
import DoctorModel
import Foundation

/// What one line of pasted error text states: status, method and URL/path, model, exception
/// class, request id, a connection failure. `isHard` says whether the line is an error report
/// (and so becomes or enriches a partial exchange) rather than the customer's own prose.
struct LineFacts {
    var status: Int?
    var statusText: String?
    var method: String?
    var url: String?
    var path: String?
    var model: String?
    var exceptionClass: String?
    var message: String?
    var requestID: String?
    var failure: Failure?
    var invalidURL = false
    /// A gateway's refusal of a model in its own words, with or without a usable name
    /// (`test模型无可用渠道`, `对于模型 自定义模型 无可用渠道`).
    var modelRefusal = false
    /// The paste labels the line as the error (`错误：…`, `报错信息：…`, or the line under an
    /// issue form's `完整报错信息` / `Error message` heading): its text is the app's message.
    var labelled = false

    /// Status, exception, connection failure, `METHOD /path`, a model named by an error, or a
    /// line the paste labels as the error.
    var isHard: Bool {
        status != nil || exceptionClass != nil || failure != nil || method != nil || model != nil || invalidURL || modelRefusal || labelled
    }
}

/// The regular expressions of the pasted-error reader, compiled once per process
/// (`NSRegularExpression` is immutable and safe to share between threads; triage runs many
/// tickets at once and used to compile these for every file).
struct ErrorTextPatterns: @unchecked Sendable {
    static let shared = ErrorTextPatterns()

    let errorCode = re(#"Error code:\s*(\d{3})"#)
    let httpVersion = re(#"HTTP/\d(?:\.\d)?\s+(\d{3})(?:\s+([A-Za-z][A-Za-z \-]*))?"#)
    let reason = re(#"(?:^|[\s:(\[>'"])([1-5]\d\d)\s+(Not Found|Bad Request|Unauthorized|Forbidden|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out|Payment Required|Unprocessable Entity|Method Not Allowed|Conflict|Request Timeout|OK)\b"#)
    /// An SDK exception whose message is its status (`com.openai.errors.NotFoundException: 404: null`,
    /// openai-java's shape), anywhere in the line (a servlet log wraps it in brackets).
    let exceptionStatus = re(#"\b[A-Z]\w*(?:Error|Exception)\s*:\s*([1-5]\d\d)(?=\s*[:\]]|\s*$)"#)
    /// A status leading its line, after a terminal UI's gutter (`⎿  502 Bad Gateway`) or an
    /// error label of up to three words (`openai.APIError: 404 …`, `BYOK Error: 502 {…}`).
    /// (Not `│`: a rich traceback's box puts source line numbers there.)
    let leadingStatus = re(#"^[\s⎿]*(?:(?:[\w.]+\s+){0,2}[\w.]*(?:Error|Exception)\s*:\s*)?([1-5]\d\d)\s+[^\s\d]"#)
    /// A status that ends an error label's line or follows a terminal UI's gutter, the words
    /// before a JSON body on it (`BYOK Error: 502 `, `⎿  502 `): not a number alone on its line
    /// (a setting's value).
    let labelledStatus = re(#"^\s*(?:⎿|(?:[\w.]+\s+){0,2}[\w.]*(?:Error|Exception)\s*:)\s*([1-5]\d\d)\s*$"#)
    /// axios' `Request failed with status code 404`, `… failed with status code 401:`.
    /// python-requests' `HTTPError` (`raise_for_status`): `404 Client Error: Not Found for url: https://…`.
    let requestsHTTPError = re(#"\b([1-5]\d\d) (?:Client|Server) Error: ([A-Za-z][A-Za-z \-]*?) for url: "#)
    /// … also `an error with a status code of 404` (an app's own wording of the SDK's error).
    let failedWithStatus = re(#"(?i)\b(?:failed|error(?:ed)?|rejected|responded) with (?:an? )?(?:HTTP )?status(?: code)?\s*(?:[:=]|of)?\s*([1-5]\d\d)\b"#)
    /// `status: 503`, `"status_code": 404`, and Go's `status code 503:` (no separator after "code").
    /// Also with a full-width colon and curly quotes (`“status_code”：403`: a paste through a
    /// Chinese input method).
    let statusField = re(#"(?i)\bstatus(?:(?:_code|code| code)["'“”]?\s*[:=：]?|["'“”]?\s*[:=：])\s*["'“”]?([1-5]\d\d)\b"#)
    /// A URL with its status beside it and no method (`- \`http://127.0.0.1:11434/models\` (404)`,
    /// `https://host/v1/models -> 404`): an issue form's list of what the client called.
    let urlStatus = re(#"^\s*(?:[-*•]\s+|\d+[.)]\s+)?`?(https?://[^\s`'"<>()]+)`?\s*(?:\(\s*([1-5]\d\d)\s*\)|(?:-+>|=+>|→)\s*([1-5]\d\d))(?:\s+[A-Za-z][A-Za-z ]{0,30})?\s*[.,;]?\s*$"#)
    /// A status after a word that names it, as an error line prints it: `API Error: 404`,
    /// `HTTP Error 404`, `HTTP 404:`, `list models HTTP 401：` (a colon after a bare `HTTP 504`,
    /// so prose such as "returns HTTP 504 after 60 s" stays prose).
    /// A status in brackets right after a failure word (`Upstream request failed: [404] Provider
    /// returned error`).
    let bracketStatus = re(#"(?i)\b(?:failed|error(?:ed)?)\s*[:：]\s*\[([1-5]\d\d)\]"#)
    /// aiohttp's `ClientResponseError`: `401, message='Unauthorized', url='https://…'` (or
    /// `url=URL('https://…')`): the status, its reason phrase and the URL called.
    let aiohttpError = re(#"(?<![\w.])([1-5]\d\d), message=['"]([^'"\n]{0,80})['"], url=(?:URL\()?['"](https?://[^'"\s]+)['"]"#)
    let namedStatus = re(#"(?i)(?:\b(?:API|HTTP)\s+Error\s*[:：]?\s*\[?|\bHTTP(?:\s*状态码|\s+status(?:\s+code)?)?\s*[:：]?\s*(?=[1-5]\d\d\s*(?:[:：]|[·•|]\s)))([1-5]\d\d)\b"#)
    let methodPath = re(#"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(https?://[^\s"'`<>()]+|/[\w\-./%?=&:~]*)"#)
    let url = re(#"https?://[^\s"'`<>()\[\]{}，。；、]+"#)
    let exception = re(#"(?:^|[\s.(])([A-Z][A-Za-z0-9]*(?:Error|Exception))(?::|\s*\(|$)"#)
    /// Node's print of an error whose name or code differs from its class:
    /// `Error [AI_APICallError]: Not Found`, `Error [ERR_INVALID_URL]: Invalid URL`.
    let bracketedName = re(#"\bError \[([A-Za-z][\w.]*)\]:"#)
    /// `httpx.UnsupportedProtocol: …`, `requests.exceptions.ReadTimeout: …`: a module-qualified
    /// class whose name does not end in Error/Exception, leading its line.
    let qualifiedException = re(#"^\s*(?:[a-z_][a-z0-9_]*\.)+([A-Z][A-Za-z0-9]+):(?:\s|$)"#)
    /// The error-message form of Anthropic's not-found error: the whole message is `model: x`.
    /// A Chinese gateway's refusal of a model, whatever stands for its name.
    let modelRefusal = re(#"模型[^\n]{0,40}(?:不存在|无可用渠道|無可用管道|不可用|未找到)"#)
    /// A line that labels itself as the error: `错误：…`, `报错: …`, `错误信息：…`,
    /// `Error message: …`, or a short verdict that something failed (`模型校验失败: …`), after
    /// list, quote or bracket marks; the message is the first group that matched.
    let labelledError = re(#"^[\s>*#\-\[【]*(?:完整)?(?:错误|报错)(?:信息|提示|内容|日志)?[\]】*]*\s*[：:]\s*(\S.{3,})$|^[\s>*#\-]*(?i:error message|error msg|error output)\s*[：:]\s*(\S.{3,})$|^[\s>*#\-\[【]*([^\s：:，,。]{1,16}失败\s*[：:]\s*\S.{3,})$"#)
    /// An API URL the customer says failed (`请求变成 https://host/api/v3/v1/chat/completions
    /// 发生错误`, `calling https://host/models fails`): the URL has an API route and the line a
    /// failure word. The call as the customer states it; its status is unknown. A base URL
    /// (`https://host/v1`, no endpoint) in such a sentence is the setting, not a call.
    let statedFailure = re(#"(?i)https?://\S+/(?:chat/completions?|completions|models|embeddings|responses|messages)\b\S*[^\n]{0,40}?(?:\b(?:errors?|fail(?:s|ed|ing|ure)?)\b|报错|错误|失败|出错|异常)"#)
    /// An issue form's heading for the error (`**完整报错信息**`, `### Error message`, `报错：`
    /// alone on its line): the next line is the error.
    let errorHeading = re(#"^[\s>*#\-\[【]*(?:完整的?)?(?:错误|报错)(?:信息|提示|内容|日志|输出)?[\]】*]*\s*[：:]?\s*$|^[\s>*#\-]*(?i:(?:full |complete )?error (?:message|log|output)s?)[*:\s]*$"#)
    /// An error named by its quoted reason phrase in prose (`raises the error "Method Not
    /// Allowed"`, `报错 "Not Found"`): that status.
    let quotedReason = re(#"(?i)(?:error|错误|报错|returns?|returned|返回)[^"“'\n]{0,24}["“']((?:method not allowed|not found|bad request|unauthorized|forbidden|payment required|too many requests|internal server error|bad gateway|service unavailable|gateway time-?out|unprocessable entity))["”']"#)
    let modelOnlyMessage = re(#"^\s*model:\s*([\w.\-/:@]+)\s*$"#)
    let requestID = re(#"(?i)request[ _-]?id["']?\s*[:=]?\s*["']?([A-Za-z0-9][\w\-]{5,})"#)
    let leadingRoute = re(#"^\s*(/[\w\-./]+):\s"#)
    /// `GET https://host/v1/models 200`, `… -> 200 text/html`, `… "HTTP/1.1 404 Not Found"`, `… → **404**`:
    /// a request with its answer's status (and content type), then at most `key=value` notes
    /// (`POST https://… 200  model=x`). A note in parentheses may follow the URL
    /// (`POST /chat/completions (no deployment) → 404`).
    let requestStatus = re(#"^(?:.*?[\s:>\]|(（])?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(https?://[^\s"'`<>]+|/[^\s"'`<>]*)(?:\s+\([^()\n]{1,80}\))?\s*(?:-+>|=+>|→|⟶|—>|:|-|–|—|,|\||(?i:returns?|returned|gives|got|answers|responded)(?:\s+with)?|返回了?|响应)?\s*"?(?:HTTP/\d(?:\.\d)?\s+)?(?i:status(?:\s*code)?\s*[:=]?\s*)?(?:[(\[]|\*\*)?([1-5]\d\d)(?:[)\]]|\*\*)?(?:\s+(?i:(OK|Created|Accepted|No Content|Moved Permanently|Found|See Other|Not Modified|Temporary Redirect|Permanent Redirect|Bad Request|Unauthorized|Payment Required|Forbidden|Not Found|Method Not Allowed|Not Acceptable|Proxy Authentication Required|Request Timeout|Conflict|Gone|Payload Too Large|Unsupported Media Type|Unprocessable Entity|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Time-?out)))?"?(?:(?:\s+|\s*[,;(|（]\s*)(?i:content-type\s*[:=]\s*)?([a-z]+/[a-z0-9.+\-]+(?:\s*;\s*charset=[\w\-]+)?)[)）]?)?((?:\s+[\w.\-]+=[^\s=]+)*)\s*[.,;]?\s*$"#)
    /// A line that is only a status (`404 Not Found`, `HTTP/1.1 502 Bad Gateway`,
    /// `Status: 200 text/html`): the answer of a request line just above it.
    let statusOnly = re(#"^\s*(?:HTTP/\d(?:\.\d)?\s+)?(?i:status(?:\s*code)?\s*[:=]?\s*)?([1-5]\d\d)(?:\s+([A-Z][A-Za-z]+(?:[ \-][A-Z][A-Za-z]+)*))?(?:\s*[,;(]?\s*(?i:content-type\s*[:=]\s*)?([a-z]+/[a-z0-9.+\-]+(?:\s*;\s*charset=[\w\-]+)?)\)?)?\s*$"#)
    /// `POST https://host/v1/chat/completions` alone on a line (after an optional label such
    /// as `Request:` or `请求地址：`).
    let bareRequest = re(#"^\s*(?:[^\s:：]{1,24}\s?[:：>]\s*)?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(https?://[^\s"'`<>]+|/[^\s"'`<>]*)\s*$"#)
    let models: [NSRegularExpression] = [
        re(#"[Tt]he model:?\s*[`'"“]([^`'"”\s]+)[`'"”]"#),
        re(#"\b[Mm]odel\s+(?:identifier|name|id)?\s*[`'"“]([^`'"”\s]+)[`'"”]\s*(?:is\s+)?(?:not|does|has|was|could|无|不)"#),
        // A display name with spaces in the quotes (`Model 'Claude 3.5 Sonnet' not found`): the
        // name as sent, spaces and all.
        re(#"\b[Mm]odel\s+[`'"“]([A-Za-z][\w.\-/:@]*(?: [\w.\-/:@()]+){1,5})[`'"”]\s*(?:is\s+)?(?:not found|does not exist|not exist|is not (?:found|available|supported|valid))"#),
        // LM Studio: `Model with key 'x' not loaded`, `Model with identifier 'x' not found`.
        re(#"\b[Mm]odel with (?:key|identifier|id)\s+[`'"“]([^`'"”\s]+)[`'"”]"#),
        // Anthropic's not-found body kept inside another message, its quotes escaped
        // (`\"not_found_error\",\"message\":\"model: claude-x\"`): the inner message is only the name.
        re(#"not_found_error\W{1,12}message\W{1,6}model:\s*([A-Za-z][\w.\-/:@]*)"#),
        // DeepSeek: `The supported API model names are deepseek-chat or …, but you passed gpt-4o.`
        re(#"\bbut you passed\s+[`'"“]?([A-Za-z][\w.\-/:@]*?)[`'"”]?\.?(?:\s|$|["',}])"#),
        // A proxy with no provider for the name (CLIProxyAPI: `unknown provider for model x`).
        re(#"(?i)\b(?:unknown|no) provider (?:for|of) model\s+[`'"“]?([A-Za-z0-9][\w.\-/:@]*[\w\-/:@])"#),
        // OpenRouter: `No endpoints found for vendor/model:free.`
        re(#"\bNo endpoints found for\s+([\w.\-/:@]+?)\.?(?:\s|$|["'])"#),
        // LiteLLM: `Invalid model name passed in model=GPT-4.1 mini. Call …`, `Passed model=x. …`:
        // the value runs to the sentence end and may hold spaces.
        // A message printed with its escapes (`model=x\n Pass model as …`) ends the value at `\n`,
        // and so does LiteLLM's next sentence when the line break was lost (`model=x Pass model as E.g. …`).
        re(#"(?i:passed)(?: in)? model=([^\s.,;'"][^'"\n]{0,79}?)(?:[.,;](?:\s|$)|["']|\\n|\s+Pass model as\b|$)"#),
        re(#"(?i)\binvalid model:\s*([\w.\-/:@]+)"#),
        // `Invalid model identifier "o4-mini".` (LM Studio), `Unknown model: 'x'`, `no such model "x"`.
        re(#"(?i)\b(?:invalid|unknown|unsupported|unrecognized|unrecognised|unavailable|no such)\s+model(?:\s+(?:identifier|name|id))?\s*[:=]?\s*[`'"“]([^`'"”\s]+)[`'"”]"#),
        re(#"\bmodel=([A-Za-z0-9_./:\-\[\]@]+?)(?:[.,;]?\s|[.,;]?$|[.,;]?["'])"#),
        re(#"\bmodels/([\w.\-:]+) is not found"#),
        re(#"(?i)\bnot found (?:the )?model:?\s+([\w.\-/:@]+)"#),
        // `model x not found`, `The model: gpt-4 does not exist` (OpenAI's older wording, no quotes).
        // An opening quote the paste lost the closing one of (`The model 'gpt-4-0613 does not exist`).
        re(#"(?i)\bmodel:?\s+[`'"“]?([\w.\-/:@]+)\s+(?:not found|does not exist|is not (?:found|available|supported))"#),
        re(#"(?i)not found for:\s*([\w.\-/:@]+)"#),
        // Volcengine Ark: `The model or endpoint doubao-pro-32k does not exist or you do not have access to it.`
        re(#"(?i)\bmodel or endpoint\s+[`'"“]?([\w.\-/:@]+)[`'"”]?\s+does not exist"#),
        // Volcengine Ark's `ModelNotOpen`: `Your account … has not activated the model doubao-x. Please activate …`.
        re(#"(?i)\bhas not activated the model\s+[`'"“]?([\w.\-/:@]*[\w\-/:@])[`'"”]?"#),
        // The name after the verdict and a colon: `model not found: x`, `模型未找到: x`.
        re(#"(?i)\bmodel(?:[ _]not[ _]found| does not exist| not available| is not supported| unavailable)\s*[:：]\s*[`'"“]?([\w.\-/:@]+)"#),
        re(#"模型(?:未找到|不存在|不可用)\s*[:：]\s*[`'"“]?([\w.\-/:@]+)"#),
        // OpenRouter: `vendor/model:free is not a valid model ID`.
        re(#"(?:^|[\s"'`])([\w.\-/:@]*[A-Za-z][\w.\-/:@]*) is not a valid model(?: ID)?\b"#),
        // A refusal that names the model (`you are not allowed to use gpt-3.5-turbo model`,
        // `not allowed to access model x`): an id, so it carries a digit or a hyphen.
        re(#"(?i)\bnot (?:allowed|permitted|authorized) to (?:use|access)\s+(?:the\s+)?(?:model\s+)?[`'"“]?([A-Za-z][\w.:@/]*[\d\-][\w.\-:@/]*)[`'"”]?"#),
        // Together: `Unable to access model x. Please visit https://api.together.ai/models to view
        // the list of supported models.` (its model_not_found).
        re(#"(?i)\b(?:unable|not able|cannot|can't) to access (?:the )?model\s+[`'"“]?([\w.\-/:@]+)"#),
        // One API: `… for model x under group g`; its forks capitalise (`No available channels for Model X under Group g`).
        re(#"\b(?i:for model)\s+[`'"]?([\w.\-/:@]+?)[`'"]?\s+(?i:under|in|is|not|on|at)\b"#),
        // `对于模型  无可用渠道`: the request named no model, not a model named " ".
        // New API adds the billing mode after the name (`对于模型 x 计费模式 [按量计费] 无可用渠道`).
        re(#"对于模型\s*([^\s，,][^，,]*?)\s*(?:计费模式\s*\S*\s*)?无可用渠道"#),
        re(#"(?:使用|访问)模型[：:]\s*([^\s，,()（）]+)"#),
        re(#"模型\s*[`'"“]?([\w.\-/:@]+)[`'"”]?\s*(?:不存在|无可用|不可用|未找到)"#),
        // The name before the word: `qwen2.5-7b-instruct 模型在Ollama不存在`, `gpt-4o 模型不可用`.
        re(#"(?:^|[\s"'`“：:])[`'"“]?([A-Za-z][\w.\-/:@]*[\d\-][\w.\-/:@]*)[`'"”]?\s*模型\s*(?:在\s*\S{1,20}?\s*(?:中|里|上)?\s*)?(?:不存在|未找到|不可用)"#),
    ]
    // Go's `proxyconnect tcp: dial tcp …`, Windows' `… actively refused it`, `no such host`.
    /// (`error sending request for url (…)`: Rust's reqwest when no answer came back.)
    let connection = re(#"(?i)(proxyconnect tcp|actively refused|no such host|couldn'?t connect|could not connect|cannot connect|can't connect|failed to connect|connection refused|econnrefused|connecterror|connectionerror|apiconnectionerror|connection error\.|error sending request for url|failed to establish a new connection|unable to establish a connection|name or service not known|getaddrinfo|enotfound|econnreset|etimedout|timed out|timeout error|连接失败|无法连接|连接超时|拒绝连接|网络错误)"#)

    /// The client refused the server's certificate (`unable to get local issuer certificate`,
    /// `[SSL: CERTIFICATE_VERIFY_FAILED]`, Go's `x509: certificate signed by unknown
    /// authority`): no answer was read, and something on the way (an intercepting proxy, a
    /// corporate CA) presented its own certificate. Every collected ticket with these words
    /// (17) was a network proxy.
    let tlsVerification = re(#"(?i)(certificate verify failed|unable to get local issuer certificate|unable to verify the first certificate|self[- ]signed certificate|self_signed_cert_in_chain|unable_to_verify_leaf_signature|certificate signed by unknown authority|unknown certificate verification error|\[ssl: )"#)

    /// An error as a customer quotes it in a sentence: a status first (after an optional
    /// `Error:` head: `Error: 400 unknown provider …`) or an `…Error:` head anywhere.
    let quotedErrorHead = re(#"(?i)^(?:[\w.]*error:\s*)?[45]\d\d\b|\b\w*Error:\s"#)

    static func re(_ p: String) -> NSRegularExpression {
        // The patterns are literals of this file: a failure is a programming error caught by tests.
        try! NSRegularExpression(pattern: p, options: [.anchorsMatchLines])
    }

    /// Capture groups of the first match (nil for groups that did not take part).
    static func match(_ re: NSRegularExpression, _ s: String) -> [String?]? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    /// The model an error message or line names, if any, by the phrasings servers use
    /// (`The model `x` does not exist`, `model "x" not found`, `Invalid model identifier "x"` …).
    func model(in s: String) -> String? {
        for r in models {
            if let g = Self.match(r, s), let m = g[1] {
                let t = m.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:)"))
                // `\w` takes CJK letters too: in `调用模型报模型不存在` the phrasing would name
                // `报模型`. Served ids are ASCII; a name with a CJK letter is the sentence's own word.
                if !t.isEmpty, !Self.notAName.contains(t.lowercased()), !t.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) { return t }
            }
        }
        return nil
    }

    /// Words an unquoted phrasing can catch that name no model: `the model list is not found`
    /// is the list endpoint missing, `model you requested does not exist` names none.
    static let notAName: Set<String> = ["list", "lists", "listing", "file", "files", "endpoint", "endpoints", "route",
                                        "path", "page", "provider", "service", "server", "config", "configuration",
                                        "you", "that", "which", "it", "is", "was", "requested", "specified", "selected",
                                        "name", "names", "id", "ids", "information", "info", "metadata", "catalog"]

    /// The model a server's error message names: the phrasings of `model(in:)`, then a quoted
    /// name of a known model family (an error quotes the name it was sent; unquoted names in
    /// it are usually suggestions). Not for the customer's prose, where quoting is loose.
    func model(inError s: String) -> String? {
        model(in: s) ?? Self.match(modelOnlyMessage, s)?[1] ?? Self.quotedFamilyModel(in: s)
    }

    /// The first quoted token (`"x"`, `'x'`, `` `x` ``, `“x”`) that starts with a known model
    /// family prefix, e.g. `'gpt-4o' is not available on this plan`.
    static func quotedFamilyModel(in s: String) -> String? {
        let pairs: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("`", "`"), ("“", "”")]
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let close = pairs.first(where: { $0.0 == c })?.1 {
                // An apostrophe inside a word (`don't`) opens nothing.
                let prev = i > s.startIndex ? s[s.index(before: i)] : " "
                let body = s[s.index(after: i)...].prefix { $0 != close && !$0.isWhitespace }
                let end = body.endIndex
                if c != "'" || !prev.isLetter, end < s.endIndex, s[end] == close, (3...80).contains(body.count) {
                    let lower = body.lowercased()
                    if ErrorTextMentions.modelFamilies.contains(where: { lower.hasPrefix($0) }),
                       lower.contains(where: \.isNumber) || lower.contains("-"), !lower.contains("://") {
                        return String(body)
                    }
                }
            }
            i = s.index(after: i)
        }
        return nil
    }

    /// Wordings only a server that read the call answers with (a rate or quota refusal, a
    /// refused key or model): a line holding one was answered, whatever else it says.
    static func quotesServerRefusal(_ line: String) -> Bool {
        let l = line.lowercased()
        return ["rate limit reached", "rate limit exceeded", "too many requests", "exceeded your current quota",
                "insufficient_quota", "incorrect api key", "invalid api key", "model_not_found"].contains { l.contains($0) }
    }

    /// Documentation links that errors carry; they are not the endpoint that failed.
    static func isDocsURL(_ u: String) -> Bool {
        let l = u.lowercased()
        if l.contains("/docs") || l.contains("help.openai.com") || l.contains("github.com") || l.contains("platform.openai.com/account")
            || l.contains("/deprecations") || l.contains("learn") { return true }
        // An HTML page's DOCTYPE or namespace (`"http://www.w3.org/TR/html4/strict.dtd"`).
        if l.contains("www.w3.org/") { return true }
        // A documentation site by its host (`api-docs.deepseek.com`, `docs.x.ai`, `help.…`) or
        // by its path (`/guides/thinking_mode`, `/documentation/…`, `/api-reference/…`).
        let host = l.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first ?? ""
        return ["docs.", "api-docs.", "help.", "support."].contains { host.hasPrefix($0) }
            || ["/guides/", "/guide/", "/documentation", "/api-reference", "/faq"].contains { l.contains($0) }
    }

    /// A link the message points the reader to (`For more information, please refer to URL`,
    /// `see URL`, `visit URL`, `详见 URL`): documentation, not the endpoint that failed.
    static func isPointedTo(_ u: String, in line: String) -> Bool {
        guard let r = line.range(of: u) else { return false }
        let before = line[..<r.lowerBound].suffix(40).lowercased().trimmingCharacters(in: .whitespaces)
        let cues = ["refer to", "see", "visit", "learn more", "more information", "more details", "more info", "api key at", "api keys at",
                    "详见", "参考", "请访问", "请查看"]
        return cues.contains { before.hasSuffix($0) || before.hasSuffix($0 + ":") }
    }

    /// Reads the facts of one line.
    /// - Complexity: a fixed number of regex scans of the line; lines of pasted text are short
    ///   and the file is capped.
    func facts(in line: String) -> LineFacts {
        var f = LineFacts()
        if let g = Self.match(errorCode, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(httpVersion, line) { f.status = g[1].flatMap { Int($0) }; f.statusText = g[2]?.trimmingCharacters(in: .whitespaces) }
        if f.status == nil, let g = Self.match(reason, line) { f.status = g[1].flatMap { Int($0) }; f.statusText = g[2] }
        if f.status == nil, let g = Self.match(leadingStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(labelledStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(exceptionStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(statusField, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(namedStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, let g = Self.match(failedWithStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, line.contains("["), let g = Self.match(bracketStatus, line) { f.status = g[1].flatMap { Int($0) } }
        if f.status == nil, line.contains(", message="), let g = Self.match(aiohttpError, line) {
            f.status = g[1].flatMap { Int($0) }
            if let m = g[2], !m.isEmpty { f.statusText = m }
            f.url = g[3]
        }
        if f.status == nil, line.contains(" Error: "), let g = Self.match(requestsHTTPError, line) {
            f.status = g[1].flatMap { Int($0) }; f.statusText = g[2]
        }
        if let g = Self.match(methodPath, line), let m = g[1], let p = g[2] {
            f.method = m
            let target = p.trimmingCharacters(in: CharacterSet(charactersIn: ").,;:'\"`"))
            if target.hasPrefix("http") { f.url = target } else { f.path = target }
        }
        if f.url == nil, let g = Self.match(url, line), let u = g[0], !Self.isDocsURL(u), !Self.isPointedTo(u, in: line) {
            f.url = ErrorTextMentions.trimURL(Substring(u))
        }
        f.invalidURL = line.contains("Invalid URL")
        if let g = Self.match(exception, line), let c = g[1] { f.exceptionClass = c }
        if f.exceptionClass == nil, line.contains("."), let g = Self.match(qualifiedException, line), let c = g[1] { f.exceptionClass = c }
        if f.exceptionClass == nil, line.contains("Error ["), let g = Self.match(bracketedName, line), let c = g[1] { f.exceptionClass = c }
        f.model = model(in: line)
        if f.model == nil, Self.match(modelRefusal, line) != nil { f.modelRefusal = true }
        if let g = Self.match(requestID, line), let r = g[1] { f.requestID = r }
        // A non-connection exception's line may quote a connection error inside the objects
        // it carries (`RateLimitError: … cooldown_list=[(…, {'exception_received': '…APIConnectionError'})]`):
        // only the line's own words count then.
        let own = f.exceptionClass.map { c in c.contains("Connect") || c.contains("Timeout") ? line : Self.outsideBrackets(line) } ?? line
        // A line that quotes the HTTP answer (`APIConnectionError: Client error '404 Not Found'
        // for url …`) was answered: the class name alone does not make it a network failure.
        // So was one that quotes the server's own refusal after the client's "failed to
        // connect" framing (`Failed to connect to OpenAI API: Rate limit reached for …`).
        let answered = f.status.map { $0 >= 400 && $0 != 407 } ?? false || Self.quotesServerRefusal(own)
        if !answered, let g = Self.match(connection, own), let what = g[1] {
            let lower = what.lowercased()
            let l = own.lowercased()
            let kind: Failure.Kind = l.contains("proxyconnect") || l.contains("proxyerror") || l.contains("tunnel connection failed") ? .proxyError
                : lower.contains("time") || what.contains("超时") ? .timeout : .connectionError
            f.failure = Failure(kind, line.trimmingCharacters(in: .whitespaces))
        } else if !answered, Self.match(tlsVerification, own) != nil {
            f.failure = Failure(.tlsError, line.trimmingCharacters(in: .whitespaces))
        }
        f.message = Self.message(of: line, exceptionClass: f.exceptionClass)
        if f.status == nil, let g = Self.match(quotedReason, line), let phrase = g[1],
           let code = Self.reasonStatus[phrase.lowercased().replacingOccurrences(of: "time-out", with: "timeout")] {
            f.status = code; f.statusText = phrase
        }
        // An error whose whole message is an HTTP reason phrase states that status: an
        // exception's (`Error [AI_APICallError]: Not Found`: SDKs that use the status text as
        // the message), or a bare `Error: Not Found` line (a JavaScript `Error` made from the
        // response's status text).
        if f.status == nil, let m = f.exceptionClass != nil ? f.message : Self.bareErrorMessage(line),
           let code = Self.reasonStatus[m.trimmingCharacters(in: CharacterSet(charactersIn: " .!")).lowercased()] {
            f.status = code; f.statusText = m
        }
        return f
    }

    /// The message of a line that is only `Error: message` (any case of `error`), trimmed of
    /// blanks and closing punctuation.
    static func bareErrorMessage(_ line: String) -> String? {
        let t = line.drop { $0 == " " || $0 == "\t" }
        guard t.count > 6, t.prefix(5).lowercased() == "error" else { return nil }
        let rest = t.dropFirst(5).drop { $0 == " " }
        guard rest.first == ":" || rest.first == "：" else { return nil }
        let m = rest.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: " \t.!"))
        return m.isEmpty ? nil : m
    }

    /// HTTP reason phrases, lowercased, and their status.
    static let reasonStatus: [String: Int] = [
        "bad request": 400, "unauthorized": 401, "payment required": 402, "forbidden": 403, "not found": 404,
        "method not allowed": 405, "proxy authentication required": 407, "request timeout": 408,
        "unprocessable entity": 422, "too many requests": 429, "internal server error": 500,
        "not implemented": 501, "bad gateway": 502, "service unavailable": 503, "gateway timeout": 504,
    ]

    /// The text of a line without what stands inside `(…)`, `[…]` and `{…}`.
    static func outsideBrackets(_ s: String) -> String {
        var depth = 0
        var out = ""
        for c in s {
            if c == "(" || c == "[" || c == "{" { depth += 1; continue }
            if c == ")" || c == "]" || c == "}" { depth = max(0, depth - 1); continue }
            if depth == 0 { out.append(c) }
        }
        return out
    }

    /// The error text of a line without its leading class name and status.
    static func message(of line: String, exceptionClass: String?) -> String {
        var s = Substring(line.trimmingCharacters(in: .whitespaces))
        if let c = exceptionClass, let r = s.range(of: c + ":") ?? s.range(of: "[" + c + "]:") { s = s[r.upperBound...] }
        s = s.drop { $0 == " " }
        if s.hasPrefix("Error: ") { s = s.dropFirst(7) }
        if s.hasPrefix("Error code:") { s = s.dropFirst(11).drop { $0 == " " } }
        let digits = s.prefix(3)
        if digits.count == 3, digits.allSatisfy(\.isNumber), s.dropFirst(3).first == " " {
            s = s.dropFirst(4)
            if s.hasPrefix("- ") { s = s.dropFirst(2) }
        }
        return String(s).trimmingCharacters(in: .whitespaces)
    }
}
