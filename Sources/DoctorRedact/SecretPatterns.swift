import DoctorIngest
import DoctorModel
import DoctorParse

/// What the redactor recognises: secret kinds, field names that carry secrets or customer
/// text, public key prefixes, and the tests that tell a real value from a placeholder.
///
/// Everything works on UTF-8 bytes so the per-line scan never builds a `String` unless a
/// field name is followed by a separator (see `LineScanner`).

/// The kinds counted in `RedactionSummary.byKind` (the raw values are the JSON keys).
enum SecretKind: String, Sendable, CaseIterable {
    case openAIKey = "openai-key"
    case anthropicKey = "anthropic-key"
    case googleKey = "google-key"
    case jwt
    case bearerToken = "bearer-token"
    case basicAuth = "basic-auth"
    case authorization
    case cookie
    case apiKey = "api-key"
    case password
    case secretField = "secret-field"
    case querySecret = "query-secret"
    case urlCredentials = "url-credentials"
    case learntSecret = "learnt-secret"
    case content
}

/// How a field name is treated, from its lower-cased, `-`→`_` normalised spelling.
enum FieldClass: Equatable {
    /// `Authorization`, `Proxy-Authorization`: value is `Scheme credential`.
    case authorization
    /// `Cookie`, `Set-Cookie`: the whole value is secret.
    case cookie
    /// Always secret when the value is not a placeholder (`api_key`, `token`, `password` …).
    case strong(SecretKind)
    /// Secret only when the value looks random (`*_key`, `*Token`, `signature` …).
    case weak
    /// Secret in a URL query or a HAR name/value pair only (`key`, `sig`).
    case queryOnly
    /// Prompt or completion text (`content`, `prompt`, `input`, `instructions`).
    case content
    /// `text` of a content part (`{"type":"text","text":"…"}`): content when a `type` is near.
    case partText
    /// HAR `"value"`: meaningful after a secret `"name"` or inside `"cookies"`.
    case harValue
    /// HAR `"cookies": [...]`.
    case cookieArray
}

enum SecretNames {
    private static let exact: [String: FieldClass] = [
        "authorization": .authorization, "proxy_authorization": .authorization,
        "cookie": .cookie, "set_cookie": .cookie, "cookies": .cookieArray,
        "api_key": .strong(.apiKey), "apikey": .strong(.apiKey), "x_api_key": .strong(.apiKey),
        "x_goog_api_key": .strong(.apiKey), "api_token": .strong(.apiKey), "xi_api_key": .strong(.apiKey),
        "ocp_apim_subscription_key": .strong(.apiKey), "x_auth_token": .strong(.secretField),
        "password": .strong(.password), "passwd": .strong(.password), "pwd": .strong(.password),
        "secret": .strong(.secretField), "client_secret": .strong(.secretField),
        "master_key": .strong(.secretField), "token": .strong(.secretField),
        "access_token": .strong(.secretField), "refresh_token": .strong(.secretField),
        "id_token": .strong(.secretField), "auth_token": .strong(.secretField),
        "session_token": .strong(.secretField), "private_key": .strong(.secretField),
        "secret_key": .strong(.secretField), "bearer": .strong(.secretField),
        "key": .queryOnly, "sig": .queryOnly, "signature": .queryOnly,
        "content": .content, "prompt": .content, "input": .content, "instructions": .content,
        "text": .partText, "value": .harValue,
    ]

    /// The class of a field name, or nil for an ordinary field.
    static func classify(_ rawName: ArraySlice<UInt8>) -> FieldClass? {
        guard rawName.count >= 3, rawName.count <= 48 else { return nil }
        let name = String(decoding: rawName.map { b -> UInt8 in
            if b == UInt8(ascii: "-") { return UInt8(ascii: "_") }
            return (b >= 65 && b <= 90) ? b + 32 : b
        }, as: UTF8.self)
        if let c = exact[name] { return c }
        // Ids that look random but are not credentials (the SDK's retry key).
        if name == "idempotency_key" || name.hasSuffix("_id") { return nil }
        if name.hasSuffix("api_key") || name.hasSuffix("apikey") { return .strong(.apiKey) }
        if name.hasSuffix("_password") || name.hasSuffix("password") { return .strong(.password) }
        if name.hasSuffix("_secret") || name.hasSuffix("secret") || name.hasSuffix("_key") || name.hasSuffix("key")
            || name.hasSuffix("_token") || name.hasSuffix("token") || name.hasSuffix("_auth")
            || name.hasSuffix("credential") || name.hasSuffix("credentials") || name.hasSuffix("signature") {
            return .weak
        }
        return nil
    }
}

/// Byte classes used by the scanners.
enum Bytes {
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }
    /// Characters of an identifier or key body: `[A-Za-z0-9_-]`.
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == 95 || b == 45 }
    /// Characters of a bearer token (RFC 6750 `b64token` plus `.`).
    @inline(__always) static func isToken68(_ b: UInt8) -> Bool {
        isWord(b) || b == 46 || b == 126 || b == 43 || b == 47 || b == 61
    }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 || b == 10 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
    }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

    /// Case-insensitive match of an ASCII lower-case literal at `i`.
    static func matchesLower(_ s: [UInt8], _ i: Int, _ lit: StaticString) -> Bool {
        lit.withUTF8Buffer { l in
            guard i >= 0, i + l.count <= s.count else { return false }
            for j in 0..<l.count where lower(s[i + j]) != l[j] { return false }
            return true
        }
    }

    /// Exact match of a literal at `i`.
    static func matches(_ s: [UInt8], _ i: Int, _ lit: StaticString) -> Bool {
        lit.withUTF8Buffer { l in
            guard i >= 0, i + l.count <= s.count else { return false }
            for j in 0..<l.count where s[i + j] != l[j] { return false }
            return true
        }
    }
}

/// Tests on a candidate value: placeholder, already redacted, random-looking.
enum ValueShape {
    /// Values that are not secrets: empty, masked (`***`, `Be****8f`), `None`, env-var names,
    /// template holes, and this tool's own markers (so redaction is idempotent).
    static func isPlaceholder(_ v: ArraySlice<UInt8>) -> Bool {
        if v.isEmpty || isRedactionMarker(v) { return true }
        let first = v.first!
        if first == UInt8(ascii: "$") || first == UInt8(ascii: "<") || first == UInt8(ascii: "{") || first == UInt8(ascii: "%") {
            return true
        }
        // Masked (`***`, `Be****8f`, `sk-...`): fewer than 8 characters left beside 3+ mask characters.
        var kept = 0, masks = 0
        var envLike = true
        for b in v {
            if b == UInt8(ascii: "*") || b == UInt8(ascii: ".") || b == UInt8(ascii: "x") || b == UInt8(ascii: "X") { masks += 1 } else { kept += 1 }
            if !((b >= 65 && b <= 90) || b == 95) { envLike = false }
        }
        if kept < 8 && masks >= 3 { return true }
        if envLike { return true }
        let word = String(decoding: v.prefix(12), as: UTF8.self).lowercased()
        if ["none", "null", "nil", "undefined", "true", "false", "redacted", "hidden", "masked", "[filtered]"].contains(word) { return true }
        if v.allSatisfy({ $0 >= 48 && $0 <= 57 }) && v.count < 8 { return true }
        return false
    }

    /// `[REDACTED…]`, `[N chars]`, or a fingerprint `prefix…last4#hex6`.
    static func isRedactionMarker(_ v: ArraySlice<UInt8>) -> Bool {
        if v.starts(with: Array("[REDACTED".utf8)) { return true }
        if v.last == UInt8(ascii: "]"), v.first == UInt8(ascii: "["), v.count < 24,
           String(decoding: v, as: UTF8.self).hasSuffix(" chars]") { return true }
        // fingerprint: … (E2 80 A6), up to 4 characters, '#', 6 hex digits, end.
        guard v.count >= 10 else { return false }
        let a = Array(v)
        let n = a.count
        guard a[n - 7] == UInt8(ascii: "#"), a[(n - 6)...].allSatisfy(Bytes.isHex) else { return false }
        for start in max(0, n - 14)...(n - 10) where a[start] == 0xE2 && a[start + 1] == 0x80 && a[start + 2] == 0xA6 {
            return true
        }
        return false
    }

    /// Looks like a generated credential: 16+ characters, no spaces, letters and digits mixed,
    /// not a path or URL.
    static func isHighEntropy(_ v: ArraySlice<UInt8>, minLength: Int = 16) -> Bool {
        guard v.count >= minLength, !isPlaceholder(v) else { return false }
        var lower = false, upper = false, digit = false
        if v.first == UInt8(ascii: "/") || v.contains(UInt8(ascii: ":")) { return false }
        for b in v {
            if Bytes.isSpace(b) { return false }
            if b >= 97 && b <= 122 { lower = true } else if b >= 65 && b <= 90 { upper = true } else if b >= 48 && b <= 57 { digit = true }
        }
        let classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0)
        return classes >= 2 && digit || classes == 3
    }

    /// No whitespace and at least 8 characters: worth fingerprinting and learning.
    static func isTokenLike(_ v: ArraySlice<UInt8>) -> Bool {
        v.count >= 8 && !v.contains(where: Bytes.isSpace)
    }
}

/// The public, well-known start of a key (`sk-proj-`, `AIza` …), shown in fingerprints.
enum PublicPrefix {
    /// Longest first so `sk-ant-api03-` wins over `sk-ant-` and `sk-`.
    static let known: [String] = [
        "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-",
        "sk-gw-admin-", "sk-gw-", "sk-or-v1-", "sk-", "AIza", "eyJ", "ghp_", "github_pat_", "xoxb-", "xoxp-",
    ]

    /// The public prefix of `secret` (empty when none is known).
    static func of(_ secret: String) -> String {
        known.first { secret.hasPrefix($0) && secret.count > $0.count } ?? ""
    }

    /// Prefixes the output gate strips before looking for 12-character stretches of a body.
    static func body(of secret: String) -> Substring {
        var s = Substring(secret)
        for scheme in ["Bearer ", "bearer ", "Basic ", "Token "] where s.hasPrefix(scheme) { s = s.dropFirst(scheme.count) }
        let p = of(String(s))
        return s.dropFirst(p.count)
    }
}
