import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// How the pasted-text reader reads statuses, Chinese refusals and cut tracebacks. All texts
/// are written for these tests (the shapes come from real tickets).
@Suite struct ErrorTextStatusAndRefusalTests {
    func parse(_ text: String) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt")
    }

    /// Go's `status code 503:` (no separator after "code") and openai-java's
    /// `NotFoundException: 404: null` state the status.
    @Test func statusCodeWithoutSeparatorAndAnExceptionWhoseMessageIsItsStatus() throws {
        let go = parse("错误：status code 503: 当前分组 vip 下对于模型 gpt-x 无可用渠道 (request id: 2025)")
        #expect(go.exchanges.contains { $0.status == 503 }, "\(go.exchanges.map(\.status))")
        let java = parse("""
        com.openai.errors.NotFoundException: 404: null
        \tat com.openai.errors.NotFoundException$Builder.build(NotFoundException.kt:88)
        """)
        #expect(java.exchanges.contains { $0.status == 404 }, "\(java.exchanges.map(\.status))")
        // A version or a port is no status: `status: ok` is not one either.
        let none = parse("status: ok, listening on port 8404")
        #expect(!none.exchanges.contains { $0.status != nil })
    }

    /// A line the paste labels as the error (`错误：…`, `Error message: …`) or the first line
    /// under an issue form's error heading is an error, whatever its words; the label is not
    /// part of the message. A customer's sentence that merely mentions an error stays prose.
    @Test func aLineLabelledAsTheErrorIsOne() throws {
        let labelled = parse("错误：端点切换失败: 端点 'my-endpoint-1' 不存在。可用端点: a, b")
        #expect(labelled.exchanges.count == 1)
        #expect(labelled.exchanges.first?.error?.message == "端点切换失败: 端点 'my-endpoint-1' 不存在。可用端点: a, b")
        let heading = parse("""
        **完整报错信息**

        [bot]api-key调用额度超限(default),请向账户充值
        """)
        #expect(heading.exchanges.first?.error?.message == "[bot]api-key调用额度超限(default),请向账户充值")
        // A short verdict that something failed, then its detail: the whole line is the message.
        let verdict = parse("模型校验失败: expected destination type of 'string' for responses with content-type 'text/html'")
        #expect(verdict.exchanges.first?.error?.message == "模型校验失败: expected destination type of 'string' for responses with content-type 'text/html'")
        let english = parse("Error message: the selected provider could not be reached")
        #expect(english.exchanges.first?.error?.message == "the selected provider could not be reached")
        let prose = parse("I searched the docs for this error for hours and found nothing useful at all")
        #expect(prose.exchanges.isEmpty)
    }

    /// An error named by its quoted reason phrase in prose states that status.
    @Test func aQuotedReasonPhraseIsItsStatus() throws {
        let out = parse("llm = OpenAI(base_url=base)  # raises the error \"Method Not Allowed\"")
        #expect(out.exchanges.contains { $0.status == 405 }, "\(out.exchanges.map(\.status))")
        let unquoted = parse("the page says not found when I open it in a browser, which is odd")
        #expect(!unquoted.exchanges.contains { $0.status == 404 })
    }

    /// A paste through a Chinese input method: a full-width colon and curly quotes.
    @Test func aStatusFieldWithFullWidthPunctuation() throws {
        let out = parse("异常：[qwen] 返回错误响应：“{”status_code”：403，“code”：“AccessDenied.Unpurchased”}”")
        #expect(out.exchanges.contains { $0.status == 403 }, "\(out.exchanges.map(\.status))")
    }

    /// An issue form's list of the URLs a client called, each with its status and no method.
    @Test func aURLWithItsStatusIsACall() throws {
        let out = parse("""
        The client attempts to connect to:
        - `http://127.0.0.1:11434/models` (404)
        - `http://127.0.0.1:11434/chat/completions` (404)
        """)
        #expect(out.exchanges.contains { $0.url == "http://127.0.0.1:11434/models" && $0.status == 404 }, "\(out.exchanges.map(\.summary))")
        #expect(out.exchanges.contains { $0.url == "http://127.0.0.1:11434/chat/completions" && $0.status == 404 })
        // A URL in a sentence with a number after it is no call.
        let prose = parse("See https://example.com/docs for the 3 steps (and 404 handling).")
        #expect(!prose.exchanges.contains { $0.url != nil })
    }

    /// `\w` takes CJK letters: `调用模型报模型不存在` must not name a model `报模型`, and the
    /// server's own line under it names the model that was refused.
    @Test func aChineseSentenceNamesNoModelAndTheServersLineDoes() throws {
        let out = parse("""
        数据集工具调用模型报模型不存在
        The model `GPT-4o-mini` does not exist or you do not have access to it.
        """)
        #expect(!out.exchanges.contains { $0.model == "报模型" })
        #expect(out.exchanges.contains { $0.model == "GPT-4o-mini" }, "\(out.exchanges.map(\.model))")
    }

    /// A short gateway refusal with no usable name is an error line (a call failed); a long
    /// Chinese sentence with the same words is the customer's account, read as prose.
    @Test func aShortChineseRefusalIsAnErrorLineALongSentenceIsProse() throws {
        let short = parse("4. 遇到报错，test模型无可用渠道")
        #expect(short.exchanges.count == 1)
        let long = parse("Windows 版客户端切换到任何 GPT-4 模型都提示模型不存在，换了好几个版本都一样")
        #expect(long.exchanges.isEmpty, "\(long.exchanges.map(\.summary))")
        #expect(long.signals.contains { $0.name == .ticketText })
    }

    /// Every httpcore request passes through the connection pool and `self._connection`: a
    /// traceback cut there (after "Request timed out") is not a connection that never opened.
    /// One cut inside the connect step is.
    @Test func aTracebackThroughTheConnectionPoolIsNotAConnectFailure() throws {
        let pool = parse("""
        Traceback (most recent call last):
          File "/usr/lib/python3.10/site-packages/httpx/_transports/default.py", line 101, in map_httpcore_exceptions
            yield
          File "/usr/lib/python3.10/site-packages/httpcore/_sync/connection_pool.py", line 236, in handle_request
            response = connection.handle_request(
          File "/usr/lib/python3.10/site-packages/httpcore/_sync/connection.py", line 103, in handle_request
            return self._connection.handle_request(request)
        """)
        #expect(!pool.exchanges.contains { $0.failure?.kind == .connectionError }, "\(pool.exchanges.map(\.failure))")
        let connect = parse("""
        Traceback (most recent call last):
          File "/usr/lib/python3.10/site-packages/httpcore/_sync/connection.py", line 99, in handle_request
            stream = self._connect(request)
          File "/usr/lib/python3.10/site-packages/httpcore/_sync/connection.py", line 122, in _connect
            stream = self._network_backend.connect_tcp(**kwargs)
        """)
        #expect(connect.exchanges.contains { $0.failure?.kind == .connectionError })
    }

    /// A status in brackets after a failure word (`Upstream request failed: [404] …`) is the
    /// call's status; a bracketed number elsewhere (a list index, a log level) is not.
    @Test func aBracketedStatusAfterAFailureWord() throws {
        let out = parse("- Console error #1: `Error from provider (Console): Upstream request failed: [404] Provider returned error`")
        #expect(out.exchanges.contains { $0.status == 404 }, "\(out.exchanges.map(\.status))")
        let none = parse("items[404] = value; retries: [500] attempts")
        #expect(!none.exchanges.contains { $0.status != nil }, "\(none.exchanges.map(\.status))")
    }

    /// A curl command quoted in Markdown (`> curl …`) is a command like one after a shell
    /// prompt: the answer under each command is its own, not the first command's.
    @Test func aCurlCommandAfterAQuoteMarker() throws {
        let out = parse("""
        > curl http://localhost:8080/models
        {"object":"list","data":[{"id":"local-model.bin","object":"model"}]}
        > curl http://localhost:8080/v1/completions -H "Content-Type: application/json" -d '{
             "model": "other.bin",
             "prompt": "hello"
           }'
        {"error":{"code":500,"message":"could not load model - all backends returned error"}}
        """)
        let list = out.exchanges.first { $0.url == "http://localhost:8080/models" }
        #expect(list?.listedModels == ["local-model.bin"])
        #expect(list?.status ?? 0 < 400)
        let call = out.exchanges.first { $0.url == "http://localhost:8080/v1/completions" }
        #expect(call?.model == "other.bin")
        #expect(call?.error?.message?.contains("could not load model") == true, "\(out.exchanges.map(\.summary))")
    }

    /// A terminal client's status line with `·` separators (`Provider unavailable · HTTP 503 ·
    /// service_unavailable_error: …`) states the status; a version number after HTTP does not.
    @Test func anHTTPStatusBetweenSeparators() throws {
        let out = parse("⚠ Provider unavailable · HTTP 503 · service_unavailable_error: Service temporarily unavailable. Please try again shortly.")
        #expect(out.exchanges.contains { $0.status == 503 }, "\(out.exchanges.map(\.status))")
        let version = parse("client speaks HTTP 2 · connection kept alive")
        #expect(!version.exchanges.contains { $0.status != nil })
    }

    /// A client that words every error as "failed to connect" but quotes the server's refusal
    /// (a rate limit) was answered: no connection failure.
    @Test func aConnectFramingAroundTheServersRefusal() throws {
        let out = parse("Failed to connect to OpenAI API: Rate limit reached for gpt-x in organization org-1 on tokens per min (TPM): Limit 30000, Used 25292, Requested 10584.")
        #expect(!out.exchanges.contains { $0.failure?.kind == .connectionError }, "\(out.exchanges.map(\.failure))")
        let refused = parse("Failed to connect to OpenAI API: connect ECONNREFUSED 127.0.0.1:443")
        #expect(refused.exchanges.contains { $0.failure?.kind == .connectionError })
    }
}
