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

/// The calls a capture must give, in order.
struct WantCall: CustomStringConvertible {
    var method: String
    var url: String
    var status: Int?
    var model: String? = nil
    var retries = 0

    var description: String { "\(method) \(url) \(status.map(String.init) ?? "-") \(model ?? "-") r\(retries)" }
}

private func got(_ e: Exchange) -> String {
    WantCall(method: e.method ?? "?", url: e.url ?? "?", status: e.status, model: e.model, retries: e.retries).description
}

private func parse(_ fixture: String) throws -> ParseOutput {
    parseLines(PythonSDKLogParser.self, try Repo.text("python-sdk/\(fixture).log"), path: "sdk-debug.log")
}

private let h3000 = "http://127.0.0.1:3000"

/// Every openai-python capture of the corpus (1.54.4, 2.8.1 and 3.57.0), call by call.
private let corpus: [(String, [WantCall])] = [
    ("01-base-url-missing-version", [WantCall(method: "GET", url: "\(h3000)/models", status: 404),
                                     WantCall(method: "POST", url: "\(h3000)/chat/completions", status: 404, model: "gpt-4o")]),
    ("02-base-url-duplicated-version", [WantCall(method: "GET", url: "http://127.0.0.1:4000/v1/v1/models", status: 404)]),
    ("03-base-url-wrong-host", [WantCall(method: "GET", url: "http://127.0.0.1:8088/v1/models", status: 200)]),
    ("04-models-endpoint-unsupported", [
        WantCall(method: "GET", url: "http://127.0.0.1:8080/v1/models", status: 405),
        WantCall(method: "POST", url: "http://127.0.0.1:8080/v1/chat/completions", status: 200, model: "gpt-4o-mini"),
        WantCall(method: "POST", url: "http://127.0.0.1:8080/v1/chat/completions", status: 200, model: "gpt-4o-mini")]),
    ("05-key-group-no-models", [WantCall(method: "GET", url: "http://127.0.0.1:4001/v1/models", status: 200),
                                WantCall(method: "GET", url: "http://127.0.0.1:4001/v1/models", status: 200)]),
    ("06-auth-invalid-key", [WantCall(method: "GET", url: "http://127.0.0.1:3001/v1/models", status: 401)]),
    ("07-client-cache", [
        WantCall(method: "POST", url: "http://127.0.0.1:4002/v1/chat/completions", status: 200, model: "deepseek-chat"),
        WantCall(method: "POST", url: "http://127.0.0.1:4002/v1/chat/completions", status: 200, model: "deepseek-chat"),
        WantCall(method: "POST", url: "http://127.0.0.1:4002/v1/chat/completions", status: 200, model: "deepseek-reasoner")]),
    ("08-network-proxy", [WantCall(method: "GET", url: "http://127.0.0.1:18308/v1/models", status: 407)]),
    ("09-client-cannot-list", [WantCall(method: "GET", url: "http://127.0.0.1:9000/v1/models", status: 200),
                               WantCall(method: "POST", url: "http://127.0.0.1:9000/v1/chat/completions", status: 200, model: "gpt-4o")]),
    ("10-model-name-case", [WantCall(method: "GET", url: "http://127.0.0.1:4003/v1/models", status: 200),
                            WantCall(method: "POST", url: "http://127.0.0.1:4003/v1/chat/completions", status: 400)]),
    ("11-model-name-suffix", [
        WantCall(method: "POST", url: "http://127.0.0.1:4004/v1/embeddings", status: 200, model: "text-embedding-3-small"),
        WantCall(method: "POST", url: "http://127.0.0.1:4004/v1/chat/completions", status: 400, model: "gpt-4o-2024-08-06")]),
    ("12-model-name-legacy-alias", [
        WantCall(method: "GET", url: "http://127.0.0.1:3002/v1/models", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:3002/v1/chat/completions", status: 503, model: "gpt-35-turbo", retries: 2)]),
    ("13-model-name-marketing", [WantCall(method: "POST", url: "http://127.0.0.1:3003/v1/chat/completions", status: 503)]),
    ("14-client-default-model", [WantCall(method: "POST", url: "http://127.0.0.1:4005/v1/chat/completions", status: 400, model: "gpt-3.5-turbo")]),
    ("15-key-group-no-access", [
        WantCall(method: "GET", url: "http://127.0.0.1:4006/v1/models", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:4006/v1/chat/completions", status: 200, model: "gpt-4o-mini"),
        WantCall(method: "POST", url: "http://127.0.0.1:4006/v1/chat/completions", status: 403, model: "gpt-4o")]),
    ("16-insufficient-balance", [WantCall(method: "GET", url: "http://127.0.0.1:3004/v1/models", status: 200),
                                 WantCall(method: "POST", url: "http://127.0.0.1:3004/v1/chat/completions", status: 403)]),
    ("17-upstream-unavailable", [
        WantCall(method: "GET", url: "http://127.0.0.1:4007/v1/models", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:4007/v1/chat/completions", status: 200, model: "gpt-4o-mini"),
        WantCall(method: "POST", url: "http://127.0.0.1:4007/v1/chat/completions", status: 500, model: "gpt-4o", retries: 1)]),
    ("18-wrong-base-url", [WantCall(method: "GET", url: "http://127.0.0.1:11434/v1/models", status: 200),
                           WantCall(method: "POST", url: "http://127.0.0.1:11434/v1/chat/completions", status: 404, model: "gpt-4o")]),
    ("19-model-not-in-catalog", [WantCall(method: "POST", url: "http://127.0.0.1:4008/v1/chat/completions", status: 400)]),
    ("20-no-problem", [
        WantCall(method: "GET", url: "http://127.0.0.1:4009/v1/models", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:4009/v1/chat/completions", status: 200, model: "gpt-4o"),
        WantCall(method: "POST", url: "http://127.0.0.1:4009/v1/chat/completions", status: 200, model: "gpt-4o-mini"),
        WantCall(method: "POST", url: "http://127.0.0.1:4009/v1/embeddings", status: 200, model: "text-embedding-3-small")]),
    ("21-network-proxy", [WantCall(method: "GET", url: "http://127.0.0.1:18321/v1/models", status: nil, retries: 2)]),
    ("22-no-problem", [
        WantCall(method: "GET", url: "http://127.0.0.1:3005/v1/models", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:3005/v1/chat/completions", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:3005/v1/chat/completions", status: 200),
        WantCall(method: "GET", url: "http://127.0.0.1:3005/v1/models/gpt-4o", status: 200),
        WantCall(method: "POST", url: "http://127.0.0.1:3005/v1/chat/completions", status: 200)]),
]

@Suite struct PythonSDKLogParserTests {
    @Test(arguments: corpus.map(\.0))
    func corpusCaptureGivesExactCalls(_ name: String) throws {
        let want = corpus.first { $0.0 == name }!.1
        let out = try parse(name)
        #expect(out.exchanges.map(got) == want.map(\.description))
        #expect(out.skippedLines == 0, "not understood: lines \(out.skippedSamples)")
        #expect(out.lines == (try Repo.text("python-sdk/\(name).log")).split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        for e in out.exchanges {
            #expect(e.sdk?.name == "openai-python")
            #expect(e.sources.count == 1 && e.sources[0].file == "sdk-debug.log")
            #expect(e.lines.count <= 12 && !e.lines.isEmpty)
            #expect(e.time != nil)
        }
    }

    @Test func statusErrorReprBecomesErrorAndJSONBody() throws {
        let out = try parse("01-base-url-missing-version")
        let list = out.exchanges[0]
        #expect(list.error == APIError(type: "invalid_request_error", code: nil, message: "Invalid URL (GET /models)", param: nil))
        #expect(list.responseBody == #"{"error":{"code":null,"message":"Invalid URL (GET /models)","param":null,"type":"invalid_request_error"}}"#)
        #expect(list.requestID == "req_bdbfc5c9cafc34fa6c72fba73bdce45c")
        #expect(list.contentType == "application/json")
        #expect(list.responseHeaders.count == 8)  // list-of-tuples form keeps the repeated `date`
        #expect(list.time == Date(timeIntervalSince1970: 1_795_922_261))  // 2026-11-29 03:17:41 UTC
        // The app's own `chat failed: Error code: 404 - {…}` line gives the chat call its error
        // without adding a call.
        let chat = out.exchanges[1]
        #expect(chat.error?.message == "Invalid URL (POST /chat/completions)")
        #expect(chat.requestBody == #"{"messages":[{"content":"帮我写一封请假邮件","role":"user"}],"model":"gpt-4o"}"#)
        #expect(chat.stream == false)
        #expect(chat.sources[0].description == "sdk-debug.log:39-54")
        #expect(chat.lines.map(\.ref.line) == [39, 40, 41, 42, 54])
    }

    @Test func appPrintedBaseURLAndVersionAreKept() throws {
        let out = try parse("01-base-url-missing-version")
        #expect(out.signals.map { "\($0.name)=\($0.value ?? "")@\($0.line.ref.line)" } == ["configured-base-url=http://127.0.0.1:3000@3"])
        #expect(out.exchanges[0].sdk == SDKInfo(name: "openai-python", version: "1.54.4", language: "python", runtime: "Python 3.11"))
        #expect(out.format == "openai-python-1.x")
    }

    @Test func failingCallsCarryTheGatewayError() throws {
        let e11 = try parse("11-model-name-suffix").exchanges[1]
        #expect(e11.error?.code == "400")
        #expect(e11.error?.type == "invalid_request_error")
        #expect(e11.error?.message == "/chat/completions: Invalid model name passed in model=gpt-4o-2024-08-06. Call `/v1/models` to view available models for your key.")
        let e15 = try parse("15-key-group-no-access").exchanges[2]
        #expect(e15.error?.type == "key_model_access_denied")
        #expect(e15.error?.param == "model")
        let e18 = try parse("18-wrong-base-url").exchanges[1]
        #expect(e18.error?.message == #"model "gpt-4o" not found, try pulling it first"#)
        let e02 = try parse("02-base-url-duplicated-version").exchanges[0]
        #expect(e02.error?.message == "Not Found")
        #expect(e02.responseBody == #"{"detail":"Not Found"}"#)
    }

    @Test func retriedCallsCollapseIntoOneWithTheFinalStatus() throws {
        let e = try parse("12-model-name-legacy-alias").exchanges[1]
        #expect(e.retries == 2)
        #expect(e.status == 503)
        #expect(e.error?.type == "one_api_error")
        #expect(e.error?.message == "当前分组 default 下对于模型 gpt-35-turbo 无可用渠道 (request id: 202611290319115341991250MOaIMId)")
        #expect(e.requestID == "202611290319115341991250MOaIMId")  // X-Oneapi-Request-Id of the last attempt
        #expect(e.lines.count == 12)
        #expect(e.lines.last?.text.hasPrefix("openai.InternalServerError: Error code: 503") == true)
        #expect(e.sources[0].description == "sdk-debug.log:21-158")
        let e17 = try parse("17-upstream-unavailable").exchanges[2]
        #expect(e17.retries == 1)
        #expect(e17.error?.code == "500")
    }

    @Test func version3LogsNoteWhatTheyLack() throws {
        let out = try parse("10-model-name-case")
        #expect(out.format == "openai-python-3.x")
        let chat = out.exchanges[1]
        #expect(chat.requestBody == nil && chat.model == nil)
        #expect(chat.error?.message == "/chat/completions: Invalid model name passed in model=GPT-4o. Call `/v1/models` to view available models for your key.")
        #expect(chat.responseBody == nil)
        #expect(chat.missing == [.responseBodyNotLoggedV3, .requestBodyNotLoggedV3])
        #expect(out.notes.contains("openai 3.x logs no request headers or body; URLs come from the httpx2 logger"))
        let auth = try parse("06-auth-invalid-key").exchanges[0]
        #expect(auth.error?.message == "无效的令牌 (request id: 2026112903181838384881417WGELkk)")
        #expect(auth.requestID == "2026112903181838384881417WGELkk")
    }

    @Test func version3WithoutHTTPXLoggerHasNoURL() throws {
        let text = try Repo.text("python-sdk/10-model-name-case.log").split(separator: "\n")
            .filter { !$0.contains("httpx2:") }.joined(separator: "\n")
        let out = parseLines(PythonSDKLogParser.self, text)
        #expect(out.exchanges.map(got) == ["GET ? 200 - r0", "POST ? 400 - r0"])
        #expect(out.exchanges[0].missing == [.urlNotLoggedV3])
        #expect(out.notes.first == "openai 3.x logs no request URL, headers or body; URLs appear only where the httpx2 logger was enabled")
        #expect(out.skippedLines == 0)
    }

    @Test func httpcoreWireHeadersFillVersion3Responses() throws {
        let e = try parse("03-base-url-wrong-host").exchanges[0]
        #expect(e.contentType == "text/html; charset=utf-8")
        #expect(e.responseHeaders.value("x-oneapi-request-id") == "202611290317581740779900YaFpSKX")
        #expect(e.hints.isSuperset(of: [.jsonDecodeError, .strInsteadOfModel]))
        #expect(e.error == nil)
    }

    @Test func proxyHTMLBodyBecomesTheErrorBody() throws {
        let e = try parse("08-network-proxy").exchanges[0]
        #expect(e.status == 407)
        #expect(e.statusText == "Proxy Authentication Required")
        #expect(e.responseHeaders.value("via") == "1.1 proxy-gw01.corp.example (squid/5.7)")
        #expect(e.error?.message == "ERROR: Cache Access Denied")
        #expect(e.responseBody?.hasPrefix("<!DOCTYPE html PUBLIC") == true)
        #expect(e.responseBody?.hasSuffix("</body></html>") == true)
        #expect(e.sources[0].endLine == 44)
    }

    @Test func refusedProxyConnectionIsAFailureWithProxySignal() throws {
        let out = try parse("21-network-proxy")
        let e = out.exchanges[0]
        #expect(e.failure == Failure(.connectionError, "httpx.ConnectError: [Errno 111] Connection refused"))
        #expect(e.hints.contains(.proxyConnect("127.0.0.1:18888")))
        #expect(e.hints.contains(.httpProxyTransport))
        #expect(out.signals.map { "\($0.name)=\($0.value ?? "")@\($0.line.ref.line)" } == ["proxy-connect=127.0.0.1:18888@9"])
    }

    @Test(arguments: corpus.map(\.0))
    func dripFeedGivesIdenticalOutput(_ name: String) throws {
        let text = try Repo.text("python-sdk/\(name).log")
        let whole = parseLines(PythonSDKLogParser.self, text)
        for size in [1, 7] {
            let dripped = parseLines(PythonSDKLogParser.self, text, chunkSize: size)
            #expect(dripped.exchanges == whole.exchanges)
            #expect(dripped.signals == whole.signals)
            #expect(dripped.notes == whole.notes && dripped.lines == whole.lines && dripped.skippedLines == whole.skippedLines)
        }
    }

    @Test(arguments: corpus.map(\.0))
    func sniffTakesEveryCapture(_ name: String) throws {
        let text = try Repo.text("python-sdk/\(name).log")
        #expect(sniff(text)?.0 == .pythonSDKLog)
        let input = SniffInput(path: "x", text: text, isWholeFile: true)
        #expect((PythonSDKLogParser.sniff(input)?.score ?? 0) >= 80)
    }

    @Test func sniffTellsTheMajorVersionOnlyFromReliableMarks() {
        func format(_ t: String) -> String? { PythonSDKLogParser.sniff(SniffInput(path: "x", text: t, isWholeFile: true))?.format }
        #expect(format("[2026-11-29 03:17:41 - app:47 - INFO] starting sdk=openai-python 2.8.1\nDEBUG:openai._base_client:Request options: {}") == "openai-python-2.x")
        #expect(format("[2026-11-29 03:18:18 - openai._base_client:606 - DEBUG] Building HTTP request: method=GET retries_taken=0") == "openai-python-3.x")
        // Headers([(…)]) only means a header name repeated; it is not a version mark.
        #expect(format("DEBUG:openai._base_client:HTTP Response: GET http://h/v1/models \"200 OK\" Headers([('a', '1'), ('a', '2')])") == nil)
        #expect(PythonSDKLogParser.sniff(SniffInput(path: "x", text: "just some text\nwith words", isWholeFile: true)) == nil)
    }
}
