import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorRules

/// Placeholders in rule texts, and the `{{` / `}}` escape for literal braces.
@Suite struct TemplateTextTests {
    func facts(_ pairs: [(FactKey, String)]) -> Facts {
        var f = Facts()
        for (k, v) in pairs { f.set(k, v) }
        return f
    }

    @Test func doubledBracesAreLiteralBraces() {
        let f = facts([(.responseListShape, "object-with-models")])
        let text = #"the body is not {{"object":"list","data":[…]}} (it is {response.list_shape})"#
        #expect(Template.fill(text, facts: f, extra: [:]) == #"the body is not {"object":"list","data":[…]} (it is object-with-models)"#)
        #expect(TemplateText.placeholders(text) == ["response.list_shape"])
    }

    @Test func placeholdersFillAndUnknownNamesSaySo() {
        let f = facts([(.host, "gw.example.com")])
        #expect(Template.fill("{host} x{subject} {nope}", facts: f, extra: ["subject": "s"]) == "gw.example.com xs (unknown)")
        #expect(Template.fill("{nope} {subject}", facts: f, extra: ["subject": ""], lang: .zh) == "（未知） （无）")
        #expect(Template.fill("{{host}} {{ and }}", facts: f, extra: [:]) == "{host} { and }")
    }

    /// `{a|b}` names whichever of two facts the bundle gives; lint checks both names.
    @Test func alternativePlaceholdersTakeTheFirstGiven() {
        let f = facts([(.host, "gw.example.com")])
        #expect(Template.fill("{port|host}", facts: f, extra: [:]) == "gw.example.com")
        #expect(Template.fill("{host|port}", facts: facts([(.host, "a"), (.port, "8080")]), extra: [:]) == "a")
        #expect(Template.fill("{port|query}", facts: f, extra: [:]) == "(unknown)")
        #expect(TemplateText.placeholders("see {known.case|model.case_variant_mentioned}") == ["known.case", "model.case_variant_mentioned"])
    }

    @Test func bracesWithASpaceOrNoCloseStayLiteral() {
        // Packs written before the escape: `{"data": [...]}` and a stray `{` are left as they are.
        #expect(Template.fill(#"a {"data": [...]} b {c"#, facts: Facts(), extra: [:]) == #"a {"data": [...]} b {c"#)
        #expect(TemplateText.placeholders(#"{"data": [...]} {}"#).isEmpty)
    }
}
