import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// Wordings the families pack learnt from real clients and proxies: a client's own model
/// registry refusing a name before any request, a LiteLLM proxy without a database refusing a
/// key, an allow-list named empty, llama.cpp's route miss, and the server's internal error
/// sent mid-stream.
@Suite struct ClientRegistryAndProxyWordingTests {
    /// llm and RubyLLM refuse a name their local registry lacks; no request reaches a server,
    /// so the client's own list is what lacks the model.
    @Test func aClientsOwnRegistryRefusingTheNameIsTheClientsList() throws {
        try FamilyTriageTests.expectFirst("client-cache", """
        $ llm -m vendor-max 'hello'
        Error: 'Unknown model: vendor-max'
        """)
        try FamilyTriageTests.expectFirst("client-cache", """
        ruby_llm-1.6.4/lib/ruby_llm/models.rb:204:in `find_without_provider': Unknown model: vendor/chat-9 (RubyLLM::ModelNotFoundError)
        """)
        // A server's own `Unknown model` stays the server's refusal.
        let server = try FamilyTriageTests.analyzeText("""
        litellm.BadRequestError: SambanovaException - Unknown model: vendor-chat-9
        """)
        #expect(server.report.findings.first?.cause != "client-cache", "\(server.report.findings.map(\.cause))")
    }

    /// A LiteLLM proxy run without a database knows only its master key and answers any other
    /// key `400 No connected db.`: the key sent is not one the proxy accepts.
    @Test func aProxyWithoutADatabaseRefusingTheKeyIsTheKey() throws {
        let r = try FamilyTriageTests.analyzeText("""
        INFO httpx HTTP Request: GET http://gw.example.com:4000/v1/models "HTTP/1.1 400 Bad Request"
        openai.BadRequestError: Error code: 400 - No connected db.
        """)
        let causes = r.report.findings.map(\.cause)
        #expect(causes.first == "auth-invalid-key", "\(causes)")
        #expect(causes.prefix(3).contains("gateway-config"), "\(causes)")
    }

    /// LiteLLM names the key's allow-list; an empty one (`models=[]`) allows no model at all.
    @Test func anEmptyAllowListIsAKeyWithNoModels() throws {
        try FamilyTriageTests.expectFirst("key-group-no-models", """
        ERROR app: chat failed: Error code: 401 - {'error': {'message': 'key not allowed to access model. This key can only access models=[]. Tried to access vendor-chat', 'type': 'key_model_access_denied', 'param': 'model', 'code': '401'}}
        """)
        try FamilyTriageTests.expectFirst("key-group-no-access", """
        ERROR app: chat failed: Error code: 401 - {'error': {'message': "key not allowed to access model. This key can only access models=['vendor-mini']. Tried to access vendor-chat", 'type': 'key_model_access_denied', 'param': 'model', 'code': '401'}}
        """)
    }

    /// llama.cpp's server answers a path it does not serve `404 File Not Found`: a route the
    /// server lacks (the Responses API on a chat-only server), not an unknown model.
    @Test func llamaCppsFileNotFoundIsARouteMiss() throws {
        let r = try FamilyTriageTests.analyzeText("""
        $ llm -m homelab 'hello'
        Error: Error code: 404 - File Not Found
        """)
        var causes: [String] = []
        for f in r.report.findings where !causes.contains(f.cause) { causes.append(f.cause) }
        #expect(causes.prefix(3).contains("endpoint-unsupported"), "\(causes)")
        #expect(!causes.prefix(3).contains("model-not-in-catalog"), "\(causes)")
    }

    /// OpenAI's internal-error sentence, raised by the SDK from an `error` event mid-stream, is
    /// the upstream failing on a served model; the same sentence under a 429 stays a rate limit.
    @Test func theServersInternalErrorMidStreamIsTheUpstream() throws {
        try FamilyTriageTests.expectFirst("upstream-unavailable", """
        2026-01-01 10:00:00 [ERROR] app | chat failed
        Traceback (most recent call last):
          File "/app/.venv/lib/python3.11/site-packages/openai/_streaming.py", line 104, in __stream__
            raise APIError(
        openai.APIError: The server had an error while processing your request. Sorry about that!
        """)
        let limited = try FamilyTriageTests.analyzeText("""
        429 Too Many Requests The server had an error while processing your request. Sorry about that!
        """)
        #expect(!limited.report.findings.contains { $0.cause == "upstream-unavailable" }, "\(limited.report.findings.map(\.cause))")
    }

    /// Go's reverse proxy logs `http: proxy error: …` when the gateway cannot forward a call:
    /// the gateway's side, never a network proxy of the customer's; a customer's proxy error
    /// still is one.
    @Test func aGoReverseProxyErrorIsTheGatewaysSideNotANetworkProxy() throws {
        let r = try FamilyTriageTests.analyzeText("""
        [GIN] 2026/04/04 - 07:30:12 | 502 |     123.423µs |      10.0.0.7 | POST     "/v1/chat/completions"
        2026/04/04 07:30:12 http: proxy error: dial tcp 10.0.0.9:8080: connect: no route to host
        """)
        let causes = r.report.findings.map(\.cause)
        // No rule or family reads it as a network proxy (the wording prior, which knows only
        // that the word "proxy" is there, may still propose it at `low`).
        #expect(!r.report.findings.contains { $0.cause == "network-proxy" && !$0.rule.hasPrefix("wording/") }, "\(causes)")
        #expect(causes.first == "upstream-unavailable", "\(causes)")
        #expect(r.report.findings.contains { $0.rule == "family/reverse-proxy-error" }, "\(r.report.findings.map(\.rule))")
        let customer = try FamilyTriageTests.analyzeText("""
        requests.exceptions.ProxyError: HTTPSConnectionPool(host='gw.example.com', port=443): Max retries exceeded with url: /v1/models (Caused by ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 407 Proxy Authentication Required')))
        """)
        #expect(customer.report.findings.first?.cause == "network-proxy", "\(customer.report.findings.map(\.cause))")
    }
}
