import Testing
@testable import DoctorParse

/// A line that lies whole inside a chunk is made from the chunk's bytes; one that spans
/// chunks, or is cut at the length limit, goes through the splitter's carry. Both must give
/// the same lines whatever the chunking.
@Suite struct LineSplitterTests {
    struct Seen: Equatable {
        var number: Int, offset: Int, text: String, truncated: Bool
    }

    func split(_ bytes: [UInt8], chunks: [Int], maxLineBytes: Int) -> [Seen] {
        var s = LineSplitter(maxLineBytes: maxLineBytes, firstLine: 5, offset: 100)
        var out: [Seen] = []
        var at = 0, k = 0
        while at < bytes.count {
            let n = min(chunks[k % chunks.count], bytes.count - at)
            s.feed(bytes[at..<(at + n)]) { out.append(Seen(number: $0.number, offset: $0.offset, text: $0.text, truncated: $0.truncated)) }
            at += n
            k += 1
        }
        s.finish { out.append(Seen(number: $0.number, offset: $0.offset, text: $0.text, truncated: $0.truncated)) }
        return out
    }

    @Test func linesAreTheSameWhateverTheChunking() {
        let text = "first\r\nsecond line\n\n\r\nexactly-twenty-bytes\ntwenty-one bytes here\n"
            + String(repeating: "long ", count: 12) + "\nné\u{301} café\r\nlast without newline"
        let bytes = Array(text.utf8)
        for limit in [16, 20, 21, 1 << 20] {
            let whole = split(bytes, chunks: [bytes.count], maxLineBytes: limit)
            #expect(whole.count == 9)
            #expect(whole.first == Seen(number: 5, offset: 100, text: "first", truncated: false))
            #expect(whole.last?.text == "last without newline" || limit < 20)
            for chunks in [[1], [2], [3, 7], [64], [5, 1, 11]] {
                #expect(split(bytes, chunks: chunks, maxLineBytes: limit) == whole, "limit \(limit), chunks \(chunks)")
            }
        }
        // Lines offered as bytes first: those taken so are the very lines `emit` gets
        // otherwise (their text the bytes repaired), whichever are declined.
        for limit in [16, 1 << 20] {
            for chunks in [[bytes.count], [3, 7]] {
                var s = LineSplitter(maxLineBytes: limit, firstLine: 5, offset: 100)
                var out: [Seen] = []
                var k = 0, at = 0, n = 0
                func offer(_ b: LineBytes) -> Bool {
                    n += 1
                    guard n % 2 == 0 else { return false }
                    out.append(Seen(number: b.number, offset: b.offset, text: b.line.text, truncated: b.truncated))
                    return true
                }
                let take = { (l: Line) in out.append(Seen(number: l.number, offset: l.offset, text: l.text, truncated: l.truncated)) }
                while at < bytes.count {
                    let c = min(chunks[k % chunks.count], bytes.count - at)
                    s.feed(bytes[at..<(at + c)], bytes: offer, take)
                    at += c
                    k += 1
                }
                s.finish(bytes: offer, take)
                #expect(out == split(bytes, chunks: [bytes.count], maxLineBytes: limit), "bytes, limit \(limit), chunks \(chunks)")
            }
        }
        // At the limit a line is kept whole, one byte more is cut and flagged.
        let cut = split(Array("12345678901234567\n1234567890123456\n".utf8), chunks: [64], maxLineBytes: 16)
        #expect(cut.map(\.truncated) == [true, false])
        #expect(cut.map(\.text) == ["1234567890123456", "1234567890123456"])
    }
}
