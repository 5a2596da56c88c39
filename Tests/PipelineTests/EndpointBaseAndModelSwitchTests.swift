import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
@testable import DoctorParse
@testable import DoctorRules
import TestSupport

/// Readings of a config with one base URL per service (the defect in the second), of a base
/// URL ending in a singular `/completion` or holding a placeholder in the customer's language,
/// of a client's confirmation of the model it switched to, and of wordings that belong to one
/// cause (a relay's balance refusal, a client's wrapper of any 400). The shipped packs without
/// the wording model decide.
@Suite struct EndpointBaseAndModelSwitchTests {
    static func read(_ text: String) throws -> (causes: [String], report: Report) {
        try SettingsStatusAndRouteReadingTests.read(text)
    }

    static func loud(_ report: Report) -> [String] { SurfaceAndPathReadingTests.loud(report) }

    /// A config that sets a base URL for chat and another for embeddings: the second already
    /// ends in the endpoint, and the embedding call got the server's 404. With both bases
    /// clean, the same 404 is no endpoint in the base.
    @Test func aSecondConfiguredBaseHoldingTheEndpointExplainsThe404() throws {
        let defective = try Self.read("""
        Every embedding request of the memory server fails.
        chat_base_url: http://localhost:11434/v1
        chat_model: qwen3:8b
        embedding_base_url: http://localhost:11434/v1/embeddings
        embedding_model: bge-m3

        EmbeddingError: failed to embed documents: 404 page not found
        """)
        #expect(defective.causes.first == "base-url-includes-endpoint", "\(defective.causes)")
        let clean = try Self.read("""
        Every embedding request of the memory server fails.
        chat_base_url: http://localhost:11434/v1
        chat_model: qwen3:8b
        embedding_base_url: http://localhost:11434/v1
        embedding_model: bge-m3

        EmbeddingError: failed to embed documents: 404 page not found
        """)
        #expect(!clean.causes.contains("base-url-includes-endpoint"), "\(clean.causes)")
    }

    /// A base URL ending in a singular `/completion` (an application's completion endpoint,
    /// llama.cpp's native route) holds an endpoint; a placeholder the customer wrote in their
    /// own language (`{应用ID}`) stays part of the URL.
    @Test func aBaseEndingInASingularCompletionHoldsAnEndpoint() throws {
        #expect(ErrorTextMentions.trimURL("https://host/api/v1/apps/{应用ID}/completion`") == "https://host/api/v1/apps/{应用ID}/completion")
        #expect(PathShape(url: "https://host/api/v1/apps/abc/completion/chat/completions").includesEndpoint == true)
        #expect(PathShape(url: "https://host/api/v1/chat/completions").includesEndpoint == false)
        #expect(PathShape(url: "http://127.0.0.1:8080/completion/chat/completions").includesEndpoint == true)
        // After a version root the singular form is the client's own wrong route, not a base.
        #expect(PathShape(url: "http://127.0.0.1:8080/v1/completion/chat/completions").includesEndpoint == false)
        let r = try Self.read("""
        Every call of the BI app to the vendor's application fails.
        OPENAI_API_BASE=https://dashscope.aliyuncs.com/api/v1/apps/{应用ID}/completion
        OPENAI_MODEL_NAME=qwen-max
        HttpException: {"request_id":"0f1e","code":"InvalidURL","message":"Invalid URL provided in your request."}
        """)
        #expect(r.causes.first == "base-url-includes-endpoint", "\(r.causes)")
    }

    /// A client's confirmation of a model switch names the model the next call carried: the
    /// last one above the failure, the resolved id in brackets when there is one, and a name
    /// of any shape (a word typed where a model was expected).
    @Test func theLastConfirmedModelSwitchIsTheCallsModel() throws {
        #expect(ErrorTextMentions.switchedModel(in: "  ⎿  Set model to opus (claude-opus-4-20250514)") == "claude-opus-4-20250514")
        #expect(ErrorTextMentions.switchedModel(in: "  ⎿  Set model to status") == "status")
        #expect(ErrorTextMentions.switchedModel(in: "I set model to gpt-4o in the settings but it still fails") == nil)
        let r = try Self.read("""
        > /model sonnet
          ⎿  Set model to sonnet (claude-sonnet-4-20250514)

        > /model status
          ⎿  Set model to status

        > hello
          ⎿  API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"system: Invalid model name"}}
        """)
        #expect(r.causes.first == "model-not-in-catalog", "\(r.causes)")
        #expect(r.report.findings.first?.subject == "status", "\(r.report.findings.map(\.subject))")
    }

    /// A relay's balance refusal with the account named between the words (`Insufficient
    /// account balance`) is the balance.
    @Test func anInsufficientAccountBalanceIsTheBalance() throws {
        let r = try Self.read("""
        > hi
          ⎿  API Error: 403 Insufficient account balance
        """)
        #expect(r.causes.first == "insufficient-balance", "\(r.causes)")
    }

    /// Zed wraps any 400 as `invalid request format to <provider>'s API:` followed by the
    /// server's own reason: a context-length refusal so wrapped is no body defect. LiteLLM's
    /// own `Invalid request format:` still is.
    @Test func aClientsWrapperOfAnyBadRequestIsNoBodyDefect() throws {
        let wrapped = try Self.read("""
        ERROR [agent::thread] Manual compaction failed: invalid request format to OpenRouter's API: This endpoint's maximum context length is 400000 tokens. However, you requested about 512000 tokens.
        """)
        #expect(Self.loud(wrapped.report).isEmpty, "\(wrapped.causes)")
        #expect(!wrapped.causes.contains("request-body-invalid"), "\(wrapped.causes)")
        let litellm = try Self.read("""
        litellm.proxy.proxy_server.chat_completion(): Exception occured - Invalid request format: 'str' object has no attribute 'get'
        """)
        #expect(litellm.causes.first == "request-body-invalid", "\(litellm.causes)")
    }
}
