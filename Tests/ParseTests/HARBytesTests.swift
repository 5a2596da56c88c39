import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// The byte-level HAR reader (HAR+Bytes, HAR+Reader, HAR+Bodies) against the decoder path it
/// stands in for: same exchanges, same notes, same skip decisions.
@Suite struct HARBytesTests {
    static func plain(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { HAR.isPlainJSON($0) }
    }

    /// A browser capture mixing API calls, page assets, preflights, a failed request and odd
    /// field types; every entry exercises one branch of the skip rule or of the field decoding.
    static let mixed = """
    {"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
    {"_resourceType":"script","request":{"method":"GET","url":"https://app.example.com/static/app.js","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"application/javascript","text":"var a = \\"x\\";"}}},
    {"_resourceType":"image","request":{"method":"GET","url":"https://app.example.com/logo.png","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"image/png","text":"iVBORw0KGgo=","encoding":"base64"}}},
    {"request":{"method":"GET","url":"https://app.example.com/fonts/x.woff2","headers":[]},"response":{"status":200,"headers":[{"name":"Content-Type","value":"font/woff2"}],"content":{"mimeType":""}}},
    {"_resourceType":"fetch","request":{"method":"GET","url":"https://app.example.com/data.json","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","text":"{}"}}},
    {"_resourceType":"xhr","request":{"method":"GET","url":"https://app.example.com/config.txt","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/plain","text":"a=1"}}},
    {"_resourceType":"fetch","request":{"method":"GET","url":"https://app.example.com/status","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/plain","text":"up"}}},
    {"request":{"method":"GET","url":"https://app.example.com/page","headers":[{"name":"content-type","value":"application/json"}],"postData":{"text":"{}"}},"response":{"status":200,"headers":[],"content":{"mimeType":"text/html","text":"<p>"}}},
    {"request":{"method":"GET","url":"https://app.example.com/page2","headers":[],"postData":{"mimeType":"application/json"}},"response":{"status":200,"headers":[],"content":{"mimeType":"text/html"}}},
    {"request":{"method":"options","url":"https://gw.example.com/v1/chat/completions"},"response":{"status":204}},
    {"request":{"method":"OPTIONS","url":"https://gw.example.com/v1/chat/completions"},"response":{"status":"502"}},
    {"request":{"method":"POST","url":"https://app.example.com/track","headers":[]},"response":{"status":204,"headers":[]}},
    {"_resourceType":"fetch","startedDateTime":"2025-05-02T08:15:30.5Z","time":" 12.5 ","request":{"method":"GET","url":"https://gw.example.com/v1/models","headers":[{"name":"Authorization","value":" Bearer sk-1"},{"name":"x","value":5}]},"response":{"status":200,"statusText":"OK","headers":[{"name":"content-type","value":"application/json"}],"content":{"mimeType":"application/json","text":"{\\"object\\":\\"list\\",\\"data\\":[{\\"id\\":\\"gpt-4o\\"}]}"}}},
    {"request":{"method":"POST","url":"https://gw.example.com/v1/chat/completions","headers":null,"postData":{"mimeType":"application/json","text":"{\\"model\\":\\"gpt-4o\\",\\"stream\\":false}"}},"response":{"status":400,"headers":[null],"content":{"mimeType":"application/json","text":"{\\"error\\":{\\"message\\":\\"bad \\\\u00e9\\",\\"code\\":\\"x\\"}}"}}},
    {"request":{"m\\u0065thod":"GET","url":"https://gw.example.com/api/user","url":"https://ignored.example.com/"},"response":{"status":401,"status":500,"content":{"text":"{\\"detail\\":\\"Not authenticated\\"}"}}},
    {"request":{"method":"GET","url":5},"response":{"status":200}},
    "not an entry", null, 7,
    {"request":{"method":"GET","url":"https://gw.example.com/v1/models/x"},"response":{"status":200,"content":"oops"},"_error":"\\ud83d\\ude00 net::ERR"}
    ]}}
    """

    @Test func strictCheckRejectsWhatTheDecoderTreatsLeniently() {
        #expect(Self.plain(#" {"a": [1, -0.5e3, true, false, null, "\u00e9\ud83d\ude00\n", {}], "b": {}} "#))
        #expect(Self.plain("{\"é\": \"ü\"}"))
        #expect(!Self.plain(#"{"a": [1,]}"#))  // trailing comma: the decoder takes it
        #expect(!Self.plain(#"{"a": 1,}"#))
        #expect(!Self.plain(#"{"a": "\ud83d"}"#))  // lone surrogate
        #expect(!Self.plain(#"{"a": "\x"}"#))
        #expect(!Self.plain(#"{"a": 01}"#))
        #expect(!Self.plain(#"{"a": 1e400}"#))
        #expect(!Self.plain(#"{"a": 1.}"#))
        #expect(!Self.plain("{\"a\": \"\t\"}"))  // raw control character
        #expect(!Self.plain("\u{FEFF}{}"))
        #expect(!Self.plain(#"{"a": 1} x"#))
        #expect(!Self.plain(#"{"a": tru}"#))
        #expect(!Self.plain(String(repeating: "[", count: 450) + String(repeating: "]", count: 450)))
        let badUTF8: [UInt8] = Array(#"{"a": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(!badUTF8.withUnsafeBytes { HAR.isPlainJSON($0) })
        let surrogateUTF8: [UInt8] = Array(#"{"a": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        #expect(!surrogateUTF8.withUnsafeBytes { HAR.isPlainJSON($0) })
    }

    @Test func skipDecidedFromBytesAgreesWithDecodedEntries() throws {
        let doc = Array(Self.mixed.utf8)
        #expect(doc.withUnsafeBytes { HAR.isPlainJSON($0) })
        let decoded = try JSONDecoder().decode(HAR.Document.self, from: Data(doc)).log!.entries!
        try doc.withUnsafeBytes { raw in
            let b = try #require(HAR.Bytes(raw))
            let layout = try #require(HAR.layout(b))
            #expect(layout.creatorName == "WebInspector")
            #expect(layout.entries.count == decoded.count)
            var reasons: [String?] = []
            for (k, at) in layout.entries.enumerated() {
                var r = HAR.readEntry(b, at)
                let (head, early) = r.entry.head(postHasText: r.postText != nil)
                let (x, reason) = decoded[k].exchange(file: "m.har", line: 1, browser: true)
                #expect(early == reason, "entry \(k)")
                reasons.append(early)
                if let head {
                    r.loadTexts(b)
                    #expect(r.entry.exchange(head, file: "m.har", line: 1, browser: true) == x, "entry \(k)")
                } else {
                    #expect(r.entry.assetKind == decoded[k].assetKind, "entry \(k)")
                }
            }
            // Five assets, two preflights of which one failed (kept), three non-entries and a URL
            // of the wrong type: the rule's every branch is in the sample.
            #expect(reasons.filter { $0 == "page-asset" }.count == 5)
            #expect(reasons.filter { $0 == "CORS preflight" }.count == 1)
            #expect(reasons.filter { $0 == "entries without a request method or URL" }.count == 4)
            #expect(reasons.filter { $0 == nil }.count == 9)
        }
    }

    /// The same document through the byte reader and (made lenient-only by a trailing comma)
    /// through the decoder: identical output.
    @Test func bytePathAndDecoderPathGiveTheSameOutput() {
        let fast = parseLines(HARParser.self, Self.mixed, path: "m.har")
        let lenient = Self.mixed.replacingOccurrences(of: "\"version\":\"537.36\"}", with: "\"version\":\"537.36\",}")
        #expect(!Self.plain(lenient))
        let slow = parseLines(HARParser.self, lenient, path: "m.har")
        #expect(slow.problems.isEmpty)
        #expect(fast.exchanges == slow.exchanges)
        #expect(fast.notes == slow.notes)
        #expect(fast.lines == slow.lines && fast.format == slow.format)
        #expect(fast.notes == ["5 page-asset entries not treated as API calls (document 1, image 1, script 1, woff2 1, xhr 1)",
                               "1 successful CORS preflight (OPTIONS) entry not treated as API calls",
                               "4 entries without a request method or URL skipped"])
        #expect(fast.exchanges.count == 9 && fast.lines == 19)
        let detail = fast.exchanges.first { $0.url == "https://gw.example.com/api/user" }
        #expect(detail?.status == 401 && detail?.error?.message == "Not authenticated")
        #expect(fast.exchanges.first { $0.url == "https://gw.example.com/v1/models" }?.credential == "sk-1")
    }

    /// A document large enough to be read on several threads: the exchanges come out in file
    /// order with their own lines, and the skip counts are those of the one-thread decoder path.
    @Test func entriesReadInParallelKeepFileOrder() {
        let body = Self.mixed.components(separatedBy: "\"entries\":[\n")[1].components(separatedBy: "\n]}}")[0]
        let copies = (0..<40).map { body.replacingOccurrences(of: "gw.example.com", with: "gw\($0).example.com") }
        let doc = "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\"},\"entries\":[\n"
            + copies.joined(separator: ",\n") + "\n]}}"
        #expect(Self.plain(doc))
        let fast = parseLines(HARParser.self, doc, path: "big.har")
        let slow = parseLines(HARParser.self, doc.replacingOccurrences(of: "\"WebInspector\"}", with: "\"WebInspector\",}"), path: "big.har")
        #expect(fast.lines == 40 * 19 && fast.lines >= 256)  // past `ParallelMap`'s inline bound
        #expect(fast.exchanges.count == 40 * 9)
        #expect(fast.exchanges == slow.exchanges)
        #expect(fast.notes == slow.notes)
        #expect(fast.notes.first == "200 page-asset entries not treated as API calls (document 40, image 40, script 40, woff2 40, xhr 40)")
        // In file order: copy k's calls name host gw<k>, and their source lines only grow.
        let hosts = fast.exchanges.compactMap { $0.url }.compactMap { u in u.split(separator: "/").dropFirst().first.map(String.init) }
            .filter { $0.hasPrefix("gw") }.map { Int($0.dropFirst(2).prefix { $0.isNumber })! }
        #expect(hosts == hosts.sorted() && Set(hosts).count == 40)
        let lines = fast.exchanges.compactMap { $0.sources.first?.line }
        #expect(lines == lines.sorted())
    }

    @Test func damagedFileSalvagesTheSameEntriesWhicheverPathReadsThem() throws {
        let full = try Repo.text("har/mitmproxy-newapi-quota.har")
        let whole = parseLines(HARParser.self, full, path: "q.har")
        #expect(whole.problems.isEmpty && whole.exchanges.count >= 2)
        // Cut inside the last entry: the complete ones are salvaged, with the same content.
        let bytes = Array(full.utf8)
        let spans = bytes.withUnsafeBytes { HAR.scanEntries($0) }
        let cut = spans[spans.count - 1].start + 10
        let damaged = parseLines(HARParser.self, String(decoding: bytes[..<cut], as: UTF8.self), path: "q.har")
        #expect(damaged.problems.count == 1)
        #expect(damaged.exchanges == Array(whole.exchanges.prefix(damaged.exchanges.count)))
        #expect(damaged.exchanges.count == spans.count - 1)
    }

    @Test func responseBodyIsParsedWhenARuleNeedsIt() {
        func matters(_ body: String, errorKnown: Bool = false) -> Bool {
            Array(body.utf8).withUnsafeBytes { HAR.bodyMayCarryErrorOrList($0, errorKnown: errorKnown) }
        }
        #expect(!matters(#"{"id":"c","object":"chat.completion","choices":[{"message":{"content":"error"}}]}"#))
        #expect(!matters("<html>error</html>"))
        #expect(!matters(#"[{"error": "x"}]"#))
        #expect(!matters("   "))
        #expect(matters(#"{"error":{"message":"m"}}"#))
        #expect(matters(#" {"detail":"Not authenticated"}"#))
        #expect(matters(#"{"message":"m","code":1}"#))
        #expect(matters(#"{"success":"false","message":"m"}"#))
        #expect(matters(#"{"object":"error","message":"m"}"#))
        #expect(matters(#"{"object":"list","data":[]}"#))
        #expect(matters(#"{"object":"l\u0069st","data":[]}"#))
        #expect(matters(#"{"\u0065rror":"x"}"#))
        #expect(matters(#"{"error":"x",}"#))  // not plain: the parse decides
        #expect(matters("\u{FEFF}{\"error\":\"x\"}"))
        #expect(!matters(#"{"error":"x"}"#, errorKnown: true))
        #expect(matters(#"{"object":"list"}"#, errorKnown: true))

        // Through the parser: the bodies that carry something are read, the others left alone.
        let out = parseLines(HARParser.self, Self.mixed, path: "m.har")
        let list = out.exchanges.first { $0.url == "https://gw.example.com/v1/models" }
        #expect(list?.listedModels == ["gpt-4o"])
        let bad = out.exchanges.first { $0.status == 400 }
        #expect(bad?.error?.message == "bad é" && bad?.error?.code == "x")
        #expect(bad?.model == "gpt-4o" && bad?.stream == false)
        #expect(bad?.requestHeaders == [] && bad?.responseHeaders == [])
    }

    /// `readHARResponseBody` (fast JSON value, lazy) against `readResponseBody` (the parse).
    @Test func responseBodyReadsAgreeWithTheParse() {
        let bodies = [
            #"{"object":"list","data":[{"id":"gpt-4o"},{"id":"o3","owned_by":"x"},"bare"]}"#,
            #"{"data":[]}"#, #"{"models":[{"name":"a"}]}"#, #"[{"id":"a"}]"#, #"{"object":"list"}"#,
            #"{"error":{"message":"{\"error\":{\"message\":\"inner\",\"code\":\"c\"}}","type":"t"}}"#,
            #"{"error":"plain","detail":"d"}"#, #"{"detail":[{"type":"missing","msg":"field required"}]}"#,
            #"{"object":"error","message":"m","code":404,"param":null}"#, #"{"message":"m","type":"x","n":1.5e3}"#,
            #"{"success":"false","message":"no"}"#, #"{"id":"c","object":"chat.completion","choices":[]}"#,
            #"{"error":{"message":"dup"},"error":{"message":"second"}}"#, #"{"error":"x",}"#, "<html>", "",
            #"{"\u0065rror":{"message":"escaped key \ud83d\ude00"}}"#,
        ]
        for url in ["https://gw.example.com/v1/models", "https://gw.example.com/v1/chat/completions"] {
            for status in [200, 404] {
                for body in bodies {
                    var a = Exchange()
                    a.method = "GET"; a.url = url; a.status = status; a.responseBody = body
                    var b = a
                    a.readResponseBody()
                    b.readHARResponseBody()
                    #expect(a == b, "\(url) \(status) \(body)")
                }
            }
        }
        let sample = #"{"a":[1,"x",null,true,{"b":-0.5}],"c":"\u00e9"}"#
        #expect(HAR.jsonValue(sample)! == JSONValue.parse(sample))
        #expect(HAR.jsonValue(#"{"a":1,"a":2}"#)! == nil)
    }

    @Test func modelAndStreamFromBytesMatchesTheParse() {
        func fast(_ body: String) -> (String?, Bool?)? {
            Array(body.utf8).withUnsafeBytes { HAR.modelAndStreamFromBytes($0) }
        }
        let cases = [
            #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
            #"{"model":5,"stream":"yes"}"#, #"{"model":1.5}"#, #"{"model":true,"stream":false}"#,
            #"{"model":null}"#, #"{"model":{"id":"x"}}"#, #"{"messages":[{"model":"inner"}]}"#,
            #"{"model":"a\u00e9\"b"}"#,
        ]
        for body in cases {
            let f = fast(body)
            let json = JSONValue.parse(body)
            var stream: Bool?
            if case .bool(let b)? = json?["stream"] { stream = b }
            #expect(f != nil, "\(body)")
            #expect(f?.0 == json?["model"]?.string && f?.1 == stream, "\(body)")
            #expect(HAR.modelAndStream(ofJSON: body) == (json?["model"]?.string, stream))
        }
        #expect(fast(#"{"model":"a","model":"b"}"#) == nil)  // duplicate: the parse decides
        #expect(fast(#"{"m\u006fdel":"a"}"#) == nil)
        #expect(fast(#"{"model":"a",}"#) == nil)
        #expect(HAR.modelAndStream(ofJSON: #"{"model":"a",}"#) == ("a", nil))
    }

    /// `membersReading`: a value the body walked itself is not stepped over again, and the walk
    /// lands where `members` lands, whatever the body says it read.
    @Test func membersReadingResumesAfterTheValueTheBodyRead() throws {
        let doc = Array(#"{"a": {"x": [1, {"y": "}"}]}, "b": "s\"}", "a": [], "c": {}, "d": 5}"#.utf8)
        try doc.withUnsafeBytes { raw in
            let b = try #require(HAR.Bytes(raw))
            var plain: [(String, Int)] = [], reading: [(String, Int)] = []
            let end = b.members(0) { key, v in plain.append((b.string(key), v)) }
            let end2 = b.membersReading(0) { key, v -> Int? in
                reading.append((b.string(key), v))
                // Read the objects (as the entry reader does), leave the rest to the walk.
                return b.byte(v) == 0x7B ? b.members(v) { _, _ in } : nil
            }
            #expect(end == doc.count && end2 == doc.count)
            #expect(plain.map(\.0) == ["a", "b", "a", "c", "d"] && plain.map(\.0) == reading.map(\.0))
            #expect(plain.map(\.1) == reading.map(\.1))
        }
    }

    /// A status no integer holds is read as none, on both paths, instead of trapping.
    @Test func aHugeStatusIsNoStatusOnBothPaths() throws {
        for doc in [
            #"{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://gw.example.com/v1/models"},"response":{"status":1e19}}]}}"#,
            // A trailing comma sends the document down the decoder path.
            #"{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://gw.example.com/v1/models"},"response":{"status":-3e300}},]}}"#,
        ] {
            var p = HARParser(path: "x.har", sniff: Sniff(kind: .har, format: "har", score: 95))
            p.consume(document: Array(doc.utf8))
            let out = p.finish()
            if let x = out.exchanges.first { #expect(x.status == nil) }
        }
        #expect(HAR.statusCode(404) == 404)
        #expect(HAR.statusCode(1e19) == nil)
        #expect(HAR.statusCode(.infinity) == nil)
    }
}
