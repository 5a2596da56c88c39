import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// The byte reader of JSON lines must answer exactly what `JSONDecoder` answers.
@Suite struct JSONBytesTests {
    static let texts: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"{"error":{"message":"model \"x\" not found","type":"invalid_request_error","code":null}}"#,
        #"{"n":-0,"m":1e5,"k":1.5E-3,"big":12345678901234567890,"neg":-42}"#,
        #"{"u":"\u00e9\u4e2d\ud83d\ude00","esc":"a\/b\\c\n\t\"q\""}"#,
        #"{"nested":[[[{"a":[]}]],{}],"empty":""}"#,
        #"  {"spaced" : [ 1 , 2 ] }  "#,
        #"{"dup":1,"dup":2}"#,                 // a repeated key: left to the decoder
        #"{"trailing":1,}"#,                   // lenient forms go to the decoder too
        #"{"bad":"\x"}"#,
        #"{"cut":"#,
        #"{"lone":"\ud800"}"#,
        "[1,2,3]",
        #""just a string""#,
        "{\"é\":1,\"e\u{301}\":2}",             // canonically equal keys
        "not json",
        "{}",
    ]

    @Test(arguments: texts)
    func sameAsTheDecoder(_ text: String) {
        #expect(JSONBytes.parse(text) == JSONValue.parse(text), "\(text)")
    }

    /// Every JSON line of the gateway fixtures reads the same both ways.
    @Test func gatewayFixtureLinesReadTheSame() throws {
        let dir = Repo.path("Tests/Fixtures/gateway")
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where !name.hasSuffix(".gz") {
            guard let text = try? String(contentsOfFile: dir + "/" + name, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("{") {
                #expect(JSONBytes.parse(String(line)) == JSONValue.parse(String(line)), "\(name): \(line.prefix(80))")
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test func aValidObjectIsReadOnTheFastPath() throws {
        let v = try #require(JSONBytes.parse(#"{"model":"gpt-4o","stream":true,"n":2}"#))
        #expect(v["model"]?.string == "gpt-4o")
        #expect(v["stream"] == .bool(true))
        #expect(v["n"] == .number(2))
    }
}

/// The byte helpers of the per-line paths answer what the Foundation calls they replace answer.
@Suite struct ByteHelperTests {
    static let texts = ["  Internal Server Error \t", "\u{3000}全角空白\u{00A0}", "", "   ", "\tx", "İSTANBUL ERROR: Not Found",
                        "KELVIN \u{212A} Sign", "Mixed CASE ÀÉ 404 Not Found", "a\u{301} ", " \u{2003}em\u{2009}"]

    @Test(arguments: texts)
    func trimmedBlanksIsFoundationsTrim(_ s: String) {
        #expect(ByteSearch.trimmedBlanks(s) == s.trimmingCharacters(in: .whitespaces))
        #expect(ByteSearch.trimmedBlanks(s[...]) == s.trimmingCharacters(in: .whitespaces))
    }

    /// An ASCII needle is found in the byte-lowercased text exactly when it is found in
    /// `lowercased()`.
    @Test(arguments: texts)
    func asciiLowercaseFindsWhatLowercasedFinds(_ s: String) {
        for needle in ["error:", "not found", "i", "k", "sign", "istanbul"] {
            #expect(ByteSearch.contains(ByteSearch.asciiLowercased(s), needle) == ByteSearch.contains(s.lowercased(), needle), "\(s) / \(needle)")
        }
    }
}
