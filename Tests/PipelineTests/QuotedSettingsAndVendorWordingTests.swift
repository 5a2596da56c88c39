import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Readings of a quoted setting's blanks, of an aiohttp error, of a request line with a note,
/// of vendors answering in OpenAI's words or their own, and of base-URL shapes where a relay's
/// own path repeats a version root or a working test URL sits beside a defective base. The
/// shipped packs without the wording model decide.
@Suite struct QuotedSettingsAndVendorWordingTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    /// `"https://host/v1 "`: the blank inside the quotes is part of the setting, a malformed base.
    @Test func aBlankInsideAQuotedBaseURLIsPartOfIt() throws {
        #expect(ErrorTextMentions.baseURL(in: #"Base URL (as pasted): "https://chat.example.com/v1 ""#) == "https://chat.example.com/v1 ")
        #expect(ErrorTextMentions.baseURL(in: #"Base URL: "https://chat.example.com/v1" works"#) == "https://chat.example.com/v1")
        let r = try Self.read("""
        The model picker stays empty after pasting the base URL.
        API Provider: OpenAI Compatible
        Base URL (as pasted): "https://chat.example.com/v1 "
        Open the model selection -> No models are listed (empty box)
        """)
        #expect(r.causes.first == "base-url-malformed", "\(r.causes)")
    }

    /// aiohttp's `401, message='Unauthorized', url='https://…'` is a call with its status.
    @Test func anAiohttpErrorIsACallWithItsStatus() throws {
        let r = try Self.read("Login fails at the model list\nFailed to get models: 401, message='Unauthorized', url='https://api.moonshot.cn/v1/models'\n")
        #expect(r.report.facts.statusCodes == [401: 1])
        #expect(r.report.facts.requestURLs.map(\.value) == ["https://api.moonshot.cn/v1/models"])
        #expect(r.causes.first == "auth-invalid-key", "\(r.causes)")
    }

    /// A request line may carry a note in parentheses before its status.
    @Test func aRequestLineWithANoteKeepsItsStatus() throws {
        let r = try Self.read("""
        Every request to the endpoint fails with a bare 404.
        POST /deployments/gpt-5/chat/completions?api-version=2024-10-21 → 200
        POST /chat/completions (no deployment, no api-version) → 404
        """)
        #expect(r.report.facts.statusCodes == [200: 1, 404: 1], "\(r.report.facts.statusCodes)")
    }

    /// DashScope answers a refused key in OpenAI's words but points to its own docs: the key
    /// the customer configured was refused there, not sent to OpenAI.
    @Test func aVendorAnsweringInOpenAIsWordsRefusedTheKeyItself() throws {
        let r = try Self.read("""
        Every chat request fails authentication with the custom provider.
        WARNING agent: API call failed error_type=AuthenticationError provider=custom base_url=https://dashscope.aliyuncs.com/compatible-mode/v1 model=qwen-plus summary=HTTP 401: Incorrect API key provided. For details, see: https://help.aliyun.com/zh/model-studio/error-code#apikey-error
        """)
        #expect(r.causes.first == "auth-invalid-key", "\(r.causes)")
    }

    /// wget's `Proxy request sent, awaiting response... 502` is a proxy in the way; a form body
    /// refused as `Unsupported Media Type` is the body; DeepSeek's `but you passed X` names the
    /// model sent, another vendor's default.
    @Test func aProxyAFormBodyAndDeepSeeksOwnRefusal() throws {
        let proxy = try Self.read("A fresh local server cannot be reached\n$ wget http://localhost:11434\nConnecting to 10.0.5.8:30890... connected.\nProxy request sent, awaiting response... 502 Bad Gateway\n")
        #expect(proxy.causes.first == "network-proxy", "\(proxy.causes)")
        let form = try Self.read(#"The documented curl fails\nHTTP 400\n{"error":{"message":"1 validation error:\n  Unsupported Media Type: Only 'application/json' is allowed","type":"Bad Request","code":400}}"# + "\n")
        #expect(form.causes.first == "request-body-invalid", "\(form.causes)")
        let deepseek = try Self.read("The tool fails at the first call\nopenai.BadRequestError: Error code: 400 - {'error': {'message': 'The supported API model names are deepseek-v4-pro or deepseek-v4-flash, but you passed gpt-4o-mini.', 'type': 'invalid_request_error'}}\n")
        #expect(deepseek.report.facts.models == ["gpt-4o-mini"])
        #expect(deepseek.causes.first == "client-default-model", "\(deepseek.causes)")
    }

    /// The same version root twice is doubled when the segment before it repeats too; a relay's
    /// own path that starts and ends with `/v1` is one address.
    @Test func aRepeatedRootIsDoubledOnlyWithItsSegment() {
        #expect(PathShape(url: "https://r.example.com/openai/v1/openai/v1/chat/completions").versionDuplicated == true)
        #expect(PathShape(url: "https://r.example.com/api/v1/ai/openai/codex/v1/chat/completions").versionDuplicated == false)
        #expect(PathShape(url: "https://r.example.com/v1/v1/chat/completions").versionDuplicated == true)
    }

    /// A base URL that already ends in an endpoint explains a 404 before the working test URL
    /// the customer quotes beside it.
    @Test func aDefectiveBaseBeatsAHealthyTestURLBesideIt() throws {
        let r = try Self.read("""
        The extension cannot use the relay.
        OpenAI completion error: 404 "Not Found"
        A direct call to https://relay.example.com/api/v1/ai/openai/codex/v1/responses from the terminal answers fine.
        BASE URL: https://relay.example.com/api/v1/ai/openai/codex/v1/responses
        """)
        #expect(r.causes.first == "base-url-includes-endpoint", "\(r.causes)")
    }

    /// A connect timeout told in words alone is no verdict on the network path.
    @Test func aConnectTimeoutInWordsAloneStaysQuiet() throws {
        let r = try Self.read("The translation tool cannot start\nConnection to api.openai.com timed out. (connect timeout=600)\n")
        #expect(!r.causes.contains("network-proxy"), "\(r.causes)")
    }
}

/// Readings from batch-46: a traceback cut inside the connect step's timeout scope, reqwest's
/// failed send, LM Studio's `Model with identifier`, a cloud id behind a vendor prefix on a
/// local server, DashScope's URL refusal and software that appends `/v1` to the base itself.
@Suite struct ConnectScopeAndClientConventionTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    /// httpcore opens anyio's `fail_after` around its connect: a traceback cut there timed out;
    /// without that scope it is a connection error.
    @Test func aTracebackCutInsideTheConnectTimeoutIsATimeout() throws {
        let frames = """
        The agent fails at the first step
        Traceback (most recent call last):
          File "/opt/lib/python3.12/site-packages/anyio/_core/_tasks.py", line 115, in fail_after
            yield cancel_scope
          File "/opt/lib/python3.12/site-packages/httpcore/_backends/anyio.py", line 114, in connect_tcp
            stream: anyio.abc.ByteStream = await anyio.connect_tcp(
        """
        let timedOut = try Self.read(frames + "\n")
        #expect(!timedOut.causes.contains("network-proxy"), "\(timedOut.causes)")
        let refused = try Self.read(frames.replacingOccurrences(of: "in fail_after", with: "in handle_request") + "\n")
        #expect(refused.causes.first == "network-proxy", "\(refused.causes)")
    }

    /// reqwest's `error sending request for url (…)` is a call that got no answer, at that URL:
    /// another host than the configured base is the wrong base URL.
    @Test func reqwestsFailedSendIsACallToItsURL() throws {
        let r = try Self.read("""
        Every prompt fails with a connection error
        [model_providers.oss]
        base_url = "https://vllm.example.com/v1"
        model = "openai/gpt-oss-120b"
        error sending request for url (http://localhost:11434/v1/chat/completions)
        """)
        #expect(r.report.facts.hosts == ["localhost:11434"], "\(r.report.facts.hosts)")
        #expect(r.causes.first == "wrong-base-url", "\(r.causes)")
    }

    /// LM Studio's `Model with identifier 'google/gemini-…' not found`: a cloud vendor's id
    /// behind its router prefix asked of a local server is the client's own default.
    @Test func aPrefixedCloudIdOnALocalServerIsTheClientsDefault() throws {
        let r = try Self.read("""
        The agent against LM Studio keeps failing with model not found for a model I never set.
        LM Studio only exposes the locally loaded model: google/gemma-4-26b-a4b
        Error: Model with identifier 'google/gemini-3-flash-preview' not found
        """)
        #expect(r.report.facts.models.contains("google/gemini-3-flash-preview"))
        #expect(r.causes.first == "client-default-model", "\(r.causes)")
    }

    /// DashScope's `url error, please check url` is the URL for that model: the API surface or
    /// an address outside compatible mode, both proposed.
    @Test func dashScopesURLRefusalProposesTheSurfaceAndTheHost() throws {
        let r = try Self.read("Saving the Bailian model fails\nstatus_code: 400\ncode: InvalidParameter\nmessage: url error, please check url！\n")
        #expect(Set(r.causes.prefix(2)) == ["endpoint-unsupported", "base-url-wrong-host"], "\(r.causes)")
    }

    /// A forward proxy's error page (Squid's) on a local call proposes the proxy: its DOCTYPE's
    /// URL is no call.
    @Test func aProxysPageOnALocalCallIsTheProxy() throws {
        #expect(ErrorTextPatterns.isDocsURL("http://www.w3.org/TR/html4/strict.dtd"))
        let r = try Self.read("""
        Evaluating the locally deployed model fails with 504 on every request.
        api_url='http://127.0.0.1:8801/v1/chat/completions',
        model='DeepSeek-R1',
        RuntimeError: Failed to request to remote API after 3 attempts: 504 <!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
        <html><head>
        <meta type="copyright" content="Copyright (C) 1996-2020 The Squid Software Foundation and contributors">
        """)
        #expect(r.report.facts.hosts.isEmpty, "\(r.report.facts.hosts)")
        #expect(r.causes.contains("network-proxy"), "\(r.causes)")
    }

    /// NextChat appends `/v1` to its OpenAI endpoint itself: an endpoint that already ends in a
    /// version root doubles it.
    @Test func nextChatsEndpointWithAVersionIsDoubled() throws {
        let r = try Self.read("NextChat with a custom endpoint returns Not Found\nOpenAI Endpoint: https://api.fireworks.ai/inference/v1\n{\n  \"detail\": \"Not Found\"\n}\n")
        #expect(r.causes.first == "base-url-duplicated-version", "\(r.causes)")
        let other = try Self.read("The client returns Not Found\nOpenAI Endpoint: https://api.fireworks.ai/inference/v1\n{\n  \"detail\": \"Not Found\"\n}\n")
        #expect(other.causes.first != "base-url-duplicated-version", "\(other.causes)")
    }
}
