import Foundation
import Testing
@testable import DoctorRules
import TestSupport

/// The wording prior as data (`rules/wording-model.tsv`, written by
/// `scripts/train-wording-model.py`): its tokenizer and its posteriors are the script's.
@Suite struct WordingModelTests {
    static func shipped() throws -> WordingModel {
        try WordingModel(data: try Data(contentsOf: URL(fileURLWithPath: Repo.path("rules/wording-model.tsv"))))
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

    /// A malformed file is refused with the line and the reason (the loader reports it with
    /// the file's path, like a rule pack's YAML error).
    @Test func aMalformedModelIsRefusedWithItsLineAndReason() {
        func refusal(_ text: String) -> WordingModel.LoadError? {
            do { _ = try WordingModel(data: Data(text.utf8)); return nil } catch { return error as? WordingModel.LoadError }
        }
        let header = "format\t2\nversion\tx\nclasses\ta\tb\nintercepts\t0.5\t-0.5\n"
        #expect(refusal("format\t1\n")?.reason.contains("reads 2") == true)
        #expect(refusal(#"{"format": 1}"#)?.line == 1)
        #expect(refusal("# c\n\nformat\t2\nclasses\ta\nintercepts\t0\t1\n")?.line == 5)
        let unknownClass = refusal(header + "w\t1.0\t0:0.5\nv\t1.0\t2:0.5\n")
        #expect(unknownClass?.line == 6)
        #expect(unknownClass?.reason.contains("known class") == true)
        let notANumber = refusal(header + "w\tx1\t0:0.5\n")
        #expect(notANumber?.line == 5)
        #expect(notANumber?.reason.contains("`x1` is not a number") == true)
        #expect(refusal(header + "w\t1.0\t0:0.5\nw\t2.0\n")?.reason.contains("twice") == true)
        #expect(refusal("") != nil)
        // The smallest well-formed model: one word towards `a`, CRLF line ends tolerated.
        let m = try? WordingModel(data: Data((header + "word\t2.0\t0:1.5\t1:-1.5\n").replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(m?.classes == ["a", "b"])
        #expect(m?.version == "x")
        let p = m?.posteriors("a word")
        #expect(p?.first?.cause == "a")
        #expect(p?.first?.words == ["word"])
        // 0.5 + 1.5 against -0.5 - 1.5 (one word: its tf-idf is 1).
        #expect(abs((p?.first?.probability ?? 0) - 1 / (1 + exp(-4.0))) < 1e-12)
        // `blend` is optional (0 when absent), one number from 0 to 100.
        #expect(m?.blend == 0)
        let blended = try? WordingModel(data: Data("format\t2\nblend\t6\nclasses\ta\tb\nintercepts\t0\t0\n".utf8))
        #expect(blended?.blend == 6)
        #expect(refusal("format\t2\nblend\t-1\nclasses\ta\nintercepts\t0\n")?.reason.contains("between 0 and 100") == true)
        #expect(refusal("format\t2\nblend\tx\nclasses\ta\nintercepts\t0\n")?.line == 2)
    }

    @Test func theLoaderNamesTheFileAndLineOfAMalformedModel() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("md-wm-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try Data("format\t2\nclasses\ta\nintercepts\t0\nw\t1\t7:1\n".utf8).write(to: dir.appendingPathComponent(RuleLoader.wordingFile))
        let r = RuleLoader().load(folders: [dir.path])
        #expect(r.families.wording == nil)
        let e = try #require(r.errors.first)
        #expect(e.position.file.hasSuffix("wording-model.tsv"))
        #expect(e.position.line == 4)
        #expect(e.message.contains("not a wording model"))
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
