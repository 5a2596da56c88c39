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

/// A hand-made exchange as one parser would return it.
private func ex(_ kind: InputKind, _ file: String, _ line: Int, endLine: Int? = nil, method: String? = "GET",
                url: String? = nil, path: String? = nil, status: Int? = 200, time: Date? = nil,
                id: String? = nil) -> Exchange {
    var e = Exchange()
    e.sources = [SourceRef(file: file, line: line, endLine: endLine)]
    e.sourceKinds = [kind]
    e.method = method
    e.url = url
    e.pathOnly = path
    e.status = status
    e.time = time
    e.requestID = id
    e.lines = [SourceLine(ref: SourceRef(file: file, line: line), text: "\(file) line \(line)")]
    return e
}

/// A UTC instant, `2026-11-29T03:17:51.644Z`.
private func utc(_ s: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = s.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    return f.date(from: s)!
}

/// A time of day only, stored on 1970-01-01 the way a LiteLLM line's `HH:MM:SS` is.
private func timeOfDay(_ h: Int, _ m: Int, _ s: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(h * 3600 + m * 60 + s))
}

private func files(_ merged: Exchange) -> [String] { merged.sources.map(\.file) }

@Suite("ExchangeMerger")
struct ExchangeMergerTests {
    @Test func sameRequestIDMergesAPastedErrorIntoTheHAREntry() {
        let har = ex(.har, "capture.har", 10, url: "https://gw.example.com/v1/chat/completions", status: 404,
                     time: utc("2025-05-02T08:15:30Z"), id: "req_8f2c91ab")
        var pasted = ex(.errorText, "ticket.txt", 1, method: nil, status: nil, id: "req_8f2c91ab")
        pasted.error = APIError(type: "invalid_request_error", code: "model_not_found", message: "The model `gpt-5` does not exist")
        let out = ExchangeMerger.merge([[pasted], [har]])
        #expect(out.count == 1)
        #expect(files(out[0]) == ["capture.har", "ticket.txt"])
        #expect(out[0].sourceKinds == [.har, .errorText])
        #expect(out[0].url == "https://gw.example.com/v1/chat/completions")
        #expect(out[0].status == 404)
        #expect(out[0].error?.code == "model_not_found")
        #expect(out[0].index == 0)
    }

    @Test func harSDKAndGatewayViewsOfOneCallBecomeOneExchangeWithThreeSources() {
        let url = "http://127.0.0.1:4000/v1/models"
        var har = ex(.har, "capture.har", 11, url: url, status: 200, time: utc("2026-01-05T10:00:00.400Z"))
        har.responseBody = #"{"object":"list","data":[]}"#
        har.listedModels = []
        har.durationMs = 40
        var sdk = ex(.pythonSDKLog, "sdk.log", 2, endLine: 5, url: url, status: 200, time: utc("2026-01-05T10:00:00Z"))
        sdk.sdk = SDKInfo(name: "openai-python", version: "1.54.4", language: "python")
        sdk.retries = 1
        let gateway = ex(.gatewayLog, "gateway.log", 40, path: "/v1/models", status: 200, time: timeOfDay(10, 0, 1))
        // An unrelated call in each file, which must stay on its own.
        let harOther = ex(.har, "capture.har", 90, method: "POST", url: "http://127.0.0.1:4000/v1/chat/completions",
                          status: 404, time: utc("2026-01-05T10:00:07Z"))
        let gwOther = ex(.gatewayLog, "gateway.log", 41, method: "POST", path: "/v1/embeddings", status: 200,
                         time: timeOfDay(10, 0, 9))

        let out = ExchangeMerger.merge([[sdk], [gateway, gwOther], [har, harOther]])
        #expect(out.count == 3)
        let m = out[0]
        #expect(files(m) == ["capture.har", "gateway.log", "sdk.log"])
        #expect(m.sourceKinds == [.har, .pythonSDKLog, .gatewayLog])
        #expect(m.url == url)
        #expect(m.pathOnly == "/v1/models")
        #expect(m.responseBody == #"{"object":"list","data":[]}"#)
        #expect(m.listedModels == [])
        #expect(m.sdk?.version == "1.54.4")
        #expect(m.retries == 1)
        #expect(m.time == utc("2026-01-05T10:00:00Z"))
        #expect(m.lines.map(\.ref.line) == [11, 40, 2])
        #expect(out[1].sources == [SourceRef(file: "capture.har", line: 90)])
        #expect(out[2].sources == [SourceRef(file: "gateway.log", line: 41)])
        #expect(out.map(\.index) == [0, 1, 2])
    }

    @Test func identicalConsecutiveCallsPairUpOneToOneInOrder() {
        let url = "https://gw.example.com/v1/models"
        let har = (0..<3).map { ex(.har, "capture.har", 10 + $0 * 100, url: url) }
        let sdk = (0..<3).map { ex(.pythonSDKLog, "sdk.log", 1 + $0 * 5, url: url) }
        let gateway = (0..<3).map { ex(.gatewayLog, "gateway.log", 7 + $0, path: "/v1/models") }
        let out = ExchangeMerger.merge([gateway, sdk, har])
        #expect(out.count == 3)
        for (n, m) in out.enumerated() {
            #expect(m.sources == [SourceRef(file: "capture.har", line: 10 + n * 100),
                                  SourceRef(file: "gateway.log", line: 7 + n),
                                  SourceRef(file: "sdk.log", line: 1 + n * 5)])
        }
    }

    @Test func aCallOneSourceMissedDoesNotShiftTheOthers() {
        // The SDK log started after the first call: its two calls are the HAR's 2nd and 3rd.
        let url = "https://gw.example.com/v1/models"
        let har = [ex(.har, "a.har", 1, url: url, status: 401), ex(.har, "a.har", 2, url: url, status: 200),
                   ex(.har, "a.har", 3, url: url, status: 404)]
        let sdk = [ex(.pythonSDKLog, "sdk.log", 1, url: url, status: 200), ex(.pythonSDKLog, "sdk.log", 2, url: url, status: 404)]
        let out = ExchangeMerger.merge([sdk, har])
        #expect(out.count == 3)
        #expect(out.map(\.status) == [401, 200, 404])
        #expect(out.map { $0.sources.count } == [1, 2, 2])
    }

    @Test func differentStatusesOrRequestIDsDoNotMerge() {
        let url = "https://gw.example.com/v1/models"
        let t = utc("2026-01-05T10:00:00Z")
        let statuses = ExchangeMerger.merge([[ex(.har, "a.har", 1, url: url, status: 404, time: t)],
                                             [ex(.pythonSDKLog, "sdk.log", 1, url: url, status: 200, time: t)]])
        #expect(statuses.count == 2)
        let ids = ExchangeMerger.merge([[ex(.har, "a.har", 1, url: url, time: t, id: "req_aaaaaaaa")],
                                        [ex(.pythonSDKLog, "sdk.log", 1, url: url, time: t, id: "req_bbbbbbbb")]])
        #expect(ids.count == 2)
    }

    @Test func callsFarApartInTimeDoNotMerge() {
        let url = "https://gw.example.com/v1/models"
        let out = ExchangeMerger.merge([[ex(.har, "a.har", 1, url: url, time: utc("2026-01-05T10:00:00Z"))],
                                        [ex(.pythonSDKLog, "sdk.log", 1, url: url, time: utc("2026-01-05T10:02:00Z"))]])
        #expect(out.count == 2)
        #expect(out.map { $0.sources[0].file } == ["a.har", "sdk.log"])
    }

    @Test func aPastedPartialExchangeWithoutIDStaysSeparate() {
        var pasted = ex(.errorText, "ticket.txt", 3, method: nil, status: 404)
        pasted.model = "gpt-4o"
        let har = ex(.har, "a.har", 1, method: "POST", url: "https://gw.example.com/v1/chat/completions", status: 404)
        let out = ExchangeMerger.merge([[har], [pasted]])
        #expect(out.count == 2)
        #expect(out.map { files($0) } == [["a.har"], ["ticket.txt"]])
    }

    @Test func neverMergesTwoExchangesOfTheSameFile() {
        let url = "https://gw.example.com/v1/models"
        let out = ExchangeMerger.merge([[ex(.har, "a.har", 1, url: url), ex(.har, "a.har", 2, url: url)],
                                        [ex(.gatewayLog, "gw.log", 9, path: "/v1/models")]])
        #expect(out.count == 2)
        #expect(out.map { $0.sources.count } == [2, 1])
    }

    @Test func sameResultWhateverTheOrderOfInputFiles() {
        let url = "https://gw.example.com/v1/models"
        let chat = "https://gw.example.com/v1/chat/completions"
        let inputs: [[Exchange]] = [
            [ex(.har, "b.har", 1, url: url, status: 200), ex(.har, "b.har", 2, method: "POST", url: chat, status: 404)],
            [ex(.pythonSDKLog, "app.log", 4, url: url, status: 200), ex(.pythonSDKLog, "app.log", 9, url: url, status: 200)],
            [ex(.gatewayLog, "gw.log", 3, method: "POST", path: "/v1/chat/completions", status: 404),
             ex(.gatewayLog, "gw.log", 5, path: "/v1/models", status: 200)],
            [ex(.errorText, "ticket.txt", 1, method: nil, status: 404)],
            [ex(.har, "a.har", 7, url: url, status: 200)],
        ]
        let expected = ExchangeMerger.merge(inputs)
        // a.har:7 + b.har:1 + app.log:4 + gw.log:5 | b.har:2 + gw.log:3 | app.log:9 | ticket.txt:1
        #expect(expected.map { $0.sources.count } == [4, 2, 1, 1])
        var rng = SplitMix(seed: 42)
        for _ in 0..<20 {
            #expect(ExchangeMerger.merge(inputs.shuffled(using: &rng)) == expected)
        }
    }

    @Test func missingURLNoteIsDroppedWhenTheHARGivesTheURL() {
        let chat = "https://gw.example.com/v1/chat/completions"
        var har = ex(.har, "a.har", 20, method: "POST", url: chat, status: 404, time: utc("2026-09-01T09:00:00.250Z"))
        har.requestBody = #"{"model":"gpt-5"}"#
        // openai 3.x metadata-only diagnostics: `HTTP Response: POST 404`, no URL at all.
        var sdk = ex(.pythonSDKLog, "sdk.log", 3, method: "POST", status: 404, time: utc("2026-09-01T09:00:00Z"))
        sdk.missing = [.urlNotLoggedV3, .noAuthorizationInHAR]
        let out = ExchangeMerger.merge([[sdk], [har]])
        #expect(out.count == 1)
        #expect(out[0].url == chat)
        #expect(out[0].requestBody == #"{"model":"gpt-5"}"#)
        #expect(out[0].missing == [.noAuthorizationInHAR])
    }

    @Test func aURLlessCallNeedsACloseTimeToMerge() {
        let chat = "https://gw.example.com/v1/chat/completions"
        let har = ex(.har, "a.har", 20, method: "POST", url: chat, status: 404)
        let sdk = ex(.pythonSDKLog, "sdk.log", 3, method: "POST", status: 404)
        #expect(ExchangeMerger.merge([[sdk], [har]]).count == 2)
    }

    @Test func localTimeSDKLogMatchesUTCHARAcrossTheTimeZoneOffset() {
        // Python logs local time without a zone (here UTC+8); the HAR is UTC.
        let url = "https://gw.example.com/v1/models"
        let har = [ex(.har, "a.har", 1, url: url, time: utc("2026-01-05T02:00:00.300Z")),
                   ex(.har, "a.har", 2, url: url, time: utc("2026-01-05T02:00:30.100Z"))]
        let sdk = [ex(.pythonSDKLog, "sdk.log", 1, url: url, time: utc("2026-01-05T10:00:00Z")),
                   ex(.pythonSDKLog, "sdk.log", 2, url: url, time: utc("2026-01-05T10:00:30Z"))]
        let out = ExchangeMerger.merge([sdk, har])
        #expect(out.count == 2)
        #expect(out.map { $0.sources.map(\.line) } == [[1, 1], [2, 2]])
        #expect(out.map(\.time) == [utc("2026-01-05T02:00:00.300Z"), utc("2026-01-05T02:00:30.100Z")])
    }

    @Test func aGatewayClockAFewMinutesAheadStillPairsItsCalls() {
        let url = "https://gw.example.com/v1/models"
        let t = utc("2026-01-05T10:00:00Z")
        let har = (0..<4).map { ex(.har, "a.har", $0 + 1, url: url, time: t.addingTimeInterval(Double($0) * 10)) }
        let gateway = (0..<4).map { ex(.gatewayLog, "gw.log", $0 + 1, path: "/v1/models",
                                       time: t.addingTimeInterval(Double($0) * 10 + 150)) }
        let out = ExchangeMerger.merge([gateway, har])
        #expect(out.map { $0.sources.map(\.line) } == [[1, 1], [2, 2], [3, 3], [4, 4]])
        #expect(out[0].time == t)
    }

    @Test func timeOfDayThatFitsNoOffsetIsIgnoredNotFatal() {
        // uvicorn access lines carry no time; a parser that borrows the previous LiteLLM
        // line's `HH:MM:SS` can be minutes off. Order and path must still pair the calls.
        let url = "https://gw.example.com/v1/models"
        let har = [ex(.har, "a.har", 1, url: url, status: 404, time: utc("2026-01-05T10:00:00Z")),
                   ex(.har, "a.har", 2, url: url, status: 200, time: utc("2026-01-05T10:00:20Z"))]
        let gateway = [ex(.gatewayLog, "gw.log", 7, path: "/v1/models", status: 404, time: timeOfDay(9, 52, 0)),
                       ex(.gatewayLog, "gw.log", 8, path: "/v1/models", status: 200, time: timeOfDay(9, 52, 0))]
        let out = ExchangeMerger.merge([gateway, har])
        #expect(out.map { $0.sources.map(\.line) } == [[1, 7], [2, 8]])
        #expect(out.map(\.time) == [utc("2026-01-05T10:00:00Z"), utc("2026-01-05T10:00:20Z")])
    }

    @Test func reverseProxyHostDiffersButCloseTimesStillMerge() {
        let t = utc("2026-01-05T10:00:00Z")
        let sdk = ex(.pythonSDKLog, "sdk.log", 1, url: "http://127.0.0.1:4000/v1/models", time: t)
        let har = ex(.har, "a.har", 1, url: "http://127.0.0.1:18402/v1/models", time: t.addingTimeInterval(0.2))
        let merged = ExchangeMerger.merge([[sdk], [har]])
        #expect(merged.count == 1)
        #expect(merged[0].url == "http://127.0.0.1:4000/v1/models")
        // Without times nothing but the path ties them: a different host keeps them apart.
        var untimed = (sdk, har)
        untimed.0.time = nil
        untimed.1.time = nil
        #expect(ExchangeMerger.merge([[untimed.0], [untimed.1]]).count == 2)
    }

    @Test func evidenceLinesAreCappedAndSharedBetweenSources() {
        var har = ex(.har, "a.har", 1, url: "https://gw.example.com/v1/models")
        har.lines = (1...30).map { SourceLine(ref: SourceRef(file: "a.har", line: $0), text: "h\($0)") }
        var sdk = ex(.pythonSDKLog, "sdk.log", 1, url: "https://gw.example.com/v1/models")
        sdk.lines = (1...4).map { SourceLine(ref: SourceRef(file: "sdk.log", line: $0), text: "s\($0)") }
        let out = ExchangeMerger.merge([[sdk], [har]])
        #expect(out[0].lines.count == ExchangeMerger.maxLines)
        #expect(out[0].lines.filter { $0.ref.file == "sdk.log" }.count == 4)
    }

    @Test(.timeLimit(.minutes(1)))
    func fiftyThousandExchangesMergeInLinearishTime() {
        let n = 25_000
        let start = utc("2026-01-05T00:00:00Z")
        func path(_ i: Int) -> String { i % 3 == 0 ? "/v1/models" : "/v1/chat/completions" }
        func status(_ i: Int) -> Int { i % 7 == 0 ? 404 : 200 }
        var har: [Exchange] = []
        var gateway: [Exchange] = []
        for i in 0..<n {
            let t = start.addingTimeInterval(Double(i) * 2)
            har.append(ex(.har, "a.har", i + 1, url: "https://gw.example.com" + path(i), status: status(i), time: t))
            if i % 10 != 0 {
                gateway.append(ex(.gatewayLog, "gw.log", i + 1, path: path(i), status: status(i), time: t.addingTimeInterval(1)))
            }
        }
        let out = ExchangeMerger.merge([gateway, har])
        #expect(out.count == n)
        #expect(out.filter { $0.sources.count == 2 }.count == gateway.count)
        #expect(out[1].sources.map(\.line) == [2, 2])
    }
}

/// Corpus 02 (duplicated `/v1`): one `client.models.list()` seen by mitmproxy, the SDK's
/// debug log and the LiteLLM access line.
///
/// The exchanges are built here from the fixture text with the few facts each parser will
/// give (method, URL or path, status, time), because the parsers are written in parallel.
/// TODO: once the HAR, Python and gateway parsers land, feed their output instead.
@Suite("ExchangeMerger on corpus 02")
struct ExchangeMergerCorpusTests {
    /// The file's lines, numbered from 1.
    func lines(_ name: String) throws -> [(Int, String)] {
        try Repo.text("merge/" + name).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset + 1, String($0.element)) }
    }

    func harExchange() throws -> Exchange {
        let doc = try #require(JSONValue.parse(try Repo.text("merge/capture.har")))
        let entry = try #require(doc["log"]?["entries"]?.array?.first)
        let numbered = try lines("capture.har")
        let start = try #require(numbered.first { $0.1.contains("startedDateTime") }).0
        var e = ex(.har, "capture.har", start - 1, method: entry["request"]?["method"]?.string,
                   url: entry["request"]?["url"]?.string, status: entry["response"]?["status"]?.string.flatMap { Int($0) },
                   time: utc("2026-11-29T03:17:51.644Z"))
        #expect(entry["startedDateTime"]?.string?.hasPrefix("2026-11-29T03:17:51.644") == true)
        e.responseBody = entry["response"]?["content"]?["text"]?.string
        e.durationMs = entry["time"].flatMap { if case .number(let n) = $0 { n } else { nil } }
        return e
    }

    func sdkExchange() throws -> Exchange {
        let numbered = try lines("sdk-debug.log")
        let send = try #require(numbered.first { $0.1.contains("Sending HTTP Request: ") })
        let reqID = try #require(numbered.first { $0.1.contains("] request_id: ") })
        let url = String(try #require(send.1.split(separator: " ").last))
        var e = ex(.pythonSDKLog, "sdk-debug.log", send.0, endLine: reqID.0, url: url, status: 404,
                   time: utc("2026-11-29T03:17:51Z"))
        #expect(send.1.hasPrefix("[2026-11-29 03:17:51 "))
        #expect(reqID.1.hasSuffix("request_id: None"))
        e.sdk = SDKInfo(name: "openai-python", language: "python")
        e.lines = numbered[(send.0 - 1)..<reqID.0].map { SourceLine(ref: SourceRef(file: "sdk-debug.log", line: $0.0), text: $0.1) }
        return e
    }

    func gatewayExchange() throws -> Exchange {
        let access = try #require(try lines("gateway.log").first { $0.1.contains(" - \"GET ") })
        let request = access.1.split(separator: "\"")[1].split(separator: " ")  // GET /v1/v1/models HTTP/1.1
        let status = Int(access.1.split(separator: "\"")[2].split(separator: " ")[0])
        var e = ex(.gatewayLog, "gateway.log", access.0, method: String(request[0]), path: String(request[1]),
                   status: status, time: nil)
        e.lines = [SourceLine(ref: SourceRef(file: "gateway.log", line: access.0), text: access.1)]
        return e
    }

    @Test func oneModelsListCallSeenThreeTimesIsOneExchange() throws {
        let har = try harExchange(), sdk = try sdkExchange(), gateway = try gatewayExchange()
        #expect(gateway.pathOnly == "/v1/v1/models")
        #expect(gateway.status == 404)
        #expect(har.url == sdk.url)

        let out = ExchangeMerger.merge([[sdk], [gateway], [har]])
        #expect(out.count == 1)
        let m = try #require(out.first)
        #expect(m.sources == [SourceRef(file: "capture.har", line: 11), SourceRef(file: "gateway.log", line: 66),
                              SourceRef(file: "sdk-debug.log", line: 2, endLine: 5)])
        #expect(m.sourceKinds == [.har, .pythonSDKLog, .gatewayLog])
        #expect(m.method == "GET")
        #expect(m.url == "http://127.0.0.1:4000/v1/v1/models")
        #expect(m.urlParts?.basePath == "/v1/v1")
        #expect(m.pathOnly == "/v1/v1/models")
        #expect(m.status == 404)
        #expect(m.responseBody == #"{"detail":"Not Found"}"#)
        #expect(m.time == utc("2026-11-29T03:17:51Z"))
        #expect(m.lines.map(\.ref.description) == ["capture.har:11", "gateway.log:66", "sdk-debug.log:2",
                                                   "sdk-debug.log:3", "sdk-debug.log:4", "sdk-debug.log:5"])
        #expect(ExchangeMerger.merge([[har], [gateway], [sdk]]) == out)
    }
}

/// A seeded generator, so the shuffle test is reproducible.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A bundle of one file is merged in place; it must give what the clusters give.
@Suite struct SingleFileMergeTests {
    private func clustered(_ list: [Exchange]) -> [Exchange] {
        var state = ExchangeMerger.State()
        state.add(file: 0, list)
        return state.result()
    }

    private func sample(timed: Bool) -> [Exchange] {
        let times = ["2026-11-29T03:17:52Z", "2026-11-29T03:17:50Z", "2026-11-29T03:17:52Z", "2026-11-29T03:17:51Z", "2026-11-29T03:17:50Z"]
        return times.enumerated().map { i, t in
            var e = ex(.pythonSDKLog, "app.log", 10 * (i + 1), method: i % 2 == 0 ? "POST" : "GET",
                       url: "https://api.example.com/v1/\(i % 2 == 0 ? "chat/completions" : "models")",
                       time: timed || i != 3 ? utc(t) : nil, id: "req_\(i)")
            // Two refs out of order and a duplicate: sorted and made unique like a cluster's.
            e.sources = [SourceRef(file: "app.log", line: 10 * (i + 1) + 2), SourceRef(file: "app.log", line: 10 * (i + 1)),
                         SourceRef(file: "app.log", line: 10 * (i + 1))]
            return e
        }
    }

    /// The in-place result, after checking it equals the clusters' result.
    private func single(timed: Bool) -> [Exchange] {
        var list = sample(timed: timed)
        let expected = clustered(list)
        let got = ExchangeMerger.single(&list)
        #expect(got == expected)
        return got
    }

    @Test func givesTheClustersOrderAndSourcesWhenTimed() {
        let got = single(timed: true)
        #expect(got.map(\.requestID) == ["req_1", "req_4", "req_3", "req_0", "req_2"])
        #expect(got.map(\.index) == Array(0..<5))
    }

    @Test func keepsFileOrderWhenACallHasNoTime() {
        #expect(single(timed: false).map(\.requestID) == ["req_0", "req_1", "req_2", "req_3", "req_4"])
    }

    @Test func mergeOfOneFileEqualsClusterPath() {
        let list = sample(timed: true)
        #expect(ExchangeMerger.merge([list]) == clustered(list))
    }
}
