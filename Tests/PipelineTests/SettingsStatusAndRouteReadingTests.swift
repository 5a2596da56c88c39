import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Readings of a paste's settings and statuses (a format string's field in a base URL, a
/// reason phrase that names no setting, a status after an error label, a server log's unused
/// lines), of calls to a local server's native routes and of a gateway channel's base URL,
/// and the message families of refusals that name a router's upstream, a provider prefix or
/// an unparsable body. The shipped packs without the wording model decide.
@Suite struct SettingsStatusAndRouteReadingTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        let r = try FamilyTriageTests.analyzeText(text)
        var out: [String] = []
        for f in r.report.findings where !out.contains(f.cause) { out.append(f.cause) }
        return (out, r.report)
    }

    /// `"http://host:{}/v1/x".format(port)`: the empty field is part of the URL, not its end.
    @Test func aFormatStringsEmptyFieldStaysInTheBaseURL() throws {
        #expect(ErrorTextMentions.trimURL("http://host:{}/v1/score\".format(p)") == "http://host:{}/v1/score")
        #expect(PyAppFacts.baseURL(in: #"    base_url="http://host:{}/v1/score".format(port),"#) == "http://host:{}/v1/score")
        // A brace the value did not open still ends it.
        #expect(PyAppFacts.baseURL(in: "{'base_url': 'http://host/v1'}") == "http://host/v1")
        #expect(PyAppFacts.baseURL(in: "cfg={base_url=http://host/v1}") == "http://host/v1")
    }

    /// python-requests' `502 Server Error: Bad Gateway for url: …` names the failed call:
    /// "gateway" there is a reason phrase, not the name of a setting.
    @Test func aReasonPhraseBeforeTheFailedURLIsNoSetting() throws {
        #expect(ErrorTextMentions.baseURL(in: "An error occurred: 502 Server Error: Bad Gateway for url: http://localhost:11434/api/generate") == nil)
        #expect(ErrorTextMentions.baseURL(in: "gateway: http://gw.example.com/v1") == "http://gw.example.com/v1")
        let r = try Self.read("""
        Every generation fails
        An error occurred: 502 Server Error: Bad Gateway for url: http://localhost:11434/api/generate
        """)
        #expect(r.report.facts.baseURLs.isEmpty, "\(r.report.facts.baseURLs)")
        #expect(!r.causes.contains("base-url-includes-endpoint"), "\(r.causes)")
    }

    /// A status after an error label of a few words, before a JSON body on its line, or after
    /// a terminal UI's gutter is the answer's; a number alone on its line (a setting's value)
    /// and a rich traceback's line numbers are not.
    @Test func aStatusAfterAnErrorLabelOrAGutterIsTheAnswers() throws {
        let body = #"{"type":"error","error":{"type":"api_error","message":"unknown provider for model claude-x"}}"#
        #expect(try Self.read("Custom model fails\nBYOK Error: 502 \(body)\n").report.facts.statusCodes == [502: 1])
        #expect(try Self.read("Custom model fails\n  ⎿  502 \(body)\n").report.facts.statusCodes == [502: 1])
        let settings = try Self.read("Long requests time out\n请求超时（秒）\n600\n每主机最大空闲连接数\n500\n")
        #expect(settings.report.facts.statusCodes.isEmpty, "\(settings.report.facts.statusCodes)")
        let box = try Self.read("""
        sgpt crashes
        │ /venv/lib/python3.13/site-packages/sgpt/app.py:232 in main │
        │   232 │   │   full_completion = DefaultHandler(role_class, md).handle(  │
        """)
        #expect(box.report.facts.statusCodes.isEmpty, "\(box.report.facts.statusCodes)")
    }

    /// `tool -m org/Name` names the model; `python -m module` does not. A name refused in
    /// lower case behind the routing prefix the command gave it is a case change.
    @Test func aModelFlagAndACaseChangeBehindARoutingPrefix() throws {
        let refusal = "Error: API returned unexpected status code: 400: The requested model 'moonshotai/kimi-k2-instruct' does not exist."
        let r = try Self.read("A configured model is rejected\nseaq -m huggingface/moonshotai/Kimi-K2-Instruct -p summarize\n\(refusal)\n")
        #expect(r.causes.first == "model-name-case", "\(r.causes)")
        let same = try Self.read("A configured model is rejected\nseaq -m huggingface/moonshotai/kimi-k2-instruct -p summarize\n\(refusal)\n")
        #expect(same.causes.first != "model-name-case", "\(same.causes)")
        #expect(!ErrorTextParserTestsSupport.mentions("python -m pip install openai").contains("pip"))
    }

    /// A server's access log claims a paste's lines; the client's `base_url` beside them is
    /// still the configured base URL.
    @Test func aServerLogsUnusedLinesStillGiveTheClientsBaseURL() throws {
        let r = try Self.read("""
        The API server answers 404 to the client
        INFO:     Uvicorn running on http://0.0.0.0:8761 (Press CTRL+C to quit)
        INFO:     10.0.0.2:52278 - "GET /docs HTTP/1.1" 200 OK
            client = OpenAI(api_key="0", base_url="http://gpu-host:8761/v1/score/evaluation")
        openai.NotFoundError: Error code: 404 - {'detail': 'Not Found'}
        """)
        #expect(r.report.facts.baseURLs.map(\.value) == ["http://gpu-host:8761/v1/score/evaluation"])
    }

    /// A call to Ollama's native routes asked a known route of an API with no version.
    @Test func aCallToANativeRouteMissesNoVersion() throws {
        let chat = PathShape(url: "http://127.0.0.1:11434/api/chat")
        #expect(chat.endpoint == .chat)
        #expect(chat.versionMissing == false)
        #expect(chat.includesEndpoint == false)
        #expect(PathShape(url: "http://127.0.0.1:11434/api/embeddings").versionMissing == false)
        #expect(PathShape(url: "http://127.0.0.1:11434/chat/completions").versionMissing == true)
        let r = try Self.read("The RAG app fails on every answer\nHTTPStatusError: Client error '404 Not Found' for url 'http://127.0.0.1:11434/api/chat'\n")
        #expect(!r.causes.prefix(2).contains("base-url-missing-version"), "\(r.causes)")
    }

    /// A One API / New API channel appends `/v1` itself: a channel base that already holds a
    /// version root doubles it, whatever its spelling.
    @Test func aChannelsBaseURLWithAVersionIsDoubledByTheGateway() throws {
        let channel = try Self.read("把兼容地址填进 OpenAI 类型渠道后返回 404。\n渠道类型: OpenAI\nBase URL: https://generativelanguage.googleapis.com/v1beta/openai/\n结果: 404\n")
        #expect(channel.causes.first == "base-url-duplicated-version", "\(channel.causes)")
        let client = try Self.read("The client returns 404.\nBase URL: https://generativelanguage.googleapis.com/v1beta/openai/\nresult: 404\n")
        #expect(client.causes.first != "base-url-duplicated-version", "\(client.causes)")
    }

    /// Families: OpenAI's unparsable body, a router quoting its upstream's refusal (no verdict
    /// on the key), Cloudflare's provider prefix, and the proxy's own 502 for a name it has no
    /// provider for.
    @Test func refusalsThatNameTheBodyTheUpstreamOrTheProvider() throws {
        let body = try Self.read(#"Long prompts fail\nStatus 400 { "error": { "message": "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "type": "invalid_request_error" } }"# + "\n")
        #expect(body.causes.first == "request-body-invalid", "\(body.causes)")
        let upstream = try Self.read("Sessions keep failing\nAPI Error: 401 [401]: Model minimax-m3-free is not supported\n")
        #expect(upstream.causes.first == "upstream-unavailable", "\(upstream.causes)")
        #expect(!upstream.causes.contains("auth-invalid-key"), "\(upstream.causes)")
        let prefix = #"{"success":false,"error":[{"code":2008,"message":"Invalid provider"}],"name":"AiGatewayError","httpCode":400}"#
        let others = try Self.read("Every xAI model fails; only openai/* and anthropic/* models work\n\(prefix)\n")
        #expect(others.causes.first == "endpoint-unsupported", "\(others.causes)")
        let alone = try Self.read("Every model fails\n\(prefix)\n")
        #expect(alone.causes.first == "model-not-in-catalog", "\(alone.causes)")
        let msg = #"{"error":{"message":"unknown provider for model claude-x","type":"server_error"}}"#
        #expect(try Self.read("Custom model fails\nBYOK Error: 502 \(msg)\n").causes.first == "gateway-config")
        #expect(try Self.read("Custom model fails\nError: 400 \(msg)\n").causes.first == "model-not-in-catalog")
    }
}

/// The prose mentions of one line, as the pasted-error reader takes them.
enum ErrorTextParserTestsSupport {
    static func mentions(_ line: String) -> [String] {
        var p = ErrorTextParser(path: "t.txt", sniff: Sniff(kind: .errorText, format: "text", score: 0))
        p.consume(Line(number: 1, text: line))
        return p.finish().signals.filter { $0.name == .mentionedModel }.compactMap(\.value)
    }
}
