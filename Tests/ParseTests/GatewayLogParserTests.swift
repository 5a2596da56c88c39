import Foundation
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

@Suite struct GatewayLogParserTests {
    func parse(_ fixture: String) throws -> ParseOutput {
        parseLines(GatewayLogParser.self, try Repo.text("gateway/\(fixture)"), path: fixture)
    }

    // MARK: LiteLLM (corpus)

    @Test func liteLLMSniffAndBanner() throws {
        for f in ["litellm-duplicated-version.log", "litellm-default-level.log", "litellm-model-case.log"] {
            #expect(sniff(try Repo.text("gateway/\(f)"))! == (.gatewayLog, "litellm"))
        }
        let out = try parse("litellm-duplicated-version.log")
        #expect(out.format == "litellm")
        #expect(out.lines == 75)
        #expect(out.skippedLines == 0)
        #expect(out.exchanges.count == 1)
        let x = out.exchanges[0]
        #expect(x.method == "GET" && x.pathOnly == "/v1/v1/models" && x.url == nil)
        #expect(x.status == 404 && x.statusText == "Not Found")
        #expect(x.endpoint == .models)
        #expect(x.sources == [SourceRef(file: "litellm-duplicated-version.log", line: 66)])
        #expect(x.time == nil)
        #expect(out.notes == ["LiteLLM log lines carry the time of day only (no date): exchange times unknown"])
    }

    @Test func liteLLMAccessLinesAtDefaultLevel() throws {
        let out = try parse("litellm-default-level.log")
        #expect(out.exchanges.count == 3)
        #expect(out.exchanges.allSatisfy { $0.method == "POST" && $0.pathOnly == "/v1/chat/completions" && $0.status == 200 })
        #expect(out.exchanges.map(\.sources.first?.line) == [33, 34, 35])
        #expect(out.skippedLines == 0)
    }

    @Test func liteLLMEmptyList() throws {
        let out = try parse("litellm-empty-list.log")
        #expect(out.exchanges.map(\.status) == [200, 200])
        #expect(out.exchanges.allSatisfy { $0.pathOnly == "/v1/models" && $0.error == nil })
    }

    @Test func liteLLMInvalidModelName() throws {
        let out = try parse("litellm-model-case.log")
        #expect(out.exchanges.count == 2)
        #expect(out.exchanges[0].pathOnly == "/v1/models" && out.exchanges[0].error == nil)
        let chat = out.exchanges[1]
        #expect(chat.status == 400 && chat.statusText == "Bad Request")
        #expect(chat.model == "GPT-4o")
        #expect(chat.requestID == "23e5eddc-9114-4dc8-949a-07c18d2ba86d")
        #expect(chat.error == APIError(code: "400", message: "/chat/completions: Invalid model name passed in model=GPT-4o. Call `/v1/models` to view available models for your key."))
        #expect(chat.sdk?.name == "openai-python" && chat.sdk?.version == "3.57.0")
        #expect(chat.requestBody?.hasPrefix("{\"model\": \"GPT-4o\"") == true)
        #expect(chat.lines.map(\.ref.line) == [84, 100])
        #expect(chat.lines[0].text.contains("Exception occured") && !chat.lines[0].text.contains("\u{1B}"))
    }

    @Test func liteLLMKeyModelAccessDenied() throws {
        let out = try parse("litellm-key-access.log")
        #expect(out.exchanges.map(\.status) == [200, 200, 403])
        #expect(out.exchanges[1].model == "gpt-4o-mini")
        let denied = out.exchanges[2]
        #expect(denied.model == "gpt-4o")  // from the error text: the body is never logged when auth fails
        #expect(denied.error?.type == "key_model_access_denied")
        #expect(denied.error?.code == "403")
        #expect(denied.error?.message == "The requested model 'gpt-4o' is not available for this API key, or the model name is invalid. Check the models available to you and try again.")
        #expect(denied.lines.count == 3)
        #expect(denied.lines[1].text.contains("This key can only access models=['gpt-4o-mini', 'text-embedding-3-small']"))
    }

    @Test func liteLLMUpstreamDownWithTracebacks() throws {
        let out = try parse("litellm-upstream-down.log")
        #expect(out.skippedLines == 0)
        #expect(out.exchanges.map(\.status) == [200, 200, 500])
        let failed = out.exchanges[2]
        #expect(failed.model == "gpt-4o" && failed.stream == nil)  // the body had no `stream` key
        #expect(failed.requestID == "50e8fce1-76ec-4967-ab7c-8e2151bc47ff")
        #expect(failed.error?.message == "litellm.InternalServerError: InternalServerError: OpenAIException - Connection error.")
        #expect(failed.error?.code == "500")
        #expect(failed.lines.map(\.ref.line) == [481, 553])
    }

    @Test func liteLLMStreamAndEmbeddings() throws {
        let out = try parse("litellm-no-problem.log")
        #expect(out.exchanges.map(\.pathOnly) == ["/v1/models", "/v1/chat/completions", "/v1/chat/completions", "/v1/embeddings"])
        #expect(out.exchanges[1].model == "gpt-4o" && out.exchanges[1].stream == true)
        #expect(out.exchanges[3].model == "text-embedding-3-small")
        #expect(out.exchanges.allSatisfy { $0.error == nil })
    }

    @Test func liteLLMDefaultLevelErrorsAndJSONLogs() {
        let text = """
        \u{1B}[92m13:18:55 - LiteLLM Proxy:ERROR\u{1B}[0m: proxy_server.py:3101 - litellm.proxy.proxy_server.chat_completion(): Exception occured - litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed model=claude-3
        Traceback (most recent call last):
          File "/usr/lib/python3/site-packages/litellm/main.py", line 900, in completion
        litellm.exceptions.BadRequestError: litellm.BadRequestError: LLM Provider NOT provided.
        INFO:     172.18.0.1:54844 - "POST /chat/completions HTTP/1.1" 400 Bad Request
        {"message": "litellm.proxy.proxy_server.anthropic_response(): Exception occured - 400: {'error': 'completion: Invalid model name passed in model=claude-3-5-haiku-20241022'}", "level": "ERROR", "timestamp": "2025-06-26T10:57:10.306412"}
        INFO:     172.18.0.1:54846 - "POST /v1/messages HTTP/1.1" 400 Bad Request
        16:39:17 - LiteLLM Router:WARNING: router.py:5000 - No deployments available for selected model, Received Model Group=gpt-4o
        INFO:     172.18.0.1:54848 - "POST /v1/chat/completions HTTP/1.1" 429 Too Many Requests
        """ + "\n" + "12:00:00 - LiteLLM:DEBUG: utils.py:1 - " + String(repeating: "x", count: 30000) + "\n"
        let out = parseLines(GatewayLogParser.self, text, path: "l.log")
        #expect(out.format == "litellm")
        #expect(out.skippedLines == 0)
        #expect(out.exchanges.count == 3)
        #expect(out.exchanges[0].error?.message?.hasPrefix("litellm.BadRequestError: LLM Provider NOT provided.") == true)
        #expect(out.exchanges[0].pathOnly == "/chat/completions")
        #expect(out.exchanges[1].error == APIError(code: "400", message: "completion: Invalid model name passed in model=claude-3-5-haiku-20241022"))
        #expect(out.exchanges[1].model == "claude-3-5-haiku-20241022")
        #expect(out.exchanges[2].status == 429)
        #expect(out.exchanges[2].error?.message?.hasPrefix("No deployments available") == true)
    }

    // MARK: One API / New API (hand-made from their log formats)

    @Test func oneAPIPairsByRequestID() {
        let text = """
        [SYS] 2024/07/03 - 20:53:29 | One API v0.6.10 started
        [INFO] 2024/07/03 - 20:55:02 | 2024070320550212345678123456 | user id 3, user group: default, request model: gpt-4o, using channel #2
        [ERR] 2024/07/03 - 20:55:02 | 2024070320550298765432100000 | 当前分组 default 下对于模型 gpt-4o-mini 无可用渠道
        [GIN] 2024/07/03 - 20:55:02 | 2024070320550298765432100000 | 503 |     1.914501ms |     203.0.113.7 |    POST /v1/chat/completions
        [GIN] 2024/07/03 - 20:55:03 | 2024070320550212345678123456 | 200 |  312.0912ms |     203.0.113.7 |    POST /v1/chat/completions
        [ERROR] 2025/02/09 - 10:57:22 | 20250209105722123456789 | middleware/utils.go:20 [abortWithMessage] 该令牌无权使用模型：gpt-4o
        [GIN] 2025/02/09 - 10:57:22 | 20250209105722123456789 | 403 |      4.233µs |     203.0.113.7 |     GET /v1/models?x=1
        something the parser does not know
        """
        #expect(sniff(text)! == (.gatewayLog, "one-api"))
        let out = parseLines(GatewayLogParser.self, text, path: "oneapi.log")
        #expect(out.format == "one-api")
        #expect(out.lines == 8)
        #expect(out.skippedLines == 1 && out.skippedSamples == [8])
        #expect(out.exchanges.count == 3)
        let noChannel = out.exchanges[0]
        #expect(noChannel.requestID == "2024070320550298765432100000")
        #expect(noChannel.status == 503 && noChannel.method == "POST" && noChannel.pathOnly == "/v1/chat/completions")
        #expect(noChannel.model == "gpt-4o-mini")
        #expect(noChannel.error == APIError(code: "model_not_found", message: "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道"))
        #expect(abs((noChannel.durationMs ?? 0) - 1.914501) < 1e-9)
        #expect(noChannel.lines.map(\.ref.line) == [3, 4])
        let ok = out.exchanges[1]
        #expect(ok.status == 200 && ok.model == "gpt-4o" && ok.error == nil)
        let denied = out.exchanges[2]
        #expect(denied.error?.message == "该令牌无权使用模型：gpt-4o" && denied.model == "gpt-4o")
        #expect(denied.pathOnly == "/v1/models?x=1" && denied.endpoint == .models)
        #expect(abs((denied.durationMs ?? 0) - 0.004233) < 1e-12)
        #expect(out.notes.contains("Gin access lines carry local time without a zone: exchange times not set"))
    }

    @Test func newAPIRelayErrorsAndPriceNotSet() {
        let text = """
        [ERR] 2025/06/01 - 12:00:00 | 20250601120000123456789AbCdEfGh | user 5 | 该令牌无权访问模型 gpt-4o
        [GIN] 2025/06/01 - 12:00:00 | 20250601120000123456789AbCdEfGh |  403 |  1.2ms |     203.0.113.7 |    POST /v1/chat/completions
        [ERR] 2025/06/01 - 12:00:03 | 20250601120003987654321XyZaBcDe | relay error (channel #7, status code: 404): The model `gpt-4o-mini` does not exist or you do not have access to it.
        [GIN] 2025/06/01 - 12:00:03 | 20250601120003987654321XyZaBcDe |  404 |  312.0912ms |     203.0.113.7 |    POST /v1/chat/completions
        [ERR] 2025/06/01 - 12:00:05 | 20250601120005111111111QwErTyUi | 模型 o3-pro 倍率或价格未配置，请联系管理员设置或开始自用模式；Model o3-pro ratio or price not set, please set or start self-use mode
        [GIN] 2025/06/01 - 12:00:05 | 20250601120005111111111QwErTyUi |  500 |  2ms |     203.0.113.7 |    POST /v1/chat/completions
        [ERR] 2025/06/01 - 12:00:09 | 20250601120009222222222ZzZzZzZz | channel:model_mapped_error mapping points at nothing
        """
        #expect(sniff(text)! == (.gatewayLog, "new-api"))
        let out = parseLines(GatewayLogParser.self, text, path: "newapi.log")
        #expect(out.exchanges.count == 4)
        #expect(out.exchanges[0].model == "gpt-4o" && out.exchanges[0].status == 403)
        #expect(out.exchanges[0].error?.message == "该令牌无权访问模型 gpt-4o")
        let relay = out.exchanges[1]
        #expect(relay.error?.message == "The model `gpt-4o-mini` does not exist or you do not have access to it.")
        #expect(relay.model == "gpt-4o-mini")
        #expect(relay.hints == [.gatewayChannel("channel #7, status code: 404")])
        #expect(out.exchanges[2].error?.code == "model_price_error" && out.exchanges[2].model == "o3-pro")
        // The last request never got its access line (log cut): kept as a partial exchange.
        let cut = out.exchanges[3]
        #expect(cut.status == nil && cut.requestID == "20250601120009222222222ZzZzZzZz")
        #expect(cut.error?.code == "channel:model_mapped_error")
        #expect(cut.sources == [SourceRef(file: "newapi.log", line: 7)])
    }

    @Test func plainGinAccessLines() {
        let text = """
        [GIN] 2024/03/09 - 11:27:38 | 404 |       4.233µs |       127.0.0.1 | POST     "/v1/api/generate"
        [GIN] 2024/03/09 - 11:27:39 | 200 |      1.5s |       127.0.0.1 | GET      "/v1/models"
        """
        #expect(sniff(text)! == (.gatewayLog, "gin"))
        let out = parseLines(GatewayLogParser.self, text)
        #expect(out.exchanges.map(\.pathOnly) == ["/v1/api/generate", "/v1/models"])
        #expect(out.exchanges.map(\.status) == [404, 200])
        #expect(out.exchanges[1].durationMs == 1500)
        #expect(out.exchanges.allSatisfy { $0.requestID == nil })
    }

    // MARK: nginx and JSON lines

    @Test func nginxCombined() {
        let text = """
        203.0.113.7 - - [02/May/2025:08:15:30 +0000] "GET /models HTTP/1.1" 200 1542 "-" "OpenAI/Python 1.76.0"
        203.0.113.7 - - [02/May/2025:08:15:31 +0800] "POST /v1/chat/completions HTTP/1.1" 503 146 "-" "AsyncOpenAI/Python 1.76.0" "10.0.0.1"
        198.51.100.4 - bob [02/May/2025:08:16:02 -0500] "GET /v1/v1/models HTTP/2.0" 404 112 "https://app/" "OpenAI/JS 4.104.0"
        garbage line
        """
        #expect(sniff(text)! == (.gatewayLog, "nginx"))
        let out = parseLines(GatewayLogParser.self, text, path: "access.log")
        #expect(out.exchanges.count == 3)
        #expect(out.skippedLines == 1)
        #expect(out.exchanges.map(\.pathOnly) == ["/models", "/v1/chat/completions", "/v1/v1/models"])
        #expect(out.exchanges.map(\.status) == [200, 503, 404])
        #expect(out.exchanges.map(\.method) == ["GET", "POST", "GET"])
        #expect(out.exchanges[0].time == Date(timeIntervalSince1970: 1_746_173_730))
        #expect(out.exchanges[1].time == Date(timeIntervalSince1970: 1_746_173_731 - 8 * 3600))
        #expect(out.exchanges[2].time == Date(timeIntervalSince1970: 1_746_173_762 + 5 * 3600))
        #expect(out.exchanges[0].sdk?.name == "openai-python" && out.exchanges[0].sdk?.version == "1.76.0")
        #expect(out.exchanges[2].sdk?.name == "openai-node" && out.exchanges[2].sdk?.version == "4.104.0")
        #expect(out.exchanges[1].sdk?.name == "openai-python" && out.exchanges[1].sdk?.version == "1.76.0")
    }

    @Test func jsonLines() {
        let text = """
        {"time_iso8601":"2025-05-02T08:15:30+00:00","remote_addr":"203.0.113.7","request":"GET /v1/models HTTP/1.1","status":"200","http_user_agent":"OpenAI/Python 1.76.0","request_time":"0.012"}
        {"ts":1746173731.5,"method":"post","path":"/v1/chat/completions","status_code":404,"model":"gpt-5","error":{"message":"The model `gpt-5` does not exist","code":"model_not_found"},"request_id":"req_1"}
        {"timestamp":"2025-05-02T08:15:32Z","uri":"/v1/embeddings","code":500,"message":"upstream timed out","requestId":"abc"}
        {"level":"info","msg":"started"}
        """
        #expect(sniff(text)! == (.gatewayLog, "jsonl"))
        let out = parseLines(GatewayLogParser.self, text, path: "gw.jsonl")
        #expect(out.format == "jsonl")
        #expect(out.exchanges.count == 3)
        #expect(out.skippedLines == 0)
        let a = out.exchanges[0]
        #expect(a.method == "GET" && a.pathOnly == "/v1/models" && a.status == 200)
        #expect(a.time == Date(timeIntervalSince1970: 1_746_173_730))
        #expect(a.durationMs == 12)
        #expect(a.sdk?.name == "openai-python")
        let b = out.exchanges[1]
        #expect(b.method == "POST" && b.status == 404 && b.model == "gpt-5" && b.requestID == "req_1")
        #expect(b.error == APIError(code: "model_not_found", message: "The model `gpt-5` does not exist"))
        #expect(b.time == Date(timeIntervalSince1970: 1_746_173_731.5))
        let c = out.exchanges[2]
        #expect(c.method == nil && c.pathOnly == "/v1/embeddings" && c.status == 500 && c.requestID == "abc")
        #expect(c.error?.message == "upstream timed out")
    }

    @Test func notAGatewayLog() {
        #expect(GatewayLogParser.sniff(SniffInput(path: "x", text: "hello\nworld\n", isWholeFile: true)) == nil)
        let sdkLog = "[2025-03-02 10:15:01 - openai._base_client:482 - DEBUG] Request options: {'method': 'get'}\n"
        #expect(GatewayLogParser.sniff(SniffInput(path: "x", text: sdkLog, isWholeFile: true)) == nil)
    }

    @Test func helpers() {
        #expect(GatewayLog.stripANSI("\u{1B}[92m12:00:00 - LiteLLM\u{1B}[0m: x") == "12:00:00 - LiteLLM: x")
        #expect(GatewayLog.goDuration("1m2.5s") == 62500)
        #expect(GatewayLog.goDuration("abc") == nil)
        #expect(GatewayLog.isGinRequestID("20261129031909708518486gWwAt9NG"))
        #expect(!GatewayLog.isGinRequestID("user 5"))
    }
}
