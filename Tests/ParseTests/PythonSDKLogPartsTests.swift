import Foundation
import Testing
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// A large openai-python log is cut into blocks at `Request options` records and the blocks
/// are parsed apart, then joined (`PartsReader`, `PythonSDKLogParser.absorb`): whatever the
/// cuts, the result must be the one reading the file line by line gives.
@Suite struct PythonSDKLogPartsTests {
    /// Every openai-python fixture, one after another: 1.x, 2.x and 3.x calls, retries,
    /// tracebacks, credentials and proxies follow each other across the cuts.
    static let fixtures: String = {
        let dir = Repo.fixture("python-sdk")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".log") }.sorted()
            .compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
    }()

    private static let sniff = Sniff(kind: .pythonSDKLog, score: 90)

    private func whole(_ bytes: [UInt8], maxLine: Int = 1 << 20) -> ParseOutput {
        var parser = PythonSDKLogParser(path: "app.log", sniff: Self.sniff)
        var splitter = LineSplitter(maxLineBytes: maxLine)
        splitter.feed(bytes[...]) { parser.consume($0) }
        splitter.finish { parser.consume($0) }
        return parser.finish()
    }

    private func parts(_ bytes: [UInt8], block: Int, maxBlock: Int = 32 << 20, chunk: Int = 4096,
                       maxLine: Int = 1 << 20) -> (ParseOutput, PartsOutcome) {
        var parser = PythonSDKLogParser(path: "app.log", sniff: Self.sniff)
        var stream = MemoryStream(bytes, chunkSize: chunk)
        let reader = PartsReader<PythonSDKLogParser>(path: "app.log", sniff: Self.sniff, maxLineBytes: maxLine,
                                                     blockBytes: block, maxBlockBytes: maxBlock)
        // Lines cut at the limit are counted by whoever reads them: `each` for the lines the
        // parser reads as text, the outcome for the others (as `FileReader` adds them up).
        var cutSeen = 0
        var outcome = reader.read(into: &parser, next: { try stream.read() }, each: { if $0.truncated { cutSeen += 1 } },
                                  wantsEveryLine: { false })
        outcome.cut += cutSeen
        return (parser.finish(), outcome)
    }

    private func expectSame(_ a: ParseOutput, _ b: ParseOutput, _ label: String) {
        #expect(a.exchanges.count == b.exchanges.count, "\(label): exchange count")
        for (x, y) in zip(a.exchanges, b.exchanges) where x != y {
            Issue.record("\(label): exchange \(x.index) differs (lines \(x.sources.first?.line ?? 0))")
            break
        }
        // Evidence text byte for byte (String equality is canonical equivalence).
        let ta = a.exchanges.flatMap { $0.lines.map { Array($0.text.utf8) } }
        let tb = b.exchanges.flatMap { $0.lines.map { Array($0.text.utf8) } }
        #expect(ta == tb, "\(label): evidence text")
        #expect(a.signals == b.signals, "\(label): signals")
        #expect(a.problems == b.problems, "\(label): problems")
        #expect(a.lines == b.lines && a.skippedLines == b.skippedLines && a.skippedSamples == b.skippedSamples, "\(label): line counts")
        #expect(a.format == b.format && a.notes == b.notes, "\(label): format and notes")
    }

    @Test func partsGiveWhatWholeGivesAtEveryCut() {
        let bytes = Array(Self.fixtures.utf8)
        let expected = whole(bytes)
        #expect(expected.exchanges.count > 20)
        var absorbed = 0, declined = 0
        // Block sizes from one byte to past the largest record: every record start is a cut
        // for some size, and every block ends at each kind of line before a record.
        for block in stride(from: 1, through: 6000, by: 23) {
            let (got, outcome) = parts(bytes, block: block)
            absorbed += outcome.absorbed
            declined += outcome.declined
            expectSame(got, expected, "block \(block)")
        }
        // The joins were taken in whole (not all read line by line again), and some declined
        // (a retry or carried state across the cut), so both ways were checked.
        #expect(absorbed > 500)
        #expect(declined > 0)
    }

    @Test func dripFedAndCutLinesGiveTheSame() {
        let bytes = Array(Self.fixtures.utf8)
        for chunk in [1, 7, 300] {
            let (got, _) = parts(bytes, block: 2048, chunk: chunk)
            expectSame(got, whole(bytes), "chunk \(chunk)")
        }
        // Lines cut at the length limit, the cut falling inside a record's first line.
        for maxLine in [16, 40, 120] {
            let long = Self.fixtures.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.utf8.count > maxLine }.count
            for block in stride(from: 300, through: 3000, by: 300) {
                let (got, outcome) = parts(bytes, block: block, maxLine: maxLine)
                expectSame(got, whole(bytes, maxLine: maxLine), "max line \(maxLine), block \(block)")
                // Every cut line counted once, however its block was read (apart, or again
                // after its part was declined, from its bytes or its text).
                #expect(outcome.cut == long, "max line \(maxLine), block \(block): cut lines")
            }
        }
    }

    @Test func crlfTruncatedEmptyAndOneLine() {
        var crlf: [UInt8] = []
        for b in Self.fixtures.utf8 {
            if b == 0x0A { crlf.append(0x0D) }
            crlf.append(b)
        }
        expectSame(parts(crlf, block: 3000).0, whole(crlf), "CRLF")
        let all = Array(Self.fixtures.utf8)
        // Ends in the middle of a record (and of a line).
        for end in [all.count / 3, all.count / 2 + 17, all.count - 5] {
            let cut = Array(all[..<end])
            expectSame(parts(cut, block: 2500).0, whole(cut), "truncated at \(end)")
        }
        expectSame(parts([], block: 10).0, whole([]), "empty")
        let one = Array(Self.fixtures.prefix { $0 != "\n" }.utf8)
        expectSame(parts(one, block: 10).0, whole(one), "one line")
        expectSame(parts(one + [0x0A], block: 10).0, whole(one + [0x0A]), "one line with newline")
    }

    /// The whole file read with every line offered as bytes first (`consume(bytes:)`), as
    /// the parts are read, counting the lines taken so.
    private func wholeFromBytes(_ bytes: [UInt8], chunk: Int) -> (ParseOutput, taken: Int) {
        var parser = PythonSDKLogParser(path: "app.log", sniff: Self.sniff)
        var splitter = LineSplitter()
        var taken = 0
        func offer(_ l: LineBytes) -> Bool {
            guard parser.consume(bytes: l) else { return false }
            taken += 1
            return true
        }
        var at = 0
        while at < bytes.count {
            let n = min(chunk, bytes.count - at)
            splitter.feed(bytes[at..<(at + n)], bytes: offer) { parser.consume($0) }
            at += n
        }
        splitter.finish(bytes: offer) { parser.consume($0) }
        return (parser.finish(), taken)
    }

    @Test func linesReadFromTheirBytesGiveWhatTheirTextGives() {
        // The fixtures, then the lines the byte reading must leave to the text or read the
        // same: non-ASCII and invalid UTF-8 in a frame, a record's prefix and a source line,
        // a blank line in an exception, a retry announced by its suffix, request ids, a
        // frame through a proxy transport, an httpcore2 logger, tabs and CRLF.
        let odd = """
        [2025-03-01 00:00:00 - openai._base_client:453 - DEBUG] Request options: {'method': 'get', 'url': '/models'}
        [2025-03-01 00:00:00 - openai._base_client:988 - DEBUG] Sending HTTP Request: GET http://127.0.0.1:3000/models
        [2025-03-01 00:00:00 - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models "HTTP/1.1 500 Internal Server Error"
        [2025-03-01 00:00:00 - openai._base_client:1035 - DEBUG] request_id: None
        [2025-03-01 00:00:00 - openai._base_client:1035 - DEBUG] request_id: \t
        [2025-03-01 00:00:00 - openai._base_client:1035 - DEBUG] request_id: req_1
        [2025-03-01 00:00:00 - openai._base_client:743 - DEBUG] 2 retries left
        [2025-03-01 00:00:01 - httpcore2.http11 - DEBUG] send_request_headers.started request=<Request [b'GET']>
        [2025-03-01 00:00:01 - openai._base_client:988 - DEBUG] Sending HTTP Request: GET http://127.0.0.1:3000/models
        [2025-03-01 00:00:01 - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models "HTTP/1.1 404 Not Found"
        [2025-03-01 00:00:01 - openai._base_client:1040 - DEBUG] Encountered httpx.HTTPStatusError
        Traceback (most recent call last):
          File "/srv/app/.venv/lib/python3.12/site-packages/openai/_base_client.py", line 1038, in _request
            response.raise_for_status()   # 请求
          File "/srv/app/.venv/lib/python3.12/site-packages/openai/resources/models.py", line 91, in list
          File "/srv/app/.venv/lib/python3.12/site-packages/openai/resources/models.py", line 91, in list
          File "/srv/app/.venv/lib/python3.12/site-packages/openai/resources/chat/completions.py", line 9, in create
          File "/srv/app/.venv/lib/python3.12/site-packages/httpcore/_sync/http_proxy.py", line 9, in handle_request
          File "/srv/app/クライアント.py", line 1038, in _request
        \tpage = client.models.list()

        openai.NotFoundError: Error code: 404 - {'error': {'message': 'no such model'}}

          continued message
        [2025-03-01 00:00:02 - désktop-chat:97 - ERROR] chat failed
        [2025-03-01 00:00:02 - httpx:1038 - DEBUG] load_ssl_context verify=True\r
        The above exception was the direct cause of the following exception:
        During handling of the above exception, another exception occurred:
        [2025-03-01 00:00:03 - openai._base_client:453 - DEBUG] Request options: {'method': 'post',
          'url': '/chat/completions'}
        [2025-03-01 00:00:03 - openai._base_client:1035 - DEBUG] request_id: None

        """
        var bytes = Array((Self.fixtures + "\n" + odd).utf8)
        // Invalid UTF-8 in a source line, in a frame and in a record's message.
        for (marker, bad) in [("# 请求", [UInt8]([0xE8, 0xAF])), ("continued", [0xFF]), ("verify=True", [0xC3, 0x28])] {
            let m = Array(marker.utf8)
            if let i = (0...(bytes.count - m.count)).first(where: { Array(bytes[$0..<($0 + m.count)]) == m }) {
                bytes.insert(contentsOf: bad, at: i)
            }
        }
        let expected = whole(bytes)
        for chunk in [bytes.count, 4096, 7] {
            let (got, taken) = wholeFromBytes(bytes, chunk: chunk)
            expectSame(got, expected, "chunk \(chunk)")
            #expect(taken > got.lines / 3, "most lines read from their bytes (\(taken) of \(got.lines))")
        }
    }

    @Test func buildingLineAndDroppedPrefixReadOnBytesAsOnCharacters() {
        // ASCII on bytes, other text on Characters: the same fields either way.
        #expect(PyMessage.building("method=post  url=https://h/v1/chat/completions retries_taken=2 x=") == ("POST", 2))
        #expect(PyMessage.building("retries_taken=1 méthode=é method=get retries_taken=zz") == ("GET", 0))
        #expect(PyMessage.building(" ") == (nil, 0))
        // A combining mark after the prefix belongs to its last Character.
        let marked: Substring = "Request options: \u{301}{'method': 'get'}"
        #expect(PyLogPrefix.dropPrefix(marked, 17) == marked.dropFirst(17))
        #expect(PyLogPrefix.dropPrefix("HTTP Request: GET x", 14) == "GET x")
        #expect(PyLogPrefix.dropPrefix("request_id: ", 12) == "")
    }

    @Test func anErrorAfterTheCutFindsTheCallInFlightBeforeIt() {
        // The error's status fits the call before the cut, still in flight when block 0 ends:
        // the part cannot see it, so it must not be taken in whole.
        let text = """
        [2025-03-01 00:00:00 - openai._base_client:453 - DEBUG] Request options: {'method': 'get', 'url': '/models'}
        [2025-03-01 00:00:00 - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models "HTTP/1.1 404 Not Found"
        [2025-03-01 00:00:01 - openai._base_client:453 - DEBUG] Request options: {'method': 'post', 'url': '/chat/completions'}
        [2025-03-01 00:00:01 - httpx:1038 - INFO] HTTP Request: POST http://127.0.0.1:3000/chat/completions "HTTP/1.1 200 OK"
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'no such model'}}
        [2025-03-01 00:00:02 - desktop-chat:97 - ERROR] chat failed

        """
        let bytes = Array(text.utf8)
        let expected = whole(bytes)
        #expect(expected.exchanges.count == 2)
        #expect(expected.exchanges.first?.error?.message == "no such model")
        let (got, outcome) = parts(bytes, block: 1)
        #expect(outcome.declined == 1)
        expectSame(got, expected, "cut after the first call")
    }

    @Test func noPartStartForLongIsReadLineByLine() {
        // Long runs without a record start: blocks cut at a line start and read in place,
        // and a line longer than the bound switches the rest to line-by-line reading.
        let filler = String(repeating: "no record here, just text\n", count: 400)
        let longLine = String(repeating: "x", count: 20_000) + "\n"
        let text = filler + Self.fixtures + filler + longLine + Self.fixtures + longLine
        let bytes = Array(text.utf8)
        for (block, maxBlock) in [(1000, 4000), (3000, 8000), (100, 15_000)] {
            expectSame(parts(bytes, block: block, maxBlock: maxBlock).0, whole(bytes), "block \(block) max \(maxBlock)")
        }
    }
}
