import Testing
@testable import DoctorRules

/// `Facts.startsLikeHTML` reads a body's opening on bytes; it must agree with the trimmed,
/// lowercased reading it replaced.
@Suite("Body shape on bytes")
struct BodyShapeTests {
    static func reference(_ body: String) -> Bool {
        let head = body.prefix(512).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    @Test("HTML openings in any case and after whitespace", arguments: [
        "<!DOCTYPE html><html>", "<!doctype HTML>", "\n\r\t  <html lang=en>", "<HTML>", "\u{0B}\u{0C}<html>",
    ])
    func html(_ body: String) {
        #expect(Facts.startsLikeHTML(body))
        #expect(Facts.startsLikeHTML(body) == Self.reference(body))
    }

    @Test("Not HTML: JSON, text, a cut opening, an empty body", arguments: [
        "{\"error\":{}}", "Not Found", "<!doctype htm", "<htm", "", "   ", "<head><html>", "x<html>",
    ])
    func notHTML(_ body: String) {
        #expect(!Facts.startsLikeHTML(body))
        #expect(Facts.startsLikeHTML(body) == Self.reference(body))
    }

    @Test("A byte-order mark or a Unicode space before the page falls back to the trimmed reading")
    func unicodeLead() {
        for body in ["\u{FEFF}<html>", "\u{00A0}<!doctype html>", "\u{3000}<html>", "é<html>"] {
            #expect(Facts.startsLikeHTML(body) == Self.reference(body), "\(body.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
