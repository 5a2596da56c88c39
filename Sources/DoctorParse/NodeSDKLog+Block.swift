import DoctorIngest
import DoctorModel

/// The lines of one multi-line item of a Node log: an SDK record with its `util.inspect` dump,
/// a v4 `OpenAI:DEBUG:` line, a streamed `response 200 …` line, an error the app printed
/// (message, stack, `{ status, … }`), or an app line that opened an array/object.
///
/// A block grows line by line while its brackets are open, so the result does not depend on
/// how the input was chunked. A new record start always closes the open block.
struct Block {
    enum Kind {
        case record(LogTag)
        case v4
        case streamResponse
        case appError
        case appValue
    }

    var kind: Kind
    var lines: [Line]
    var depth: Int
    var sawStack = false
    var inObject = false

    static let maxLines = 5000

    init(kind: Kind, first: Line) {
        self.kind = kind
        lines = [first]
        if case .appError = kind {
            depth = 0
        } else {
            depth = Block.bracketDelta(first.text)
        }
    }

    var isComplete: Bool {
        if case .appError = kind { return inObject && depth <= 0 }
        return depth <= 0
    }

    /// Whether the line continues this block.
    func accepts(_ line: Line) -> Bool {
        if lines.count >= Block.maxLines { return false }
        if Block.startsRecord(line) { return false }
        guard case .appError = kind else { return true }
        if inObject { return true }
        let isStack = Block.isStackLine(line.text)
        if sawStack { return isStack }
        // Before the stack: continuation of a multi-line message (an HTML error page).
        return isStack || lines.count < 60
    }

    mutating func add(_ line: Line) {
        lines.append(line)
        guard case .appError = kind else {
            depth += Block.bracketDelta(line.text)
            return
        }
        if inObject {
            depth += Block.bracketDelta(line.text)
        } else if Block.isStackLine(line.text) {
            sawStack = true
            if line.text.hasSuffix("{") {
                inObject = true
                depth = 1
            }
        }
    }

    /// Ends the block early; returns lines that turned out not to belong to it (the lines
    /// after an error message that was not followed by a stack), to be read again.
    mutating func close() -> [Line] {
        guard case .appError = kind, !sawStack, lines.count > 1 else { return [] }
        let rest = Array(lines.dropFirst())
        lines = [lines[0]]
        return rest
    }

    /// All lines joined.
    var text: String { lines.map(\.text).joined(separator: "\n") }

    /// `[log_…`, `OpenAI:DEBUG:` or an ISO-timestamped app line.
    static func startsRecord(_ line: Line) -> Bool {
        line.hasPrefix("[log_") || line.hasPrefix("OpenAI:DEBUG:") || looksTimestamped(line.text)
    }

    /// `2026-11-29T03:46:31.755Z …` or `2026-11-29 03:46:31 …`.
    static func looksTimestamped(_ s: String) -> Bool {
        let u = Array(s.utf8.prefix(11))
        guard u.count == 11 else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !(u[i] >= 0x30 && u[i] <= 0x39) { return false }
        return u[4] == UInt8(ascii: "-") && u[7] == UInt8(ascii: "-") && (u[10] == UInt8(ascii: "T") || u[10] == 0x20)
    }

    /// `    at fn (file:…)` lines of a JS stack.
    static func isStackLine(_ s: String) -> Bool {
        guard let f = s.utf8.first, f == 0x20 || f == 0x09 else { return false }
        let t = s.drop { $0 == " " || $0 == "\t" }
        return t.hasPrefix("at ") || t.hasPrefix("... ")
    }

    /// Opening minus closing brackets outside quoted strings.
    /// - Complexity: O(n) in the line's UTF-8 length.
    static func bracketDelta(_ s: String) -> Int {
        var d = 0
        var quote: UInt8 = 0
        var escaped = false
        for c in s.utf8 {
            if quote != 0 {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == quote { quote = 0 }
                continue
            }
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"): quote = c
            case UInt8(ascii: "{"), UInt8(ascii: "["): d += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): d -= 1
            default: break
            }
        }
        return d
    }
}
