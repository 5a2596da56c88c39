import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRules
import TestSupport

/// The service that answered a call (`provider`) and what it says of the name sent
/// (`model.foreign_to_provider`, `model.off_provider_case`, `model.off_provider_shape`), read
/// from the shipped `providers:` table.
@Suite struct ProviderTests {
    static let aliases = RuleLoader().load(folders: [Repo.path("rules")]).aliases

    static func call(_ model: String, url: String? = nil, message: String? = nil, status: Int = 404) -> Exchange {
        var e = Exchange()
        e.url = url
        e.model = model
        e.status = status
        if let message { e.error = APIError(message: message) }
        return e
    }

    static func said(_ name: SignalName, _ value: String) -> Signal {
        Signal(name: name, value: value, line: SourceLine(ref: SourceRef(file: "ticket.txt", line: 1), text: value))
    }

    static func facts(_ e: Exchange, signals: [Signal] = []) -> Facts {
        let ctx = BundleContext(exchanges: [e], userCatalog: [], aliases: aliases, signals: signals)
        return Facts.derive(e, in: ctx)
    }

    static func provider(_ f: Facts) -> String? {
        if case .string(let s)? = f[.provider] { return s }
        return nil
    }

    static func flag(_ f: Facts, _ k: FactKey) -> Bool? {
        if case .bool(let b)? = f[k] { return b }
        return nil
    }

    @Test func theCallsOwnHostOrPortNamesTheService() {
        #expect(Self.provider(Self.facts(Self.call("gpt-4o", url: "https://api.groq.com/openai/v1/chat/completions"))) == "groq")
        #expect(Self.provider(Self.facts(Self.call("llama3", url: "http://127.0.0.1:11434/v1/chat/completions"))) == "ollama")
        #expect(Self.provider(Self.facts(Self.call("gpt-4o", url: "https://gw.example.com/v1/chat/completions"))) == nil,
                "a gateway's own host names no service")
    }

    @Test func withoutAHostTheBundlePointsAtOneService() {
        let base = Self.said(.configuredBaseURL, "https://api.siliconflow.cn/v1")
        #expect(Self.provider(Self.facts(Self.call("gpt-4o"), signals: [base])) == "siliconflow")
        // The service's own wording in the answer.
        let ark = Self.call("gpt-5.4-mini", message: "The model or endpoint gpt-5.4-mini does not exist or you do not have access to it. InvalidEndpointOrModel.NotFound")
        #expect(Self.provider(Self.facts(ark)) == "volcengine")
        // The customer's words, when they name one service.
        let prose = Self.said(.ticketText, "LobeChat with my Groq key and model mixtral-8x7b-32768")
        #expect(Self.provider(Self.facts(Self.call("gpt-3.5-turbo"), signals: [prose])) == "groq")
    }

    @Test func twoServicesNamedAlikeLeaveItOpen() {
        let prose = Self.said(.ticketText, "It works on OpenRouter but not on Groq")
        #expect(Self.provider(Self.facts(Self.call("gpt-3.5-turbo"), signals: [prose])) == nil)
        // A configured base URL outranks a name in prose.
        let base = Self.said(.configuredBaseURL, "https://api.x.ai/v1")
        #expect(Self.provider(Self.facts(Self.call("gpt-3.5-turbo"), signals: [prose, base])) == "xai")
    }

    @Test func aServiceCannotServeAnotherVendorsClosedId() {
        let groq = "https://api.groq.com/openai/v1/chat/completions"
        #expect(Self.flag(Self.facts(Self.call("gpt-3.5-turbo", url: groq)), .modelForeignToProvider) == true)
        #expect(Self.flag(Self.facts(Self.call("llama-3.3-70b-versatile", url: groq)), .modelForeignToProvider) == false)
        let deepseek = "https://api.deepseek.com/v1/chat/completions"
        #expect(Self.flag(Self.facts(Self.call("gpt-4o-mini", url: deepseek)), .modelForeignToProvider) == true)
        #expect(Self.flag(Self.facts(Self.call("deepseek-chat", url: deepseek)), .modelForeignToProvider) == false)
        // A router serves every vendor's ids: nothing is foreign to it.
        #expect(Self.flag(Self.facts(Self.call("gpt-4o", url: "https://openrouter.ai/api/v1/chat/completions")), .modelForeignToProvider) == false)
    }

    @Test func aRoutingLabelBeforeTheVendorsOwnIdIsNotForeign() {
        let anthropic = Self.call("anthropic:claude-3-5-haiku-latest", message: "model: anthropic:claude-3-5-haiku-latest not_found_error")
        let f = Self.facts(anthropic)
        #expect(Self.provider(f) == "anthropic")
        #expect(Self.flag(f, .modelForeignToProvider) == false)
        #expect(f[.modelVendorPrefixed] == .string("claude-3-5-haiku-latest"))
        #expect(Facts.routingStripped("deepseek/deepseek-chat") == "deepseek-chat")
        #expect(Facts.routingStripped("qwen2.5:7b") == "qwen2.5:7b", "an Ollama tag is not a routing label")
        #expect(Facts.routingStripped("llama3:latest") == "llama3:latest")
    }

    @Test func idConventionsOfTheService() {
        let dashscope = "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"
        #expect(Self.flag(Self.facts(Self.call("Qwen3-Max", url: dashscope)), .modelOffProviderCase) == true)
        #expect(Self.flag(Self.facts(Self.call("qwen3-max", url: dashscope)), .modelOffProviderCase) == false)
        let ark = "https://ark.cn-beijing.volces.com/api/v3/chat/completions"
        #expect(Self.flag(Self.facts(Self.call("doubao-1.5-pro-32k", url: ark)), .modelOffProviderShape) == true)
        #expect(Self.flag(Self.facts(Self.call("doubao-1-5-pro-32k-250115", url: ark)), .modelOffProviderShape) == false)
        #expect(Self.flag(Self.facts(Self.call("ep-20250101-abcde", url: ark)), .modelOffProviderShape) == false)
        // SiliconFlow's ids are mixed case (`deepseek-ai/DeepSeek-R1`): no case convention.
        #expect(Self.flag(Self.facts(Self.call("deepseek-ai/DeepSeek-R1", url: "https://api.siliconflow.cn/v1/chat/completions")), .modelOffProviderCase) == nil)
    }
}

/// Dated model knowledge: a name refused in a bundle dated before its retirement was current
/// then (`model.retired_after_ticket`).
@Suite struct RetiredModelTests {
    static func facts(_ model: String, at day: String?) -> Facts {
        var e = ProviderTests.call(model, url: "https://gw.example.com/v1/chat/completions")
        if let day { e.time = ISO8601DateFormatter().date(from: day + "T10:00:00Z") }
        let ctx = BundleContext(exchanges: [e], userCatalog: [], aliases: ProviderTests.aliases, signals: [])
        return Facts.derive(e, in: ctx)
    }

    @Test func theBundlesDayAgainstTheRetirementDay() {
        let before = Self.facts("claude-2.1", at: "2024-05-01")
        #expect(before[.ticketDate] == .string("2024-05-01"))
        #expect(before[.aliasRetired] == .string("2025-07-21"))
        #expect(before[.modelRetiredAfterTicket] == .bool(true), "written while the name still worked")
        #expect(Self.facts("claude-2.1", at: "2025-07-21")[.modelRetiredAfterTicket] == .bool(false), "retired that day")
        #expect(Self.facts("claude-2.1", at: nil)[.modelRetiredAfterTicket] == nil, "an undated bundle tells nothing")
        #expect(Self.facts("gpt-4o", at: "2024-05-01")[.aliasRetired] == nil, "a name with no retirement day")
    }
}
