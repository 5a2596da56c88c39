import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct CatalogTests {
    let catalog = Catalog(models: ["gpt-4o", "gpt-4o-mini", "deepseek-reasoner", "llama3.1:8b"])

    @Test func exactMatch() { #expect(catalog.match("gpt-4o").exact) }

    @Test func caseOnlyDifference() {
        let m = catalog.match("GPT-4o")
        #expect(!m.exact)
        #expect(m.caseMatch == "gpt-4o")
    }

    @Test func dateAndTagSuffixesNormalise() {
        #expect(catalog.match("gpt-4o-2024-08-06").normalized == "gpt-4o")
        #expect(catalog.match("openai/gpt-4o-mini").normalized == "gpt-4o-mini")
        #expect(catalog.match("gpt-4o:free").normalized == "gpt-4o")
        #expect(catalog.match("gpt-4o-latest").normalized == "gpt-4o")
    }

    @Test func nearestByEditDistance() {
        let m = catalog.match("gpt-4o-mnii")
        #expect(m.normalized == nil)
        #expect(m.nearest == "gpt-4o-mini")
        #expect(m.distance == 2)
    }

    @Test func readsThreeCatalogShapes() {
        #expect(Catalog.parse(text: "# models\ngpt-4o\n\nqwen-plus\n") == ["gpt-4o", "qwen-plus"])
        #expect(Catalog.parse(text: #"{"object":"list","data":[{"id":"a"},{"id":"b"}]}"#) == ["a", "b"])
        #expect(Catalog.parse(text: "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n  - model_name: \"o3-mini\"\n") == ["gpt-4o", "o3-mini"])
    }

    /// A name cut short: the shortest listed id that is the name plus a dash-separated part.
    @Test func aNameCutShortFindsTheShortestLongerID() {
        let list = ["gemini-1.5-pro-002", "gemini-1.5-pro", "gemini-1.5-flash", "gemini-1.5x"]
        #expect(Catalog.longer("gemini-1.5", in: list) == "gemini-1.5-pro")
        #expect(Catalog.longer("Gemini-1.5", in: list) == "gemini-1.5-pro", "letter case does not matter")
        #expect(Catalog.longer("gemini-1.5-pro", in: list) == "gemini-1.5-pro-002")
        #expect(Catalog.longer("gemini-1", in: list) == nil, "only at a dash: 1.5 does not extend 1")
        #expect(Catalog(models: list).match("gemini-1.5").extended == "gemini-1.5-pro")
    }

    /// A local model server's `x` is its `x:latest`; in a gateway's or an app's list the two are
    /// different names (an app listing `ollama-llama3.1:latest` refuses `ollama-llama3.1`).
    @Test func aBareNameIsItsLatestTagOnlyOnALocalServer() {
        let local = Catalog(models: ["llama2:latest", "gemma3:4b"])
        #expect(local.match("llama2", bareIsLatest: true).exact)
        #expect(local.match("llama2:latest", bareIsLatest: true).exact)
        #expect(!local.match("gemma3", bareIsLatest: true).exact)
        #expect(!local.match("llama2").exact)
        #expect(!Catalog(models: ["llama2"]).match("llama2:7b", bareIsLatest: true).exact)
        #expect(Catalog(models: ["llama2"]).match("llama2:latest", bareIsLatest: true).exact)
    }
}
