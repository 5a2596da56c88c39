import Foundation
import Testing
@testable import DoctorRules
import TestSupport

/// The wording prior as data (`rules/wording-model.json`, written by
/// `scripts/train-wording-model.py`): its tokenizer and its posteriors are the script's.
@Suite struct WordingModelTests {
    static func shipped() throws -> WordingModel {
        try WordingModel(json: try Data(contentsOf: URL(fileURLWithPath: Repo.path("rules/wording-model.json"))))
    }

    @Test func wordsPathsStatusesAndIdeographPairsAreTheTokens() {
        let t = WordingModel.tokens(of: "GET /v1/models -> HTTP/1.1 404 Not Found; x4040 is no status, 500.")
        #expect(t.isSuperset(of: ["get", "models", "http", "not", "found", "path:/v1/models", "status:404", "status:500"]))
        #expect(!t.contains { $0.hasPrefix("status:") && $0 != "status:404" && $0 != "status:500" })
        // Two-letter words and words starting with a digit are not tokens; capitals are folded.
        #expect(WordingModel.tokens(of: "OK 2fa Base_URL") == ["base_url"])
        #expect(WordingModel.tokens(of: "模型不存在 ok") == ["模型", "型不", "不存", "存在"])
        #expect(WordingModel.tokens(of: "/api/v1/models") == ["path:/api/v1/models", "api", "models"])
        // A status glued to a letter or an underscore is part of a word, not a status.
        #expect(WordingModel.tokens(of: "e404 404_x") == ["e404"])
    }

    /// The training script wrote its own predictions for every 25th ticket from the exported
    /// weights; the Swift side must give the same three causes in the same order, with the
    /// same probabilities.
    @Test func theShippedModelRanksTheScriptsCheckTicketsAsTheScriptDid() throws {
        let model = try Self.shipped()
        let data = try Data(contentsOf: Repo.fixture("wording/check.json"))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count >= 50)
        for c in cases {
            let name = try #require(c["ticket"] as? String)
            let want = try #require(c["top"] as? [[Any]])
            let text = try String(contentsOf: Repo.fixture("real-tickets/\(name)/ticket.txt"), encoding: .utf8)
            let got = model.posteriors(text).prefix(3)
            #expect(got.map(\.cause) == want.map { $0[0] as? String ?? "" }, "\(name)")
            for (g, w) in zip(got, want) {
                let p = (w[1] as? NSNumber)?.doubleValue ?? -1
                #expect(abs(g.probability - p) < 1e-5, "\(name): \(g.cause) \(g.probability) vs \(p)")
            }
        }
    }

    @Test func posteriorsSumToOneAndNameTheWordsThatWeighed() throws {
        let model = try Self.shipped()
        let ps = model.posteriors("获取模型列表失败 404 page not found /models")
        #expect(abs(ps.map(\.probability).reduce(0, +) - 1) < 1e-9)
        #expect(ps.count == model.classes.count)
        #expect(ps.first?.cause != "none")
        #expect(ps.first.map { !$0.words.isEmpty } == true)
    }

    @Test func aMalformedModelIsRefusedWithTheReason() {
        #expect(throws: WordingModel.LoadError.self) { try WordingModel(json: Data(#"{"format": 2}"#.utf8)) }
        #expect(throws: WordingModel.LoadError.self) {
            try WordingModel(json: Data(#"{"format": 1, "classes": ["a"], "intercepts": [0], "tokens": {"w": [1.0, [[3, 0.5]]]}}"#.utf8))
        }
    }

    /// A rule folder's model is loaded with the packs and listed among them (version and digest).
    @Test func theLoaderListsTheModelWithThePacks() {
        let r = RuleLoader().load(folders: [Repo.path("rules")])
        #expect(r.families.wording != nil)
        let pack = r.packs.first { $0.name == "wording-model" }
        #expect(pack?.rules.isEmpty == true)
        #expect(pack?.sha256.count == 64)
        #expect(r.families.taxonomy["base-url-missing-version"]?.symptom == "model-list-empty")
    }
}
