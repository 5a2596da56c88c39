import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// A `--catalog` file must be one of the three shapes; anything else is refused with its
/// file and line (or byte offset), never read as a one-model catalog.
@Suite struct CatalogValidationTests {
    private func error(_ text: String) -> CatalogError? {
        do { _ = try Catalog.parse(text: text, file: "models.txt"); return nil } catch { return error as? CatalogError }
    }

    @Test func garbageIsRefusedWithItsLine() {
        let e = error("not json {\n")
        #expect(e?.location == "models.txt:1")
        #expect(e?.message.contains("`not json {` is not a model id") == true)
        #expect(error("gpt-4o\nqwen-plus\nplease add claude too\n")?.location == "models.txt:3")
    }

    @Test func brokenJSONIsRefusedWithItsByteOffset() {
        let e = error("{\"data\": [\n")
        #expect(e?.offset != nil)
        #expect(e?.description.hasPrefix("models.txt@") == true)
        #expect(error(#"{"object":"list","data":[]}"#)?.message.contains("without any model id") == true)
    }

    @Test func emptyFilesAndEmptyLiteLLMConfigsAreRefused() {
        #expect(error("# only a comment\n\n")?.message.contains("no model id found") == true)
        #expect(error("model_list:\n")?.message.contains("model_name") == true)
    }

    @Test func theThreeShapesStillRead() throws {
        #expect(try Catalog.parse(text: "# models\ngpt-4o   # main\n- qwen-plus\nllama3.1:8b\nopenai/gpt-4o-mini\n", file: "m") ==
                ["gpt-4o", "qwen-plus", "llama3.1:8b", "openai/gpt-4o-mini"])
        #expect(try Catalog.parse(text: #"{"object":"list","data":[{"id":"a"},{"id":"b"}]}"#, file: "m") == ["a", "b"])
        #expect(try Catalog.parse(text: "model_list:\n  - model_name: gpt-4o\n", file: "m") == ["gpt-4o"])
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect(throws: CatalogError.self) { try Catalog.read(file: "/no/such/catalog.txt") }
        do { _ = try Catalog.read(file: "/no/such/catalog.txt") } catch {
            #expect("\(error)" == "/no/such/catalog.txt: cannot read catalog: no such file")
        }
    }
}
