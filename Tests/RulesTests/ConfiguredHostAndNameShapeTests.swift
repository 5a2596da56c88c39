import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRules
import TestSupport

/// Facts a call that was pasted without its URL gets from the ticket's one configured base URL,
/// a base URL cut inside the chat endpoint, and which names are display names. Shipped tables.
@Suite struct ConfiguredHostAndNameShapeTests {
    static let aliases = RuleLoader().load(folders: [Repo.path("rules")]).aliases

    static func call(_ model: String? = nil, url: String? = nil, status: Int = 502) -> Exchange {
        var e = Exchange()
        e.url = url
        e.model = model
        e.status = status
        return e
    }

    static func facts(_ e: Exchange, signals: [Signal] = []) -> Facts {
        Facts.derive(e, in: BundleContext(exchanges: [e], userCatalog: [], aliases: aliases, signals: signals))
    }

    static func base(_ url: String) -> Signal {
        Signal(name: .configuredBaseURL, value: url, line: SourceLine(ref: SourceRef(file: "ticket.txt", line: 1), text: "api_base: \(url)"))
    }

    /// A bare 502 pasted without its URL, in a ticket whose one base URL is this machine, went
    /// to this machine; with a remote base, or two bases, or none, it did not say.
    @Test func aCallWithoutAURLIsOnTheOneConfiguredHost() {
        #expect(Self.facts(Self.call(), signals: [Self.base("http://127.0.0.1:11434/v1")])[.hostLoopback] == .bool(true))
        #expect(Self.facts(Self.call(), signals: [Self.base("http://localhost:3000/v1")])[.hostLoopback] == .bool(true))
        #expect(Self.facts(Self.call(), signals: [Self.base("https://gw.example.com/v1")])[.hostLoopback] == .bool(false))
        #expect(Self.facts(Self.call(), signals: [Self.base("http://127.0.0.1:11434/v1"), Self.base("https://gw.example.com/v1")])[.hostLoopback] == nil)
        #expect(Self.facts(Self.call())[.hostLoopback] == nil)
        // The call's own URL decides over the setting.
        let own = Self.call(url: "https://gw.example.com/v1/chat/completions")
        #expect(Self.facts(own, signals: [Self.base("http://127.0.0.1:11434/v1")])[.hostLoopback] == .bool(false))
    }

    /// `…/v1/chat` as the base (the list asked at `/v1/chat/models`) holds part of an endpoint;
    /// Ollama's own `/api/chat` and a bare `/chat` root without a version do not count here.
    @Test func aBaseCutInsideTheChatEndpoint() {
        #expect(Self.facts(Self.call(url: "https://api.mistral.ai/v1/chat/models", status: 404))[.baseIncludesEndpoint] == .bool(true))
        #expect(Self.facts(Self.call(url: "https://gw.example.com/v1/models", status: 404))[.baseIncludesEndpoint] == .bool(false))
        #expect(Self.facts(Self.call(url: "https://gw.example.com/chat/v1/models", status: 404))[.baseIncludesEndpoint] == .bool(false))
    }

    /// A display name maps to its id (`deepseek-r1` → `deepseek-reasoner`); a local model
    /// server's `name:tag` id (`deepseek-r1:8b`) and an aggregator's `org/name` are not display names.
    @Test func aTaggedOrNamespacedNameIsNoDisplayName() {
        #expect(Self.facts(Self.call("deepseek-r1", status: 404))[.aliasMarketing] != nil)
        #expect(Self.facts(Self.call("deepseek-r1:8b", status: 404))[.aliasMarketing] == nil)
        #expect(Self.facts(Self.call("deepseek/deepseek-r1", status: 404))[.aliasMarketing] == nil)
    }
}
