import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

@Suite struct NodePinoLogParserTests {
    func parse(_ text: String, chunk: Int = 1 << 20) -> ParseOutput {
        parseLines(NodePinoLogParser.self, text, path: "pino.log", chunkSize: chunk)
    }

    func sniffPino(_ text: String) -> Sniff? {
        NodePinoLogParser.sniff(SniffInput(path: "x.log", text: text, isWholeFile: true))
    }

    static let t0 = 1_795_924_689_000

    /// One pino line as `pino().child({ name: 'OpenAI' })` writes it (no hook: message only),
    /// `ms` after `t0`.
    static func pino(_ level: Int, _ ms: Int, _ msg: String) -> String {
        #"{"level":\#(level),"time":\#(t0 + ms),"pid":7,"hostname":"h","name":"OpenAI","msg":"\#(msg)"}"#
    }

    // MARK: sniffing

    @Test func sniffsPinoRecordsAboveTheOtherReaders() throws {
        let plain = try Repo.text("node-sdk/pino-models-404.log")
        let s = try #require(sniffPino(plain))
        #expect(s.kind == .nodeSDKLog)
        #expect(s.format == "openai-node-pino")
        #expect(s.score == 90)
        let merged = try Repo.text("node-sdk/pino-model-not-found.log")
        #expect(sniffPino(merged)?.format == "openai-node-6.9.1-pino")
        for text in [plain, merged] {
            let input = SniffInput(path: "x.log", text: text, isWholeFile: true)
            #expect((GatewayLogParser.sniff(input)?.score ?? 0) < 90)
            #expect((NodeSDKLogParser.sniff(input)?.score ?? 0) < 90)
            #expect((ErrorTextParser.sniff(input)?.score ?? 0) < 90)
            #expect(sniff(text)?.0 == .nodeSDKLog)
        }
        #expect(sniff(merged)?.1 == "openai-node-6.9.1-pino")
    }

    @Test func sniffNeedsAnSDKMessageNotJustJSONLines() {
        #expect(sniffPino("just some prose about [log_123456] and a model") == nil)
        #expect(sniffPino(#"{"level":30,"time":1,"pid":1,"hostname":"h","msg":"listening","port":3000}"#) == nil)
        #expect(sniffPino(#"{"level":30,"time":1,"msg":"[log_123456] something else entirely"}"#) == nil)
        // Console output is the console reader's.
        #expect(sniffPino("[log_123456] sending request { method: 'get' }") == nil)
        let winston = #"{"level":"info","message":"[log_123456] get https://gw/v1/models succeeded with status 200 in 5ms","timestamp":"2026-11-29T03:58:03.401Z"}"#
        #expect(sniffPino(winston)?.format == "openai-node-jsonl")
    }

    @Test func gatewayJSONLinesStillGoToTheGatewayReader() throws {
        let folder = Repo.fixture("gateway")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".log") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let text = try Repo.text("gateway/\(name)")
            let input = SniffInput(path: name, text: String(text.prefix(65536)), isWholeFile: text.utf8.count < 65536)
            #expect(NodePinoLogParser.sniff(input) == nil, "\(name)")
            let own = try #require(GatewayLogParser.sniff(input), "\(name)")
            let picked = try #require(ParserRegistry.detect(input))
            #expect(picked.1 == own, "\(name)")
        }
        // Generic JSON access lines with a pino envelope are still access lines.
        let access = """
        {"level":30,"time":1795924683311,"pid":9,"hostname":"gw","method":"GET","url":"/v1/models","status":200,"msg":"request completed"}
        {"level":30,"time":1795924683411,"pid":9,"hostname":"gw","method":"POST","url":"/v1/chat/completions","status":404,"msg":"request completed"}
        """
        #expect(sniffPino(access) == nil)
        #expect(sniff(access)?.0 == .gatewayLog)
    }

    // MARK: exchanges

    @Test func defaultPinoKeepsOnlyMessagesModels404() throws {
        let out = parse(try Repo.text("node-sdk/pino-models-404.log"))
        #expect(out.format == "openai-node-pino")
        #expect(out.lines == 15)
        #expect(out.exchanges.count == 2)
        #expect(out.exchanges.map(\.method) == ["GET", "POST"])
        #expect(out.exchanges.map(\.url) == ["http://10.20.0.15:8080/models", "http://10.20.0.15:8080/chat/completions"])
        #expect(out.exchanges.map(\.status) == [404, 404])
        #expect(out.exchanges.map(\.durationMs) == [41, 12])
        #expect(out.exchanges.map(\.retries) == [0, 0])
        let list = out.exchanges[0]
        #expect(list.time == Date(timeIntervalSince1970: 1795924212.110))
        #expect(list.sdk == SDKInfo(name: "openai-node", version: nil, language: "js"))
        #expect(list.requestHeaders.isEmpty)
        #expect(list.model == nil)
        // The nginx page survives only in the error the app logged; pino's class name is not
        // taken for the API error type.
        #expect(list.responseBody?.hasPrefix("<html>\r\n<head><title>404 Not Found</title>") == true)
        #expect(list.contentType == "text/html")
        #expect(list.error?.type == nil)
        #expect(list.hints.contains(.appError("NotFoundError")))
        // Evidence starts at the summary line, not at the details-less `sending request`.
        #expect(list.sources == [SourceRef(file: "pino.log", line: 7, endLine: 9)])
        #expect(list.lines.map(\.ref.line) == [7, 9])
        #expect(out.exchanges[1].sources == [SourceRef(file: "pino.log", line: 13, endLine: 15)])
        // The npm banner is not a record.
        #expect(out.skippedLines == 2)
        #expect(out.skippedSamples == [2, 3])
        #expect(out.signals.map(\.name) == [.configuredBaseURL])
        #expect(out.signals.first?.value == "http://10.20.0.15:8080")
        #expect(out.notes.contains { $0.hasPrefix("the logger kept only the SDK's messages") })
        #expect(!out.notes.contains { $0.contains("[Object]") })
    }

    @Test func hookedPinoKeepsDetailsModelNotFound() throws {
        let out = parse(try Repo.text("node-sdk/pino-model-not-found.log"))
        #expect(out.format == "openai-node-6.9.1-pino")
        #expect(out.exchanges.count == 2)
        let list = out.exchanges[0]
        #expect(list.method == "GET")
        #expect(list.url == "https://newapi.example.com/v1/models")
        #expect(list.status == 200)
        #expect(list.listedModels == ["gpt-4o-mini", "deepseek-chat", "qwen-plus"])
        #expect(list.requestID == "20261129035803398214775XkQpLmTa")
        #expect(list.sdk?.version == "6.9.1")
        #expect(list.sdk?.runtime == "node v22.11.0")
        // Masked by the SDK itself: not a credential.
        #expect(list.requestHeaders.value("authorization") == "***")
        #expect(list.credential == nil)
        #expect(list.responseHeaders.value("set-cookie") == "***")
        let chat = out.exchanges[1]
        #expect(chat.method == "POST")
        #expect(chat.url == "https://newapi.example.com/v1/chat/completions")
        #expect(chat.model == "gpt-5")
        #expect(chat.stream == false)
        #expect(chat.status == 503)
        #expect(chat.retries == 2)
        #expect(chat.hints.isSuperset(of: [.retriedAfterStatus(503), .retriesExhausted, .appError("InternalServerError")]))
        #expect(chat.error == APIError(type: "new_api_error", code: "model_not_found",
                                       message: "No available channel for model gpt-5 under group default (distributor) (request id: 20261129035811912447390PaLmWdXs)"))
        #expect(chat.requestID == "20261129035811912447390PaLmWdXs")
        #expect(chat.requestBody?.contains(#""model":"gpt-5""#) == true)
        #expect(chat.time == Date(timeIntervalSince1970: 1795924689.725))
        // The two `(node:…)` warning lines.
        #expect(out.skippedLines == 2)
        #expect(out.skippedSamples == [1, 2])
        #expect(out.signals.first { $0.name == .configuredBaseURL }?.value == "https://newapi.example.com/v1")
        #expect(!out.notes.contains { $0.hasPrefix("the logger kept only") })
    }

    static let retriedWithoutDetails = [
        pino(20, 1000, "[log_a1b2c3] sending request"),
        pino(30, 1095, "[log_a1b2c3] post https://gw.example.com/v1/chat/completions failed with status 503 in 95ms - retrying, 2 attempts remaining"),
        pino(20, 1096, "[log_a1b2c3] response error (retrying, 2 attempts remaining)"),
        pino(20, 1200, "[log_ffff01] sending request"),
        pino(30, 1210, "[log_ffff01] get https://gw.example.com/v1/models succeeded with status 200 in 10ms"),
        pino(20, 1500, "[log_d4e5f6] sending request"),
        pino(30, 1540, "[log_d4e5f6, retryOf: log_a1b2c3] post https://gw.example.com/v1/chat/completions failed with status 503 in 40ms - retrying, 1 attempts remaining"),
        pino(20, 1541, "[log_d4e5f6] response error (retrying, 1 attempts remaining)"),
        pino(20, 2500, "[log_0a0b0c] sending request"),
        pino(30, 2541, #"[log_0a0b0c, retryOf: log_a1b2c3, x-request-id: \"req_77\"] post https://gw.example.com/v1/chat/completions failed with status 503 in 41ms - error; no more retries left"#),
        pino(20, 2542, "[log_0a0b0c] response error (error; no more retries left)"),
    ].joined(separator: "\n")

    @Test func retriesCollapseWhenOnlyTheSummaryNamesTheFirstAttempt() throws {
        let out = parse(Self.retriedWithoutDetails)
        #expect(out.exchanges.count == 2)
        let chat = try #require(out.exchanges.first)
        #expect(chat.method == "POST")
        #expect(chat.retries == 2)
        #expect(chat.status == 503)
        #expect(chat.durationMs == 41)
        #expect(chat.requestID == "req_77")
        #expect(chat.time == Date(timeIntervalSince1970: Double(Self.t0 + 1000) / 1000))
        #expect(chat.hints.isSuperset(of: [.retriesExhausted, .retriedAfterStatus(503)]))
        #expect(chat.lines.map(\.ref.line) == [2, 7, 10])
        #expect(out.exchanges[1].url == "https://gw.example.com/v1/models")
        #expect(out.exchanges[1].status == 200)
        #expect(out.skippedLines == 0)
    }

    @Test func infoLevelOnlyStillGivesCallsAndRetries() throws {
        let text = Self.retriedWithoutDetails.split(separator: "\n").filter { $0.contains(#""level":30"#) }.joined(separator: "\n")
        let out = parse(text)
        #expect(out.exchanges.count == 2)
        #expect(out.exchanges[0].retries == 2)
        #expect(out.exchanges[0].status == 503)
        #expect(out.notes.contains { $0.hasPrefix("only info-level SDK records") })
    }

    @Test func connectionFailureWithPinoErrCause() throws {
        let err = #"{"level":50,"time":3000,"pid":7,"hostname":"h","err":{"type":"APIConnectionError","message":"Connection error.","stack":"Error: Connection error.\n    at OpenAI.makeRequest (file:///app/node_modules/openai/client.mjs:1:1)","cause":{"type":"TypeError","message":"fetch failed","stack":"TypeError: fetch failed","cause":{"type":"Error","message":"connect ECONNREFUSED 127.0.0.1:3000","code":"ECONNREFUSED"}}},"msg":"list failed"}"#
        let text = [
            Self.pino(20, 1000, "[log_111111] sending request"),
            Self.pino(30, 1003, "[log_111111] connection failed - retrying, 1 attempts remaining"),
            Self.pino(20, 1004, "[log_111111] connection failed (retrying, 1 attempts remaining)"),
            Self.pino(20, 1600, "[log_222222] sending request"),
            Self.pino(30, 1602, "[log_222222] connection failed - error; no more retries left"),
            err,
        ].joined(separator: "\n")
        let out = parse(text)
        // The retry's bracket has no `retryOf` on connection lines: two calls, the last failed.
        let e = try #require(out.exchanges.last)
        #expect(e.status == nil)
        #expect(e.failure?.kind == .connectionError)
        #expect(e.failure?.message == "APIConnectionError: Connection error. (fetch failed)")
        #expect(e.lines.last?.ref.line == 6)
    }

    @Test func bunyanStyleInlineDumpIsRead() throws {
        let line = #"{"name":"app","hostname":"h","pid":1,"level":20,"msg":"[log_1a2b3c] sending request { method: 'get', url: 'https://gw.example.com/v1/models', options: { method: 'get', path: '/models' }, headers: { authorization: '***', 'user-agent': 'OpenAI/JS 5.23.2' } }","time":"2026-11-29T03:58:03.311Z","v":0}"#
        let out = parse(line)
        #expect(out.format == "openai-node-5.23.2-jsonl")
        let e = try #require(out.exchanges.first)
        #expect(e.method == "GET")
        #expect(e.url == "https://gw.example.com/v1/models")
        #expect(e.time == Date(timeIntervalSince1970: 1795924683.311))
    }

    @Test func appRecordsAreUnderstoodAndOtherLinesGoToTheConsoleReader() throws {
        let text = """
        {"level":30,"time":1795924689000,"pid":7,"hostname":"h","queue":"tickets","msg":"worker ready"}
        [log_c0ffee] sending request {
          method: 'get',
          url: 'https://gw.example.com/v1/models',
          options: { method: 'get', path: '/models' },
          headers: { authorization: '***' }
        }
        {"level":30,"time":1795924689100,"pid":7,"hostname":"h","msg":"tick"}
        [log_c0ffee] get https://gw.example.com/v1/models succeeded with status 200 in 9ms
        Segmentation fault (core dumped)
        """
        let out = parse(text)
        #expect(out.exchanges.count == 1)
        #expect(out.exchanges.first?.url == "https://gw.example.com/v1/models")
        #expect(out.exchanges.first?.status == 200)
        #expect(out.exchanges.first?.sources == [SourceRef(file: "pino.log", line: 2, endLine: 9)])
        #expect(out.skippedLines == 1)
        #expect(out.skippedSamples == [10])
    }

    @Test(arguments: ["pino-models-404", "pino-model-not-found", "inline"])
    func dripFeedGivesIdenticalOutput(_ name: String) throws {
        let text = name == "inline" ? Self.retriedWithoutDetails : try Repo.text("node-sdk/\(name).log")
        let whole = parse(text)
        for chunk in [1, 7, 4096] {
            let part = parse(text, chunk: chunk)
            #expect(part.exchanges == whole.exchanges)
            #expect(part.signals == whole.signals)
            #expect(part.lines == whole.lines)
            #expect(part.skippedLines == whole.skippedLines)
            #expect(part.notes == whole.notes)
        }
    }
}
