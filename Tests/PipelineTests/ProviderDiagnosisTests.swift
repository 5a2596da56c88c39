import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// End to end on pasted text: the service that refused a name and what it can serve, the
/// client-side shape errors of other languages, and the SDK's own "Connection error." All
/// texts are written for these tests (the shapes come from real SDK and server output).
@Suite struct ProviderDiagnosisTests {
    static func causes(_ text: String) throws -> [String] {
        var out: [String] = []
        for f in try findings(text) where !out.contains(f.cause) { out.append(f.cause) }
        return out
    }

    static func findings(_ text: String) throws -> [Finding] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-provider-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ticket.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = AnalysisPipeline.run(AnalysisOptions(inputs: [file.path], ruleFolders: [Repo.path("rules")]))
        return r.report.findings
    }

    /// A client's default sent to a service that never serves it: the customer set the base
    /// URL, not the model.
    @Test func aDefaultModelOnAServiceThatCannotServeItIsTheClientsDefault() throws {
        let groq = try Self.causes("""
        Pointed the app at Groq (https://api.groq.com/openai/v1) with my own model, chat fails:
        {"error":{"message":"The model `gpt-3.5-turbo` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}
        """)
        #expect(groq.first == "client-default-model", "\(groq)")
        // The same refusal from OpenAI itself is no such evidence.
        let openai = try Self.causes("""
        OPENAI_BASE_URL=https://api.openai.com/v1
        {"error":{"message":"The model `gpt-3.5-turbo` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}
        """)
        #expect(openai.first != "client-default-model", "\(openai)")
    }

    @Test func aVendorLabelBeforeTheVendorsOwnIdIsAPrefixProblem() throws {
        let c = try Self.causes("""
        ERROR - Error: Error code: 404 - {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'model: anthropic:claude-3-5-haiku-latest'}}
        """)
        #expect(c.first == "model-name-suffix", "\(c)")
    }

    @Test func aFamilyNameWithoutTheServicesVersionPartLacksItsSuffix() throws {
        let c = try Self.causes("""
        base_url: https://ark.cn-beijing.volces.com/api/v3
        {"error":{"code":"InvalidEndpointOrModel.NotFound","message":"The model or endpoint doubao-1.5-pro-32k does not exist or you do not have access to it. Request id: 0217"}}
        """)
        #expect(c.first == "model-name-suffix", "\(c)")
    }

    /// Clients in Dart, Swift or JavaScript that cannot read the list's shape.
    @Test(arguments: [
        "type 'List<dynamic>' is not a subtype of type 'Map<String, dynamic>'",
        "S.model.id.toLowerCase is not a function. (In 'S.model.id.toLowerCase()', 'S.model.id.toLowerCase' is undefined)",
        "json: cannot unmarshal array into Go value of type openai.ModelsList",
    ])
    func aListTheClientCannotReadIsClientCannotList(_ line: String) throws {
        let c = try Self.causes("Fetching the model list from my provider fails.\n\(line)\n")
        #expect(c.first == "client-cannot-list", "\(c)")
    }

    /// A gateway that could not read a request body's field is not a list problem: at most a
    /// low pointer (the unmatched-failure fallback), never a diagnosis.
    @Test func aGatewayUnmarshallingARequestIsNotAListProblem() throws {
        let text = """
        {"error":{"code":"one_hub_error","type":"one_hub_error","message":"json: cannot unmarshal object into Go struct field ChatCompletionMessage.messages.reasoning of type string (request id: 2025)"}}
        """
        let findings = try Self.findings(text)
        #expect(!findings.contains { $0.cause == "client-cannot-list" && $0.severity >= .medium }, "\(findings.map(\.cause))")
    }

    @Test(arguments: [
        "\"Invalid openrouter API key.\" error.",
        "Error: You must set the 'mistral' key or the LLM_MISTRAL_KEY environment variable.",
    ])
    func aRefusedOrMissingKeyIsTheKey(_ line: String) throws {
        let c = try Self.causes("Listing models fails.\n\(line)\n")
        #expect(c.first == "auth-invalid-key", "\(c)")
    }

    /// The SDK's own `Connection error.` after a read timeout: no answer came back, so no
    /// gateway said its upstream is down.
    @Test func theSDKsConnectionErrorIsNotAnUpstreamAnswer() throws {
        let c = try Self.causes("""
        {"cause":{"code":"ETIMEDOUT","errno":"ETIMEDOUT","message":"request to http://host.docker.internal:11434/v1/chat/completions failed, reason: read ETIMEDOUT","type":"system"},"level":"error","message":"AI response error; aborting request: Connection error.","stack":"Error: Connection error.\\n    at OpenAI.makeRequest (/app/node_modules/openai/core.js:292:19)"}
        """)
        #expect(!c.contains("upstream-unavailable"), "\(c)")
    }

    /// "The model list is not found" is the list's route, not a model called "list".
    @Test func theModelListNotFoundNamesNoModel() throws {
        let c = try Self.causes("The gateway's model list is not found at the standard path after an upgrade.\n")
        #expect(!c.contains("model-not-in-catalog"), "\(c)")
    }

    /// Azure's model names keep OpenAI's old spellings: on Azure, gpt-35-turbo is current, and
    /// a chat model called on the completions surface is the wrong endpoint.
    @Test func azuresOwnSpellingIsNotARetiredName() throws {
        let azure = try Self.causes("""
        providers:
          - id: azureopenai:completion:gpt-35-turbo
        API response error: {"error":{"code":"BadRequest","message":"logprobs, best_of and echo parameters are not available on gpt-35-turbo model. Please remove the parameter and try again. For more details, see https://go.microsoft.com/fwlink/?linkid=2227346."}}
        """)
        #expect(azure.first == "endpoint-unsupported", "\(azure)")
        #expect(!azure.contains("model-name-legacy-alias"), "\(azure)")
        // The same name refused by a service that is not Azure is the retired spelling.
        let openai = try Self.causes("""
        {"error":{"message":"The model `gpt-35-turbo` does not exist","type":"invalid_request_error","code":"model_not_found"}}
        """)
        #expect(openai.first == "model-name-legacy-alias", "\(openai)")
        // Naming Azure as where the customer came from does not make the gateway Azure.
        let moved = try Self.causes("""
        getting model not found for gpt-35-turbo since migration from Azure to your gateway
        POST http://127.0.0.1:3002/v1/chat/completions -> 404
        {"error":{"message":"The model `gpt-35-turbo` does not exist","type":"invalid_request_error","code":"model_not_found"}}
        """)
        #expect(moved.first == "model-name-legacy-alias", "\(moved)")
        // Azure's client class in the pasted code does.
        let code = try Self.causes("""
        llm = AzureChatOpenAI(deployment_name="gpt4_32k", model_name='gpt-4-32k', temperature=0)
        NotFoundError: Error code: 404 - {'error': {'code': '404', 'message': 'Resource not found'}}
        """)
        #expect(!code.contains("model-name-legacy-alias"), "\(code)")
    }

    /// A host under an Azure domain is Azure, whatever the resource's name.
    @Test func aProvidersDomainEntryMatchesEveryHostUnderIt() throws {
        let c = try Self.causes("""
        POST https://contoso-eu.openai.azure.com/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-02-01 -> 404
        {"error":{"message":"The model `gpt-35-turbo` does not exist","code":"model_not_found"}}
        """)
        #expect(!c.contains("model-name-legacy-alias"), "\(c)")
    }

    /// Volcengine Ark's ModelNotOpen: the model exists, the account has not switched it on.
    @Test func aModelTheAccountHasNotActivatedIsAnAccessProblem() throws {
        let f = try Self.findings("""
        OpenAI服务响应异常: Error code: 404 - {'error': {'code': 'ModelNotOpen', 'message': 'Your account 2100000000 has not activated the model doubao-pro-32k-241215. Please activate the model service in the Ark Console.', 'type': 'NotFound'}}
        """)
        let lead = try #require(f.first)
        #expect(lead.cause == "key-group-no-access", "\(f.map(\.cause))")
        #expect(lead.title.value.contains("doubao-pro-32k-241215"))
    }

    /// The settings name `x:tag`, the client sent `x`: the tag was cut, whatever parser
    /// claimed the paste (here the Node SDK's stack around the error).
    @Test func aConfiguredTagTheClientCutIsASuffixProblem() throws {
        let text = """
        [
          {"provider": "ollama", "baseURL": "http://ollama:11434/v1", "models": ["qwen2.5-32b-instruct:Q6_K_L"]}
        ]
        [LLM Error]: NotFoundError: 404 model "qwen2.5-32b-instruct" not found, try pulling it first
            at APIError.generate (/app/node_modules/openai/error.js:54:20)
            at OpenAI.makeStatusError (/app/node_modules/openai/core.js:293:33)
            at OpenAI.makeRequest (/app/node_modules/openai/core.js:337:30)
            at async BaseOpenAIChat.chat (/app/dist/libs/provider/base/openai.js:61:21) {
          status: 404,
        """
        let c = try Self.causes(text)
        #expect(c.first == "model-name-suffix", "\(c)")
        // `gpt-4-32k` is another model than `gpt-4`, not gpt-4 with a tag.
        let other = try Self.causes("""
        OPENAI_MODEL=gpt-4-32k
        {"error":{"message":"The model `gpt-4` does not exist","code":"model_not_found"}}
        """)
        #expect(other.first != "model-name-suffix", "\(other)")
    }
}
