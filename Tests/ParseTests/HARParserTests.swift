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

@Suite struct HARParserTests {
    func parse(_ fixture: String) throws -> ParseOutput {
        parseLines(HARParser.self, try Repo.text("har/\(fixture)"), path: fixture)
    }

    // MARK: Sniffing

    @Test func sniffsProducerFromCreator() throws {
        #expect(sniff(try Repo.text("har/mitmproxy-missing-version.har"))! == (.har, "mitmproxy"))
        #expect(sniff(try Repo.text("har/playwright-empty-list.har"))! == (.har, "playwright"))
        let chrome = #"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[]}}"#
        #expect(sniff(chrome)! == (.har, "chrome"))
        let other = #"{ "log": { "creator": { "name": "SomeTool" }, "entries": [] } }"#
        #expect(sniff(other)! == (.har, "har"))
        #expect(HARParser.sniff(SniffInput(path: "x", text: #"{"message": "log", "level": "info"}"#, isWholeFile: true)) == nil)
        #expect(HARParser.sniff(SniffInput(path: "x", text: "log entries version", isWholeFile: true)) == nil)
    }

    // MARK: mitmproxy captures

    @Test func mitmproxyMissingVersion() throws {
        let out = try parse("mitmproxy-missing-version.har")
        #expect(out.format == "mitmproxy")
        #expect(out.lines == 2)
        #expect(out.problems.isEmpty && out.notes.isEmpty)
        #expect(out.exchanges.count == 2)
        let list = out.exchanges[0]
        #expect(list.method == "GET")
        #expect(list.url == "http://127.0.0.1:3000/models")
        #expect(list.status == 404 && list.statusText == "Not Found")
        #expect(list.error == APIError(type: "invalid_request_error", message: "Invalid URL (GET /models)"))
        #expect(list.listedModels == nil)
        #expect(list.requestID == "req_bdbfc5c9cafc34fa6c72fba73bdce45c")
        #expect(list.credential == "sk-qtpP7g0DeCBx2d5VmV5LFAEjJfdXaLOexI83BPSVegmlWzil")
        #expect(list.sdk == SDKInfo(name: "openai-python", version: "1.54.4", language: "python", runtime: "CPython 3.11.7"))
        #expect(list.contentType == "application/json")
        #expect(list.time == Date(timeIntervalSince1970: 1_795_922_261.366407))
        #expect(abs((list.durationMs ?? 0) - 2.590179443359375) < 1e-9)
        #expect(list.sources == [SourceRef(file: "mitmproxy-missing-version.har", line: 11)])
        #expect(list.lines.first?.text.hasPrefix("GET http://127.0.0.1:3000/models -> 404 Not Found {\"error\"") == true)
        #expect(list.hints.contains(.serverIP("127.0.0.1")))
        let chat = out.exchanges[1]
        #expect(chat.method == "POST" && chat.url == "http://127.0.0.1:3000/chat/completions")
        #expect(chat.model == "gpt-4o")
        #expect(chat.requestBody?.contains("\"model\"") == true)
        #expect(chat.sources.first?.line == 144)
    }

    @Test func mitmproxyEmptyListAndListedModels() throws {
        let empty = try parse("mitmproxy-empty-list.har")
        #expect(empty.exchanges.count == 2)
        #expect(empty.exchanges.allSatisfy { $0.listedModels == [] && $0.status == 200 && $0.listShape == nil })
        let litellm = try parse("mitmproxy-litellm-403.har")
        #expect(litellm.exchanges.map(\.status) == [200, 200, 403])
        #expect(litellm.exchanges[0].listedModels == ["gpt-4o-mini", "text-embedding-3-small"])
        let denied = litellm.exchanges[2]
        #expect(denied.model == "gpt-4o")
        #expect(denied.error?.type == "key_model_access_denied")
        #expect(denied.error?.code == "403")
        #expect(denied.error?.param == "model")
    }

    @Test func nonStandardListShape() throws {
        let out = try parse("mitmproxy-models-shape.har")
        #expect(out.exchanges[0].listedModels == nil)
        #expect(out.exchanges[0].listShape == "object-with-models")
        #expect(out.exchanges[1].listShape == nil)
    }

    @Test func base64ChineseBodiesAreDecoded() throws {
        let out = try parse("mitmproxy-oneapi-base64.har")
        #expect(out.exchanges.count == 4)
        #expect(out.exchanges[0].listedModels == ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "text-embedding-3-small"])
        let failed = Array(out.exchanges.dropFirst())
        #expect(failed.map(\.status) == [503, 503, 503])
        #expect(failed.allSatisfy { $0.model == "gpt-35-turbo" })
        #expect(failed[0].error?.message == "当前分组 default 下对于模型 gpt-35-turbo 无可用渠道 (request id: 20261129031909708518486gWwAt9NG)")
        #expect(failed[0].error?.type == "one_api_error")
        #expect(failed.map(\.requestID) == ["20261129031909708518486gWwAt9NG", "20261129031910995936000JfVbXpfc",
                                            "202611290319115341991250MOaIMId"])
        let quota = try parse("mitmproxy-newapi-quota.har").exchanges[1]
        #expect(quota.error?.code == "insufficient_user_quota")
        #expect(quota.error?.message?.hasPrefix("用户额度不足, 剩余额度: ＄0.000000") == true)
    }

    @Test func streamingAndHTMLResponses() throws {
        let sse = try parse("mitmproxy-sse.har")
        #expect(sse.exchanges.map(\.status) == [405, 200, 200])
        #expect(sse.exchanges[0].error?.message == "Method Not Allowed")
        let streamed = sse.exchanges[2]
        #expect(streamed.stream == true && streamed.contentType == "text/event-stream")
        #expect(streamed.responseBody?.hasPrefix("data: {") == true)
        #expect(streamed.error == nil)
        #expect(sse.exchanges[1].stream == nil)
        let html = try parse("mitmproxy-html.har").exchanges[0]
        #expect(html.contentType == "text/html; charset=utf-8")
        #expect(html.responseBody?.hasPrefix("<!doctype html>") == true)
        #expect(html.listedModels == nil && html.listShape == nil && html.error == nil)
        #expect(html.requestID == "202611290317581740779900YaFpSKX")
        let proxy = try parse("mitmproxy-proxy-407.har").exchanges[0]
        #expect(proxy.status == 407 && proxy.statusText == "Proxy Authentication Required")
        #expect(proxy.lines[0].text.contains("<!DOCTYPE html"))
    }

    // MARK: Browser captures (Playwright / Chromium)

    @Test func playwrightSkipsPageAssets() throws {
        let out = try parse("playwright-duplicated-version.har")
        #expect(out.format == "playwright")
        #expect(out.lines == 5)
        #expect(out.exchanges.count == 2)
        #expect(out.notes == ["3 page-asset entries not treated as API calls (document 1, script 1, stylesheet 1)"])
        #expect(out.skippedLines == 0)
        #expect(out.exchanges.map(\.url) == ["http://127.0.0.1:3600/v1/v1/models", "http://127.0.0.1:3600/v1/v1/chat/completions"])
        #expect(out.exchanges[0].error?.message == "Invalid URL (GET /v1/v1/models)")
        #expect(out.exchanges[1].model == "gpt-5" && out.exchanges[1].stream == true)
        #expect(out.exchanges[0].credential == "sk-coH8VJsp5qEWaYcVyJzsbm9bP9EMsv1HE8wbe4o81yy8TtQp")
        #expect(out.exchanges[0].sdk?.name == "browser")
        #expect(out.exchanges.allSatisfy { $0.sources.first?.line == 1 })
        #expect(out.exchanges[0].time == Date(timeIntervalSince1970: 1_795_923_955.351))
    }

    @Test func playwrightListsAndShapes() throws {
        let empty = try parse("playwright-empty-list.har")
        #expect(empty.exchanges.count == 2)
        #expect(empty.exchanges.allSatisfy { $0.listedModels == [] })
        let shape = try parse("playwright-models-shape.har")
        #expect(shape.exchanges[0].listShape == "object-with-models")
        #expect(shape.exchanges[1].model == "glm-4.5-air" && shape.exchanges[1].contentType == "text/event-stream")
    }

    @Test func browserFailedRequestAndSSEError() {
        let har = """
        {"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.65.1"},"pages":[{"startedDateTime":"2026-11-29T03:45:55.239Z","id":"p"}],"entries":[\
        {"startedDateTime":"2026-11-29T03:45:55.253+08:00","time":-1,"request":{"method":"GET","url":"http://127.0.0.1:9/v1/models","headers":[{"name":"Authorization","value":"Bearer sk-abc"}]},"response":{"status":-1,"statusText":"","headers":[],"content":{"size":-1,"mimeType":"x-unknown"},"_failureText":"net::ERR_CONNECTION_REFUSED"},"_resourceType":"fetch"},\
        {"startedDateTime":"2026-11-29T03:45:56Z","request":{"method":"POST","url":"http://gw/v1/chat/completions","headers":[{"name":"x-api-key","value":"k-1"}],"postData":{"mimeType":"application/json","text":"{\\"model\\":\\"gpt-5\\",\\"stream\\":true}"}},"response":{"status":200,"headers":[{"name":"content-type","value":"text/event-stream"}],"content":{"mimeType":"text/event-stream","text":"data: {\\"error\\":{\\"message\\":\\"No available channel for model gpt-5 under group default (distributor)\\",\\"code\\":\\"model_not_found\\"}}\\n\\ndata: [DONE]\\n"}}},\
        {"startedDateTime":"2026-11-29T03:45:57Z","request":{"method":"GET","url":"http://127.0.0.1:3210/favicon.ico","headers":[]},"response":{"status":404,"headers":[],"content":{"mimeType":"text/html","text":"nope"}}},\
        {"request":{"method":"OPTIONS","url":"http://gw/v1/models"},"response":{"status":204}},\
        "not an entry"]}}
        """
        let out = parseLines(HARParser.self, har, path: "b.har")
        #expect(out.lines == 5)
        #expect(out.exchanges.count == 2)
        let failed = out.exchanges[0]
        #expect(failed.status == nil)
        #expect(failed.failure == Failure(.connectionError, "net::ERR_CONNECTION_REFUSED"))
        #expect(failed.durationMs == nil)
        #expect(failed.credential == "sk-abc")
        #expect(failed.time == Date(timeIntervalSince1970: 1_795_923_955.253 - 8 * 3600))
        #expect(failed.lines[0].text == "GET http://127.0.0.1:9/v1/models -> failed: net::ERR_CONNECTION_REFUSED")
        let sse = out.exchanges[1]
        #expect(sse.credential == "k-1" && sse.model == "gpt-5" && sse.stream == true)
        #expect(sse.error?.code == "model_not_found")
        #expect(sse.error?.message == "No available channel for model gpt-5 under group default (distributor)")
        #expect(sse.missing.isEmpty)
        #expect(out.notes.contains("1 page-asset entry not treated as API calls (ico 1)"))
        #expect(out.notes.contains("1 successful CORS preflight (OPTIONS) entry not treated as API calls"))
        #expect(out.notes.contains("1 entries without a request method or URL skipped"))
    }

    @Test func sanitizedChromeExportNotesMissingKey() {
        let har = """
        {"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[{"_resourceType":"fetch","startedDateTime":"2025-05-02T08:15:30.123Z","time":41.2,"request":{"method":"GET","url":"https://gw.example.com/models","headers":[{"name":":authority","value":"gw.example.com"}]},"response":{"status":200,"statusText":"","headers":[{"name":"content-type","value":"text/html; charset=utf-8"}],"content":{"size":10,"mimeType":"text/html","text":"PGh0bWw+b2s8L2h0bWw+","encoding":"base64"}}}]}}
        """
        let out = parseLines(HARParser.self, har, path: "c.har")
        #expect(out.format == "chrome")
        let x = out.exchanges[0]
        #expect(x.credential == nil)
        #expect(x.missing.count == 1)
        #expect(x.responseBody == "<html>ok</html>")
        #expect(x.statusText == nil)
        #expect(x.lines[0].text == "GET https://gw.example.com/models -> 200")
    }

    // MARK: Broken files

    @Test func invalidJSONGivesProblemWithOffset() {
        let text = "{\n  \"log\": {\n    \"entries\": [ x ]\n  }\n}\n"
        let out = parseLines(HARParser.self, text, path: "bad.har")
        #expect(out.exchanges.isEmpty)
        #expect(out.problems.count == 1)
        #expect(out.problems[0].location == "bad.har@30")
        #expect(out.problems[0].message == "invalid JSON at byte 30 (line 3): unexpected character")
    }

    @Test func truncatedHARSalvagesCompleteEntries() throws {
        let full = try Repo.text("har/mitmproxy-oneapi-base64.har")
        let cutAt = full.utf8.count * 3 / 5
        let text = String(decoding: Array(full.utf8)[..<cutAt], as: UTF8.self)
        let out = parseLines(HARParser.self, text, path: "cut.har")
        #expect(out.problems.count == 1)
        #expect(out.problems[0].location == "cut.har@\(cutAt)")
        #expect(out.problems[0].message.contains("unexpected end of input"))
        #expect(out.exchanges.map(\.sources.first?.line) == [11, 140])
        #expect(out.exchanges[1].model == "gpt-35-turbo")
        #expect(out.notes == ["salvaged 2 complete entries from the damaged file (1 incomplete or unreadable)"])
    }

    @Test func validJSONThatIsNotHAR() {
        let out = parseLines(HARParser.self, #"{"log": {"version": "1.2"}}"#, path: "x.har")
        #expect(out.exchanges.isEmpty)
        #expect(out.problems.map(\.message) == ["valid JSON but not a HAR: no log.entries"])
    }

    @Test func entryScannerAndTimes() {
        let doc = Array("{\"log\":{\"pages\":[{\"x\":\"}\"}],\n\"entries\":[\n{\"a\":\"\\\"{\"},\n {}]}}".utf8)
        let spans = doc.withUnsafeBytes { HAR.scanEntries($0) }
        #expect(spans.map(\.line) == [3, 4])
        #expect(spans.allSatisfy { $0.end != nil })
        #expect(LogTime.iso8601("2026-11-29T03:17:41.366407+00:00") == Date(timeIntervalSince1970: 1_795_922_261.366407))
        #expect(LogTime.iso8601("2025-05-02T08:15:30-0130") == Date(timeIntervalSince1970: 1_746_173_730 + 5400))
        #expect(LogTime.iso8601("not a date") == nil)
        #expect(LogTime.nginx("02/May/2025:08:15:30 +0200") == Date(timeIntervalSince1970: 1_746_173_730 - 7200))
    }
}
