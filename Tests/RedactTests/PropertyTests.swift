import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// A seeded generator, so every run plants the same "random" keys.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// Random keys of every kind, planted at random places in lines shaped like every input
/// kind, never survive redaction (no 12-character stretch of their body), the output passes
/// the gate, and redacting again changes nothing.
@Suite struct PropertyTests {
    static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let urlsafe = alnum + ["-", "_"]

    static func random(_ n: Int, _ chars: [Character], _ g: inout SplitMix64) -> String {
        String((0..<n).map { _ in chars.randomElement(using: &g)! })
    }

    /// One key of each kind the gateways and providers hand out.
    static func keys(_ g: inout SplitMix64) -> [String] {
        [
            "sk-" + random(48, alnum, &g),                                   // One API / New API
            "sk-" + random(22, alnum, &g),                                   // LiteLLM virtual key
            "sk-gw-admin-" + random(12, Array("0123456789abcdef"), &g),      // gateway master key
            "sk-proj-" + random(48, urlsafe, &g) + "A",
            "sk-svcacct-" + random(40, urlsafe, &g) + "b",
            "sk-admin-" + random(40, urlsafe, &g) + "c",
            "sk-ant-api03-" + random(93, urlsafe, &g) + "AA",
            "AIza" + random(35, urlsafe, &g),
            "eyJ" + random(20, urlsafe, &g) + ".eyJ" + random(30, urlsafe, &g) + "." + random(43, urlsafe, &g),
        ]
    }

    /// Line shapes per input kind; `{K}` is the key.
    static let shapes: [String] = [
        // HAR (mitmproxy pretty, Chromium one-line, escaped body)
        #"                            "value": "Bearer {K}""#,
        #"{"name":"Authorization","value":"Bearer {K}"},{"name":"Accept","value":"*/*"}"#,
        #""postData":{"text":"{\"model\":\"gpt-4o\",\"api_key\":\"{K}\"}"}"#,
        // python SDK log
        #"[2026-11-29 03:17:41 - openai._base_client:453 - DEBUG] Request options: {'method': 'post', 'url': '/chat/completions', 'headers': {'Authorization': 'Bearer {K}'}, 'json_data': {'model': 'gpt-4o'}}"#,
        #"DEBUG openai: api_key={K} base_url=https://gw.example.com/v1"#,
        // node util.inspect
        #"    authorization: 'Bearer {K}',"#,
        #"  apiKey: '{K}',"#,
        // curl -v
        #"> Authorization: Bearer {K}"#,
        #"curl -sS https://gw.example.com/v1/models -H "x-api-key: {K}""#,
        // gateway logs (LiteLLM, One API)
        #"03:19:25 - LiteLLM Proxy:DEBUG: user_api_key_auth.py:1 - UserAPIKeyAuth(token='{K}', key_name=None)"#,
        #"[GIN] 2026/11/29 - 03:19:25 | 401 | 1.2ms | 127.0.0.1 | GET "/v1/models?key={K}""#,
        // plain text
        #"my key is {K}"#,
        #"{K}"#,
    ]

    static let filler = ["model=gpt-4o-2024-08-06", "status=404", "req_bdbfc5c9cafc34fa6c72fba73bdce45c",
                         "https://gw.example.com/v1/models", "/home/dev/app.py:57", "模型不存在", "ok,", "(x)", "'a'", "\"b\":"]

    @Test func plantedKeysNeverSurvive() throws {
        var g = SplitMix64(state: 0x5EED_2026)
        var cases = 0
        for round in 0..<6 {
            for key in Self.keys(&g) {
                for shape in Self.shapes {
                    // Random filler before and after the shaped fragment.
                    let before = (0..<Int.random(in: 0...3, using: &g)).map { _ in Self.filler.randomElement(using: &g)! }
                    let after = (0..<Int.random(in: 0...3, using: &g)).map { _ in Self.filler.randomElement(using: &g)! }
                    let line = (before + [shape.replacingOccurrences(of: "{K}", with: key)] + after).joined(separator: " ")
                    let r = Redactor(options: .init(showContent: round % 2 == 1))
                    let out = r.redact(line).value
                    #expect(Leaks.stretch(of: key, in: out) == nil, "leak of \(key.prefix(6)) in shape \(shape): \(out)")
                    #expect(throws: Never.self) { try r.gate(out) }
                    #expect(r.redact(out).value == out, "not idempotent: \(out)")
                    for f in before + after where !f.hasPrefix("'") && !f.hasPrefix("\"") {
                        #expect(out.contains(f), "lost \(f) in \(out)")
                    }
                    cases += 1
                }
            }
        }
        #expect(cases >= 600)
    }

    /// Keys glued into longer text at random offsets (no separator) are still found when
    /// they start at a word boundary, and the gate stops any that were not.
    @Test func keysAtRandomOffsetsInsideLines() {
        var g = SplitMix64(state: 42)
        for _ in 0..<200 {
            let key = Self.keys(&g).randomElement(using: &g)!
            var text = Array(Self.random(80, Self.alnum + [" ", " ", ",", ":", "/"], &g))
            let at = Int.random(in: 0...text.count, using: &g)
            text.insert(contentsOf: [" "] + Array(key) + [" "], at: at)
            let line = String(text)
            let r = Redactor()
            let out = r.redact(line).value
            #expect(Leaks.stretch(of: key, in: out) == nil, "leak in \(line)")
        }
    }
}
