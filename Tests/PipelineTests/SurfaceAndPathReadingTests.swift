import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// Readings of a gateway's refusal that names no model or names the surface it lacks, of a
/// coding plan's key used elsewhere, of a conversation holding a stale model, of a proxy that
/// is only the name of a gateway, of ChatGPT's tier names, of a schemeless base URL and of a
/// connection failure with nothing placing a proxy on the path. The shipped packs without the
/// wording model decide.
@Suite struct SurfaceAndPathReadingTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    static func loud(_ report: Report) -> [String] {
        report.findings.filter { $0.severity >= .medium }.map(\.cause)
    }

    /// One API's no-channel refusal with the model's place empty: the call carried no model
    /// (an upload, the files or assistants API), so the surface is not served. With a model
    /// named, the same words stay the channel's problem.
    @Test func aNoChannelRefusalWithoutAModelIsTheSurface() throws {
        let empty = try Self.read("""
        Uploading a document for the assistant fails
        openai.InternalServerError: Error code: 503 - {'error': {'message': '当前分组 vip 下对于模型  无可用渠道 (request id: 20250101)', 'type': 'new_api_error'}}
        """)
        #expect(empty.causes.first == "endpoint-unsupported", "\(empty.causes)")
        let named = try Self.read("""
        Chat fails since this morning
        openai.InternalServerError: Error code: 503 - {'error': {'message': '当前分组 vip 下对于模型 gpt-4o 无可用渠道 (request id: 20250101)', 'type': 'new_api_error'}}
        """)
        #expect(named.causes.first != "endpoint-unsupported", "\(named.causes)")
        #expect(named.causes.first == "upstream-unavailable", "\(named.causes)")
    }

    /// A gateway's channel adaptor with no URL for the API surface called (One API's relay
    /// modes): the surface, not an upstream that is down.
    @Test func anUnsupportedRelayModeIsTheSurface() throws {
        let r = try Self.read("""
        Embeddings through the gateway fail while chat on the same channel works
        openai.InternalServerError: Error code: 500 - {'error': {'message': 'get request url failed: unsupported relay mode 3 for zhipu (request id: 2025)', 'type': 'one_api_error'}}
        """)
        #expect(r.causes.first == "endpoint-unsupported", "\(r.causes)")
        #expect(!Self.loud(r.report).contains("upstream-unavailable"), "\(r.report.findings.map { ($0.cause, $0.severity) })")
    }

    /// A coding subscription's key refused outside the coding tools it is sold for, in two
    /// vendors' words: the key's plan does not cover this client.
    @Test func aCodingPlansKeyOutsideCodingToolsIsTheKeysAccess() throws {
        let kimi = try Self.read("""
        The translation plugin stopped answering with my Kimi key
        Error code: 403 - {'error': {'message': 'Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.', 'type': 'access_terminated_error'}}
        """)
        #expect(kimi.causes.first == "key-group-no-access", "\(kimi.causes)")
        let plan = try Self.read("""
        Every question in the desktop app fails
        Provider error: API error 405: {"error": "Coding Plan is currently only available for Coding Agents"}
        """)
        #expect(plan.causes.first == "key-group-no-access", "\(plan.causes)")
    }

    /// An old conversation keeps failing while a new one with the same model works: the
    /// client sends the model it stored with the conversation. Without that, the refusal of
    /// an unselected model stays the client's default.
    @Test func anOldConversationFailingWhileANewOneWorksIsTheClientsState() throws {
        let en = try Self.read("""
        After the provider removed model A, my existing chats fail even after I pick model B, but a new chat with model B works fine.
        Error: No model selected or model not found
        """)
        #expect(en.causes.first == "client-cache", "\(en.causes)")
        let zh = try Self.read("""
        服务商的模型列表更新后，回到之前的旧会话切换成新模型发送一直失败，新建会话用同一个模型则正常。
        Error: No model selected or model not found
        """)
        #expect(zh.causes.first == "client-cache", "\(zh.causes)")
        let plain = try Self.read("""
        I never selected a model and the first message fails.
        Error: No model selected or model not found
        """)
        #expect(plain.causes.first == "client-default-model", "\(plain.causes)")
    }

    /// A company's proxy entered as the base URL is its LLM gateway, not a network proxy on
    /// the path; a call made behind the company's proxy is.
    @Test func aProxyEnteredAsTheBaseURLIsAGateway() throws {
        let gateway = try Self.read("""
        With our company proxy set as the base URL, the model picker shows the vendor's models instead of the proxy's.
        """)
        #expect(!gateway.causes.contains("network-proxy"), "\(gateway.causes)")
        let path = try Self.read("""
        With our company proxy in the way, the model picker shows the vendor's models instead of the gateway's.
        """)
        #expect(path.causes.first == "network-proxy", "\(path.causes)")
    }

    /// ChatGPT's tier names (Instant, Thinking) sent as ids are display names.
    @Test func chatGPTsTierNamesAreDisplayNames() throws {
        for id in ["gpt-5.1-instant", "gpt-5.2-thinking"] {
            let r = try Self.read("""
            The connectivity test fails after picking the new model
            OpenAI API error (404): {"error": {"message": "The model `\(id)` does not exist or you do not have access to it.", "type": "invalid_request_error", "code": "model_not_found"}}
            """)
            #expect(r.causes.first == "model-name-marketing", "\(id): \(r.causes)")
        }
    }

    /// A base URL typed without its scheme is joined under another address, so the host shows
    /// up again in the path of the URL called; a host named once stays quiet.
    @Test func aHostRepeatedInThePathIsASchemelessBase() throws {
        let r = try Self.read("""
        Chat calls to the deployment fail; the SDK calls this URL:
        res1.openai.azure.com/openai/res1.openai.azure.com/openai/deployments/chat4/chat/completions?api-version=2024-06-01
        """)
        #expect(r.causes.first == "base-url-malformed", "\(r.causes)")
        let once = try Self.read("""
        Chat calls fail with 404 Not Found
        POST https://res1.openai.azure.com/openai/deployments/chat4/chat/completions?api-version=2024-06-01 404 Not Found
        """)
        #expect(!once.causes.contains("base-url-malformed"), "\(once.causes)")
    }

    /// A connection failure with nothing placing a proxy on the path (no proxy named, no
    /// certificate, no proxy port) is a pointer, not a loud finding; the customer naming a
    /// proxy, or a local proxy port refusing, makes it one.
    @Test func aBareConnectionFailureIsAPointerNotADiagnosis() throws {
        let bare = try Self.read("""
        The bot never gets an answer
        openai.APIConnectionError: Connection error.
        """)
        #expect(bare.causes.first == "network-proxy", "\(bare.causes)")
        #expect(Self.loud(bare.report).isEmpty, "\(bare.report.findings.map { ($0.cause, $0.severity) })")
        let named = try Self.read("""
        Since I turned on the VPN the bot never gets an answer
        openai.APIConnectionError: Connection error.
        """)
        #expect(Self.loud(named.report).first == "network-proxy", "\(named.report.findings.map { ($0.cause, $0.severity) })")
        let port = try Self.read("""
        The plugin never gets an answer
        Axios Error: connect ECONNREFUSED 127.0.0.1:7890
        """)
        #expect(Self.loud(port.report).first == "network-proxy", "\(port.report.findings.map { ($0.cause, $0.severity) })")
    }

    /// A model the customer says they entered or typed is the setting: a refusal of another
    /// name is the client sending its own.
    @Test func aModelTheCustomerEnteredIsTheSetting() throws {
        let r = try Self.read("""
        Translation with the local server fails with a model the user did not ask for
        Provider: local server. Ticked "custom model name" and entered mistral-nemo:12b.
        model "qwen2.5:7b" not found, try pulling it first
        """)
        #expect(r.causes.first == "client-default-model", "\(r.causes)")
    }

    /// The Responses API refusing an earlier turn's stored item, and a local server's chat
    /// template raising on the request: faults outside the taxonomy, not the route or an
    /// upstream, so nothing loud.
    @Test func aMissingStoredItemOrATemplateErrorIsNoModelFault() throws {
        let item = try Self.read("""
        After switching providers back, the coding agent's next turn fails
        unexpected status 404 Not Found: Item with id 'rs_0123456789abcdef' not found. Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input., url: https://gw.example.com/v1/responses
        """)
        #expect(Self.loud(item.report).isEmpty, "\(item.report.findings.map { ($0.cause, $0.severity) })")
        #expect(item.causes.first == "outside-taxonomy", "\(item.causes)")
        let template = try Self.read("""
        Turning a light on through the assistant fails
        Error code: 500 - {'error': {'code': 500, 'message': 'Message has tool role, but there was no previous assistant message with a tool call! at row 12, column 3: {{- raise_exception("Message has tool role") }}'}}
        """)
        #expect(Self.loud(template.report).isEmpty, "\(template.report.findings.map { ($0.cause, $0.severity) })")
    }

    /// A retired name the client sent while the customer says no model was chosen (or a
    /// different one was): the client's default aged; the setting is what changes. Without
    /// that said, the retired name leads.
    @Test func aRetiredNameNobodyChoseIsTheClientsDefault() throws {
        let unchosen = try Self.read("""
        The library's sample, run without choosing a model, now throws an error.
        Exception InvalidRequestError: 'The model `text-davinci-003` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations'.
        """)
        #expect(unchosen.causes.first == "client-default-model", "\(unchosen.causes)")
        #expect(unchosen.causes.prefix(3).contains("model-name-legacy-alias"), "\(unchosen.causes)")
        let other = try Self.read("""
        The bot fails with a model error even though a different model was chosen in its settings.
        Error code: 404 - {'error': {'message': 'The model `text-davinci-003` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations', 'type': 'invalid_request_error', 'code': 'model_not_found'}}
        """)
        #expect(other.causes.first == "client-default-model", "\(other.causes)")
        let plain = try Self.read("""
        The sample now throws an error.
        Exception InvalidRequestError: 'The model `text-davinci-003` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations'.
        """)
        #expect(plain.causes.first == "model-name-legacy-alias", "\(plain.causes)")
    }
}
