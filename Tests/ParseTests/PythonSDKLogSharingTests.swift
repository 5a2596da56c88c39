import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// A dense log's calls share their evidence text, header lists and parsed reprs; what each call
/// holds must still be exactly what its own lines said.
@Suite struct PythonSDKLogSharingTests {
    private func parse(_ text: String) -> ParseOutput { parseLines(PythonSDKLogParser.self, text, path: "app.log") }

    /// One call at second `s`, its error text in the given Unicode form.
    private func call(_ s: Int, _ word: String) -> String {
        let t = String(format: "2025-03-01 00:00:%02d,000", s)
        return """
        \(t) - openai._base_client - DEBUG - Request options: {'method': 'post', 'url': '/chat/completions', 'json_data': {'messages': [{'role': 'user', 'content': '\(word)'}], 'model': 'gpt-4o'}}
        \(t) - httpx - INFO - HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 404 Not Found"
        \(t) - openai._base_client - DEBUG - HTTP Response: POST https://gw.example.com/v1/chat/completions "404 Not Found" Headers({'content-type': 'application/json', 'x-note': '\(word)'})
        """
    }

    @Test func evidenceTextIsEachLineAsRead() {
        let text = (0..<5).map { call($0, "caf\u{E9}") }.joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let out = parse(text)
        #expect(out.exchanges.count == 5)
        for e in out.exchanges {
            for l in e.lines { #expect(Array(l.text.utf8) == Array(lines[l.ref.line - 1].utf8)) }
        }
    }

    @Test func canonicallyEqualTextsStayTheirOwnBytes() {
        // "café" precomposed and decomposed: equal as Swift strings, different bytes.
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let text = [call(0, composed), call(1, decomposed), call(2, composed), call(3, decomposed)].joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let out = parse(text)
        #expect(out.exchanges.count == 4)
        for (i, e) in out.exchanges.enumerated() {
            #expect(e.lines.count == 3)
            for l in e.lines { #expect(Array(l.text.utf8) == Array(lines[l.ref.line - 1].utf8)) }
            #expect(e.lines.last.map { Array($0.text.utf8).count } == Array(lines[i * 3 + 2].utf8).count)
        }
    }

    @Test func splitLineEqualsWholeLine() {
        let ref = SourceRef(file: "a.log", line: 3)
        let whole = SourceLine(ref: ref, text: "2025-03-01 12:00:00 - x - DEBUG - message text here")
        let split = SourceLine(ref: ref, head: "2025-03-01 12:00:00 - x - DEBUG - ", sharedTail: "message text here")
        #expect(whole == split)
        #expect(whole.hashValue == split.hashValue)
        #expect(split.text == whole.text)
        // Past the cap the whole line is cut as before.
        let long = String(repeating: "x", count: 5000)
        #expect(SourceLine(ref: ref, head: "p: ", sharedTail: long).text == SourceLine(ref: ref, text: "p: " + long).text)
    }
}
