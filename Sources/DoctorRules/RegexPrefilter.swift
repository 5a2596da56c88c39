import DoctorModel
import DoctorParse
import Foundation

/// A cheap test that rules out a regular-expression match on plain ASCII text before the
/// regex engine runs (`matches` on `text` reads every exchange of a large log).
///
/// Every top-level alternative of the pattern must contain a literal run (letters, digits,
/// punctuation outside groups, classes and quantified atoms); an ASCII text that contains
/// none of those runs cannot match. An alternative that requires a character with no case
/// variant outside ASCII (CJK text, say) cannot match ASCII text at all. Text with any
/// non-ASCII byte always goes to the regex: Unicode case folding (`K` for the Kelvin sign,
/// `ss` for `ß`) is not modelled. Patterns the scanner does not fully understand (inline flags
/// other than a case-insensitive `(?i)`, `\Q…\E`, numeric or code-point escapes, back
/// references) get no prefilter.
struct RegexPrefilter: Sendable {
    /// Per alternative: the longest required ASCII run (lowercased when case-blind), or nil
    /// when the alternative cannot match ASCII text.
    let literals: [[UInt8]?]
    let caseInsensitive: Bool

    init?(pattern: String, caseInsensitive ci: Bool) {
        let chars = Array(pattern.unicodeScalars)
        var caseBlind = ci
        // Inline flags: only a plain `(?i)` is understood.
        var i = 0
        while i + 1 < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "(" && chars[i + 1] == "?" {
                let next = i + 2 < chars.count ? chars[i + 2] : " "
                if next == "i" && i + 3 < chars.count && chars[i + 3] == ")" { caseBlind = true }
                else if !(next == ":" || next == "=" || next == "!" || next == "<") { return nil }
            }
            i += 1
        }
        var branches: [[UInt8]?] = []
        var run: [UInt8] = [], best: [UInt8] = [], impossible = false
        func endRun() { if run.count > best.count { best = run }; run = [] }
        func endBranch() {
            endRun()
            branches.append(impossible ? nil : best)
            best = []; impossible = false
        }
        i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "|":
                endBranch(); i += 1
            case "\\":
                guard i + 1 < chars.count else { return nil }
                let e = chars[i + 1]
                if e == "p" || e == "P" {
                    endRun(); i += 2
                    if i < chars.count, chars[i] == "{" { guard let close = Self.skip(chars, from: i, open: "{", close: "}") else { return nil }; i = close }
                    else { i += 1 }
                    continue
                }
                if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                    guard "dDwWsSbBAZzGhHvVRXntrfe".unicodeScalars.contains(e) else { return nil }
                }
                endRun(); i += 2
            case "(":
                endRun()
                guard let close = Self.skip(chars, from: i, open: "(", close: ")") else { return nil }
                i = close
            case "[":
                endRun()
                guard let close = Self.skipClass(chars, from: i) else { return nil }
                i = close
            case "?", "*", "+", "{":
                // The atom before is optional or repeated: it is not a required literal.
                if !run.isEmpty { run.removeLast() }
                endRun()
                if c == "{" {
                    guard let close = Self.skip(chars, from: i, open: "{", close: "}") else { return nil }
                    i = close
                } else { i += 1 }
            case ")":
                return nil
            case ".", "^", "$":
                endRun(); i += 1
            default:
                let quantified = i + 1 < chars.count && "?*+{".unicodeScalars.contains(chars[i + 1])
                if c.isASCII {
                    let b = UInt8(c.value)
                    run.append(caseBlind ? Self.lower(b) : b)
                } else {
                    endRun()
                    // A required character with no case variants never matches ASCII text.
                    let s = String(c)
                    if !quantified && (!caseBlind || (s.lowercased() == s && s.uppercased() == s)) { impossible = true }
                }
                i += 1
            }
        }
        endBranch()
        // An alternative that may match ASCII text but has no literal defeats the filter.
        guard branches.allSatisfy({ $0 == nil || !$0!.isEmpty }) else { return nil }
        literals = branches
        caseInsensitive = caseBlind
    }

    /// False only when the regex cannot match `s`.
    func mayMatch(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { buf in
            if buf.contains(where: { $0 >= 0x80 }) { return true }
            return literals.contains { lit in lit.map { Self.find($0, in: buf, caseBlind: caseInsensitive) } ?? false }
        }
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, caseBlind: Bool) -> Bool {
        let n = needle.count
        guard n <= hay.count else { return false }
        var i = 0
        while i <= hay.count - n {
            var j = 0
            while j < n && (caseBlind ? lower(hay[i + j]) : hay[i + j]) == needle[j] { j += 1 }
            if j == n { return true }
            i += 1
        }
        return false
    }

    /// Index after the bracket closing the one at `from` (escapes and classes inside skipped).
    static func skip(_ c: [Unicode.Scalar], from: Int, open: Unicode.Scalar, close: Unicode.Scalar) -> Int? {
        var depth = 0
        var i = from
        while i < c.count {
            if c[i] == "\\" { i += 2; continue }
            if open == "(" && c[i] == "[" { guard let e = skipClass(c, from: i) else { return nil }; i = e; continue }
            if c[i] == open { depth += 1 } else if c[i] == close { depth -= 1; if depth == 0 { return i + 1 } }
            i += 1
        }
        return nil
    }

    /// Index after the character class opening at `from` (ICU sets nest: `[a-z&&[^b]]`).
    static func skipClass(_ c: [Unicode.Scalar], from: Int) -> Int? {
        var depth = 0
        var i = from
        while i < c.count {
            if c[i] == "\\" { i += 2; continue }
            if c[i] == "[" {
                depth += 1
                i += 1
                // A `]` right after `[` or `[^` is a literal member.
                if i < c.count, c[i] == "^" { i += 1 }
                if i < c.count, c[i] == "]" { i += 1 }
                continue
            }
            if c[i] == "]" { depth -= 1; if depth == 0 { return i + 1 } }
            i += 1
        }
        return nil
    }
}
