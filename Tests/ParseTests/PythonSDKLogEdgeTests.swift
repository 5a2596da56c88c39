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

/// Hand-made inputs: logging layouts, multi-line reprs, bare tracebacks, network failures.
@Suite struct PythonSDKLogEdgeTests {
    private func parse(_ text: String) -> ParseOutput { parseLines(PythonSDKLogParser.self, text, path: "app.log") }

    private func summary(_ out: ParseOutput) -> [String] {
        out.exchanges.map { "\($0.method ?? "?") \($0.url ?? "?") \($0.status.map(String.init) ?? "-") \($0.model ?? "-")" }
    }

    private static let messages = [
        "Request options: {'method': 'post', 'url': '/chat/completions', 'json_data': {'messages': [], 'model': 'gpt-4o'}}",
        "Sending HTTP Request: POST https://gw.example.com/v1/chat/completions",
        "HTTP Request: POST https://gw.example.com/v1/chat/completions \"HTTP/1.1 404 Not Found\"",
        "HTTP Response: POST https://gw.example.com/v1/chat/completions \"404 Not Found\" Headers({'content-type': 'application/json', 'x-request-id': 'req_1'})",
        "request_id: req_1",
    ]

    /// Each layout, as `(prefix for openai._base_client DEBUG, prefix for httpx INFO)`.
    static let layouts: [(String, String, String)] = [
        ("sdk", "[2024-05-01 10:00:00 - openai._base_client:453 - DEBUG] ", "[2024-05-01 10:00:00 - httpx:1038 - INFO] "),
        ("stdlib default", "DEBUG:openai._base_client:", "INFO:httpx:"),
        ("asctime-name-level", "2024-05-01 10:00:00,123 - openai._base_client - DEBUG - ", "2024-05-01 10:00:00,456 - httpx - INFO - "),
        ("asctime level name:", "2024-05-01 10:00:00,123 DEBUG openai._base_client: ", "2024-05-01 10:00:00,456 INFO httpx: "),
        ("loguru", "2024-05-01 10:00:00.123 | DEBUG    | openai._base_client:_request:1000 - ", "2024-05-01 10:00:00.456 | INFO     | httpx._client:_send_single_request:1025 - "),
        ("free-form", "2024-05-01 10:00:00 - ", "2024-05-01 10:00:00 - "),
        ("iso with offset", "2024-05-01T18:00:00.123+08:00 DEBUG [openai._base_client] ", "2024-05-01T18:00:00.456+08:00 INFO [httpx] "),
        // `%(asctime)s %(name)s %(levelname)s` with a clock-only datefmt (GraphRAG's logs).
        ("clock logger level", "10:00:00,123 openai._base_client DEBUG ", "10:00:00,456 httpx INFO "),
        ("none", "", ""),
    ]

    @Test(arguments: layouts.map(\.0))
    func everyLoggingLayoutReadsAlike(_ name: String) {
        let (_, sdk, httpx) = Self.layouts.first { $0.0 == name }!
        let text = Self.messages.enumerated().map { ($0.offset == 2 ? httpx : sdk) + $0.element }.joined(separator: "\n")
        let out = parse(text)
        #expect(summary(out) == ["POST https://gw.example.com/v1/chat/completions 404 gpt-4o"])
        #expect(out.skippedLines == 0)
        let e = out.exchanges.first
        #expect(e?.requestID == "req_1")
        #expect(e?.contentType == "application/json")
        if ["none", "stdlib default", "clock logger level"].contains(name) {
            #expect(e?.time == nil)
        } else {
            #expect(e?.time.map { $0.timeIntervalSince1970.rounded(.down) } == 1_714_557_600)  // 2024-05-01 10:00:00 UTC
        }
        #expect(out.notes.contains("log times carry no UTC offset; read as UTC") == !["none", "stdlib default", "iso with offset", "clock logger level"].contains(name))
    }

    @Test func fractionalTimesGiveADuration() {
        let text = """
        2024-05-01 10:00:00,100 - openai._base_client - DEBUG - Sending HTTP Request: GET https://gw/v1/models
        2024-05-01 10:00:00,350 - openai._base_client - DEBUG - HTTP Response: GET https://gw/v1/models "200 OK" Headers({})
        """
        #expect(parse(text).exchanges.first?.durationMs.map { ($0 * 10).rounded() / 10 } == 250)
    }

    @Test func multiLineRequestOptionsAreBufferedUntilBalanced() {
        let text = """
        DEBUG:openai._base_client:Request options: {'method': 'post',
         'url': '/chat/completions',
         'json_data': {'messages': [{'role': 'user', 'content': 'a ] tricky } string'}],
                       'model': 'qwen-max', 'stream': True}}
        DEBUG:openai._base_client:Sending HTTP Request: POST http://gw:3000/v1/chat/completions
        INFO:httpx:HTTP Request: POST http://gw:3000/v1/chat/completions "HTTP/1.1 200 OK"
        """
        let out = parse(text)
        #expect(summary(out) == ["POST http://gw:3000/v1/chat/completions 200 qwen-max"])
        #expect(out.exchanges[0].stream == true)
        #expect(out.exchanges[0].sources[0].description == "app.log:1-6")
        #expect(out.lines == 6 && out.skippedLines == 0)
    }

    @Test func cutRequestOptionsDoNotSwallowTheNextRecords() {
        let text = """
        DEBUG:openai._base_client:Request options: {'method': 'post', 'url': '/chat/completions', 'json_data': {'model': 'gpt-4o', 'messages': [{'content': 'very long
        DEBUG:openai._base_client:Sending HTTP Request: POST http://gw/v1/chat/completions
        INFO:httpx:HTTP Request: POST http://gw/v1/chat/completions "HTTP/1.1 200 OK"
        """
        let out = parse(text)
        #expect(summary(out) == ["POST http://gw/v1/chat/completions 200 gpt-4o"])
        #expect(out.lines == 3 && out.skippedLines == 0)
    }

    @Test func bareTracebackMakesOneCallFromTheException() {
        let text = """
        Traceback (most recent call last):
          File "/app/main.py", line 12, in <module>
            resp = client.chat.completions.create(model="gpt-5", messages=msgs)
          File "/usr/lib/python3.12/site-packages/openai/resources/chat/completions/completions.py", line 1147, in create
            return self._post(
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-5` does not exist or you do not have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """
        let input = SniffInput(path: "t", text: text, isWholeFile: true)
        #expect(PythonSDKLogParser.sniff(input)?.score == 60)
        let out = parse(text)
        #expect(out.exchanges.count == 1)
        let e = out.exchanges[0]
        #expect(e.status == 404 && e.url == nil)
        #expect(e.error == APIError(type: "invalid_request_error", code: "model_not_found",
                                    message: "The model `gpt-5` does not exist or you do not have access to it.", param: nil))
        #expect(e.hints == [.exception("NotFoundError"), .sdkCall("chat.completions.create")])
        #expect(e.missing == [.urlNotLogged])
        #expect(out.skippedLines == 0)
    }

    @Test func appErrorLineAloneGivesAPartialCall() {
        let out = parse("2024-05-01 10:00:00,000 ERROR app: chat failed: Error code: 403 - {'error': {'code': 'insufficient_user_quota', 'message': 'user quota is not enough', 'type': 'new_api_error'}}")
        #expect(out.exchanges.count == 1)
        #expect(out.exchanges[0].status == 403)
        #expect(out.exchanges[0].error?.code == "insufficient_user_quota")
    }

    @Test func timeoutsAndTLSAndProxyErrorsAreFailures() {
        func failure(_ lines: [String]) -> Failure? {
            parse((["DEBUG:openai._base_client:Sending HTTP Request: GET https://api.example.com/v1/models"] + lines).joined(separator: "\n")).exchanges.first?.failure
        }
        #expect(failure(["DEBUG:openai._base_client:Encountered httpx.TimeoutException", "Traceback (most recent call last):",
                         "  File \"x.py\", line 1, in f", "httpx.ReadTimeout: timed out", "DEBUG:openai._base_client:Raising timeout error",
                         "openai.APITimeoutError: Request timed out."])
                == Failure(.timeout, "httpx.ReadTimeout: timed out"))
        #expect(failure(["DEBUG:httpcore.connection:start_tls.failed exception=ConnectError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)'))",
                         "Traceback (most recent call last):", "  File \"x.py\", line 1, in f",
                         "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)",
                         "openai.APIConnectionError: Connection error."])?.kind == .tlsError)
        #expect(failure(["Traceback (most recent call last):", "  File \"x.py\", line 1, in f",
                         "httpx.ProxyError: 502 Bad Gateway", "openai.APIConnectionError: Connection error."])
                == Failure(.proxyError, "httpx.ProxyError: 502 Bad Gateway"))
        #expect(failure(["openai.APIConnectionError: Connection error."]) == Failure(.connectionError, "APIConnectionError: Connection error."))
    }

    @Test func version3RetriesCollapse() {
        let text = """
        [2026-08-20 09:00:00 - openai._base_client:606 - DEBUG] Building HTTP request: method=POST retries_taken=0
        [2026-08-20 09:00:00 - openai._base_client:1179 - DEBUG] Sending HTTP Request: POST
        [2026-08-20 09:00:00 - openai._base_client:1220 - DEBUG] HTTP Response: POST 503
        [2026-08-20 09:00:00 - openai._base_client:963 - INFO] Retrying request in 0.412000 seconds
        [2026-08-20 09:00:01 - openai._base_client:606 - DEBUG] Building HTTP request: method=POST retries_taken=1
        [2026-08-20 09:00:01 - openai._base_client:1179 - DEBUG] Sending HTTP Request: POST
        [2026-08-20 09:00:01 - openai._base_client:1220 - DEBUG] HTTP Response: POST 503
        [2026-08-20 09:00:01 - openai._base_client:1247 - DEBUG] Re-raising status error
        openai.InternalServerError: Error code: 503
        """
        let out = parse(text)
        #expect(summary(out) == ["POST ? 503 -"])
        #expect(out.exchanges[0].retries == 1)
        #expect(out.exchanges[0].missing == [.urlNotLoggedV3, .requestBodyNotLoggedV3])
        #expect(out.format == "openai-python-3.x")
    }

    @Test func httpxOnlyLogsGiveOneCallPerLine() {
        let text = """
        INFO:httpx:HTTP Request: GET http://localhost:8000/v1/models "HTTP/1.1 200 OK"
        INFO:httpx:HTTP Request: POST http://localhost:8000/v1/chat/completions "HTTP/1.1 404 Not Found"
        INFO:httpx:HTTP Request: POST http://localhost:8000/v1/chat/completions "HTTP/1.1 404 Not Found"
        """
        #expect(summary(parse(text)) == ["GET http://localhost:8000/v1/models 200 -",
                                         "POST http://localhost:8000/v1/chat/completions 404 -",
                                         "POST http://localhost:8000/v1/chat/completions 404 -"])
    }

    @Test func preV124RequestLineIsAResponse() {
        let out = parse("[2024-02-26 20:59:20 - openai._base_client:860 - DEBUG] HTTP Request: POST https://api.openai.com/v1/chat/completions \"404 Not Found\"")
        #expect(summary(out) == ["POST https://api.openai.com/v1/chat/completions 404 -"])
        #expect(out.exchanges[0].statusText == "Not Found")
    }

    @Test func credentialsAndProxyVariablesAreKept() {
        let text = """
        INFO:app:config HTTPS_PROXY=http://10.0.0.5:3128 api_key=sk-abcdefghijklmnopqrstuvwx base_url='https://gw.example.com/v1'
        DEBUG:openai._base_client:Request options: {'method': 'get', 'url': '/models', 'headers': {'Authorization': '<redacted>'}}
        DEBUG:openai._base_client:Sending HTTP Request: GET https://gw.example.com/v1/models
        """
        let out = parse(text)
        #expect(out.exchanges.first?.credential == "sk-abcdefghijklmnopqrstuvwx")
        #expect(out.signals.map { "\($0.name)=\($0.value ?? "")" }.sorted()
                == ["configured-base-url=https://gw.example.com/v1", "proxy-env=http://10.0.0.5:3128"])
        let bearer = parse("DEBUG:openai._base_client:Request options: {'method': 'get', 'url': '/models', 'headers': {'Authorization': 'Bearer sk-live-1234567890'}}")
        #expect(bearer.exchanges.first?.credential == "sk-live-1234567890")
    }

    @Test func unknownLinesAreCountedNotDropped() {
        let out = parse("DEBUG:openai._base_client:Sending HTTP Request: GET http://h/v1/models\nsome stray words\n   indented stray\n")
        #expect(out.lines == 3)
        #expect(out.skippedLines == 2)
        #expect(out.skippedSamples == [2, 3])
    }

    @Test func liteLLMLogIsLeftToTheGatewayParser() {
        let text = "\u{1b}[92m03:08:41 - LiteLLM Proxy:DEBUG\u{1b}[0m: proxy_server.py:1 - x\nINFO:httpx:HTTP Request: POST http://up/v1/chat/completions \"HTTP/1.1 200 OK\""
        #expect(PythonSDKLogParser.sniff(SniffInput(path: "g", text: text, isWholeFile: true))?.score == 30)
    }

    @Test func tracebackWithoutAnOpenAIErrorIsNotClaimed() {
        let text = """
        model list fails when no model is configured:
        Traceback (most recent call last):
          File "/usr/local/lib/python3.10/site-packages/httpx/_transports/default.py", line 72, in map_httpcore_exceptions
            yield
          File "/usr/local/lib/python3.10/site-packages/httpcore/_sync/connection_pool.py", line 256, in handle_request
            raise exc from None
        """
        #expect(PythonSDKLogParser.sniff(SniffInput(path: "t", text: text, isWholeFile: true)) == nil)
    }

    @Test func appVersionSpellingsAreRead() {
        #expect(PyAppFacts.sdkVersion(in: "starting sdk=openai-python 1.54.4") == "1.54.4")
        #expect(PyAppFacts.sdkVersion(in: "openai==2.8.1 httpx==0.27") == "2.8.1")
        #expect(PyAppFacts.sdkVersion(in: "User-Agent: OpenAI/Python 1.109.1") == "1.109.1")
        #expect(PyAppFacts.sdkVersion(in: "openai version 3.57.0") == "3.57.0")
        #expect(PyAppFacts.sdkVersion(in: "[x - openai._base_client:453 - DEBUG] Sending HTTP Request: GET http://h/openai/v1/models") == nil)
    }
}
