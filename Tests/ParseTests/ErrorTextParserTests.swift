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

@Suite struct ErrorTextParserTests {
    func parse(_ text: String, chunk: Int = 1 << 20) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt", chunkSize: chunk)
    }

    func ticket(_ name: String) throws -> ParseOutput { parse(try Repo.text("error-text/\(name).txt")) }

    func sniffText(_ text: String) -> Sniff? {
        ErrorTextParser.sniff(SniffInput(path: "ticket.txt", text: text, isWholeFile: true))
    }

    func values(_ out: ParseOutput, _ name: String) -> [String] {
        out.signals.filter { $0.name.rawValue == name }.compactMap(\.value)
    }

    // MARK: Sniffing

    @Test func sniffsLowAndByKind() {
        #expect(sniffText(#"{"error":{"message":"x","code":"model_not_found"}}"#) == Sniff(kind: .errorText, format: "json-error", score: 40))
        #expect(sniffText("openai.BadRequestError: Error code: 400 - bad")?.score == 40)
        #expect(sniffText("> GET /v1/models HTTP/1.1\n< HTTP/1.1 404 Not Found")?.format == "curl")
        #expect(sniffText("Traceback (most recent call last):\n  File \"a.py\", line 1")?.format == "traceback")
        #expect(sniffText("模型列表一直是空白的，昨天还好好的")?.score == 25)
        #expect(sniffText("Please check whether our integration is configured correctly.")?.score == 10)
    }

    /// A settings file is read for its settings only, at the lowest score (any parser that
    /// knows the content wins); see `FamilyTriageTests.aSettingsFileGivesItsSettingsAndNothingElse`.
    @Test func configFilesAreSniffedAsSettingsNotAsAPaste() {
        let yaml = """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
        general_settings:
          master_key: sk-1234
        """
        #expect(sniffText(yaml)?.format == "config" && sniffText(yaml)?.score == 5)
        #expect(sniffText("OPENAI_BASE_URL=http://127.0.0.1:3000\nOPENAI_API_KEY=sk-x\n")?.format == "config")
        // One `key: value` line is a sentence, not a config file.
        #expect(sniffText("Error: model not found").map { $0.format != "config" } == true)
    }

    // MARK: Real pasted tickets

    @Test func bigAGI16StatusLineWithJSONBody() throws {
        let out = try ticket("big-agi-16")
        #expect(out.format == "json-error")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "gpt-4")
        #expect(e.error?.code == "model_not_found")
        #expect(e.error?.message == "The model: `gpt-4` does not exist")
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2)])
        #expect(values(out, "ticket-text") == ["when im using the Gpt 4 models the error always occours:"])
    }

    @Test func chatbox2525OllamaModelNotPulled() throws {
        let out = try ticket("chatbox-2525")
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.model == "dengcao/Qwen3-Embedding-8B")
        #expect(e.status == nil)
        #expect(e.error?.message == "model \"dengcao/Qwen3-Embedding-8B\" not found, try pulling it first")
        #expect(e.hints.contains(.exception("APICallError")))
        #expect(values(out, "ticket-text").first?.hasPrefix("知识库创建") == true)
    }

    @Test func cherryStudio6279InvalidURLAfterUpgrade() throws {
        let out = try ticket("cherry-studio-6279")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.method == "POST")
        #expect(e.pathOnly == "/v1/responses")
        #expect(e.endpoint == .responses)
        #expect(e.error?.message == "Invalid URL (POST /v1/responses)")
        #expect(out.signals.contains { $0.name == .clientUpgraded })
        #expect(values(out, "ticket-text").contains("模型不存在或者请求路径错误"))
    }

    @Test func claudeCodeHub139RelayRecords() throws {
        let out = try ticket("claude-code-hub-139")
        #expect(out.exchanges.map(\.url) == ["https://xxx.com/openai/responses", "https://xxx.com/openai/v1/responses"])
        #expect(out.exchanges.allSatisfy { $0.model == "gpt-5.1-codex" && $0.method == "POST" && $0.stream == true && $0.status == nil })
        #expect(values(out, "configured-base-url") == ["https://xxx.com/openai"])
        #expect(values(out, "mentioned-status") == ["503"])
    }

    @Test func continue5769LikelyCausesJoinTheError() throws {
        let out = try ticket("continue-5769")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "codex-mini-latest")
        #expect(e.error?.message == "This model is only supported in v1/responses and not in v1/chat/completions.")
        #expect(values(out, "configured-base-url") == ["https://api.openai.com/v1/"])
    }

    @Test func coze293ErrorCodeLineAndMentionedModels() throws {
        let out = try ticket("coze-studio-293")
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.status == 400)
        #expect(e.error?.message == "Model Not Exist")
        #expect(e.model == nil)
        #expect(e.requestID == nil)
        #expect(values(out, "mentioned-model") == ["deepseek-v3", "deepseek-v3-250324", "deepseek-v3-241226", "Doubao-Seed-1.6"])
    }

    @Test func n8n10375PrettyJSONOnOneLine() throws {
        let e = try #require(try ticket("n8n-10375").exchanges.first)
        #expect(e.model == "gpt-4-vision-preview")
        #expect(e.error?.code == "model_not_found")
        #expect(e.url == nil)
        #expect(e.status == nil)
    }

    @Test func obsidian304NotFoundModel() throws {
        let out = try ticket("obsidian-textgenerator-304")
        #expect(out.exchanges.map(\.model) == ["ernie-speed-128k"])
        #expect(values(out, "mentioned-model") == ["ERNIE-Speed-128K"])
    }

    @Test func openui215ConnectionFailureInDocker() throws {
        let out = try ticket("openui-215")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.failure?.kind == .connectionError)
        #expect(e.url == "http://127.0.0.1:11434")
        #expect(out.signals.contains { $0.name == .docker })
    }

    @Test func orgAI110BacktickedModel() throws {
        let out = try ticket("org-ai-110")
        let e = try #require(out.exchanges.first)
        #expect(e.model == "GPT-4o")
        #expect(e.status == nil)
        #expect(values(out, "mentioned-model") == ["GPT-4o"])
        #expect(out.signals.contains { $0.name == .clientUpgraded })
    }

    @Test func pi2893NestedJSONInStringCutByThePaste() throws {
        let out = try ticket("pi-2893")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "gemma-4-31b")
        #expect(e.error?.message?.hasPrefix("models/gemma-4-31b is not found for API version v1beta") == true)
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 6, endLine: 7)])
        #expect(values(out, "mentioned-model") == ["gemma-4-31b"])
    }

    @Test func publicAI6RequestBodyAndModelNone() throws {
        let out = try ticket("publicai-6")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 400)
        #expect(e.model == "None")
        #expect(e.pathOnly == "/chat/completions")
        #expect(e.error?.message?.contains("Invalid model name passed in model=None") == true)
        #expect(e.requestBody?.contains("\"model\":\"apertus-70b-instruct\"") == true)
        #expect(values(out, "mentioned-model") == ["apertus-70b-instruct"])
    }

    @Test func sparticle222QuotaWithRequestID() throws {
        let e = try #require(try ticket("sparticle-222").exchanges.first)
        #expect(e.error?.code == "insufficient_user_quota")
        #expect(e.requestID == "20240909152207513198801NCNrvKxv")
        #expect(e.status == nil)
        #expect(e.missing.contains(.statusNotInPaste))
    }

    @Test func uniAPI76HttpcoreConnectTraceback() throws {
        let out = try ticket("uni-api-76")
        #expect(out.format == "traceback")
        #expect(out.exchanges.count == 1)
        #expect(out.exchanges.first?.failure?.kind == .connectionError)
        #expect(values(out, "ticket-text").count == 1)
    }

    @Test func vllm3486ErrorObjectShape() throws {
        let out = try ticket("vllm-3486")
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "Qwen1.5-14B-Chat-GPTQ-Int8")
        #expect(e.error?.type == "NotFoundError")
        #expect(values(out, "mentioned-model") == ["/srv/autodl-tmp/models/Qwen1.5-14B-Chat-GPTQ-Int8"])
    }

    // MARK: One-line complaints (corpus)

    @Test func chineseOneLinersGiveSignalsNotExchanges() throws {
        let c01 = try ticket("corpus-01")
        #expect(c01.exchanges.isEmpty)
        #expect(values(c01, "configured-base-url") == ["http://127.0.0.1:3000"])
        let c13 = try ticket("corpus-13")
        #expect(c13.exchanges.isEmpty)
        #expect(values(c13, "ticket-text") == ["DeepSeek R1 用不了，提示无可用渠道"])
        let c16 = try ticket("corpus-16")
        #expect(c16.exchanges.isEmpty)
        #expect(values(c16, "mentioned-model") == ["gpt-4o"])
        #expect(values(c16, "mentioned-status") == ["403"])
        let c26 = try ticket("corpus-26")
        #expect(values(c26, "configured-base-url") == ["http://127.0.0.1:3600/v1"])
        #expect(values(c26, "mentioned-status") == ["404"])
    }

    @Test func chineseGatewayMessageNamesTheModel() throws {
        let out = parse("调用报错：当前分组 vip 下对于模型 deepseek-r1 无可用渠道 (request id: 2025010203040566)")
        let e = try #require(out.exchanges.first)
        #expect(e.model == "deepseek-r1")
        #expect(e.requestID == "2025010203040566")
    }

    // MARK: Shapes

    @Test func curlVerboseTranscriptIsAFullExchange() throws {
        let text = """
        $ curl -v https://gw.example.com/v1/models -H "Authorization: Bearer sk-test1234567890abcdef"
        *   Trying 203.0.113.5:443...
        * Connected to gw.example.com (203.0.113.5) port 443
        * ALPN: curl offers h2,http/1.1
        > GET /v1/models HTTP/1.1
        > Host: gw.example.com
        > User-Agent: curl/8.5.0
        > Accept: */*
        > Authorization: Bearer sk-test1234567890abcdef
        >
        < HTTP/1.1 401 Unauthorized
        < Content-Type: application/json
        <
        {"error":{"message":"无效的令牌 (request id: 2025010203040512345)","type":"one_api_error"}}
        * Connection #0 to host gw.example.com left intact
        """
        let out = parse(text)
        #expect(out.format == "curl")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "GET")
        #expect(e.url == "https://gw.example.com/v1/models")
        #expect(e.status == 401)
        #expect(e.statusText == "Unauthorized")
        #expect(e.credential == "sk-test1234567890abcdef")
        #expect(e.contentType == "application/json")
        #expect(e.error?.message == "无效的令牌 (request id: 2025010203040512345)")
        #expect(e.sdk?.name == "curl")
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 1, endLine: 15)])
    }

    @Test func pythonTracebackWithReprBody() throws {
        let text = """
        Traceback (most recent call last):
          File "app.py", line 12, in <module>
            resp = client.chat.completions.create(model="gpt-5", messages=msgs)
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-5` does not exist or you do not have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """
        let out = parse(text)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "gpt-5")
        #expect(e.error?.code == "model_not_found")
        #expect(e.error?.param == nil)
        #expect(e.hints.contains(.exception("NotFoundError")))
    }

    @Test func multiLinePrettyJSONAndDuplicatesCollapse() throws {
        let body = """
        {
          "error": {
            "message": "当前分组 default 下对于模型 gpt-4o 无可用渠道",
            "type": "one_api_error"
          }
        }
        """
        let out = parse("HTTP 503\n" + body + "\nsame again:\n" + body)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.model == "gpt-4o")
        #expect(e.error?.type == "one_api_error")
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 7)])
    }

    @Test func accessLinesBecomeExchanges() {
        let out = parse("""
        INFO:     127.0.0.1:57754 - "POST /v1/chat/completions HTTP/1.1" 500 Internal Server Error
        [GIN] 2025/01/02 - 03:04:05 | 503 |     1.23ms |   172.17.0.1 | POST     "/v1/chat/completions"
        """)
        #expect(out.exchanges.map(\.status) == [500, 503])
        #expect(out.exchanges.map(\.pathOnly) == ["/v1/chat/completions", "/v1/chat/completions"])
        #expect(out.exchanges.map(\.method) == ["POST", "POST"])
    }

    @Test func proxyAndDockerMentions() {
        let out = parse("Running in docker compose with HTTPS_PROXY=http://10.0.0.1:3128 and the list is empty")
        #expect(values(out, "proxy-env") == ["HTTPS_PROXY=http://10.0.0.1:3128"])
        #expect(out.signals.contains { $0.name == .docker })
    }

    @Test func htmlPageReprBodyAndStatusPrefixLines() throws {
        let out = parse("""
        Error: 401 Incorrect API key provided: sk-abc***xyz. You can find your API key at https://platform.openai.com/account/api-keys.
        <html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>
        {'error': {'message': '该令牌无权使用模型：gpt-4o', 'type': 'one_api_error'}}
        """)
        #expect(out.exchanges.map(\.status) == [401, 502, nil])
        #expect(out.exchanges[0].error?.message?.hasPrefix("Incorrect API key provided") == true)
        #expect(out.exchanges[0].url == nil)
        #expect(out.exchanges[1].contentType == "text/html")
        #expect(out.exchanges[1].responseBody?.contains("502 Bad Gateway") == true)
        #expect(out.exchanges[2].model == "gpt-4o")
        #expect(out.exchanges[2].error?.type == "one_api_error")
    }

    @Test(arguments: ["pi-2893", "publicai-6", "continue-5769", "uni-api-76"])
    func dripFeedGivesIdenticalOutput(_ name: String) throws {
        let text = try Repo.text("error-text/\(name).txt")
        let whole = parse(text)
        for chunk in [1, 5] {
            let part = parse(text, chunk: chunk)
            #expect(part.exchanges == whole.exchanges)
            #expect(part.signals == whole.signals)
        }
    }
}
