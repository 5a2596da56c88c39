import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// Readings learnt from the misses of a fresh batch of real tickets, each general: a framework's
/// bundled model table refusing a name, a client that could not parse its base URL, a bare 404
/// from a local Ollama, an Azure deployment path quoted beside a 404, a list call that failed
/// outside the client's own code, providers that offer no model list, and a model mapping beside
/// a gateway's "no available channel". The families and packs hold the wordings; these tests hold the
/// readings to them.
@Suite struct ThinTicketReadingTests {
    static func causes(_ text: String) throws -> [String] {
        try FamilyTriageTests.analyzeText(text).report.findings.map(\.cause)
    }

    /// A Python framework checks the name against the model table it ships (llama_index's
    /// `Unknown model 'x'. Please provide a valid OpenAI model name in: …`, tiktoken's `Could not
    /// automatically map x to a tokeniser`) before any request: the package is older than the
    /// model. A server's own `Unknown model x` stays the server's refusal.
    @Test func aFrameworksBundledModelTableIsTheClientsList() throws {
        try FamilyTriageTests.expectFirst("client-cache", """
        ValueError: Unknown model 'vendor-chat-9'. Please provide a valid OpenAI model name in: vendor-chat-1, vendor-chat-2
        """)
        try FamilyTriageTests.expectFirst("client-cache", """
        KeyError: 'Could not automatically map vendor-chat-9 to a tokeniser. Please use `tiktoken.get_encoding` to explicitly get the tokeniser you expect.'
        """)
        let server = try Self.causes("litellm.BadRequestError: Unknown model vendor-chat-9. Please check the model name")
        #expect(server.first != "client-cache", "\(server)")
    }

    /// A bare 404 (no path, no wording) from a local Ollama: most often the model the client
    /// asked for is its default one, never pulled there. Without Ollama the base URL's version
    /// path leads as before; both keep the other usual causes in the top three.
    @Test func aBare404FromALocalOllamaProposesTheClientsDefaultModel() throws {
        let ollama = try Self.causes("""
        The editor plugin fails every time; Ollama is running on localhost:11434.
        Error while generating text: Request failed, status 404
        """)
        #expect(ollama.first == "client-default-model", "\(ollama)")
        #expect(ollama.prefix(3).contains("base-url-missing-version"), "\(ollama)")
        let plain = try Self.causes("""
        The editor plugin fails every time.
        Error while generating text: Request failed, status 404
        """)
        #expect(plain.first == "base-url-missing-version", "\(plain)")
        #expect(!plain.prefix(3).contains("client-default-model"), "\(plain)")
    }

    /// An Azure deployment path quoted beside a 404 (the host elided): Azure did not serve that
    /// deployment or api-version.
    @Test func anAzureDeploymentPathBesideA404IsTheDeployment() throws {
        try FamilyTriageTests.expectFirst("azure-deployment-mismatch", """
        Every call returns HTTP 404. Requests go to:
        .../openai/deployments/chat-prod/chat/completions
        which returns HTTP 404.
        """)
    }

    /// The list call failed with no wording anyone knows: the server offering no list leads; a
    /// failure in the client's own code reading it (`data.map is not a function`) is the client.
    @Test func aFailedListCallIsTheServersListUnlessTheClientCouldNotReadIt() throws {
        let plain = try Self.causes("""
        Refreshing the model list fails: GET https://gw.example.com/v1/models failed: Error: request failed
        """)
        #expect(plain.first == "models-endpoint-unsupported", "\(plain)")
        #expect(plain.prefix(3).contains("client-cannot-list"), "\(plain)")
        try FamilyTriageTests.expectFirst("client-cannot-list", """
        Refreshing the model list fails: GET https://gw.example.com/v1/models failed: TypeError: data.map is not a function
        """)
    }

    /// Zhipu's and Volcengine Ark's OpenAI-compatible APIs offer no model list: a list failure
    /// there, by host or by the provider named in the client's settings, is the provider's.
    @Test func providersWithoutAModelListAreNamedByHostOrSetting() throws {
        func rules(_ text: String) throws -> [String] {
            try FamilyTriageTests.analyzeText(text).report.findings.map(\.rule)
        }
        let provider = "models-endpoint-unsupported-provider"
        #expect(try rules("""
        No models found after adding the provider.
        base_url = "https://ark.cn-beijing.volces.com/api/v3"
        """).first == provider)
        #expect(try rules("""
        服务商：智谱，base url 使用默认设置；获取模型列表一直报错
        """).first == provider)
        // Another host with the same words is only the symptom's usual causes, not this rule.
        #expect(try !rules("""
        No models found after adding the provider.
        base_url = "https://gw.example.com/v1"
        """).contains(provider))
    }

    /// Node's URL parser refusing the base URL (`Error: Invalid URL`, no method or path after
    /// it) is a malformed setting; the server's `Invalid URL (POST /v1/x)` is a route miss.
    @Test func aBareInvalidURLIsTheSettingNotTheRoute() throws {
        try FamilyTriageTests.expectFirst("base-url-malformed", """
        Agent configured with OPENAI_BASE_URL from .env fails at once:
        Error: Invalid URL
        """)
        let route = try Self.causes("Error: 404 Invalid URL (POST /v1/chat/completion)")
        #expect(route.first != "base-url-malformed", "\(route)")
    }

    /// A "no available channel" answer while the ticket speaks of the channel's model mapping
    /// (模型重定向) is the gateway's channel settings; without the mapping it is not.
    @Test func noChannelBesideAModelMappingIsTheGatewaysConfig() throws {
        try FamilyTriageTests.expectFirst("gateway-config", """
        我给 vendor-chat 配了模型重定向，用重定向后的名字调用报错：
        分组 default 下模型 vendor-chat-x 无可用渠道
        """)
        let plain = try Self.causes("""
        调用报错：
        分组 default 下模型 vendor-chat-x 无可用渠道
        """)
        #expect(plain.first != "gateway-config", "\(plain)")
    }
}
