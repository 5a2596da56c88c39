import DoctorModel
import DoctorParse
import Foundation

/// A cheap byte test that rules out a regular-expression match before the regex engine runs
/// (`matches` on `text` reads every exchange of a large log).
///
/// Every top-level alternative of the pattern must require a literal: a run of characters
/// outside classes and quantified atoms (escaped punctuation counts; a character with case
/// variants ends the run when the pattern is case-blind unless it is ASCII), or a required group
/// whose own alternatives each require one (`(?:model_not_found|no such model)`). A text that
/// contains none of the literals cannot match. A text that contains one may still be ruled out
/// by everything else an alternative requires (`needs`: `Error code: \d{3} - [^\n]*litellm\.`
/// needs both `error code: ` and `litellm.`, and a log's failed calls mostly hold the first). Literals are compared as UTF-8 bytes, ASCII
/// letters folded when the pattern is case-blind; the only texts that always go to the regex are
/// those holding one of the few code points that case-fold into ASCII (Kelvin sign, long s,
/// sharp s, capital sharp s, dotted capital I, the Latin ligatures). Patterns the scanner does
/// not fully understand (inline flags other than a leading case-insensitive `(?i)`, `\Q…\E`,
/// numeric or code-point escapes, back references) get no prefilter.
struct RegexPrefilter: Sendable {
    /// Per top-level alternative, the literals of which the text must contain one (lowercased
    /// ASCII when case-blind).
    let literals: [[[UInt8]]]
    /// All literals, longest first: the text may match only when it contains one of them.
    let any: [[UInt8]]
    /// Per top-level alternative, everything it requires (runs of three bytes or more and
    /// required groups): the text may match only when some alternative has all of it.
    let needs: [[Need]]
    let caseInsensitive: Bool

    /// What an alternative requires: a literal, or a group one of whose alternatives has
    /// everything it requires.
    indirect enum Need: Sendable, Equatable {
        case literal([UInt8])
        case oneOf([[Need]])

        func holds(in text: UnsafeRawBufferPointer) -> Bool {
            switch self {
            case .literal(let l): return l.withUnsafeBytes { ByteSearch.find(text, $0) != nil }
            case .oneOf(let branches): return branches.contains { $0.allSatisfy { $0.holds(in: text) } }
            }
        }
    }

    /// One alternative: the literals of which the text must contain one, and all it needs.
    struct Branch {
        var literals: [[UInt8]]
        var needs: [Need]
    }

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
        guard let branches = Self.alternatives(chars, 0..<chars.count, caseBlind: caseBlind),
              branches.allSatisfy({ !$0.literals.isEmpty }) else { return nil }
        literals = branches.map(\.literals)
        needs = branches.map(\.needs)
        var all: [[UInt8]] = []
        for lit in literals.joined() where !all.contains(lit) { all.append(lit) }
        any = all.sorted { $0.count > $1.count }
        caseInsensitive = caseBlind
    }

    /// The required literals of each alternative of `chars[range]` (an empty list for an
    /// alternative that requires none) and all it needs, or nil for a construct the scanner
    /// does not understand.
    static func alternatives(_ chars: [Unicode.Scalar], _ range: Range<Int>, caseBlind: Bool) -> [Branch]? {
        var branches: [Branch] = []
        var run: [UInt8] = [], lastCharBytes = 0
        var best: [UInt8] = []
        var bestGroup: [[UInt8]]? = nil
        var needs: [Need] = []
        func endRun() {
            if run.count > best.count { best = run }
            if run.count >= 3 && !needs.contains(.literal(run)) { needs.append(.literal(run)) }
            run = []; lastCharBytes = 0
        }
        func append(_ c: Unicode.Scalar) {
            let bytes = Array(String(c).utf8)
            run += caseBlind ? bytes.map(lower) : bytes
            lastCharBytes = bytes.count
        }
        func endBranch() {
            endRun()
            // A single run of three or more bytes beats a group whose shortest literal is shorter.
            if let g = bestGroup, (g.map(\.count).min() ?? 0) > best.count || best.isEmpty {
                branches.append(Branch(literals: g, needs: needs))
            } else {
                branches.append(Branch(literals: best.isEmpty ? [] : [best], needs: needs))
            }
            best = []; bestGroup = nil; needs = []
        }
        func quantified(after j: Int) -> (optional: Bool, isQuantifier: Bool) {
            guard j < range.upperBound else { return (false, false) }
            switch chars[j] {
            case "?", "*": return (true, true)
            case "+": return (false, true)
            case "{":
                // `{0}`, `{0,n}` make the atom optional; `{n}` / `{n,}` with n ≥ 1 keep it required.
                let k = j + 1
                return (k < range.upperBound && chars[k] == "0", true)
            default: return (false, false)
            }
        }
        var i = range.lowerBound
        while i < range.upperBound {
            let c = chars[i]
            switch c {
            case "|":
                endBranch(); i += 1
            case "\\":
                guard i + 1 < range.upperBound else { return nil }
                let e = chars[i + 1]
                if e == "p" || e == "P" {
                    endRun(); i += 2
                    if i < range.upperBound, chars[i] == "{" {
                        guard let close = skip(chars, from: i, open: "{", close: "}") else { return nil }
                        i = close
                    } else { i += 1 }
                    continue
                }
                if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                    guard "dDwWsSbBAZzGhHvVRXntrfe".unicodeScalars.contains(e) else { return nil }
                    endRun(); i += 2
                } else if e.isASCII {
                    append(e); i += 2  // escaped punctuation is itself
                } else {
                    endRun(); i += 2
                }
            case "(":
                endRun()
                guard let close = skip(chars, from: i, open: "(", close: ")"), close <= range.upperBound else { return nil }
                var bodyStart = i + 1
                var lookaround = false
                if bodyStart < close, chars[bodyStart] == "?" {
                    let next = bodyStart + 1 < close ? chars[bodyStart + 1] : " "
                    if next == ":" { bodyStart += 2 }
                    else if next == "i" && bodyStart + 2 < close && chars[bodyStart + 2] == ")" { bodyStart = close - 1 }  // `(?i)` itself
                    else { lookaround = true }
                }
                let q = quantified(after: close)
                if !lookaround && !q.optional, bodyStart < close - 1,
                   let inner = alternatives(chars, bodyStart..<(close - 1), caseBlind: caseBlind),
                   inner.allSatisfy({ !$0.literals.isEmpty }) {
                    // A group whose alternative needs nothing (only short runs) rules nothing out.
                    if inner.allSatisfy({ !$0.needs.isEmpty }) { needs.append(.oneOf(inner.map(\.needs))) }
                    let group = Array(inner.map(\.literals).joined())
                    if let old = bestGroup {
                        if (group.map(\.count).min() ?? 0) > (old.map(\.count).min() ?? 0) { bestGroup = group }
                    } else { bestGroup = group }
                }
                i = close
                if q.isQuantifier { i = skipQuantifier(chars, at: i) ?? range.upperBound }
            case "[":
                endRun()
                guard let close = skipClass(chars, from: i) else { return nil }
                i = close
            case "?", "*", "+", "{":
                // The atom before is optional or repeated: it is not a required literal.
                if lastCharBytes > 0 { run.removeLast(lastCharBytes) }
                endRun()
                guard let next = skipQuantifier(chars, at: i) else { return nil }
                i = next
            case ")":
                return nil
            case ".", "^", "$":
                endRun(); i += 1
            default:
                if c.isASCII || !caseBlind || !hasCaseVariants(c) {
                    append(c)
                } else {
                    endRun()
                }
                i += 1
            }
        }
        endBranch()
        return branches
    }

    static func hasCaseVariants(_ c: Unicode.Scalar) -> Bool {
        let s = String(c)
        return s.lowercased() != s || s.uppercased() != s || c.properties.changesWhenCaseFolded
    }

    /// Index after the quantifier at `at` (and its lazy/possessive mark).
    static func skipQuantifier(_ c: [Unicode.Scalar], at: Int) -> Int? {
        var i = at
        if c[i] == "{" {
            guard let close = skip(c, from: i, open: "{", close: "}") else { return nil }
            i = close
        } else {
            i += 1
        }
        if i < c.count, c[i] == "?" || c[i] == "+" { i += 1 }
        return i
    }

    /// False only when the regex cannot match `s`.
    func mayMatch(_ s: String) -> Bool {
        guard caseInsensitive else {
            var s = s
            return s.withUTF8 { buf in
                let raw = UnsafeRawBufferPointer(buf)
                return any.contains { lit in lit.withUnsafeBytes { ByteSearch.find(raw, $0) != nil } } && holdsNeeds(raw)
            }
        }
        return mayMatch(Folded(s))
    }

    /// False only when the regex cannot match the text `f` was made from. A case-sensitive
    /// prefilter needs the text itself: use `mayMatch(_: String)`.
    func mayMatch(_ f: Folded) -> Bool {
        if f.holdsFoldingScalar { return true }
        return f.bytes.withUnsafeBytes { mayMatch(folded: $0) }
    }

    /// False only when the regex cannot match a text whose bytes, folded by `fold(_:)`, are
    /// `folded` (a text holding a code point that folds into ASCII has no such bytes).
    func mayMatch(folded: UnsafeRawBufferPointer) -> Bool {
        any.contains { lit in lit.withUnsafeBytes { ByteSearch.find(folded, $0) != nil } } && holdsNeeds(folded)
    }

    /// Whether some alternative finds all it needs in `text` (bytes folded when case-blind).
    private func holdsNeeds(_ text: UnsafeRawBufferPointer) -> Bool {
        needs.contains { $0.allSatisfy { $0.holds(in: text) } }
    }

    /// The literals of several case-blind prefilters (`any` of each), looked for in one pass
    /// over a folded text instead of one search per literal: when none occurs, every one of
    /// those prefilters rules the text out. See `LiteralSet`.
    static func literalSet(_ filters: [RegexPrefilter]) -> LiteralSet? {
        LiteralSet(filters.flatMap(\.any))
    }

    /// Folds the UTF-8 text in `bytes` in place as `Folded` does, without a copy; false (bytes
    /// left as they were) when it holds a code point that folds into ASCII, which a case-blind
    /// prefilter cannot rule out.
    static func fold(_ bytes: inout [UInt8]) -> Bool {
        bytes.withUnsafeMutableBufferPointer { buf in
            let read = UnsafeBufferPointer(buf)
            if holdsASCIIFoldingScalar(read) { return false }
            if let out = buf.baseAddress { foldASCII(read, into: out) }
            return true
        }
    }

    /// A text as every case-blind prefilter reads it: ASCII letters folded, and whether it holds
    /// a code point that folds into ASCII. Made once per text, however many case-blind patterns
    /// test it (the rules on `text` are several, and each folded its own copy before).
    struct Folded {
        let bytes: [UInt8]
        let holdsFoldingScalar: Bool

        init(_ s: String) {
            var s = s
            (bytes, holdsFoldingScalar) = s.withUTF8 { buf in
                if RegexPrefilter.holdsASCIIFoldingScalar(buf) { return ([], true) }
                return ([UInt8](unsafeUninitializedCapacity: buf.count) { out, n in
                    RegexPrefilter.foldASCII(buf, into: out.baseAddress!)
                    n = buf.count
                }, false)
            }
        }
    }

    /// `lower` of every byte of `src`, written to `dst` (as many bytes), eight at a time.
    static func foldASCII(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) {
        guard let base = src.baseAddress else { return }
        let n = src.count
        let raw = UnsafeRawPointer(base), out = UnsafeMutableRawPointer(dst)
        var k = 0
        while k + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            // Per byte: high bit set in `upper` exactly when the byte is 0x41…0x5A. The low seven
            // bits plus a constant never carry into the next byte (0x7F + 0x3F < 0x100).
            let low = w & 0x7F7F_7F7F_7F7F_7F7F
            let atLeastA = low &+ 0x3F3F_3F3F_3F3F_3F3F   // high bit when low ≥ 0x41
            let aboveZ = low &+ 0x2525_2525_2525_2525     // high bit when low ≥ 0x5B
            let upper = atLeastA & ~aboveZ & ~w & 0x8080_8080_8080_8080
            out.storeBytes(of: w | (upper >> 2), toByteOffset: k, as: UInt64.self)
            k += 8
        }
        while k < n { dst[k] = lower(base[k]); k += 1 }
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// True when `buf` holds a code point whose case folding is ASCII (so a case-blind regex
    /// may match it with an ASCII letter): U+212A KELVIN SIGN, U+017F LONG S, U+00DF SHARP S,
    /// U+1E9E CAPITAL SHARP S, U+0130 DOTTED CAPITAL I, U+FB00–U+FB06 the Latin ligatures, and
    /// the letters whose full folding is an ASCII letter plus a combining mark (U+01F0, U+1E96–U+1E9A).
    static func holdsASCIIFoldingScalar(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buf.count
        guard let base = buf.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var k = 0
        while k < n {
            // Runs of ASCII (most of a log line) skipped eight bytes at a time: a lead byte of
            // interest has its high bit set.
            while k + 8 <= n, raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { k += 8 }
            guard k < n else { break }
            let b = buf[k]
            if b < 0xC3 { k += 1; continue }
            let b1: UInt8 = k + 1 < n ? buf[k + 1] : 0
            let b2: UInt8 = k + 2 < n ? buf[k + 2] : 0
            switch b {
            case 0xC3: if b1 == 0x9F { return true }
            case 0xC4: if b1 == 0xB0 { return true }
            case 0xC5: if b1 == 0xBF { return true }
            case 0xC7: if b1 == 0xB0 { return true }
            case 0xE1: if b1 == 0xBA && (b2 == 0x9E || (0x96...0x9A).contains(b2)) { return true }
            case 0xE2: if b1 == 0x84 && b2 == 0xAA { return true }
            case 0xEF: if b1 == 0xAC && (0x80...0x86).contains(b2) { return true }
            default: break
            }
            k += 1
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

/// Byte strings (two bytes or more) looked for together in one pass: each is anchored on the
/// pair of adjacent bytes in it least likely in log text (letters and spaces are common,
/// `_` `'` and most other bytes are not), a bitmap of those pairs is checked at every
/// position, and a set bit is confirmed by comparing the whole string. Exact: the bitmap only
/// spares the comparisons.
struct LiteralSet: Sendable {
    /// One bit per pair `first | second << 8`.
    private let bits: [UInt64]
    /// Per anchor pair (sorted by pair), the strings anchored on it and the anchor's offset.
    private let anchors: [(pair: Int, literal: [UInt8], offset: Int)]

    /// Nil when a string is shorter than two bytes (a one-byte string has no pair).
    init?(_ literals: [[UInt8]]) {
        guard !literals.isEmpty, literals.allSatisfy({ $0.count >= 2 }) else { return nil }
        var bits = [UInt64](repeating: 0, count: 1024)
        var anchors: [(pair: Int, literal: [UInt8], offset: Int)] = []
        for lit in literals {
            let k = (0..<(lit.count - 1)).min { Self.commonness(lit[$0], lit[$0 + 1]) < Self.commonness(lit[$1], lit[$1 + 1]) }!
            let pair = Int(lit[k]) | Int(lit[k + 1]) << 8
            bits[pair >> 6] |= 1 << UInt64(pair & 63)
            anchors.append((pair, lit, k))
        }
        self.bits = bits
        self.anchors = anchors.sorted { $0.pair < $1.pair }
    }

    /// How often a pair of folded bytes shows in log text, roughly: lower is rarer.
    static func commonness(_ a: UInt8, _ b: UInt8) -> Int { rank(a) + rank(b) }

    private static func rank(_ c: UInt8) -> Int {
        switch c {
        case UInt8(ascii: " "), UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
             UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"): return 4
        case UInt8(ascii: "h"), UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "u"), UInt8(ascii: "m"),
             UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "-"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return 3
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "="), UInt8(ascii: "'"): return 2
        default: return 1
        }
    }

    /// Whether any of the strings occurs in `text`.
    func occurs(in text: UnsafeRawBufferPointer) -> Bool {
        let n = text.count
        guard n >= 2, let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        return bits.withUnsafeBufferPointer { bits in
            var i = 0
            while i + 1 < n {
                let pair = Int(base[i]) | Int(base[i + 1]) << 8
                if bits[pair >> 6] & (1 << UInt64(pair & 63)) != 0 && confirmed(pair, at: i, base, n) { return true }
                i += 1
            }
            return false
        }
    }

    /// Whether a string anchored on `pair` occurs with its anchor at `i`.
    private func confirmed(_ pair: Int, at i: Int, _ base: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var lo = 0, hi = anchors.count
        while lo < hi { let mid = (lo + hi) / 2; if anchors[mid].pair < pair { lo = mid + 1 } else { hi = mid } }
        while lo < anchors.count && anchors[lo].pair == pair {
            let a = anchors[lo]
            lo += 1
            let start = i - a.offset
            guard start >= 0, start + a.literal.count <= n else { continue }
            if a.literal.withUnsafeBufferPointer({ memcmp(base + start, $0.baseAddress!, $0.count) == 0 }) { return true }
        }
        return false
    }
}
