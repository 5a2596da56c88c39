import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Readings of where a refused key came from (`ticket.cues`), of a client's TLS verification
/// failure, of a config dict's model in code and of openai-python 0.x's Azure refusal without
/// a deployment. The shipped packs without the wording model decide.
@Suite struct KeyOriginAndTLSReadingTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    static let openAIRefusal = "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-abc1***********************xyz9. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}"

    /// OpenAI refusing a key with nothing saying the key came from elsewhere: the key itself.
    @Test func openAIsRefusalAloneIsTheKey() throws {
        let r = try Self.read("Every call of the bot fails although the key was copied from the website.\n" + Self.openAIRefusal + "\n")
        #expect(r.causes.first == "auth-invalid-key", "\(r.causes)")
        #expect(r.causes.prefix(3).contains("wrong-base-url"), "the other reading stays in the differential: \(r.causes)")
    }

    /// The same refusal where the customer says the key came from a third party (or a relay,
    /// another vendor): the call went past the service that issued the key.
    @Test func openAIsRefusalOfAThirdPartysKeyIsTheAddress() throws {
        let r = try Self.read("I use a key bought from a third-party reseller and every call fails.\n" + Self.openAIRefusal + "\n")
        #expect(r.causes.first == "wrong-base-url", "\(r.causes)")
        let deepseek = try Self.read("The app is set up for DeepSeek but every call fails.\n" + Self.openAIRefusal + "\n")
        #expect(deepseek.causes.first == "wrong-base-url", "\(deepseek.causes)")
    }

    /// A Chinese sentence that names the relay is no prose signal (it holds an error word),
    /// yet states the cue; a key masked as `sk-XX***` is a key, not a placeholder.
    @Test func aRelayNamedInAChineseSentenceIsTheCue() throws {
        let r = try Self.read("""
        客户端里配置了 One API 的地址和令牌，对话时却提示 API key 不正确
        {"error": {"message": "Incorrect API key provided: sk-XX*****************************XXX. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "code": "invalid_api_key"}}
        """)
        #expect(r.causes.first == "wrong-base-url", "\(r.causes)")
        let placeholder = try Self.read("openai.error.AuthenticationError: Incorrect API key provided: sk-xxxxxxxxxxxx. You can find your API key at https://platform.openai.com/account/api-keys.\n")
        #expect(placeholder.causes.first == "auth-invalid-key", "\(placeholder.causes)")
    }

    /// Another vendor's key (Groq's `gsk_`) refused in OpenAI's words: sent to the wrong service.
    @Test func anotherVendorsKeyRefusedInOpenAIsWordsIsTheAddress() throws {
        let r = try Self.read("openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: gsk_dWsK**********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.', 'code': 'invalid_api_key'}}\n")
        #expect(r.causes.first == "wrong-base-url", "\(r.causes)")
    }

    /// A key set with a template's braces (`{sk-…}`) or left as a placeholder is broken.
    @Test func aKeyInBracesOrAPlaceholderIsBroken() throws {
        let braces = try Self.read("openai.error.AuthenticationError: Incorrect API key provided: {sk-To3E*****************************************wdv}.\n")
        #expect(braces.causes.first == "auth-invalid-key", "\(braces.causes)")
        let placeholder = try Self.read("[ERROR][2023-03-11 14:14:15][bot.py:96] - Incorrect API key provided: YOUR API KEY. You can find your API key at https://platform.openai.com/account/api-keys.\n")
        #expect(placeholder.causes.first == "auth-invalid-key", "\(placeholder.causes)")
    }

    /// `ticket.cues` holds the packs' cues the prose states, the same for every call; none
    /// without prose or without the packs' families.
    @Test func ticketCuesAreTheProsesCues() {
        let loaded = RuleLoader().load(folders: [Repo.path("rules")])
        var e = Exchange()
        e.status = 401
        func prose(_ t: String) -> Signal {
            Signal(name: .ticketText, value: t, line: SourceLine(ref: SourceRef(file: "ticket.txt", line: 1), text: t))
        }
        func cues(_ signals: [Signal], families: MessageFamilies?) -> FactValue? {
            Facts.derive(e, in: BundleContext(exchanges: [e], userCatalog: [], aliases: loaded.aliases, signals: signals, families: families))[.ticketCues]
        }
        let said = cues([prose("It used to work, suddenly it stopped."), prose("The key is from a third-party reseller.")], families: loaded.families)
        #expect(said == .list(["key-from-elsewhere", "worked-before"]), "\(String(describing: said))")
        #expect(cues([prose("Every call fails.")], families: loaded.families) == .list([]))
        #expect(cues([prose("The key is from a third-party reseller.")], families: nil) == .list([]))
    }

    /// A client's TLS verification failure is a failed call (no answer read): a proxy or a
    /// corporate CA in the way, ahead of a model refusal it caused.
    @Test func aTLSVerificationFailureIsAFailedCall() throws {
        let r = try Self.read("Model not found: kilo/kilo-auto/free\n\nError: unable to get local issuer certificate\n    at async b0 (chunk.js:69:1151)\n")
        #expect(r.report.facts.errors.map(\.value).contains("Error: unable to get local issuer certificate"), "\(r.report.facts.errors)")
        #expect(r.causes.first == "network-proxy", "\(r.causes)")
        let go = try Self.read("Get \"https://api.example.com/v1/models\": x509: certificate signed by unknown authority\n")
        #expect(go.causes.first == "network-proxy", "\(go.causes)")
    }

    /// A TLS word inside an answered call's message is not a failed connection.
    @Test func anAnsweredCallIsNotATLSFailure() throws {
        let r = try Self.read("openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-x` does not exist'}}\n")
        #expect(!r.causes.prefix(1).contains("network-proxy"), "\(r.causes)")
    }

    /// A corporate web filter's page answering a local call: the company's proxy answered.
    @Test func aCorporateFiltersPageIsTheProxy() throws {
        let r = try Self.read("""
        Adding the local model fails; the connection test returns a web page.
        Base url : http://host.docker.internal:11434/
        Fail to access model(llama3.2:latest) .** ERROR **: <HTML>
        <HEAD> <TITLE>Web Site does not
        exist</TITLE></HEAD>
        """)
        #expect(r.causes.first == "network-proxy", "\(r.causes)")
        let plain = try Self.read("""
        Base url : http://host.docker.internal:11434/
        Fail to access model(llama3.2:latest) .** ERROR **: <HTML><HEAD><TITLE>Welcome</TITLE></HEAD>
        """)
        #expect(plain.causes.first != "network-proxy", "\(plain.causes)")
    }

    /// LM Studio's `Model with key 'X' not loaded` for a cloud vendor's id: the client's own
    /// name, never on the local server, not a model waiting to load.
    @Test func aCloudIdNotLoadedOnLMStudioIsTheClientsDefault() throws {
        let r = try Self.read("""
        OPENAI_ENDPOINT=http://localhost:1234/v1/chat/completions
        API responded with status code: 500. Response text: {"error":"Model with key 'gpt-4-turbo-preview' not loaded."}
        """)
        #expect(r.causes.first == "client-default-model", "\(r.causes)")
        let local = try Self.read("""
        OPENAI_ENDPOINT=http://localhost:1234/v1/chat/completions
        API responded with status code: 500. Response text: {"error":"Model with key 'qwen2.5-7b-instruct' not loaded."}
        """)
        #expect(local.causes.first != "client-default-model", "\(local.causes)")
    }

    /// LiteLLM's own price and capability map, read inside the client, logs "Model not found
    /// … isn't mapped yet" beside an answered call: named outside the taxonomy, no refusal.
    @Test func aClientsOwnPriceMapIsNoRefusal() throws {
        let r = try Self.read("""
        16:16:08 - LiteLLM:ERROR: utils.py:1953 - Model not found or error in checking vision support. You passed model=i, custom_llm_provider=openai. Error: This model isn't mapped yet. model=i, custom_llm_provider=openai. Add it here - https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json.
        """)
        #expect(!r.report.findings.contains { $0.severity >= .medium }, "\(r.causes)")
        #expect(r.causes.first == "outside-taxonomy", "\(r.causes)")
    }

    /// A config dict in code (`config={'api_key': …, 'model': 'x'}`) sets the model: a call
    /// that asked for another one was the client's own default.
    @Test func aConfigDictsModelIsTheSetting() throws {
        let r = try Self.read("""
        The Gemini chat class is configured for one model but the call names another.
                GoogleGeminiChat.__init__(self, config={'api_key': 'AIza****', 'model': 'gemini-2.5-pro'})
        404 POST https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-pro:generateContent
        models/gemini-1.5-pro is not found for API version v1beta, or is not supported for generateContent.
        """)
        #expect(r.causes.first == "client-default-model", "\(r.causes)")
        // A bare `model` key in a request body is not a setting.
        #expect(ErrorTextMentions.configDict.firstMatch(in: #"json={"model": "gpt-4o", "messages": []}"#, range: NSRange(location: 0, length: 36)) == nil)
    }

    /// openai-python 0.x set for Azure and called without the deployment names the Azure cause.
    @Test func azureWithoutADeploymentIsTheDeployment() throws {
        let r = try Self.read("""
        Building the index with Azure embeddings stops.
        InvalidRequestError:
        "Must provide an 'engine' or 'deployment_id' parameter to create a".
        """)
        #expect(r.causes.first == "azure-deployment-mismatch", "\(r.causes)")
    }
}
