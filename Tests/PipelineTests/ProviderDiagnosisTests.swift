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
}
