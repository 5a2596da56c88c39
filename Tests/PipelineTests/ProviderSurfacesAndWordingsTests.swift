import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// The API surfaces a known service serves (`providers:` `versionless` and `endpoints`), the
/// wordings of SDKs and services that name a cause, failures outside the taxonomy that say
/// nothing about the model, and how family candidates are chosen. All texts are written for
/// these tests (the shapes come from real tickets).
@Suite struct ProviderSurfacesAndWordingsTests {
    static func causes(_ text: String, rules: [String] = [Repo.path("rules")]) throws -> [(cause: String, severity: Severity)] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-surfaces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ticket.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = AnalysisPipeline.run(AnalysisOptions(inputs: [file.path], ruleFolders: rules))
        return r.report.findings.map { ($0.cause, $0.severity) }
    }

    static func first(_ text: String) throws -> String? {
        try causes(text).first { $0.cause != "outside-taxonomy" }?.cause
    }

    /// DeepSeek answers at its root and serves no Responses API: Codex's `/responses` there is
    /// the wrong surface, not a missing `/v1`.
    @Test func aSurfaceTheServiceDoesNotServeIsEndpointUnsupported() throws {
        let c = try Self.causes("unexpected status 404 Not Found: Unknown error, url: https://api.deepseek.com/responses")
        #expect(c.first?.cause == "endpoint-unsupported", "\(c)")
        #expect(!c.contains { $0.cause == "base-url-missing-version" && $0.severity >= .high }, "\(c)")
        // A gateway's own `/v1/responses` refusal stays the general reading (no service known).
        let gw = try Self.causes("unexpected status 404 Not Found: Unknown error, url: https://gw.example.com/responses")
        #expect(gw.first?.cause == "base-url-missing-version", "\(gw)")
        // MiniMax's OpenAI-compatible API has no list.
        let list = try Self.causes("GET https://api.minimaxi.com/v1/models 404\n404 page not found")
        #expect(list.first?.cause == "models-endpoint-unsupported", "\(list)")
    }

    /// A template's placeholder echoed back by the server is a key never filled in, not a key
    /// sent to another service.
    @Test func aPlaceholderKeyEchoedBackIsAnInvalidKey() throws {
        #expect(try Self.first("openai.error.AuthenticationError: Incorrect API key provided: ADD_YOUR*****HERE.") == "auth-invalid-key")
        #expect(try Self.first("Error code: 401 - {'error': {'message': 'Authentication Fails, Your api key: ****here is invalid', 'type': 'authentication_error'}}") == "auth-invalid-key")
        // A real key's ends from OpenAI, in a ticket that says the key came from a relay, is a
        // key sent to OpenAI instead of the gateway.
        #expect(try Self.first("We use a relay key.\nopenai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-abc1***********************xyz9.', 'code': 'invalid_api_key'}}") == "wrong-base-url")
    }

    /// A parameter the model refuses means the server read the call, model included: no
    /// model-name reading at medium or above, only the note outside the taxonomy.
    @Test func aFailureOutsideTheTaxonomySaysNothingAboutTheModel() throws {
        let c = try Self.causes("""
        Chat with a custom model (o4-mini): every request fails with a 400.
        Error: Error registering Ollama model gemma3:latest
        Reason: Request Failed: 400 { "error": { "message": "Unsupported value: 'temperature' does not support 0.1 with this model. Only the default (1) value is supported.", "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value" } }
        """)
        #expect(!c.contains { $0.severity >= .medium }, "\(c)")
        #expect(c.contains { $0.cause == "outside-taxonomy" })
    }

    /// Wordings that name their cause: the SDK refusing to start without a key, DashScope's
    /// arrears, OpenRouter's allowed providers, a client decoding the list into its own shape,
    /// a server naming the base URL to use.
    @Test func wordingsThatNameTheirCause() throws {
        #expect(try Self.first("openai.OpenAIError: The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable") == "auth-invalid-key")
        #expect(try Self.first("{'error': {'code': 'Arrearage', 'message': 'Access denied, please make sure your account is in good standing.', 'type': 'Arrearage'}}") == "insufficient-balance")
        #expect(try Self.first(#"{"error":{"message":"No allowed providers are available for the selected model.","code":404}}"#) == "key-group-no-access")
        #expect(try Self.first("failed to refresh available models: failed to decode models response: missing field `models`") == "client-cannot-list")
        #expect(try Self.first(#"{"status":false,"error":{"message":"The requested endpoint was not found. please make sure to use \"http://localhost:3040/v1\" as the base URL.","type":"invalid_request_error"}}"#) == "base-url-missing-version")
        #expect(try Self.first(#"{"status_code":403,"code":"AccessDenied.Unpurchased","message":"Access to model denied. Please make sure you are eligible for using the model."}"#) == "key-group-no-access")
        #expect(try Self.first(" syncOutput: 11200:AppIdNoAuthError:(21:00:00.909) tokens.total") == "insufficient-balance")
        #expect(try Self.first(#"{"object":"error","message":"Invalid model: ","type":"invalid_model","param":null,"code":"1500"}"#) == "request-body-invalid")
        #expect(try Self.first("curl \"https://proxy.example.com/v1/models\"\n\n{\"message\":\"There is no api match uri '/v1/models' host 'proxy.example.com'\"}") == "models-endpoint-unsupported")
        // `invalid_request_error` alone is OpenAI's type for every 400: not "an invalid parameter".
        let c = try Self.causes(#"{"error":{"message":"something odd happened","type":"invalid_request_error"}}"#)
        #expect(!c.contains { $0.cause == "outside-taxonomy" }, "\(c)")
    }

    /// Candidates are chosen by weight across failures: a weak first failure (a title line)
    /// does not crowd out a strong later one.
    @Test func aWeakFirstFailureDoesNotCrowdOutAStrongLaterOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-scored-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        schema_version: 1
        pack: scored
        version: 0.0.1
        description: two families for one test
        families:
          - name: weak
            title: {en: weak, zh: weak}
            patterns: ['fetching went wrong']
            candidates:
              - {cause: client-cache, weight: 0.3}
              - {cause: client-cannot-list, weight: 0.28}
              - {cause: key-group-no-models, weight: 0.25}
          - name: strong
            title: {en: strong, zh: strong}
            patterns: ['the relay exploded']
            candidates:
              - {cause: gateway-config, weight: 0.75}
        """.write(to: dir.appendingPathComponent("scored.yaml"), atomically: true, encoding: .utf8)
        let c = try Self.causes("fetching went wrong\nError: the relay exploded (HTTP 500)", rules: [dir.path])
        #expect(c.first?.cause == "gateway-config", "\(c)")
        #expect(c.count <= 3)
    }

    /// A provider entry names only known API surfaces.
    @Test func aProviderWithAnUnknownSurfaceIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-surface-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("aliases.yaml")
        try """
        schema_version: 1
        pack: my-aliases
        version: 0.0.1
        description: one provider
        aliases:
          providers:
            - name: mine
              hosts: [api.mine.example]
              endpoints: [chat, telepathy]
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = RuleLoader().load(folders: [dir.path])
        #expect(r.errors.contains { $0.message.contains("telepathy") }, "\(r.errors.map(\.message))")
    }
}
