import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
@testable import DoctorParse
import TestSupport

/// Readings of a configured model the client rewrote (letter case), of settings that keep the
/// agent's model apart from the provider's URL, of a client's error report whose server words
/// sit in a fenced block under a heading, of an Anthropic client's base URL with the version it
/// appends itself, of a provider's own host configured for another provider's model, of a
/// refusal that names an empty model, and of wordings that belong to one cause (organisation
/// verification, a local server's memory, Azure's operation refusal). The shipped packs
/// without the wording model decide.
@Suite struct ConfiguredNameAndReportFormTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    static func loud(_ report: Report) -> [String] { SurfaceAndPathReadingTests.loud(report) }

    /// The settings name the model in one letter case, the refusal quotes it in another: the
    /// client rewrote the case. The same name refused as configured says nothing of case.
    @Test func aConfiguredNameSentInOtherLetterCaseIsTheCase() throws {
        let rewritten = try Self.read("""
        Provider: minimax-cn
        Model: minimax/MiniMax-M2.7

        invalid params, unknown model 'minimax/minimax-m2.7'
        """)
        #expect(rewritten.causes.first == "model-name-case", "\(rewritten.causes)")
        let same = try Self.read("""
        Provider: minimax-cn
        Model: minimax/MiniMax-M2.7

        invalid params, unknown model 'minimax/MiniMax-M2.7'
        """)
        #expect(!same.causes.contains("model-name-case"), "\(same.causes)")
    }

    /// Continue's error details put the model's title from the config above `Provider:`: it
    /// is no setting of the id, so the id refused is not "another model than configured".
    @Test func aClientsModelTitleAboveItsProviderIsNoConfiguredId() throws {
        let r = try Self.read("""
        Model: deepseek-r1-7b
        Provider: openai
        Status Code: 400

        400 {'error': '/chat/completions: Invalid model name passed in model=ollama/deepseek-r1:latest. Call `/v1/models` to view available models for your key.'}
        """)
        #expect(r.causes.first != "client-default-model", "\(r.causes)")
        #expect(!r.report.findings.contains { $0.rule == "client-sent-another-model" })
    }

    /// A config that sets the provider's URL in one object and the agent's model in another:
    /// the model is a setting, and a refused call for another model is the client's own. A
    /// request body (it has `messages`) in the same document is no setting.
    @Test func aConfigsAgentModelApartFromItsProviderIsASetting() throws {
        let config = try Self.read("""
        {
          "agents": {"defaults": {"model": "kimi-k2-0905-preview", "maxTokens": 8192}},
          "providers": {"moonshot": {"apiKey": "sk-****", "apiBase": "https://api.moonshot.cn/v1"}}
        }
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-4o-mini` does not exist', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """)
        #expect(config.causes.first == "client-default-model", "\(config.causes)")
        // The reader of a parsed config object: a request body's `model` is no setting.
        let document = try #require(JSONValue.parse("""
        {"providers": {"p": {"apiBase": "https://gw.example.com/v1"}}, "agents": {"model": "kimi-k2"},
         "lastRequest": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}}
        """))
        #expect(ErrorTextReader.configuredModels(inConfig: document) == ["kimi-k2"])
        // Without a URL anywhere the document is no client config.
        let bare = try #require(JSONValue.parse(#"{"agents": {"model": "kimi-k2"}}"#))
        #expect(ErrorTextReader.configuredModels(inConfig: bare).isEmpty)
    }

    /// `Status Code: 500`, a heading, a fence, then the server's words: they are that answer's
    /// message (here a local server short of memory: outside the taxonomy, nothing loud). The
    /// fence itself is never the message.
    @Test func aFencedErrorUnderAHeadingIsTheStatusLinesMessage() throws {
        let r = try Self.read("""
        **Error Details**

        Model: Qwen3 235B
        Provider: ollama
        Status Code: 500

        **Error Output**
        ```
        "model requires more system memory (127.8 GiB) than is available (13.2 GiB)"
        ```
        """)
        #expect(Self.loud(r.report).isEmpty, "\(r.report.findings.map { ($0.cause, $0.severity) })")
        #expect(r.causes.contains("outside-taxonomy"), "\(r.causes)")
        let messages = r.report.facts.errors.map(\.description)
        #expect(messages.contains { $0.contains("requires more system memory") }, "\(messages)")
        #expect(!messages.contains { $0.contains("```") }, "\(messages)")
    }

    /// An Anthropic-protocol client appends `/v1/messages` itself: its base URL ending in `/v1`
    /// doubles the version. The server's root without it is right.
    @Test func anAnthropicClientsBaseURLEndingInTheVersionDoublesIt() throws {
        let doubled = try Self.read("""
        export ANTHROPIC_AUTH_TOKEN=ollama
        export ANTHROPIC_BASE_URL=http://localhost:11434/v1
        claude --model qwen2.5-coder
          ⎿  API Error: 404 404 page not found
        """)
        #expect(doubled.causes.first == "base-url-duplicated-version", "\(doubled.causes)")
        let root = try Self.read("""
        export ANTHROPIC_AUTH_TOKEN=ollama
        export ANTHROPIC_BASE_URL=http://localhost:11434
        claude --model qwen2.5-coder
          ⎿  API Error: 404 404 page not found
        """)
        #expect(!root.causes.contains("base-url-duplicated-version"), "\(root.causes)")
    }

    /// The ticket's one base URL is a provider's own API and the refused id is another
    /// provider's: the client points at the wrong service. That provider's own id is not.
    @Test func anotherProvidersModelAtAConfiguredFirstPartyHostIsTheBaseURL() throws {
        let foreign = try Self.read("""
        hermes chat -q "hi" --model nous/deepseek-v4-pro
        # => Endpoint: https://api.anthropic.com
        # => HTTP 404: model: nous/deepseek-v4-pro
        """)
        #expect(foreign.causes.first == "wrong-base-url", "\(foreign.causes)")
        let own = try Self.read("""
        hermes chat -q "hi" --model claude-sonnet-4-5-20250929
        # => Endpoint: https://api.anthropic.com
        # => HTTP 404: model: claude-sonnet-4-5-20250929
        """)
        #expect(!own.report.findings.contains { $0.rule == "wrong-base-url-configured-first-party-host" })
    }

    /// A refusal that names the model as empty: the request carried none, whatever the
    /// settings say. With a name, the same words are the name's.
    @Test func aRefusalNamingAnEmptyModelIsTheBody() throws {
        let parens = try Self.read("""
        The requested model () is not available in your Ollama.
        Please download the model first by executing the command:
        ollama pull
        """)
        #expect(parens.causes.first == "request-body-invalid", "\(parens.causes)")
        let litellm = try Self.read("""
        model:
          name: claude-sonnet-4-20250514
        # Error: HTTP 400: Invalid model name passed in model=
        """)
        #expect(litellm.causes.first == "request-body-invalid", "\(litellm.causes)")
        let named = try Self.read("""
        # Error: HTTP 400: Invalid model name passed in model=claude-sonnet-4. Call `/v1/models` to view available models for your key.
        """)
        #expect(named.causes.first != "request-body-invalid", "\(named.causes)")
    }

    /// OpenAI's organisation verification (for a model, or for streaming it) is the account's
    /// access to the model, whatever parameter the answer names.
    @Test func anUnverifiedOrganisationIsTheKeysAccess() throws {
        let r = try Self.read("""
        Error code: 400 - {'error': {'message': 'Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.', 'type': 'invalid_request_error', 'param': 'stream', 'code': 'unsupported_value'}}
        """)
        #expect(r.causes.first == "key-group-no-access", "\(r.causes)")
    }

    /// A local server's log of a request body it could not parse; Azure's refusal of an
    /// operation for the deployment's model keeps the deployment among the causes.
    @Test func aServerLoggedBrokenBodyAndAzuresOperationRefusal() throws {
        let body = try Self.read("""
        2026-05-04 14:06:10 [ERROR]
         [LM STUDIO SERVER] Received request for /api/v1/chat with invalid JSON: Expected ',' or ']' after array element in JSON at position 150 (line 6 column 5)
        """)
        #expect(body.causes.first == "request-body-invalid", "\(body.causes)")
        let azure = try Self.read("""
        openai.error.InvalidRequestError: The chatCompletion operation does not work with the specified model, text-embedding-ada-002. Please choose different model and try again.
        """)
        #expect(azure.causes.first == "endpoint-unsupported", "\(azure.causes)")
        #expect(azure.causes.prefix(3).contains("azure-deployment-mismatch"), "\(azure.causes)")
    }

    /// "The model drop-down stays empty" is the list symptom, with no failure pasted.
    @Test func aDropDownThatStaysEmptyIsTheListSymptom() throws {
        let r = try Self.read("""
        The app's model drop-down stays empty against a local server, although the model is installed.
        curl http://localhost:11434/api/tags
        {"models":[{"name":"gpt-oss:20b","model":"gpt-oss:20b","size":13780173724}]}
        """)
        #expect(r.causes.prefix(3).contains("client-cannot-list"), "\(r.causes)")
    }

    /// An error quoted in the customer's sentence is the error line; a proxy's start-up log of
    /// the models it registered is its list, so a refused name that is a listed id plus a
    /// reasoning-effort part reads as the suffix. A bare refusal with no list stays the name's.
    @Test func aQuotedErrorAgainstARegisteredListReadsTheSuffix() throws {
        let r = try Self.read("""
        Getting "Error: 400 unknown provider for model gpt-5.1-codex-max-xhigh"

        [2025-12-11 20:49:02] [debug] [model_registry.go:337] Registered new model gpt-5.1-codex from provider codex
        [2025-12-11 20:49:02] [debug] [model_registry.go:337] Registered new model gpt-5.1-codex-max from provider codex
        """)
        #expect(r.causes.first == "model-name-suffix", "\(r.causes)")
        let exchanges = r.report.findings.first?.exchanges ?? []
        #expect(!exchanges.isEmpty)
        let bare = try Self.read("""
        Getting "Error: 400 unknown provider for model gpt-5.1-codex-max-xhigh"
        """)
        #expect(bare.causes.first != "model-name-suffix", "\(bare.causes)")
    }

    /// A gateway relaying its upstream provider's refusal of the name it routed there: the
    /// gateway's mapping is among the first causes.
    @Test func anUpstreamsRefusalRelayedByTheGatewayProposesItsMapping() throws {
        let r = try Self.read("""
        level=ERROR providerID=opencode modelID=big-pickle
        error="AI_APICallError: Error from provider (Prima Labs): /chat/completions: Invalid model name passed in model=deepseek-ai/DeepSeek-V4-Flash. Call `/v1/models` to view available models for your key."
        """)
        #expect(r.causes.prefix(3).contains("gateway-config"), "\(r.causes)")
    }
}
