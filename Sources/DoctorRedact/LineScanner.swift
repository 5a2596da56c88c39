import DoctorIngest
import DoctorModel
import DoctorParse

/// One planned replacement inside a line (byte range of the original line).
struct Span: Equatable {
    enum Action: Equatable {
        /// `prefix…last4#hex6` (keys, tokens: the report can still tell keys apart).
        case fingerprint
        /// `[REDACTED:kind]` (cookies, Basic credentials, passwords, user info).
        case label
        /// `[N chars]` (prompt and completion text).
        case size
    }
    var range: Range<Int>
    var kind: SecretKind
    var action: Action
}

/// What one line tells the next: pretty-printed HAR puts `"name"` and `"value"` on two lines,
/// and `util.inspect` splits a long string into `'…' +` continuation lines.
struct LineState {
    /// The next line's `"value"` belongs to this secret `"name"`.
    var pendingName: FieldClass?
    /// Inside a pretty-printed HAR `"cookies": [` array.
    var inCookieArray = false
    /// The previous line ended a content string with `+` (node `util.inspect`).
    var contentContinues = false
}

/// Finds what to redact in one line, by structure first (field names, headers, URL parts)
/// and then by value shape (`sk-…`, `AIza…`, JWTs, `Bearer …`), then learnt secrets.
///
/// The scanner only plans spans; `Redactor` turns them into text, counts and learns. The
/// output gate runs the same scanner, so whatever redaction would change, the gate refuses.
/// - Complexity: O(n) in the line's bytes for structure and shapes; learnt secrets add
///   O(n·k) for k learnt secrets (a handful per bundle).
struct LineScanner {
    let s: [UInt8]
    let showContent: Bool
    private(set) var spans: [Span] = []
    /// Set when a content string ends the line with `+` (util.inspect continuation).
    var continuesContent = false

    init(_ bytes: [UInt8], showContent: Bool) {
        self.s = bytes
        self.showContent = showContent
    }

    mutating func scan(state: inout LineState, learnt: [[UInt8]]) {
        scanStructure(state: &state)
        scanShapes()
        // Values found by structure on this very line count as learnt too (a LiteLLM line
        // repeats the same token under a name the structure pass does not know).
        var all = learnt
        for span in spans where span.kind != .content && ValueShape.isTokenLike(s[span.range]) {
            all.append(Array(s[span.range]))
        }
        scanLearnt(all)
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
    }

    // MARK: Spans

    func isCovered(_ r: Range<Int>) -> Bool { spans.contains { $0.range.overlaps(r) } }

    mutating func add(_ r: Range<Int>, _ kind: SecretKind, _ action: Span.Action) {
        guard !r.isEmpty, !isCovered(r), !isFingerprintPrefix(r) else { return }
        spans.append(Span(range: r, kind: kind, action: action))
    }

    // MARK: Shapes

    /// Key shapes anywhere in the line, whatever surrounds them.
    mutating func scanShapes() {
        let n = s.count
        var i = 0
        while i < n {
            let b = s[i]
            let boundary = i == 0 || !Bytes.isWord(s[i - 1])
            switch b {
            case UInt8(ascii: "s") where boundary && Bytes.matches(s, i, "sk-"):
                let end = run(from: i + 3, Bytes.isWord)
                let body = s[(i + 3)..<end]
                if body.count >= 20 || (body.count >= 12 && body.contains(where: { $0 >= 48 && $0 <= 57 })) {
                    add(i..<end, Self.kind(of: s[i..<end], default: .openAIKey), .fingerprint)
                    i = end; continue
                }
            case UInt8(ascii: "A") where boundary && Bytes.matches(s, i, "AIza"):
                let end = run(from: i + 4, Bytes.isWord)
                if end - i - 4 >= 30 { add(i..<end, .googleKey, .fingerprint); i = end; continue }
            case UInt8(ascii: "e") where boundary && Bytes.matches(s, i, "eyJ"):
                if let end = jwtEnd(from: i) { add(i..<end, .jwt, .fingerprint); i = end; continue }
            case UInt8(ascii: "B"), UInt8(ascii: "b"):
                if (i == 0 || !Bytes.isAlnum(s[i - 1])) && Bytes.matchesLower(s, i, "bearer"),
                   i + 6 < n, s[i + 6] == 32 || s[i + 6] == 9 {
                    let start = run(from: i + 6, { $0 == 32 || $0 == 9 })
                    let end = run(from: start, Bytes.isToken68)
                    let token = s[start..<end]
                    if Self.isBearerToken(token) { add(start..<end, Self.kind(of: token, default: .bearerToken), .fingerprint); i = end; continue }
                }
            case UInt8(ascii: "T"), UInt8(ascii: "t"):
                if (i == 0 || !Bytes.isAlnum(s[i - 1])) && Bytes.matchesLower(s, i, "token"),
                   i + 5 < n, s[i + 5] == 32 || s[i + 5] == 9 {
                    let start = run(from: i + 5, { $0 == 32 || $0 == 9 })
                    let end = run(from: start, { Bytes.isWord($0) || $0 == 46 })
                    if end - start >= 24, !ValueShape.isPlaceholder(s[start..<end]) {
                        add(start..<end, Self.kind(of: s[start..<end], default: .bearerToken), .fingerprint); i = end; continue
                    }
                }
            case UInt8(ascii: ":") where Bytes.matches(s, i, "://"):
                scanUserInfo(authorityStart: i + 3)
            default:
                break
            }
            i += 1
        }
    }

    /// `scheme://user:pass@host`: everything before the last `@` of the authority.
    private mutating func scanUserInfo(authorityStart a: Int) {
        var j = a, at: Int?
        while j < s.count {
            let c = s[j]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || Bytes.isSpace(c)
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "\\") || c == UInt8(ascii: ">")
                || c == UInt8(ascii: "<") || c == UInt8(ascii: ")") { break }
            if c == UInt8(ascii: "@") { at = j }
            j += 1
        }
        if let at, at > a, !ValueShape.isRedactionMarker(s[a..<at]) { add(a..<at, .urlCredentials, .label) }
    }

    /// `eyJ<header>.eyJ<payload>.<signature>`.
    private func jwtEnd(from i: Int) -> Int? {
        let h = run(from: i, Bytes.isWord)
        guard h - i >= 10, h < s.count, s[h] == UInt8(ascii: "."), Bytes.matches(s, h + 1, "eyJ") else { return nil }
        let p = run(from: h + 1, Bytes.isWord)
        guard p - h - 1 >= 10 else { return nil }
        guard p < s.count, s[p] == UInt8(ascii: ".") else { return p }
        return run(from: p + 1, Bytes.isWord)
    }

    // MARK: Learnt secrets

    /// Exact secrets met earlier (structure values, parsers' credentials), wherever they are.
    mutating func scanLearnt(_ learnt: [[UInt8]]) {
        guard !learnt.isEmpty, s.count >= 8 else { return }
        for secret in learnt where secret.count >= 8 && secret.count <= s.count {
            let first = secret[0]
            var i = 0
            let last = s.count - secret.count
            while i <= last {
                if s[i] == first && s[i..<(i + secret.count)].elementsEqual(secret) {
                    add(i..<(i + secret.count), .learntSecret, .fingerprint)
                    i += secret.count
                } else {
                    i += 1
                }
            }
        }
    }

    // MARK: Helpers

    /// The public prefix of one of our own fingerprints (`sk-proj-` in `sk-proj-…AbCd#1a2b3c`),
    /// so that redacting twice changes nothing. A real key cut short by `…` is not a prefix.
    func isFingerprintPrefix(_ r: Range<Int>) -> Bool {
        let e = r.upperBound
        guard e + 2 < s.count, s[e] == 0xE2, s[e + 1] == 0x80, s[e + 2] == 0xA6 else { return false }
        let text = String(decoding: s[r], as: UTF8.self)
        return PublicPrefix.known.contains(text)
    }

    /// The end of the run of bytes matching `pred` starting at `i`.
    func run(from i: Int, _ pred: (UInt8) -> Bool) -> Int {
        var j = i
        while j < s.count && pred(s[j]) { j += 1 }
        return j
    }

    /// A bearer credential rather than a word: 8+ token characters with a digit, or 20+
    /// characters of mixed case.
    static func isBearerToken(_ t: ArraySlice<UInt8>) -> Bool {
        guard t.count >= 8, !ValueShape.isPlaceholder(t) else { return false }
        if t.contains(where: { $0 >= 48 && $0 <= 57 }) { return true }
        return t.count >= 20 && t.contains(where: { $0 >= 65 && $0 <= 90 }) && t.contains(where: { $0 >= 97 && $0 <= 122 })
    }

    /// The kind of a credential from its prefix.
    static func kind(of v: ArraySlice<UInt8>, default d: SecretKind) -> SecretKind {
        let a = Array(v.prefix(7))
        if a.starts(with: Array("sk-ant-".utf8)) { return .anthropicKey }
        if a.starts(with: Array("sk-".utf8)) { return .openAIKey }
        if a.starts(with: Array("AIza".utf8)) { return .googleKey }
        if a.starts(with: Array("eyJ".utf8)) && v.contains(UInt8(ascii: ".")) { return .jwt }
        return d
    }
}
