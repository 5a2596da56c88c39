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

@Suite struct NodeSDKLogParserTests {
    func parse(_ text: String, chunk: Int = 1 << 20) -> ParseOutput {
        parseLines(NodeSDKLogParser.self, text, path: "node.log", chunkSize: chunk)
    }

    func sniffNode(_ text: String) -> Sniff? {
        NodeSDKLogParser.sniff(SniffInput(path: "x.log", text: text, isWholeFile: true))
    }

    @Test func sniffsV5RecordsWithVersionAndOutscoresErrorText() throws {
        let text = try Repo.text("node-sdk/case-25.log")
        let s = try #require(sniffNode(text))
        #expect(s.kind == .nodeSDKLog)
        #expect(s.format == "openai-node-5.23.2")
        #expect(s.score == 85)
        let fallback = ErrorTextParser.sniff(SniffInput(path: "x.log", text: text, isWholeFile: true))
        #expect((fallback?.score ?? 0) < s.score)
        #expect(sniffNode("just some prose about a model") == nil)
        #expect(sniffNode("OpenAI:DEBUG:request https://h/v1/models {}")?.format == "openai-node-4.x")
    }

    @Test func htmlWebConsoleCase23() throws {
        let out = parse(try Repo.text("node-sdk/case-23.log"))
        #expect(out.format == "openai-node-6.49.0")
        #expect(out.exchanges.count == 2)
        #expect(out.skippedLines == 0)
        let list = out.exchanges[0]
        #expect(list.method == "GET")
        #expect(list.url == "http://127.0.0.1:3300//v1/models")
        #expect(list.status == 200)
        #expect(list.contentType == "text/html; charset=utf-8")
        #expect(list.responseBody?.hasPrefix("<!doctype html><html lang=\"zh\">") == true)
        #expect(list.responseBody?.contains("<title>New API</title>") == true)
        #expect(list.listedModels == nil)
        #expect(list.durationMs == 15)
        #expect(list.requestID == "20261129034631990364426EpJiWyWs")
        #expect(list.credential == nil)
        #expect(list.requestHeaders.value("authorization") == "***")
        #expect(list.sdk == SDKInfo(name: "openai-node", version: "6.49.0", language: "js", runtime: "node v20.20.2"))
        #expect(list.sources == [SourceRef(file: "node.log", line: 2, endLine: 44)])
        let chat = out.exchanges[1]
        #expect(chat.method == "POST")
        #expect(chat.url == "http://127.0.0.1:3300//v1/chat/completions")
        #expect(chat.model == "gpt-5-mini")
        #expect(chat.stream == false)
        #expect(chat.status == 200)
        #expect(chat.hints.contains(.jsonDecodeError))
        #expect(!list.hints.contains(.jsonDecodeError))
        #expect(chat.lines.contains { $0.text.contains("TypeError: Cannot read properties of undefined") })
        #expect(out.signals.map(\.name) == [.configuredBaseURL])
        #expect(out.signals.first?.value == "http://127.0.0.1:3300/")
    }

    @Test func responsesEndpointNotFoundCase24() throws {
        let out = parse(try Repo.text("node-sdk/case-24.log"))
        #expect(out.exchanges.count == 4)
        #expect(out.exchanges.map(\.method) == ["GET", "POST", "POST", "POST"])
        #expect(out.exchanges.map(\.status) == [200, 404, 404, 200])
        #expect(out.exchanges.map(\.model) == [nil, "gpt-5-mini", "gpt-5", "gpt-5-mini"])
        #expect(out.exchanges.map(\.endpoint) == [.models, .responses, .responses, .chat])
        let list = out.exchanges[0]
        // The dump cut the ids to [Object]; the app printed them right after.
        #expect(list.listedModels == ["gpt-5", "gpt-5-mini", "gpt-5-nano", "kimi-k2-0905-preview", "glm-4.5-air",
                                      "doubao-seed-1-6-250615", "text-embedding-3-large"])
        #expect(list.hints.contains(.listedModelsFromAppLog))
        #expect(list.missing.isEmpty)
        for e in out.exchanges[1...2] {
            #expect(e.error == APIError(type: "invalid_request_error", code: "", message: "Invalid URL (POST /v1/responses)", param: ""))
            #expect(e.url == "http://127.0.0.1:8300/v1/responses")
            #expect(e.retries == 0)
            #expect(e.hints.contains(.appError("NotFoundError")))
        }
        #expect(out.exchanges[1].requestID == "20261129034553817145712OULReFem")
        #expect(out.exchanges[2].requestID == "20261129034553544520566FZUrw4eV")
        #expect(out.exchanges[1].durationMs == 22)
        let stream = out.exchanges[3]
        #expect(stream.stream == true)
        #expect(stream.contentType == "text/event-stream")
        #expect(stream.error == nil)
        #expect(stream.requestBody == #"{"messages":"[Array]","model":"gpt-5-mini","stream":true}"#)
        #expect(out.skippedLines == 0)
    }

    @Test func insufficientQuotaCase25() throws {
        let out = parse(try Repo.text("node-sdk/case-25.log"))
        #expect(out.exchanges.count == 3)
        #expect(out.exchanges.map(\.status) == [200, 403, 403])
        #expect(out.exchanges.map(\.model) == [nil, "kimi-k2-0905-preview", "glm-4.5-air"])
        #expect(out.exchanges[0].listedModels?.count == 7)
        for e in out.exchanges[1...] {
            #expect(e.error?.code == "insufficient_user_quota")
            #expect(e.error?.type == "new_api_error")
            #expect(e.error?.message?.hasPrefix("用户额度不足, 剩余额度: ＄0.000000") == true)
        }
        // Each printed error joins its own call by the request id in its headers.
        #expect(out.exchanges[1].requestID == "20261129034553819119787PiFYwK8n")
        #expect(out.exchanges[1].error?.message?.contains("20261129034553819119787PiFYwK8n") == true)
        #expect(out.exchanges[2].error?.message?.contains("20261129034553854382257uT20csJ5") == true)
        #expect(out.exchanges[2].stream == true)
        #expect(out.signals.first { $0.name == .configuredBaseURL }?.value == "http://127.0.0.1:13000/v1")
    }

    @Test(arguments: ["case-23", "case-24", "case-25"])
    func dripFeedGivesIdenticalOutput(_ name: String) throws {
        let text = try Repo.text("node-sdk/\(name).log")
        let whole = parse(text)
        for chunk in [1, 7, 4096] {
            let part = parse(text, chunk: chunk)
            #expect(part.exchanges == whole.exchanges)
            #expect(part.signals == whole.signals)
            #expect(part.lines == whole.lines)
        }
    }

    static let retried = """
    [log_a1b2c3] sending request {
      method: 'post',
      url: 'https://gw.example.com/v1/chat/completions',
      options: { method: 'post', path: '/chat/completions', body: { model: 'gpt-4o', messages: [Array] } },
      headers: { authorization: '***', 'user-agent': 'OpenAI/JS 5.10.0', 'x-stainless-retry-count': '0' }
    }
    [log_a1b2c3] post https://gw.example.com/v1/chat/completions failed with status 503 in 95ms - retrying, 2 attempts remaining
    [log_a1b2c3] response error (retrying, 2 attempts remaining) { url: 'https://gw.example.com/v1/chat/completions', status: 503, headers: { 'content-type': 'application/json' }, durationMs: 95 }
    [log_d4e5f6] sending request {
      retryOf: 'log_a1b2c3',
      method: 'post',
      url: 'https://gw.example.com/v1/chat/completions',
      options: { method: 'post', path: '/chat/completions', body: { model: 'gpt-4o', messages: [Array] } },
      headers: { authorization: '***', 'user-agent': 'OpenAI/JS 5.10.0', 'x-stainless-retry-count': '1' }
    }
    [log_d4e5f6, retryOf: log_a1b2c3] post https://gw.example.com/v1/chat/completions failed with status 503 in 40ms - retrying, 1 attempts remaining
    [log_0a0b0c] sending request { retryOf: 'log_a1b2c3', method: 'post', url: 'https://gw.example.com/v1/chat/completions', options: { method: 'post', path: '/chat/completions', body: { model: 'gpt-4o', messages: [Array] } }, headers: { authorization: '***' } }
    [log_0a0b0c, retryOf: log_a1b2c3, x-request-id: "req_77"] post https://gw.example.com/v1/chat/completions failed with status 503 in 41ms - error; no more retries left
    [log_0a0b0c] response error (error; no more retries left) {
      url: 'https://gw.example.com/v1/chat/completions',
      status: 503,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_77' },
      message: undefined,
      durationMs: 44
    }
    2026-01-02T03:04:05.000Z ERROR chat failed: InternalServerError: 503 当前分组 default 下对于模型 gpt-4o 无可用渠道 (request id: req_77)
        at APIError.generate (file:///app/node_modules/openai/core/error.mjs:51:20)
        at async main (file:///app/index.mjs:10:3) {
      status: 503,
      headers: Headers { 'content-type': 'application/json', 'x-request-id': 'req_77' },
      requestID: 'req_77',
      error: {
        message: '当前分组 default 下对于模型 gpt-4o 无可用渠道 (request id: req_77)',
        type: 'one_api_error'
      },
      code: undefined,
      param: undefined,
      type: 'one_api_error'
    }
    """

    @Test func collapsesRetriesIntoOneExchangeWithFinalStatus() throws {
        let out = parse(Self.retried)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.retries == 2)
        #expect(e.status == 503)
        #expect(e.durationMs == 41)
        #expect(e.requestID == "req_77")
        #expect(e.model == "gpt-4o")
        #expect(e.error?.type == "one_api_error")
        #expect(e.error?.message == "当前分组 default 下对于模型 gpt-4o 无可用渠道 (request id: req_77)")
        #expect(e.hints.isSuperset(of: [.retriesExhausted, .retriedAfterStatus(503)]))
        #expect(out.format == "openai-node-5.10.0")
        for chunk in [1, 13] { #expect(parse(Self.retried, chunk: chunk).exchanges == out.exchanges) }
    }

    @Test func connectionFailureBecomesFailureOfTheCall() throws {
        let text = """
        [log_111111] sending request { method: 'get', url: 'http://127.0.0.1:3000/v1/models', options: { method: 'get', path: '/models' }, headers: { authorization: '***' } }
        [log_111111] connection failed - retrying, 1 attempts remaining
        [log_111111] connection failed (retrying, 1 attempts remaining) { url: 'http://127.0.0.1:3000/v1/models', durationMs: 3, message: 'fetch failed' }
        [log_222222] sending request { retryOf: 'log_111111', method: 'get', url: 'http://127.0.0.1:3000/v1/models', options: { method: 'get', path: '/models' }, headers: { authorization: '***' } }
        [log_222222] connection failed - error; no more retries left
        ERROR list failed: APIConnectionError: Connection error.
            at OpenAI.makeRequest (file:///app/node_modules/openai/client.mjs:1:1) {
          status: undefined,
          error: undefined,
          cause: TypeError: fetch failed
              at node:internal/deps/undici/undici:13502:13 {
            [cause]: Error: connect ECONNREFUSED 127.0.0.1:3000
                at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
              errno: -111,
              code: 'ECONNREFUSED'
            }
          }
        }
        """
        let out = parse(text)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.retries == 1)
        #expect(e.status == nil)
        #expect(e.failure?.kind == .connectionError)
        #expect(e.failure?.message.hasPrefix("APIConnectionError: Connection error.") == true)
        #expect(e.url == "http://127.0.0.1:3000/v1/models")
        #expect(e.hints.contains(.retriedAfter(.connectionError)))
    }

    @Test func readsV4DebugLines() throws {
        let text = """
        OpenAI:DEBUG:request https://gw.example.com/v1/chat/completions {
          method: 'post',
          path: '/chat/completions',
          body: { model: 'gpt-4o', messages: [ [Object] ] },
          stream: false
        } {
          'content-length': '79',
          accept: 'application/json',
          'user-agent': 'OpenAI/JS 4.104.0',
          'x-stainless-lang': 'js',
          'x-stainless-package-version': '4.104.0',
          authorization: 'REDACTED'
        }
        OpenAI:DEBUG:response (error; (error; not retryable)) 404 https://gw.example.com/v1/chat/completions { 'content-type': 'application/json' } undefined
        NotFoundError: 404 The model `gpt-4o` does not exist or you do not have access to it.
            at APIError.generate (/app/node_modules/openai/error.js:54:20) {
          status: 404,
          headers: { 'content-type': 'application/json' },
          error: { message: 'The model `gpt-4o` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' },
          code: 'model_not_found'
        }
        """
        let out = parse(text)
        #expect(out.format == "openai-node-4.104.0")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "POST")
        #expect(e.url == "https://gw.example.com/v1/chat/completions")
        #expect(e.status == 404)
        #expect(e.model == "gpt-4o")
        #expect(e.stream == false)
        #expect(e.credential == nil)
        #expect(e.error?.code == "model_not_found")
        #expect(e.sdk?.version == "4.104.0")
    }

    @Test func printedErrorWithoutRecordBecomesPartialExchange() throws {
        let text = """
        2026-01-02T03:04:05.000Z ERROR failed: NotFoundError: 404 The model `gpt-5` does not exist or you do not have access to it.
            at APIError.generate (file:///srv/app/node_modules/openai/core/error.mjs:51:20) {
          status: 404,
          headers: Headers { 'x-request-id': 'req_abc' },
          requestID: 'req_abc',
          error: { message: 'The model `gpt-5` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' },
          code: 'model_not_found'
        }
        """
        #expect(sniffNode(text)?.score == 60)
        let out = parse(text)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.url == nil)
        #expect(e.requestID == "req_abc")
        #expect(e.error?.code == "model_not_found")
        #expect(e.responseBody?.contains("model_not_found") == true)
        #expect(!e.missing.isEmpty)
    }
}
