import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Thin tickets: one pasted text with a request line and its status, a body under it, the
/// customer's prose around it. Hand-made in the style of real tickets (English and Chinese).
@Suite struct ErrorTextThinTicketTests {
    func parse(_ text: String) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt")
    }

    func values(_ out: ParseOutput, _ name: String) -> [String] {
        out.signals.filter { $0.name.rawValue == name }.compactMap(\.value)
    }

    // MARK: Request line with its status, body below

    @Test(arguments: [
        "GET https://gw.example.net/v1/models 200",
        "GET https://gw.example.net/v1/models -> 200",
        "GET https://gw.example.net/v1/models 200 OK",
        "GET https://gw.example.net/v1/models → 200 OK",
        "[network] GET https://gw.example.net/v1/models \"HTTP/1.1 200 OK\"",
        "请求 GET https://gw.example.net/v1/models 返回 200",
    ])
    func statusLineOwnsTheBodyBelow(_ requestLine: String) throws {
        let out = parse("model dropdown is empty\n\(requestLine)\n{\"success\":true,\"data\":[],\"object\":\"list\"}\n")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "GET")
        #expect(e.url == "https://gw.example.net/v1/models")
        #expect(e.status == 200)
        #expect(e.error == nil)
        #expect(e.listedModels == [])
        #expect(e.responseBody == #"{"data":[],"object":"list","success":true}"#)
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 3)])
        #expect(!e.missing.contains(.statusNotInPaste))
    }

    @Test func chineseTicketWithContentTypeAndBlankLineBeforeBody() throws {
        let out = parse(try Repo.text("error-text/thin-empty-list-zh.txt"))
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://ai.lanting-gw.cn/v1/models")
        #expect(e.status == 200)
        #expect(e.statusText == "OK")
        #expect(e.contentType == "application/json")
        #expect(e.listedModels == [])
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 4)])
        #expect(values(out, "ticket-text") == ["新建的令牌在 Cherry Studio 里点“管理”看不到任何模型，也没有报错提示"])
    }

    @Test func bodyOnTheSameLineAsTheStatus() throws {
        let out = parse(#"GET http://10.0.0.7:3000/v1/models 200 {"object":"list","data":[{"id":"qwen-plus","object":"model"}]}"#)
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.status == 200)
        #expect(e.listedModels == ["qwen-plus"])
    }

    @Test func errorBodyBelowAStatusLineIsThatCallsError() throws {
        let out = parse("""
        POST https://relay.example.org/v1/chat/completions 404 Not Found
        {"error":{"message":"The model `gpt-5-turbo` does not exist","type":"invalid_request_error","code":"model_not_found"}}
        """)
        #expect(out.exchanges.count == 1)
        #expect(out.format == "json-error")
        let e = try #require(out.exchanges.first)
        #expect(e.method == "POST")
        #expect(e.url == "https://relay.example.org/v1/chat/completions")
        #expect(e.status == 404)
        #expect(e.statusText == "Not Found")
        #expect(e.model == "gpt-5-turbo")
        #expect(e.error?.code == "model_not_found")
    }

    @Test func htmlStatusLineIsNotAnErrorMessage() throws {
        let out = parse("GET https://llm.example.io/models -> 200 text/html\n")
        let e = try #require(out.exchanges.first)
        #expect(e.status == 200)
        #expect(e.contentType == "text/html")
        #expect(e.error == nil)
        #expect(e.responseBody == nil)
        #expect(e.hints.contains(.requestStatusLine))
    }

    @Test func proseAfterTheStatusIsNotAStatusLine() {
        let out = parse("GET https://gw.example.net/v1/models 200 but the client still shows nothing at all")
        #expect(!out.exchanges.contains { $0.hints.contains(.requestStatusLine) })
    }

    // MARK: Model list bodies named by prose

    @Test func modelNamesBodyGetsThePathAndStatusTheProseStates() throws {
        let out = parse("""
        Our text-generation-webui box answers /v1/models with 200 but the chat app shows 0 models:
        {"model_names": ["Llama-3.1-8B-Instruct", "Phi-3-mini"]}
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.pathOnly == "/v1/models")
        #expect(e.status == 200)
        #expect(e.listedModels == nil)
        #expect(e.listShape == "object-without-data")
        #expect(e.hints.contains(.pastedModelList))
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2)])
        // The prose stays the customer's words.
        #expect(values(out, "ticket-text").count == 1)
    }

    @Test func chineseModelsBodyWithURLTwoLinesAbove() throws {
        let out = parse("""
        自建的服务地址 http://192.168.1.20:5000/v1/models ，浏览器打开返回 200
        但是客户端显示 0 个模型，返回内容如下：
        {"models": [{"name": "glm-4-9b-chat"}, {"name": "qwen2-7b-instruct"}]}
        """)
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.url == "http://192.168.1.20:5000/v1/models")
        #expect(e.status == 200)
        #expect(e.listShape == "object-with-models")
    }

    @Test func aModelsObjectWithoutAnyModelsPathIsNotACall() {
        let out = parse("""
        my settings file:
        {"models": [{"name": "gpt-4o"}], "temperature": 0.2}
        """)
        #expect(out.exchanges.isEmpty)
    }

    // MARK: One request line, one error

    @Test func requestLineAfterTheError() throws {
        let out = parse("""
        Moved our tool to your Kimi key, chat now says model not found
        Error code: 404 - {'error': {'message': 'The model `moonshot-v1-8k` does not exist or you do not have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        POST https://api.openai.com/v1/chat/completions
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "POST")
        #expect(e.url == "https://api.openai.com/v1/chat/completions")
        #expect(e.status == 404)
        #expect(e.model == "moonshot-v1-8k")
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 3)])
    }

    @Test func requestLineBeforeTheErrorWithALabel() throws {
        let out = parse("""
        换成新令牌后一直报错
        请求地址：POST https://api.deepseek.com/chat/completions

        Error code: 400 - {"error":{"message":"Model Not Exist","type":"invalid_request_error","code":"invalid_request_error"}}
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "POST")
        #expect(e.url == "https://api.deepseek.com/chat/completions")
        #expect(e.status == 400)
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 4)])
    }

    @Test func twoErrorsKeepTheirOwnURLs() {
        let out = parse("""
        POST https://gw.example.com/v1/chat/completions
        Error code: 404 - {"error":{"message":"The model `a-1` does not exist","code":"model_not_found"}}
        Error code: 401 - {"error":{"message":"invalid api key","code":"invalid_api_key"}}
        """)
        // Not paired blindly: the second error is not given the request line.
        #expect(out.exchanges.last?.status == 401)
        #expect(out.exchanges.last?.url == nil)
    }

    // MARK: Model names

    @Test func invalidModelIdentifierNamesTheModelNotTheProse() throws {
        let out = parse("""
        gpt-researcher on LM Studio, I loaded only qwen2.5-7b-instruct and set no model:
        Error code: 400 - {'error': {'message': 'Invalid model identifier "o4-mini". Please specify a valid downloaded model (e.g., qwen2.5-7b-instruct).', 'type': 'invalid_request_error', 'param': 'model', 'code': 'model_not_found'}}
        """)
        let e = try #require(out.exchanges.first)
        #expect(e.model == "o4-mini")
        #expect(!e.missing.contains(.modelNotInPaste))
    }

    @Test func quotedModelInAChineseErrorBody() throws {
        let out = parse(#"报错：{"error":{"message":"当前分组 default 下对于 \"glm-4-plus\" 的请求被拒绝","type":"new_api_error"}}"#)
        #expect(try #require(out.exchanges.first).model == "glm-4-plus")
    }

    @Test func phrasingsThatNameTheModel() {
        let p = ErrorTextPatterns()
        #expect(p.model(in: #"Invalid model identifier "o4-mini"."#) == "o4-mini")
        #expect(p.model(in: "Unknown model: 'deepseek-r2'") == "deepseek-r2")
        #expect(p.model(in: "unsupported model `claude-3-opus`") == "claude-3-opus")
        #expect(p.model(inError: "400 'gpt-4o-mini' is not available on your plan") == "gpt-4o-mini")
        // An apostrophe in a word opens no quote; unquoted suggestions are not the model.
        #expect(p.model(inError: "don't use gpt-4o, try qwen2.5-7b-instruct") == nil)
    }

    @Test func quotedModelInProseIsAMentionNotAnError() {
        let out = parse(#"In the config I set model to "deepseek-v3" and the list shows nothing"#)
        #expect(out.exchanges.isEmpty)
        #expect(values(out, "mentioned-model") == ["deepseek-v3"])
    }

    // MARK: Proxy signals

    @Test(arguments: [
        ("we go through a corporate proxy at http://10.0.0.1:3128", "http://10.0.0.1:3128"),
        ("代理 127.0.0.1:7890 一直开着", "127.0.0.1:7890"),
        ("export NO_PROXY=localhost,127.0.0.1", "NO_PROXY=localhost"),
        ("the httpx client is built with proxy=\"socks5://127.0.0.1:1080\"", "socks5://127.0.0.1:1080"),
    ])
    func realProxySettings(_ text: String, _ value: String) {
        #expect(values(parse(text), "proxy-env") == [value])
    }

    @Test(arguments: [
        "The request returned empty. Please check if the API proxy address does not end with `/v1`.",
        "LobeChat 里 API 代理地址填的是 https://ai.example.cn ，模型列表为空",
        "we are behind a company proxy, not sure if that matters",
        "nginx reverse proxy at http://10.0.0.9:8080 in front of the gateway",
        "proxy_pass http://127.0.0.1:3000;",
    ])
    func wordsThatAreNotAProxySetting(_ text: String) {
        #expect(!parse(text).signals.contains { $0.name == .proxyEnv })
    }

    // MARK: Pasted Python exceptions with request lines

    @Test func pastedExceptionWithRequestLineIsReadAsErrorText() {
        let text = try! Repo.text("error-text/thin-html-models-en.txt")
        #expect(sniff(text, path: "ticket.txt")?.0 == .errorText)
        // The exception alone stays a Python log …
        let exceptionOnly = "openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `x-1` does not exist', 'code': 'model_not_found'}}\n"
        #expect(sniff(exceptionOnly, path: "ticket.txt")?.0 == .pythonSDKLog)
        // … and so does a real SDK log that also prints request lines.
        let sdkLog = """
        DEBUG:openai._base_client:Sending HTTP Request: GET https://gw.example.com/v1/models
        INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models "HTTP/1.1 200 OK"
        GET https://gw.example.com/v1/models 200
        """
        #expect(sniff(sdkLog, path: "app.log")?.0 == .pythonSDKLog)
    }

    @Test func decodeErrorMarksTheSuccessfulHTMLCall() throws {
        let out = parse(try Repo.text("error-text/thin-html-models-en.txt"))
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://llm.northwind.dev/models")
        #expect(e.status == 200)
        #expect(e.contentType == "text/html; charset=utf-8")
        #expect(e.hints.contains(.jsonDecodeError))
        #expect(e.hints.contains(.exception("APIResponseValidationError")))
        #expect(e.error == nil)
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 4)])
        #expect(values(out, "configured-base-url") == ["https://llm.northwind.dev"])
    }

    @Test func decodeErrorAloneIsAnExchangeWithTheHint() throws {
        let out = parse("""
        模型列表拉取失败，客户端日志：
        AttributeError: 'str' object has no attribute 'data'
        """)
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.hints.contains(.jsonDecodeError))
        #expect(e.status == nil)
    }

    // MARK: A failed call the customer states in words

    /// `请求变成 <URL> 发生错误`: the customer quotes the URL the client called and says it
    /// failed. That is a call (stated in prose) with that URL, so its shape is read.
    @Test(arguments: [
        "请求变成 https://ark.example.cn/api/v3/v1/chat/completion 发生错误",
        "calling https://gw.example.net/v1/v1/models fails every time",
    ])
    func aURLTheCustomerSaysFailedIsAStatedCall(_ line: String) throws {
        let out = parse("the client stopped working\n\(line)\n")
        let e = try #require(out.exchanges.first)
        #expect(e.url?.hasPrefix("https://") == true)
        #expect(e.hints.contains(.statedInProse))
        #expect(e.error != nil)
        #expect(e.status == nil)
    }

    @Test func aURLInProseWithoutAFailureWordIsNoCall() {
        let out = parse("the docs say https://gw.example.net/v1/chat/completions is the endpoint\n")
        #expect(out.exchanges.isEmpty)
        // A base URL (no endpoint) in a sentence that says something fails is the setting.
        let base = parse("Pointed the app at Groq (https://api.groq.com/openai/v1) with my own model, chat fails:\n")
        #expect(base.exchanges.isEmpty)
    }
}
