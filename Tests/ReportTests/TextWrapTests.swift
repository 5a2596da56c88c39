import Testing
@testable import DoctorReport

@Suite struct TextWrapTests {
    @Test func countsWideCharactersAsTwoColumnsAndEscapesAsNone() {
        #expect(TextWrap.displayWidth("abc") == 3)
        #expect(TextWrap.displayWidth("模型列表") == 8)
        #expect(TextWrap.displayWidth("ＡＢ") == 4)
        #expect(TextWrap.displayWidth("\u{1B}[1;31mHIGH\u{1B}[0m") == 4)
    }

    @Test func wrapsAtSpacesWithAHangingIndent() {
        let lines = TextWrap.lines("one two three four five six", prefix: "  - ", hang: 4, width: 14)
        #expect(lines == ["  - one two", "    three four", "    five six"])
    }

    @Test func breaksChineseBetweenCharactersButNotBeforeClosingPunctuation() {
        let lines = TextWrap.lines("模型列表为空。请检查地址", hang: 0, width: 12)
        #expect(lines.allSatisfy { TextWrap.displayWidth($0) <= 12 })
        #expect(lines.joined() == "模型列表为空。请检查地址")
        #expect(!lines.contains { $0.hasPrefix("。") })
    }

    @Test func keepsRedactionMarksWhole() {
        let text = "prompt [1234 chars] and key sk-…AbCd#1a2b3c and [REDACTED:cookie] end"
        // From 18 columns on, every mark fits a line of its own, so none may be cut.
        for width in 18...30 {
            let joined = TextWrap.lines(text, hang: 0, width: width).joined(separator: "\n")
            #expect(joined.contains("[1234 chars]"), "width \(width)")
            #expect(joined.contains("sk-…AbCd#1a2b3c"), "width \(width)")
            #expect(joined.contains("[REDACTED:cookie]"), "width \(width)")
        }
    }

    @Test func cutsAnOverlongURLAfterASeparatorAndAroundAMark() {
        let url = "https://gateway.example.com/v1/models?api_key=[REDACTED:api-key]&team=research-and-development"
        let lines = TextWrap.lines(url, prefix: "    ", hang: 4, width: 40)
        #expect(lines.allSatisfy { TextWrap.displayWidth($0) <= 40 })
        #expect(lines.map { $0.dropFirst(4) }.joined() == url[...])
        #expect(lines.contains { $0.contains("[REDACTED:api-key]") })
        #expect(lines[0].hasSuffix("/"))
    }

    @Test func keepsRunsOfSpacesWithinALine() {
        #expect(TextWrap.lines("pack (3 rules)  rules/x.yaml", hang: 0, width: 80) == ["pack (3 rules)  rules/x.yaml"])
    }

    @Test func keepsParagraphBreaksAndDropsTrailingSpaces() {
        #expect(TextWrap.lines("a\n\nb", prefix: "   ", hang: 3, width: 20) == ["   a", "", "   b"])
    }
}
