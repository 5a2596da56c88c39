import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// The prefilter may only skip the regex when the regex cannot match.
@Suite struct RegexPrefilterTests {
    func filter(_ p: String, ci: Bool = false) -> RegexPrefilter? { RegexPrefilter(pattern: p, caseInsensitive: ci) }
    func text(_ l: [UInt8]?) -> String? { l.map { String(decoding: $0, as: UTF8.self) } }

    @Test func requiredRunsPerAlternative() throws {
        let f = try #require(filter(#"(?i)(does not|doesn'?t|not) end with\W{0,3}/v1|未以\W{0,3}/v1\W{0,3}结尾"#))
        #expect(f.caseInsensitive)
        // A CJK character has no case variants: it is a literal (as UTF-8) even when case-blind.
        #expect(f.literals.map { $0.map(text) } == [[" end with"], ["未以"]])
        let g = try #require(filter(#"Model[s]? Not Found|abc?d|x\.y+z"#))
        #expect(!g.caseInsensitive)
        #expect(g.literals.map { $0.map(text) } == [[" Not Found"], ["ab"], ["x."]])
        #expect(try #require(filter("NOT FOUND", ci: true)).literals.map { $0.map(text) } == [["not found"]])
    }

    @Test func aGroupOfAlternativesGivesAnyOfItsLiterals() throws {
        // One group wrapping the whole pattern: each of its alternatives is a literal.
        let f = try #require(filter(#"(?i)\b(?:model_not_found|no such model|模型不存在)\b"#))
        #expect(f.literals.map { $0.map(text) } == [["model_not_found", "no such model", "模型不存在"]])
        #expect(f.mayMatch("Error: No Such Model here"))
        #expect(f.mayMatch("错误：模型不存在"))
        #expect(!f.mayMatch("rate limit exceeded"))
        // A longer single run wins over a group with a short alternative.
        #expect(try #require(filter("(a|bc) required-literal")).literals.map { $0.map(text) } == [[" required-literal"]])
        // Optional groups and lookarounds require nothing.
        #expect(try #require(filter("(?:abc)?xy(?!zzz)")).literals.map { $0.map(text) } == [["xy"]])
        #expect(filter("(?:abc)*") == nil)
        // A group with an empty alternative requires nothing of its own.
        #expect(try #require(filter("(abc|)de")).literals.map { $0.map(text) } == [["de"]])
        #expect(try #require(filter("(abc)")).literals.map { $0.map(text) } == [["abc"]])
    }

    @Test func everythingAnAlternativeNeedsIsLookedFor() throws {
        // The longest literal of the first alternative is `error code: `; it also needs `litellm.`.
        let f = try #require(filter(#"(?i)(Error code: \d{3} - [^\n]*litellm\.|"message"\s*:\s*"litellm\.)"#))
        #expect(!f.mayMatch("openai.NotFoundError: Error code: 404 - {'detail': 'Not Found'}"))
        #expect(f.mayMatch("Error code: 404 - {'error': 'litellm.NotFoundError'}"))
        #expect(!f.mayMatch(#"{"message": "model not found"}"#))
        #expect(f.mayMatch(#"{"message": "litellm.BadRequestError"}"#))
        // A group is needed when one of its alternatives has all it needs.
        let g = try #require(filter(#"(?i)(?:no such model: \w+ in group|model_not_found)"#))
        #expect(!g.mayMatch("no such model: gpt-x"))
        #expect(g.mayMatch("No such model: gpt in group default"))
        #expect(g.mayMatch("model_not_found"))
    }

    @Test func patternsItDoesNotUnderstandGetNoFilter() {
        for p in ["(?x) a b", #"\Qa|b\E"#, #"(a)\1"#, "abc|", #"\u0041bc"#, "(?-i)abc", #"\x41bc"#, "a)", ".*", "(?i:abc)", "(a|)"] {
            #expect(filter(p) == nil, "\(p)")
        }
    }

    @Test func skipsOnlyTextsThatCannotMatch() throws {
        var patterns = [
            #"(?i)(does not|doesn'?t|not) end with\W{0,3}/v1|未以\W{0,3}/v1\W{0,3}结尾"#,
            #"model_not_found|No such model: [a-z-]+"#, #"[|]x|y\]z"#, #"ab{2}c|q[^a]rs"#,
            #"\p{L}+ok|k{1,}elvin"#, #"gpt-4o(-mini)?\b"#, "(?i)straße|kelvin",
            #"(?i)(?:模型|model)\s*不存在|(no such|unknown) model"#, #"\b(?:无可用渠道|no available channel)"#, "(?i)(über|ueber)",
        ]
        let loaded = RuleLoader().load(folders: [Repo.path("rules")])
        func regexes(_ c: Condition) -> [String] {
            switch c {
            case .all(let cs), .any(let cs): return cs.flatMap(regexes)
            case .not(let x), .exists(let x), .none(let x), .count(let x, _, _): return regexes(x)
            case .test(let t): return t.regex.map { [$0.pattern] } ?? []
            case .signal(_, let t, _): return t?.regex.map { [$0.pattern] } ?? []
            case .ref: return []
            }
        }
        patterns += loaded.rules.flatMap { regexes($0.when) }
        #expect(patterns.count >= 10)
        let texts = [
            "the API address does not end with `/v1`", "Please check it DOESNT END WITH /v1", "end with/v1",
            "model_not_found", "No such model: gpt-x", "No such model: 42", "|x", "y]z", "abbc", "abc", "qbrs", "qars",
            "Éok", "kelvin", "kkelvin", "gpt-4o-mini", "gpt-4o", "gpt-4omini", "STRASSE", "strasse", "KELVIN", "\u{212A}elvin",
            "I never selected any model", "model list is empty", "no models", "0 models", "模型列表为空", "未以 /v1 结尾",
            "POST https://gw.example.test/v1/chat/completions 404", "", "plain words only",
            "模型 gpt-4o 不存在", "无可用渠道", "model_not_found：模型不存在", "Modèle introuvable", "STRA\u{DF}E", "\u{212A}ELVIN",
            "no such model: Über", "The model `gpt-4o` does not exist", "当前分组 default 下对于模型 gpt-4 无可用渠道",
        ]
        var skipped = 0
        for p in patterns {
            let ci = p.contains("(?i)")
            let re = try NSRegularExpression(pattern: p, options: [])
            guard let f = filter(p) else { continue }
            for t in texts {
                let matched = re.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil
                if matched { #expect(f.mayMatch(t), "pattern \(p) matches \(t) but the prefilter ruled it out (ci \(ci))") }
                if !f.mayMatch(t) { skipped += 1 }
            }
        }
        #expect(skipped > 100)
    }

    @Test func onlyCodePointsThatFoldIntoASCIIBypassTheFilter() throws {
        let f = try #require(filter("(?i)kelvin"))
        for t in ["\u{212A}elvin", "ke\u{17F}", "stra\u{DF}e", "\u{FB01}"] {
            #expect(f.mayMatch("x \(t) y"), "\(t)")
        }
        #expect(try NSRegularExpression(pattern: "(?i)kelvin").firstMatch(in: "\u{212A}elvin", range: NSRange(location: 0, length: 6)) != nil)
        #expect(!f.mayMatch("celsius"))
        #expect(f.mayMatch("KeLvIn"))
        // Other non-ASCII text is searched like any other: it cannot hold `kelvin` in disguise.
        #expect(!f.mayMatch("Température en degrés — 温度"))
        #expect(f.mayMatch("温度 KELVIN"))
        // A case-sensitive pattern never bypasses.
        #expect(!(try #require(filter("Kelvin"))).mayMatch("\u{212A}elvin"))
    }

    /// The eight-at-a-time fold and scan give what the byte-by-byte ones give, at every length
    /// and alignment (the words and the tail), on ASCII, non-ASCII and every byte value.
    @Test func foldAndScanMatchTheBytewiseDefinitions() {
        func bytewiseHolds(_ b: [UInt8]) -> Bool {
            // The scan of the code points that fold into ASCII, one byte at a time.
            for k in b.indices where b[k] >= 0xC3 {
                let b1: UInt8 = k + 1 < b.count ? b[k + 1] : 0, b2: UInt8 = k + 2 < b.count ? b[k + 2] : 0
                switch b[k] {
                case 0xC3: if b1 == 0x9F { return true }
                case 0xC4: if b1 == 0xB0 { return true }
                case 0xC5: if b1 == 0xBF { return true }
                case 0xC7: if b1 == 0xB0 { return true }
                case 0xE1: if b1 == 0xBA && (b2 == 0x9E || (0x96...0x9A).contains(b2)) { return true }
                case 0xE2: if b1 == 0x84 && b2 == 0xAA { return true }
                case 0xEF: if b1 == 0xAC && (0x80...0x86).contains(b2) { return true }
                default: break
                }
            }
            return false
        }
        var samples: [[UInt8]] = [Array(0...255), Array((0...255).reversed())]
        for t in ["", "A", "Z@[`az{", "Hello WORLD, Error Code: 404 - Not Found", "STRA\u{DF}E straße", "x \u{212A}ELVIN y",
                  "模型 GPT-4o 不存在 ÀÉÎ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 \u{FB01}"] {
            samples.append(Array(t.utf8))
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 { samples.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for b in samples {
            for start in 0..<min(9, b.count + 1) {
                let part = Array(b[start...])
                let folded = part.withUnsafeBufferPointer { src in
                    [UInt8](unsafeUninitializedCapacity: src.count) { out, n in RegexPrefilter.foldASCII(src, into: out.baseAddress!); n = src.count }
                }
                #expect(folded == part.map(RegexPrefilter.lower))
                #expect(part.withUnsafeBufferPointer(RegexPrefilter.holdsASCIIFoldingScalar) == bytewiseHolds(part))
            }
        }
    }

    /// Folding a buffer in place gives the bytes `Folded` makes, and refuses what it refuses.
    @Test func foldingInPlaceMatchesFolded() {
        for t in ["", "A", "Hello WORLD\r\nline two", "STRA\u{DF}E", "x \u{212A}ELVIN", "模型 GPT-4o ÀÉÎ", String(repeating: "AbC", count: 11)] {
            var bytes = Array(t.utf8)
            let ok = RegexPrefilter.fold(&bytes)
            let f = RegexPrefilter.Folded(t)
            #expect(ok == !f.holdsFoldingScalar, "\(t)")
            #expect(ok ? bytes == f.bytes : bytes == Array(t.utf8), "\(t)")
            if ok { #expect(bytes.withUnsafeBytes { UnsafeRawBufferPointer($0) }.count == t.utf8.count) }
        }
        let f = filter("(?i)model_mapping|模型重定向")!
        for t in ["a MODEL_MAPPING b", "模型重定向", "none", ""] {
            var bytes = Array(t.utf8)
            _ = RegexPrefilter.fold(&bytes)
            #expect(bytes.withUnsafeBytes { f.mayMatch(folded: $0) } == f.mayMatch(t), "\(t)")
        }
    }

    /// One pass over the text finds a literal exactly when one of the searches does.
    @Test func aLiteralSetFindsWhatTheSearchesFind() throws {
        let patterns = [#"(?i)(does not|doesn'?t|not) end with\W{0,3}/v1|forgot to add\W{0,3}/v1|未以\W{0,3}/v1\W{0,3}结尾"#,
                        "(?i)model_mapping|模型重定向", "(?i)(no scheme supplied|missingschema|err_invalid_url|typeerror:? invalid url)"]
        let filters = try patterns.map { try #require(filter($0)) }
        let set = try #require(RegexPrefilter.literalSet(filters))
        var texts = ["", "a", "model_mapping", "xmodel_mappin", "MODEL_MAPPING", "does not end with", " end with", " end wit", "未以",
                     "未", "err_invalid_url", "err_invalid_ur", "typeerror", "missingschema at the end: missingschema",
                     "模型重定向 at the start", "end: forgot to add", "forgot to ad"]
        // Every literal at every place of a longer text, and cut at either end.
        for lit in filters.flatMap(\.any) {
            let l = String(decoding: lit, as: UTF8.self)
            texts += ["x" + l, l + "y", "some log text " + l + " and more", String(l.dropFirst()), String(l.dropLast())]
        }
        for t in texts {
            var folded = Array(t.utf8)
            #expect(RegexPrefilter.fold(&folded))
            let one = folded.withUnsafeBytes { set.occurs(in: $0) }
            // The one-literal test of each prefilter (`mayMatch` also wants all an alternative needs).
            let each = folded.withUnsafeBytes { b in
                filters.contains { $0.any.contains { lit in lit.withUnsafeBytes { ByteSearch.find(b, $0) != nil } } }
            }
            if !each { #expect(folded.withUnsafeBytes { b in !filters.contains { $0.mayMatch(folded: b) } }, "\(t)") }
            #expect(one == each, "\(t)")
        }
        #expect(LiteralSet([Array("a".utf8), Array("bc".utf8)]) == nil)
    }

    /// One folded copy shared by the case-blind prefilters answers as each one on the text.
    @Test func theSharedFoldedTextAnswersAsTheText() throws {
        let patterns = [#"(?i)(does not|doesn'?t|not) end with\W{0,3}/v1|未以\W{0,3}/v1\W{0,3}结尾"#, "(?i)model_mapping|模型重定向", "(?i)kelvin"]
        let texts = ["The base URL does NOT END WITH /v1", "MODEL_MAPPING applied", "模型重定向", "nothing here", "\u{212A}elvin", "KELVIN", ""]
        for p in patterns {
            let f = try #require(filter(p))
            for t in texts { #expect(f.mayMatch(RegexPrefilter.Folded(t)) == f.mayMatch(t), "\(p) on \(t)") }
        }
    }
}
