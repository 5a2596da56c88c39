import Foundation
import Testing
import TestSupport

/// `modeldoctor exchanges --format` offers only the formats the listing renders (issue #10:
/// markdown and html used to be accepted and printed as text).
@Suite(.serialized) struct ExchangesCLITests {
    let sample = "samples/tickets/01-base-url-missing-version"

    @Test(arguments: ["markdown", "html", "csv"])
    func refusesAFormatItDoesNotRender(_ format: String) throws {
        let r = try CLI.run(["exchanges", sample, "--format", format])
        #expect(r.code == 64)
        #expect(r.out.isEmpty)
        #expect(r.err.contains("'\(format)' is invalid for '--format"))
        #expect(r.err.contains("'text' and 'json'"))
    }

    @Test func rendersTextAndJSON() throws {
        let text = try CLI.run(["exchanges", sample, "--format", "text"])
        #expect(text.code == 0)
        #expect(text.out.hasPrefix("#"))
        let json = try CLI.run(["exchanges", sample, "--format", "json"])
        #expect(json.code == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["exchanges"] != nil)
    }

    @Test func helpNamesOnlyTheRenderedFormats() throws {
        let r = try CLI.run(["exchanges", "--help"])
        #expect(r.out.contains("text or json"))
        #expect(!r.out.contains("markdown"))
    }
}
