import DoctorIngest
import DoctorModel
import DoctorParse

/// Redaction by structure: a field or header whose *name* says it holds a secret or customer
/// text, in every text shape the inputs use:
///
/// - `Name: value` header lines (curl -v, raw HTTP), `-H 'Name: value'`
/// - JSON / HAR: `"api_key": "…"`, `{"name":"authorization","value":"…"}` (also pretty-printed
///   over two lines, and escaped inside another JSON string: `\"content\":\"…\"`)
/// - Python reprs: `'api_key': '…'`, tuples `('authorization', '…')`, `b'…'`, `token='…'`
/// - node `util.inspect`: `apiKey: '…'`, `content: '…' +` continuation lines
/// - `api_key=…`, URL query parameters `?key=…&sig=…`
extension LineScanner {
    enum Quote: Equatable {
        case double, single, escapedDouble
        var width: Int { self == .escapedDouble ? 2 : 1 }
    }

    enum Separator { case colon, equals, comma }

    mutating func scanStructure(state: inout LineState) {
        let n = s.count
        var i = 0
        var pending = state.pendingName
        state.pendingName = nil
        var cookieEnd: Int? = state.inCookieArray ? n : nil
        if state.inCookieArray {
            let t = trimmed()
            if t.first == UInt8(ascii: "]") { state.inCookieArray = false; cookieEnd = nil }
        }
        if state.contentContinues {
            state.contentContinues = false
            let start = run(from: 0, { $0 == 32 || $0 == 9 })
            if let q = quote(at: start), let end = stringEnd(from: start + q.width, q) {
                if !showContent { add((start + q.width)..<end, .content, .size) }
                state.contentContinues = endsWithPlus(after: end + q.width)
                i = end + q.width
            }
        }

        while i < n {
            guard Bytes.isWord(s[i]) else { i += 1; continue }
            let a = i
            i = run(from: i, Bytes.isWord)
            let e = i
            guard let (sep, quoted, valueStart) = separator(nameStart: a, nameEnd: e),
                  var cls = SecretNames.classify(s[a..<e]) else { continue }
            let inQuery = !quoted && sep == .equals && a > 0 && (s[a - 1] == UInt8(ascii: "?") || s[a - 1] == UInt8(ascii: "&"))

            switch cls {
            case .harValue:
                guard sep == .colon, quoted else { continue }
                if let p = pending { cls = p; pending = nil } else if let c = cookieEnd, a < c { cls = .cookie } else { continue }
            case .cookieArray:
                guard sep == .colon else { continue }
                let v = run(from: valueStart, { $0 == 32 || $0 == 9 })
                if v < n, s[v] == UInt8(ascii: "[") {
                    if let close = s[v...].firstIndex(of: UInt8(ascii: "]")) { cookieEnd = close } else { cookieEnd = n; state.inCookieArray = true }
                }
                continue
            case .queryOnly:
                cls = (inQuery || sep == .comma) ? .strong(.querySecret) : .weak
            case .content, .partText:
                guard sep == .colon else { continue }
                if cls == .partText && !nearTypeText(before: a) { continue }
                if showContent { continue }
            default:
                if inQuery, case .weak = cls { cls = .strong(.querySecret) }
            }

            var v = run(from: valueStart, { $0 == 32 || $0 == 9 })
            if sep == .comma {
                if v >= n || trimmed(from: v).isEmpty {
                    if cls != .content && cls != .partText { state.pendingName = cls }
                    continue
                }
                if cls == .content || cls == .partText { continue }
                // HAR on one line: `"Authorization","value":"…"`.
                for lit: StaticString in ["\"value\"", "\\\"value\\\""] where Bytes.matches(s, v, lit) {
                    let p = run(from: v + lit.utf8CodeUnitCount, { $0 == 32 || $0 == 9 })
                    guard p < n, s[p] == UInt8(ascii: ":") else { break }
                    v = run(from: p + 1, { $0 == 32 || $0 == 9 })
                }
            }
            if let next = value(of: cls, at: v) { i = max(i, next) }
        }
        if continuesContent { state.contentContinues = true }
    }

    /// Redacts the value of a classified field at `v`; returns where scanning resumes.
    private mutating func value(of cls: FieldClass, at start: Int) -> Int? {
        let n = s.count
        guard start < n else { return nil }
        var v = start
        if s[v] == UInt8(ascii: "b"), v + 1 < n, s[v + 1] == UInt8(ascii: "'") || s[v + 1] == UInt8(ascii: "\"") { v += 1 }
        if let q = quote(at: v) {
            guard let end = stringEnd(from: v + q.width, q) else { return nil }
            let r = (v + q.width)..<end
            if cls == .content || cls == .partText {
                if !r.isEmpty && !ValueShape.isRedactionMarker(s[r]) { add(r, .content, .size) }
                if q == .single && endsWithPlus(after: end + 1) { continuesContent = true }
            } else {
                secret(cls, r, quoted: true)
            }
            return end + q.width
        }
        if (cls == .content || cls == .partText) {
            // An array of strings (`"input": ["…", "…"]`); arrays of objects are scanned by name.
            guard s[v] == UInt8(ascii: "["), quote(at: run(from: v + 1, Bytes.isSpace)) != nil else { return nil }
            var j = v + 1
            while j < n {
                j = run(from: j, { Bytes.isSpace($0) || $0 == UInt8(ascii: ",") })
                guard j < n, let q = quote(at: j), let end = stringEnd(from: j + q.width, q) else { break }
                if end > j + q.width { add((j + q.width)..<end, .content, .size) }
                j = end + q.width
            }
            return j
        }
        let end: Int
        switch cls {
        case .authorization, .cookie:
            // A JSON number under the name (`"cookie": 2,`: the count of redacted cookies in a
            // report's summary) ends at its digits; the placeholder test below then judges it.
            let digits = run(from: v, { $0 >= 48 && $0 <= 57 })
            let number = digits > v && trimmed(from: digits).allSatisfy { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") || Bytes.isSpace($0) }
            end = number ? digits
                : run(from: v, { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\\") && $0 != 10 && $0 != 13 })
        default:
            end = run(from: v, { !(Bytes.isSpace($0) || ",;&)]}\"'\\<>|".utf8.contains($0)) })
        }
        var e = end
        while e > v && Bytes.isSpace(s[e - 1]) { e -= 1 }
        secret(cls, v..<e, quoted: false)
        return e
    }

    /// Plans the span(s) for a secret value.
    private mutating func secret(_ cls: FieldClass, _ r: Range<Int>, quoted: Bool) {
        let value = s[r]
        guard !r.isEmpty, !ValueShape.isPlaceholder(value) else { return }
        switch cls {
        case .authorization:
            // `Scheme credential`: keep the scheme, which the diagnosis may need.
            let schemeEnd = run(from: r.lowerBound, Bytes.isAlnum)
            if schemeEnd < r.upperBound, schemeEnd - r.lowerBound <= 10, s[schemeEnd] == 32 {
                let credStart = run(from: schemeEnd, { $0 == 32 })
                let credEnd = quoted ? r.upperBound : min(r.upperBound, run(from: credStart, Bytes.isToken68))
                let cred = credStart..<credEnd
                guard !cred.isEmpty, !ValueShape.isPlaceholder(s[cred]) else { return }
                if Bytes.matchesLower(s, r.lowerBound, "basic ") {
                    add(cred, .basicAuth, .label)
                } else {
                    add(cred, Self.kind(of: s[cred], default: .bearerToken), ValueShape.isTokenLike(s[cred]) ? .fingerprint : .label)
                }
            } else if !value.allSatisfy({ Bytes.isAlnum($0) && $0 > 57 }) || value.count > 10 {
                // (A bare scheme word such as `Bearer` with nothing after it is kept.)
                add(r, Self.kind(of: value, default: .authorization), ValueShape.isTokenLike(value) ? .fingerprint : .label)
            }
        case .cookie:
            add(r, .cookie, .label)
        case .strong(let kind):
            if kind == .password || !ValueShape.isTokenLike(value) {
                add(r, kind, .label)
            } else {
                add(r, Self.kind(of: value, default: kind), .fingerprint)
            }
        case .weak:
            if ValueShape.isHighEntropy(value) { add(r, Self.kind(of: value, default: .secretField), .fingerprint) }
        default:
            break
        }
    }

    /// The separator after a field name: `:`, `=` (not `==`), or `,` after a quoted name.
    private func separator(nameStart a: Int, nameEnd e: Int) -> (Separator, Bool, Int)? {
        let n = s.count
        guard e < n else { return nil }
        var p = e
        var quoted = false
        if a > 0, let q = quoteBefore(a) {
            switch q {
            case .double where s[p] == UInt8(ascii: "\""): quoted = true; p += 1
            case .single where s[p] == UInt8(ascii: "'"): quoted = true; p += 1
            case .escapedDouble where Bytes.matches(s, p, "\\\""): quoted = true; p += 2
            default: break
            }
        }
        p = run(from: p, { $0 == 32 || $0 == 9 })
        guard p < n else { return nil }
        switch s[p] {
        case UInt8(ascii: ":"):
            if Bytes.matches(s, p, "://") { return nil }
            return (.colon, quoted, p + 1)
        case UInt8(ascii: "="):
            if p + 1 < n && (s[p + 1] == UInt8(ascii: "=") || s[p + 1] == UInt8(ascii: ">")) { return nil }
            return (.equals, quoted, p + 1)
        case UInt8(ascii: ",") where quoted:
            return (.comma, quoted, p + 1)
        default:
            return nil
        }
    }

    private func quoteBefore(_ a: Int) -> Quote? {
        switch s[a - 1] {
        case UInt8(ascii: "\""): return a >= 2 && s[a - 2] == UInt8(ascii: "\\") ? .escapedDouble : .double
        case UInt8(ascii: "'"): return .single
        default: return nil
        }
    }

    func quote(at v: Int) -> Quote? {
        guard v < s.count else { return nil }
        switch s[v] {
        case UInt8(ascii: "\""): return .double
        case UInt8(ascii: "'"): return .single
        case UInt8(ascii: "\\") where v + 1 < s.count && s[v + 1] == UInt8(ascii: "\""): return .escapedDouble
        default: return nil
        }
    }

    /// The index of the closing quote of a string whose body starts at `i`, honouring
    /// backslash escapes (one level for `"`/`'`, two levels for `\"` inside a JSON string).
    func stringEnd(from i: Int, _ q: Quote) -> Int? {
        let n = s.count
        var j = i
        let bs = UInt8(ascii: "\\")
        while j < n {
            let c = s[j]
            switch q {
            case .double, .single:
                if c == bs { j += 2; continue }
                if c == (q == .double ? UInt8(ascii: "\"") : UInt8(ascii: "'")) { return j }
                j += 1
            case .escapedDouble:
                if c == bs && j + 1 < n {
                    if s[j + 1] == UInt8(ascii: "\"") { return j }
                    if s[j + 1] == bs {
                        // An escaped backslash of the inner string escapes the next inner character.
                        j += 2
                        if j < n && s[j] == bs { j += 2 } else { j += 1 }
                        continue
                    }
                    j += 2; continue
                }
                j += 1
            }
        }
        return nil
    }

    /// `{"type":"text","text":…}`: a `type` whose value ends in `text` shortly before.
    private func nearTypeText(before a: Int) -> Bool {
        let w = Array(s[max(0, a - 48)..<a])
        guard let t = w.firstRange(of: Array("type".utf8)) else { return false }
        let after = w[t.upperBound...]
        return after.firstRange(of: Array("text\"".utf8)) != nil || after.firstRange(of: Array("text'".utf8)) != nil
            || after.firstRange(of: Array("text\\\"".utf8)) != nil
    }

    private func endsWithPlus(after p: Int) -> Bool {
        let t = trimmed(from: p)
        return t.count == 1 && t.first == UInt8(ascii: "+")
    }

    func trimmed(from p: Int = 0) -> ArraySlice<UInt8> {
        var a = min(p, s.count), b = s.count
        while a < b && Bytes.isSpace(s[a]) { a += 1 }
        while b > a && Bytes.isSpace(s[b - 1]) { b -= 1 }
        return s[a..<b]
    }
}
