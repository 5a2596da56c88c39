import Testing
@testable import DoctorParse
import DoctorModel

/// The byte-level readers of the hot path agree with the Character-level code they replace,
/// at buffer ends, on non-ASCII text and with a stray CR.
@Suite struct ByteScanTests {
    @Test func isASCIIChecksEveryByteIncludingTheTail() {
        func ascii(_ s: String) -> Bool { var s = s; return s.withUTF8 { ByteSearch.isASCII($0) } }
        #expect(ascii(""))
        #expect(ascii("GET /v1/models\r"))
        #expect(ascii(String(repeating: "a", count: 64)))
        // A non-ASCII byte in the 8-byte body, in the tail, and as the very last byte.
        #expect(!ascii("é" + String(repeating: "a", count: 20)))
        #expect(!ascii(String(repeating: "a", count: 17) + "é"))
        #expect(!ascii(String(repeating: "a", count: 7) + "\u{7F}\u{80}"))
        #expect(!ascii("请"))
    }

    /// `ByteSearch.find` waits on the needle's rarest byte and hands over to `memmem` where
    /// that byte is common: either way it finds the first occurrence, as a naive search does.
    @Test func findGivesTheFirstOccurrenceOnShortAndLongHaystacks() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab /_\"Ee".utf8) + [0xC3, 0xA9]
        func naive(_ h: [UInt8], _ n: [UInt8]) -> Int? {
            guard !n.isEmpty else { return 0 }
            guard h.count >= n.count else { return nil }
            return (0...(h.count - n.count)).first { i in h[i..<(i + n.count)].elementsEqual(n) }
        }
        for _ in 0..<4000 {
            let h = (0..<Int.random(in: 0...2000, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            var n = (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            if Bool.random(using: &rng), h.count > 8 {
                // A needle taken from the haystack, so it occurs at least once.
                let at = Int.random(in: 0..<(h.count - 8), using: &rng)
                n = Array(h[at..<(at + Int.random(in: 1...8, using: &rng))])
            }
            let found = h.withUnsafeBytes { hb in n.withUnsafeBytes { nb in ByteSearch.find(hb, nb) } }
            #expect(found == naive(h, n), "haystack \(h.count) bytes, needle \(n)")
        }
        // The needle at the very end; a pivot byte on every place (the hand-over to memmem).
        for size in [3, 4, 100, 4096] {
            let h = [UInt8](repeating: 0x20, count: size - 3) + Array("end".utf8)
            #expect(h.withUnsafeBytes { ByteSearch.find($0, ByteSearch.bytes("end")) } == size - 3)
            let q = [UInt8](repeating: 0x71, count: size) + Array("qqz".utf8)
            #expect(q.withUnsafeBytes { ByteSearch.find($0, ByteSearch.bytes("qqz")) } == size)
            #expect(q.withUnsafeBytes { ByteSearch.find($0, ByteSearch.bytes("qzq")) } == nil)
        }
    }

    @Test func isBlankMatchesTheCharacterTest() {
        for s in ["", " ", "\t \t", " x", "  \r", " \u{301}", "\u{3000}"] {
            #expect(ByteSearch.isBlank(s) == s.allSatisfy { $0 == " " || $0 == "\t" }, "\(s.debugDescription)")
        }
    }

    @Test func statusLineBytesAgreeWithCharacters() {
        let lines = [
            #"GET http://h/v1/models "404 Not Found" Headers({'a': 'b'})"#,
            #"POST http://127.0.0.1:3000/chat/completions "HTTP/1.1 404 Not Found""#,
            #"get http://h/x "200 OK" Headers([('a', 'b'), ('a', 'c')])  "#,
            "GET 200", "GET 99999999999999999999999", "GET", "GET ", "GET    http://h/x", "GET http://h/x tail",
            #"GET http://h/x ""#, #"GET http://h/x "  OK  ""#, #"GET http://h/x "HTTP/1.1""#, #"GET http://h/x "HTTP/1.1 ""#,
            #"GET http://h/x "502 Bad Gateway" Headers("#, #"GET http://h/x "502" Headers(a) b)"#,
            "G3T http://h", "", " GET", "GET\thttp://h", "GET http://h/x \"200 OK\"\r",
            // Non-ASCII text takes the Character path; the result is the same reader's.
            #"GET http://h/模型 "404 Not Found""#, "GET \u{301}http://h", #"GET http://h/x "200 ÖK" Headers({'x': 'é'})"#,
        ]
        for l in lines {
            let s = Substring(l)
            #expect(PyMessage.statusLine(s) == PyMessage.characterStatusLine(s), "\(l.debugDescription)")
        }
        // A message that is a slice in the middle of its line (the usual case).
        let full = #"[t] HTTP Response: GET http://h/v1 "200 OK" Headers({'server': 'x'})"#
        let msg = full[full.index(full.startIndex, offsetBy: 19)...]
        #expect(PyMessage.statusLine(msg)?.headersText == "{'server': 'x'}")
        #expect(PyMessage.statusLine(msg) == PyMessage.characterStatusLine(msg))
    }

    @Test func plainStringsAndTheGeneralReaderAgree() {
        func json(_ s: String) -> String? { PythonLiteral.parse(s, allowTruncated: true)?.jsonText }
        #expect(json("'abc'") == #""abc""#)
        #expect(json("''") == #""""#)
        #expect(json("'a' 'b'") == #""ab""#)
        #expect(json("'a'\n\"b\"") == #""ab""#)
        #expect(json("'''x'''") == #""x""#)
        #expect(json("'请写'") == #""请写""#)
        #expect(json(#"'a\'b'"#) == #""a'b""#)
        #expect(json("{'k': 'v', 'n': b'x'}") == #"{"k":"v","n":"x"}"#)
        // Cut at the buffer's end: the truncated reader keeps what it read.
        #expect(json("{'k': 'v") == #"{"k":"v"}"#)
        #expect(json("'") == nil || json("'") == #""""#)
        #expect(json("[1_000, 2]") == "[1000,2]")
    }

    @Test func listedModelsReadsASCIIAndOtherLinesAlike() {
        #expect(PyAppFacts.listedModels(in: "model list refreshed: 2 models ['a', 'b']") == ["a", "b"])
        #expect(PyAppFacts.listedModels(in: "models, MODELS: ['a']") == ["a"])
        #expect(PyAppFacts.listedModels(in: "models: ['a', 'models']") == nil)
        #expect(PyAppFacts.listedModels(in: "list ['a'] models") == nil)
        #expect(PyAppFacts.listedModels(in: "模型 models ['a']") == ["a"])
        #expect(PyAppFacts.listedModels(in: "models ['a']\r") == nil)
        #expect(PyAppFacts.listedModels(in: "models ['a b']") == nil)
        #expect(PyAppFacts.listedModels(in: "模型 models ['a b']") == nil)
    }

    @Test func prefixAndSuffixTestsOnBytesAgreeWithTheCharacterTests() {
        let texts = ["openai._base_client", "openai", "openaï", "openai\u{301}x", "httpx2", "httpx", "", "open", "\r\nx", "\r",
                     "a\r\n", "x, in _request", ", in _request\u{301}", "é, in _request", "httpcore2.connection", "openai\r\n"]
        let words = ["openai", "httpx2", "httpx", "", "\r", "open", ", in _request", "a\r", "é", "openai\r"]
        for t in texts {
            for w in words {
                #expect(PythonSDKLogParser.startsWith(t, w) == (t.utf8.starts(with: w.utf8) && t.hasPrefix(w)), "\(t) \(w)")
                let sub = t[...]
                #expect(PythonSDKLogParser.endsWith(sub, w) == (sub.utf8.count >= w.utf8.count && sub.utf8.suffix(w.utf8.count).elementsEqual(w.utf8) && sub.hasSuffix(w)), "\(t) \(w)")
                let inner = ("<" + t + ">").dropFirst().dropLast()
                let old = inner.utf8.count >= w.utf8.count && inner.utf8.suffix(w.utf8.count).elementsEqual(w.utf8) && inner.hasSuffix(w)
                #expect(PythonSDKLogParser.endsWith(inner, w) == old, "\(t) \(w)")
            }
        }
    }

    @Test func headerLookupOnBytesAgreesWithTheViewComparison() {
        let names = ["Content-Type", "content-type", "CONTENT-TYPE", "content-typ", "content-types", "", "X-Request-Id",
                     "x-request-id\r", "Cönt", "cönt", "\u{C4}", "x-oneapi-request-id", "content\u{0D}type"]
        let headers = names.enumerated().map { Header($1, "v\($0)") }
        for want in ["content-type", "x-request-id", "x-oneapi-request-id", "", "cönt", "\u{E4}", "content-typ"] {
            for k in headers.indices {
                let some = Array(headers[k...])
                let old = some.first { $0.name.utf8.elementsEqual(want.utf8) { ($0 | 0x20) == $1 } }?.value
                #expect(PyMessage.header(some, want) == old, "\(want)")
            }
        }
    }

    @Test func sdkVersionOnBytesAgreesWithTheCharacterPath() {
        let lines = ["openai 1.54.4", "sdk=openai-python 1.54.4", "openai==2.8.1", "OpenAI/Python 1.109.1", "openai version 3.57.0",
                     "OPENAI-PYTHON_PYTHON v1.2", "openai 1.", "openai 1..2", "openai .1.2", "openai ==== 1.2", "openai@1.2.3 openai 4.5",
                     "openai", "xopenaix 1.2", "openai 12", "openai-python/python 1.2", "openai  version  1.2", "openai=1.2\r",
                     "openai 1.2.", "OpenAI: v2.0.0-beta", "openaiopenai 7.8", "the openai sdk, openai 1.3.0", "openai 1.2 end",
                     "openai 1.2\r\nopenai 3.4", "openai 模型 1.2", "Openai 1.2 é", "openai 1\u{301}.2", "oPeNaI V 9.9.9"]
        for l in lines {
            var c = l
            let fast = c.withUTF8 { PyAppFacts.asciiSDKVersion($0) }
            if let fast { #expect(fast == PyAppFacts.characterSDKVersion(in: l), "\(l)") }
            #expect(PyAppFacts.sdkVersion(in: l) == PyAppFacts.characterSDKVersion(in: l) || !(ByteSearch.contains(l, "openai") || ByteSearch.contains(l, "OpenAI")), "\(l)")
        }
        // Non-ASCII and multi-line text take the Character path.
        var u = "openai 模型 1.2"
        #expect(u.withUTF8 { PyAppFacts.asciiSDKVersion($0) } == nil)
        var crlf = "openai 1.2\r\n"
        #expect(crlf.withUTF8 { PyAppFacts.asciiSDKVersion($0) } == nil)
    }
}

@Suite struct ByteKeyTests {
    @Test func keysCompareBytesNotCanonicalEquivalence() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        #expect(nfc == nfd)
        #expect(ByteKey(nfc) != ByteKey(nfd))
        #expect(ByteKey(nfc) == ByteKey("caf" + "\u{E9}"))
        var d: [ByteKey: Int] = [:]
        d[ByteKey(nfc)] = 1
        d[ByteKey(nfd)] = 2
        #expect(d.count == 2)
    }
}
