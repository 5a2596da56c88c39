import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// Where one element of `log.entries` sits in the raw bytes.
    struct EntrySpan: Equatable {
        /// Offset of the entry's `{`.
        var start: Int
        /// Offset just past its closing `}`; nil when the file ends inside the entry.
        var end: Int?
        /// 1-based line of the `{`.
        var line: Int
    }

    /// Finds the byte ranges and start lines of the `log.entries` elements in one pass.
    ///
    /// String-aware bracket matching, no value is built: the decoder does not report
    /// positions, so this gives every exchange its line in the file (browser HARs are one
    /// line, mitmproxy's are indented) and, for a file cut short, the entries that are
    /// complete and can still be decoded one by one.
    /// - Complexity: O(n) in the document size.
    static func scanEntries(_ doc: UnsafeRawBufferPointer) -> [EntrySpan] {
        let entriesKey = Array("entries".utf8)
        var spans: [EntrySpan] = []
        var depth = 0, line = 1, i = 0
        var inString = false, escaped = false
        var stringStart = 0, lastString: Range<Int> = 0..<0
        var entriesDepth = -1
        let n = doc.count
        while i < n {
            let c = doc[i]
            if inString {
                if escaped { escaped = false }
                else if c == 0x5C { escaped = true }
                else if c == 0x22 { inString = false; lastString = stringStart..<i }
                else if c == 0x0A { line += 1 }
                i += 1
                continue
            }
            switch c {
            case 0x22: inString = true; stringStart = i + 1
            case 0x0A: line += 1
            case 0x7B, 0x5B:  // { [
                if c == 0x5B, entriesDepth < 0, depth == 2, lastString.count == entriesKey.count,
                   entriesKey.indices.allSatisfy({ doc[lastString.lowerBound + $0] == entriesKey[$0] }) {
                    entriesDepth = depth + 1
                } else if c == 0x7B, depth == entriesDepth {
                    spans.append(EntrySpan(start: i, end: nil, line: line))
                }
                depth += 1
            case 0x7D, 0x5D:  // } ]
                depth -= 1
                if c == 0x7D, depth == entriesDepth, !spans.isEmpty, spans[spans.count - 1].end == nil {
                    spans[spans.count - 1].end = i + 1
                }
                if depth < entriesDepth { entriesDepth = -2 }  // the entries array is closed
            default: break
            }
            i += 1
        }
        return spans
    }

    /// A JSON syntax error: byte offset, 1-based line, and what was wrong.
    package struct SyntaxError: Error, Equatable {
        package var offset: Int
        package var line: Int
        package var message: String
    }

    /// The first JSON syntax error of a document, or nil when it is well-formed.
    ///
    /// `JSONDecoder` on Linux says only "not valid JSON", with no position; the report must
    /// name the byte where the file went wrong (a truncated upload, a pasted fragment), so
    /// the failure path re-reads the bytes with this small recursive-descent checker.
    package static func firstSyntaxError(_ doc: UnsafeRawBufferPointer) -> SyntaxError? {
        var checker = SyntaxChecker(b: doc)
        do {
            checker.skipSpace()
            try checker.value(depth: 0)
            checker.skipSpace()
            if checker.i < doc.count { throw checker.fail("unexpected data after the JSON document") }
            return nil
        } catch let e as SyntaxError {
            return e
        } catch {
            return SyntaxError(offset: 0, line: 1, message: "\(error)")
        }
    }

    private struct SyntaxChecker {
        let b: UnsafeRawBufferPointer
        var i = 0

        func fail(_ message: String) -> SyntaxError {
            let at = min(i, b.count)
            var line = 1
            for k in 0..<at where b[k] == 0x0A { line += 1 }
            if at >= b.count { return SyntaxError(offset: at, line: line, message: "unexpected end of input (file cut short?)") }
            return SyntaxError(offset: at, line: line, message: message)
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8, _ what: String) throws {
            skipSpace()
            guard i < b.count, b[i] == c else { throw fail("expected \(what)") }
            i += 1
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw fail("nesting deeper than 512 levels") }
            skipSpace()
            guard i < b.count else { throw fail("expected a value") }
            switch b[i] {
            case 0x7B:  // {
                i += 1; skipSpace()
                if i < b.count, b[i] == 0x7D { i += 1; return }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == 0x22 else { throw fail("expected a string key") }
                    try string()
                    try expect(0x3A, "':'")
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail("") }
                    if b[i] == 0x2C { i += 1; continue }
                    if b[i] == 0x7D { i += 1; return }
                    throw fail("expected ',' or '}'")
                }
            case 0x5B:  // [
                i += 1; skipSpace()
                if i < b.count, b[i] == 0x5D { i += 1; return }
                while true {
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail("") }
                    if b[i] == 0x2C { i += 1; continue }
                    if b[i] == 0x5D { i += 1; return }
                    throw fail("expected ',' or ']'")
                }
            case 0x22: try string()
            case 0x74: try literal("true")
            case 0x66: try literal("false")
            case 0x6E: try literal("null")
            case 0x2D, 0x30...0x39: try number()
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { i = b.count; throw fail("") }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { i += k; throw fail("invalid literal") }
            i += n
        }

        mutating func number() throws {
            if b[i] == 0x2D { i += 1 }
            var digits = 0
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1; digits += 1 }
            guard digits > 0 else { throw fail("invalid number") }
            if i < b.count, b[i] == 0x2E {
                i += 1; digits = 0
                while i < b.count, (0x30...0x39).contains(b[i]) { i += 1; digits += 1 }
                guard digits > 0 else { throw fail("invalid number") }
            }
            if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
                i += 1
                if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                digits = 0
                while i < b.count, (0x30...0x39).contains(b[i]) { i += 1; digits += 1 }
                guard digits > 0 else { throw fail("invalid number") }
            }
        }

        mutating func string() throws {
            i += 1  // opening quote
            while i < b.count {
                let c = b[i]
                if c == 0x22 { i += 1; return }
                if c < 0x20 { throw fail("control character in string") }
                if c == 0x5C {
                    i += 1
                    guard i < b.count else { break }
                    if b[i] == 0x75 {  // \uXXXX
                        for _ in 0..<4 {
                            i += 1
                            guard i < b.count else { throw fail("") }
                            guard isHex(b[i]) else { throw fail("invalid \\u escape") }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(b[i]) {
                        throw fail("invalid escape")
                    }
                }
                i += 1
            }
            throw fail("")
        }

        func isHex(_ c: UInt8) -> Bool {
            (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
        }
    }
}
