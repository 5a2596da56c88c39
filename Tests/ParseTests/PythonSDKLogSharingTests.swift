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

    @Test func packedLinesReadBackAsKept() {
        // Twenty calls over a few seconds, two Unicode forms: the calls share line shapes, and
        // each still reads its own lines, byte for byte, with its own places.
        let text = (0..<20).map { call($0 / 4, $0 % 3 == 0 ? "cafe\u{301}" : "caf\u{E9}") }.joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let out = parse(text)
        #expect(out.exchanges.count == 20)
        #expect(out.exchanges.allSatisfy { $0.row >= 0 && $0.box.rows!.packed(Int($0.row)) != nil })
        for (i, e) in out.exchanges.enumerated() {
            #expect(e.lines.map(\.ref.line) == [i * 3 + 1, i * 3 + 2, i * 3 + 3])
            for l in e.lines { #expect(Array(l.text.utf8) == Array(lines[l.ref.line - 1].utf8)) }
        }
        // Packed or not, an exchange compares and hashes by what it reads; a write unpacks it.
        var plain = out.exchanges[5]
        plain.lines = out.exchanges[5].lines
        #expect(plain.box.v.packed == nil && plain == out.exchanges[5] && plain.hashValue == out.exchanges[5].hashValue)
        var edited = out.exchanges[6]
        edited.lines.append(SourceLine(ref: SourceRef(file: "app.log", line: 99), text: "extra"))
        #expect(edited.box.v.packed == nil && edited.lines.count == 4 && edited.lines.last?.text == "extra")
        #expect(out.exchanges[6].lines.count == 3)
    }

    @Test func settledCallsAreRowsThatReadAsTheirBoxes() {
        let text = (0..<40).map { call($0 / 3, "caf\u{E9}") }.joined(separator: "\n") + "\n"
        let out = parse(text)
        #expect(out.exchanges.count == 40 && out.exchanges.allSatisfy { $0.row >= 0 })
        for e in out.exchanges {
            // A write that changes nothing gives the call a box of its own: it reads the same.
            var boxed = e
            boxed.retries = e.retries
            #expect(boxed.row < 0 && boxed == e && boxed.hashValue == e.hashValue)
            #expect(boxed.time == e.time && boxed.sources == e.sources && boxed.lines == e.lines)
            #expect(boxed.requestID == e.requestID && boxed.responseHeaders == e.responseHeaders && boxed.durationMs == e.durationMs)
        }
        // A write to one row leaves the other rows and the value it was copied from as they were.
        var calls = out.exchanges
        calls[4].time = nil
        calls[4].index = 99
        #expect(calls[4].time == nil && calls[4].index == 99 && out.exchanges[4].time != nil && out.exchanges[4].index == 4)
        #expect(calls[5] == out.exchanges[5] && calls[5].row >= 0)
    }

    @Test func callsARowCannotHoldKeepTheirBox() {
        var a = Exchange()
        a.sources = [SourceRef(file: "a.log", line: 3, endLine: 5)]
        a.durationMs = 12.5
        a.retries = 2
        a.requestID = "req_1"
        a.time = Date(timeIntervalSince1970: 1.25)
        a.responseHeaders = [Header("x-request-id", "req_1")]
        var b = Exchange()  // two sources
        b.sources = [SourceRef(file: "a.log", line: 7), SourceRef(file: "b.log", line: 1)]
        var c = Exchange()  // another file than the block's
        c.sources = [SourceRef(file: "b.log", line: 9)]
        var d = Exchange()  // lines not packed
        d.sources = [SourceRef(file: "a.log", line: 9)]
        d.lines = [SourceLine(ref: SourceRef(file: "a.log", line: 9), text: "x")]
        var list = [a, b, c, d]
        CallCompaction().compact(&list, 0..<4)
        #expect(list.map { $0.row >= 0 } == [true, false, false, false])
        #expect(list == [a, b, c, d])
        #expect(list[0].durationMs == 12.5 && list[0].retries == 2 && list[0].requestID == "req_1" && list[0].lines.isEmpty)
    }

    /// A block's durations are a column made at its first call that has one: the calls before
    /// it and those without read back none, the others their own, and a block without any
    /// holds no column.
    @Test func durationsAreAColumnOnlyWhenSomeCallHasOne() {
        func call(_ line: Int, _ ms: Double?) -> Exchange {
            var e = Exchange()
            e.sources = [SourceRef(file: "a.log", line: line)]
            e.durationMs = ms
            return e
        }
        var list = [call(1, nil), call(2, nil), call(3, 12.5), call(4, nil), call(5, 0), call(6, -0.25), call(7, nil)]
        let before = list
        CallCompaction().compact(&list, 0..<list.count)
        #expect(list.allSatisfy { $0.row >= 0 } && list == before)
        #expect(list.map(\.durationMs) == [nil, nil, 12.5, nil, 0, -0.25, nil])
        #expect(list[0].box.rows!.durations.count == list.count)
        var none = (1...5).map { call($0, nil) }
        CallCompaction().compact(&none, 0..<none.count)
        #expect(none.allSatisfy { $0.row >= 0 && $0.durationMs == nil } && none[0].box.rows!.durations.isEmpty)
    }

    /// A block's times are milliseconds after its first call's where that reads back exactly
    /// each call's time; otherwise every row's time is a column of the block.
    @Test func timesAreMillisecondsAfterTheBlocksFirstOrAColumn() {
        func call(_ line: Int, _ t: Double?) -> Exchange {
            var e = Exchange()
            e.sources = [SourceRef(file: "a.log", line: line)]
            e.time = t.map { Date(timeIntervalSinceReferenceDate: $0) }
            return e
        }
        let base = 762_480_000.0
        var exact = [call(1, nil), call(2, base), call(3, base + 1), call(4, base + 0.25), call(5, base - 3600), call(6, nil)]
        let before = exact
        CallCompaction().compact(&exact, 0..<exact.count)
        #expect(exact.allSatisfy { $0.row >= 0 } && exact == before && exact[0].box.rows!.times.isEmpty)
        #expect(exact.map(\.time) == before.map(\.time))
        // A time between milliseconds, and one 30 days away: every row's time in the column.
        for odd in [base + 0.0001, base + 30 * 86_400] {
            var list = [call(1, base), call(2, nil), call(3, odd), call(4, base + 2)]
            let kept = list
            CallCompaction().compact(&list, 0..<list.count)
            #expect(list.allSatisfy { $0.row >= 0 } && list == kept && list[0].box.rows!.times.count == 4)
            #expect(list.map { $0.time?.timeIntervalSinceReferenceDate.bitPattern } == kept.map { $0.time?.timeIntervalSinceReferenceDate.bitPattern })
        }
    }

    /// A row is 20 bytes: a call whose retries, last line or request id do not fit its bits
    /// keeps its box; the block's ids are held once each and read back as set.
    @Test func rowsHoldNarrowFieldsOrTheCallKeepsItsBox() {
        #expect(MemoryLayout<CallRows.Row>.size == 20 && MemoryLayout<CallRows.Row>.stride == 20)
        func call(_ line: Int, end: Int? = nil, retries: Int = 0, id: String? = nil) -> Exchange {
            var e = Exchange()
            e.sources = [SourceRef(file: "a.log", line: line, endLine: end ?? line)]
            e.retries = retries
            e.requestID = id
            return e
        }
        var list = [call(1, retries: 63, id: "req_a"), call(2, retries: 64), call(3, end: 3 + 65_535, id: "req_b"),
                    call(4, end: 3 + 65_537), call(5, id: "req_a"), call(6), call(7, retries: -1)]
        list += (0..<300).map { call(10 + $0, id: "req_\($0)") }
        let before = list
        CallCompaction().compact(&list, 0..<list.count)
        #expect(list == before)
        #expect(list[0...6].map { $0.row >= 0 } == [true, false, true, false, true, true, false])
        #expect(list[0].requestID == "req_a" && list[4].requestID == "req_a" && list[5].requestID == nil && list[0].retries == 63)
        #expect(list[2].sources == [SourceRef(file: "a.log", line: 3, endLine: 3 + 65_535)])
        // At most 255 distinct ids a block: "req_a", "req_b", then 253 more.
        #expect(list[7...].filter { $0.row >= 0 }.count == 253)
        #expect(list[7...].map(\.requestID) == (0..<300).map { "req_\($0)" })
    }

    @Test func linesThatFitNoShapeStayAnArray() {
        var e = Exchange()
        e.lines = [
            SourceLine(ref: SourceRef(file: "a.log", line: 1), text: "one"),
            SourceLine(ref: SourceRef(file: "b.log", line: 2), text: "two"),
        ]
        var packing = LinePacking()
        packing.pack(&e)
        #expect(e.box.v.packed == nil && e.lines.map(\.text) == ["one", "two"])
        var f = Exchange()
        f.lines = (1...3).map { SourceLine(ref: SourceRef(file: "a.log", line: $0), text: "line \($0)") }
        packing.pack(&f)
        #expect(f.box.v.packed == nil)  // three heads (each line whole)
        var g = Exchange()
        g.lines = [SourceLine(ref: SourceRef(file: "a.log", line: 7, endLine: 9), text: "x"), SourceLine(ref: SourceRef(file: "a.log", line: 3), text: "x")]
        packing.pack(&g)
        #expect(g.box.v.packed != nil && g.lines.map(\.ref) == [SourceRef(file: "a.log", line: 7, endLine: 9), SourceRef(file: "a.log", line: 3)])
    }

    @Test func evidenceSplitsAfterTheTimestamp() {
        func end(_ line: String, _ prefix: Int) -> Int { PyLinePool.stampEnd(line.utf8, prefix: prefix) }
        // The SDK's layout: after the stamp and the separator, before the logger.
        let sdk = "[2026-11-29 03:17:41 - openai._base_client:453 - DEBUG] Request options: {}"
        #expect(end(sdk, 57) == "[2026-11-29 03:17:41 - ".utf8.count)
        // asctime with milliseconds, then the logger.
        #expect(end("2025-03-01 00:00:01,000 - httpx - INFO - HTTP Request", 41) == "2025-03-01 00:00:01,000 - ".utf8.count)
        // No timestamp first: the whole prefix, as before.
        #expect(end("DEBUG:openai._base_client:Request options", 26) == 26)
        #expect(end("\u{E9}2025-03-01 00:00:01 - x - msg", 26) == 26)
        #expect(end("[12] x", 5) == 5)
        // A prefix that is all timestamp: the whole prefix.
        #expect(end("2025-03-01 00:00:01 message", 20) == 20)
        #expect(end("anything", 0) == 0)
    }

    @Test func bracketLayoutEvidenceIsEachLineAsRead() {
        func call(_ s: Int) -> String {
            let t = String(format: "[2026-11-29 03:17:%02d", s)
            return """
            \(t) - openai._base_client:453 - DEBUG] Request options: {'method': 'get', 'url': '/models'}
            \(t) - openai._base_client:988 - DEBUG] Sending HTTP Request: GET http://127.0.0.1:3000/models
            \(t) - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models "HTTP/1.1 404 Not Found"
            \(t) - openai._base_client:1027 - DEBUG] HTTP Response: GET http://127.0.0.1:3000/models "404 Not Found" Headers([('x-note', 'caf\u{E9}')])
            """
        }
        let text = [0, 0, 1, 2].map(call).joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let out = parse(text)
        #expect(out.exchanges.count == 4)
        for e in out.exchanges {
            #expect(!e.lines.isEmpty)
            for l in e.lines { #expect(Array(l.text.utf8) == Array(lines[l.ref.line - 1].utf8)) }
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
    /// A call's request body in the given form (the body is a common field).
    private func bodyCall(_ s: Int, _ word: String) -> String {
        let t = String(format: "2025-03-01 00:00:%02d,000", s)
        return """
        \(t) - openai._base_client - DEBUG - Request options: {'method': 'post', 'url': '/chat/completions', 'json_data': {'messages': [{'role': 'user', 'content': '\(word)'}], 'model': 'gpt-4o'}}
        \(t) - httpx - INFO - HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 404 Not Found"
        """
    }

    @Test func callsOfOneKindShareTheirCommonFields() {
        let text = (0..<6).map { bodyCall($0, "hello") }.joined(separator: "\n") + "\n"
        let out = parse(text)
        #expect(out.exchanges.count == 6)
        let first = out.exchanges[0].sharedCommon
        #expect(first != nil)
        for e in out.exchanges {
            #expect(e.sharedCommon === first)
            #expect(e.model == "gpt-4o")
            #expect(e.status == 404)
        }
        // Each call keeps its own place and time.
        #expect(Set(out.exchanges.map(\.index)).count == 6)
        #expect(Set(out.exchanges.compactMap(\.time)).count == 6)
    }

    @Test func canonicallyEqualFieldsDoNotShare() {
        // "café" precomposed and decomposed: equal as Swift strings, different bytes.
        func call(_ model: String) -> Exchange {
            var e = Exchange()
            e.method = "POST"
            e.model = model
            e.error = APIError(message: "no model " + model)
            return e
        }
        var table = ExchangeSharing()
        var calls = [call("caf\u{E9}"), call("cafe\u{301}"), call("caf\u{E9}"), call("cafe\u{301}")]
        for i in calls.indices { table.share(&calls[i]) }
        #expect(calls[0].sharedCommon === calls[2].sharedCommon)
        #expect(calls[1].sharedCommon === calls[3].sharedCommon)
        #expect(calls[0].sharedCommon !== calls[1].sharedCommon)
        #expect(Array(calls[1].model!.utf8) == Array("cafe\u{301}".utf8))
        #expect(Array(calls[3].error!.message!.utf8) == Array("no model cafe\u{301}".utf8))
    }

    @Test func aWriteToASharedCallIsItsOwn() {
        let out = parse((0..<3).map { bodyCall($0, "hello") }.joined(separator: "\n") + "\n")
        var calls = out.exchanges
        calls[1].model = "other"
        #expect(calls[0].model == "gpt-4o" && calls[2].model == "gpt-4o" && calls[1].model == "other")
        #expect(calls[1].sharedCommon == nil)
        #expect(calls[0].sharedCommon === calls[2].sharedCommon)
    }

    @Test func editsRunOncePerSharedCommonAndKeepSharing() {
        let out = parse((0..<4).map { bodyCall($0, "hello") }.joined(separator: "\n") + "\n")
        var calls = out.exchanges
        var edits = ExchangeCommonEdits()
        var runs = 0
        for i in calls.indices {
            edits.edit(&calls[i]) { ex in
                runs += 1
                ex.hints.insert(.exception("X"))
            }
        }
        #expect(runs == 1)
        #expect(calls.allSatisfy { $0.hints.contains(.exception("X")) })
        #expect(calls.allSatisfy { $0.sharedCommon != nil && $0.sharedCommon === calls[0].sharedCommon })
        // Calls whose common fields are their own are changed one by one.
        var lone = Exchange()
        lone.model = "m"
        edits.edit(&lone) { ex in ex.model = "n" }
        #expect(lone.model == "n")
    }

    @Test func aLongLineIsCutAsAWholeLine() {
        let long = String(repeating: "ab\u{E9}", count: 1500)
        let text = (0..<3).map { bodyCall($0, long) }.joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let out = parse(text)
        for e in out.exchanges {
            for l in e.lines {
                let whole = SourceLine(ref: l.ref, text: lines[l.ref.line - 1])
                #expect(Array(l.text.utf8) == Array(whole.text.utf8))
            }
        }
    }
}
