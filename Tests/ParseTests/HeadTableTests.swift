import Foundation
import Testing
@testable import DoctorModel

/// A block's logging heads are held as templates and digits (`HeadTable`); every pair must read
/// back byte for byte as appended, whatever its digits and other bytes.
@Suite struct HeadTableTests {
    @Test func pairsReadBackExactlyAndShareTheirTemplates() {
        var t = HeadTable()
        var kept: [(Int32, String, String)] = []
        for s in 0..<200 {
            let ts = String(format: "2025-03-01 00:%02d:%02d", s / 60, s % 60)
            let h0 = "[\(ts) - openai._base_client:453 - DEBUG] ", h1 = "[\(ts) - httpx:1038 - INFO] "
            let at = t.append(h0, h1)!
            kept.append((at, h0, h1))
        }
        for (at, h0, h1) in kept {
            let (a, b) = t.heads(at: Int(at))
            #expect(a == h0 && b == h1)
            #expect(Array(a.utf8) == Array(h0.utf8) && Array(b.utf8) == Array(h1.utf8))
        }
        // Two templates for all 200 pairs, and about a fifth of the bytes the heads had whole.
        #expect(t.templates.count == 2)
        let whole = kept.reduce(0) { $0 + $1.1.utf8.count + $1.2.utf8.count }
        #expect(t.byteCount * 4 < whole)
    }

    @Test func oddHeadsReadBackExactly() {
        var t = HeadTable()
        let pairs: [(String, String)] = [
            ("", ""), ("0", ""), ("", "9"), ("abc", "abc"), ("12345", "6789"), ("x1y22z333", "0"),
            ("2025-03-01 00:00:00,123 - café ü - 7 ", "日本 42 ｜ ٣ "), ("\u{0}1\u{7F}", "１２"),
        ]
        let ats = pairs.map { t.append($0.0, $0.1)! }
        for (i, at) in ats.enumerated() {
            let (a, b) = t.heads(at: Int(at))
            #expect(Array(a.utf8) == Array(pairs[i].0.utf8) && Array(b.utf8) == Array(pairs[i].1.utf8))
        }
        // An exact copy reads the same.
        let e = t.exact()
        for (i, at) in ats.enumerated() {
            let (a, b) = e.heads(at: Int(at))
            #expect(a == pairs[i].0 && b == pairs[i].1)
        }
    }

    /// At most 255 templates a block: a pair that needs more is refused (its call keeps its box)
    /// and the pairs before it still read back.
    @Test func refusesAPairPastTheTemplatesAByteCanName() {
        var t = HeadTable()
        for k in 0..<127 {
            #expect(t.append("a\(String(repeating: "x", count: k))", "b\(String(repeating: "x", count: k))") != nil)
        }
        #expect(t.templates.count == 254)
        #expect(t.append("new", "other") == nil)
        #expect(t.templates.count == 254)
        #expect(t.append("new 1", "a") != nil)  // one new template: 255
        #expect(t.append("a", "brand new") == nil)
        let at = t.append("new 7", "a")!
        #expect(t.heads(at: Int(at)) == ("new 7", "a"))
        #expect(t.heads(at: 0) == ("a", "b"))
    }
}
