import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct TextRendererTests {
    private func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func listsFindingsInRankOrderWithFixAndEvidence() throws {
        let text = TextRenderer().render(try SampleReport.make())
        let l = lines(text)
        let first = try #require(l.firstIndex(of: "#1 [HIGH 0.90] Base URL lacks the API version path (base-url-missing-version)"))
        let second = try #require(l.firstIndex(of: "#2 [MEDIUM 0.35] The gateway does not serve GET /models (models-endpoint-unsupported)"))
        #expect(first < second)
        #expect(l[first + 3] == "   Fix: Set base_url to http://127.0.0.1:3000/v1.")
        #expect(l[first + 4] == "   Evidence:")
        #expect(l[first + 5] == "     sdk-debug.log:6   [2026-11-29 03:17:41 - httpx:1038 - INFO] HTTP Request: GET")
        #expect(l[first + 6] == "                       http://127.0.0.1:3000/models \"HTTP/1.1 404 Not Found\"")
        #expect(l.contains("   Ask the customer for:"))
        #expect(l.contains("     - a screenshot of the client's API address setting"))
        #expect(l.contains("   Explains: models-endpoint-unsupported"))
        let against = try #require(l[second...].firstIndex(of: "   Evidence against:"))
        #expect(l[against + 1].hasPrefix("     sdk-debug.log:41  [2026-11-29 03:17:41 - httpx:1038 - INFO] HTTP Request: POST"))
    }

    @Test func notEvaluatedRulesAreOneLineUnlessVerbose() throws {
        var report = try SampleReport.make()
        report.notEvaluated = (1...45).map { NotEvaluated(rule: "rule-\($0)", cause: "cause", reason: "no HTTP call found in the bundle") }
        let short = lines(TextRenderer().render(report))
        let heading = try #require(short.firstIndex(of: "Not evaluated"))
        #expect(short[heading + 2] == "  45 rules not evaluated: the bundle lacks the calls or facts they need; --verbose lists them")
        #expect(short[heading + 3] == "")
        #expect(!short.contains { $0.contains("rule-1 ") })
        let long = lines(TextRenderer(verbose: true).render(report))
        #expect(long.filter { $0.hasPrefix("  rule-") }.count == 45)
        #expect(long.contains("  rule-7 (cause): no HTTP call found in the bundle"))
        #expect(!long.contains { $0.contains("--verbose lists them") })
        report.lang = .zh
        #expect(TextRenderer().render(report).contains("  45 条规则未评估：包中没有它们所需的请求或信息；加 --verbose 可列出\n"))
        #expect(TextRenderer(verbose: true).render(report).contains("  rule-7 (cause): 包中没有找到 HTTP 请求\n"))
    }

    @Test func markdownAndHTMLSummariseNotEvaluatedRulesToo() throws {
        let report = try SampleReport.make()
        #expect(MarkdownRenderer().render(report).contains("1 rule not evaluated"))
        #expect(!MarkdownRenderer().render(report).contains("model.name-case"))
        #expect(MarkdownRenderer(verbose: true).render(report).contains("`model.name-case`"))
        #expect(!HTMLRenderer().render(report).contains("model.name-case"))
        #expect(HTMLRenderer(verbose: true).render(report).contains("<code>model.name-case</code>"))
    }

    @Test func sectionsComeInOrder() throws {
        let text = TextRenderer().render(try SampleReport.make())
        let order = ["Most likely cause\n", "Ask the customer for\n", "Ticket facts\n", "Inventory\n",
                     "Not evaluated\n", "Rule packs\n", "Redaction\n"]
        let positions = try order.map { try #require(text.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
        #expect(!text.contains("No problem found"))
    }

    @Test func longExcerptIsCutThenWrappedUnderItsColumn() throws {
        let l = lines(TextRenderer().render(try SampleReport.make()))
        let start = try #require(l.firstIndex { $0.hasPrefix("     sdk-debug.log:7 ") })
        let column = "     sdk-debug.log:7  ".count
        var excerpt = String(l[start].dropFirst(column))
        var i = start + 1
        while l[i].hasPrefix(String(repeating: " ", count: column)) && !l[i].hasPrefix(String(repeating: " ", count: column + 1)) {
            excerpt += " " + l[i].dropFirst(column); i += 1
        }
        #expect(i > start + 1)                       // wrapped, not one 180-column line
        #expect(excerpt.hasSuffix("…"))
        #expect(excerpt.count == 160)
        #expect(excerpt.hasPrefix("[2026-11-29 03:17:41 - openai._base_client:1027 - DEBUG] HTTP Response: GET"))
        #expect(l.allSatisfy { TextWrap.displayWidth($0) <= 100 })
    }

    @Test func inventoryRowsAreAlignedWithProblemsUnderTheirFile() throws {
        let l = lines(TextRenderer().render(try SampleReport.make()))
        let header = try #require(l.firstIndex(of: "  Path            Kind            Format             Bytes  Exchanges  Skipped lines"))
        #expect(Array(l[header + 1 ... header + 8]) == [
            "  sdk-debug.log   python-sdk-log  openai-python-1.x   3920          2              3",
            "      Skipped: 3 lines: traceback frames",
            "  capture.har.gz  har             mitmproxy          18211          2              0",
            "      Unpacked from: gzip",
            "      warning capture.har.gz@9120: entry 3 has no response",
            "  ticket.txt      unknown         -                    112          0              1",
            "      Skipped: no parser for this content",
            "      Note: customer's own words; not parsed",
        ])
    }

    @Test func factsPacksAndRedactionAreListed() throws {
        let l = lines(TextRenderer().render(try SampleReport.make()))
        #expect(l.contains("  Status codes         200 ×1, 404 ×2"))
        #expect(l.contains("  Request URLs         http://127.0.0.1:3000/models"))
        #expect(l.contains("                       http://127.0.0.1:3000/chat/completions"))
        #expect(l.contains("  Last request (UTC)   2026-11-29T03:17:41.500Z"))
        #expect(l.contains("  Keys used            sk-…AbCd: GET /models, POST /chat/completions"))
        #expect(l.contains("  1 rule not evaluated: the bundle lacks the calls or facts they need; --verbose lists them"))
        #expect(l.contains("  openai-gateway 1.2.0 sha256:3f1a9c0e5b7d (24 rules)  rules/openai-gateway.yaml"))
        #expect(l.contains("  3 values redacted: api-key 2, bearer 1"))
        #expect(l.contains("  by file: capture.har.gz 2, sdk-debug.log 1"))
        #expect(!l.contains { $0.contains("API version path  ") })   // empty facts are left out
    }

    @Test func healthyBundleSaysNoProblemFound() {
        let text = TextRenderer().render(SampleReport.healthy())
        #expect(lines(text)[2] == "No problem found: no finding is above LOW severity.")
        #expect(text.contains("Other observations\n"))
        #expect(text.contains("#1 [INFO 0.80] The model list came back with 12 models (no-problem)"))
        #expect(!text.contains("Most likely cause"))
        #expect(text.contains("  Nothing was redacted."))
    }

    @Test func lowFindingsAloneStillCountAsHealthy() {
        var report = SampleReport.healthy()
        report.findings[0].severity = .low
        #expect(TextRenderer().render(report).contains("No problem found"))
        report.findings[0].severity = .medium
        #expect(!TextRenderer().render(report).contains("No problem found"))
    }

    /// Never "no problem" beside a failure: low pointers of a failed call, a failure outside
    /// the taxonomy, and a failure with no finding each get their own headline.
    @Test func aFailureIsNeverHeadlinedAsNoProblem() {
        var report = SampleReport.healthy()
        report.findings[0].severity = .low
        report.findings[0].rule = "family/unmatched-failure"
        #expect(TextRenderer().render(report).contains("No cause established"))
        report.findings = []
        report.facts.statusCodes = [200: 1, 404: 1]
        #expect(TextRenderer().render(report).contains("No cause established"))
        report.findings = SampleReport.healthy().findings
        report.findings[0].severity = .info
        report.findings[0].cause = "outside-taxonomy"
        #expect(TextRenderer().render(report).contains("No model-list or model-name problem found"))
        report.facts.statusCodes = [200: 2]
        report.findings = []
        #expect(TextRenderer().render(report).contains("No problem found"))
    }

    @Test func chineseLabels() throws {
        let text = TextRenderer().render(try SampleReport.make(lang: .zh))
        for label in ["modeldoctor 0.1.0 诊断报告", "最可能的原因\n------------", "   解决方法: Set base_url to http://127.0.0.1:3000/v1.",
                      "   证据:", "   反面证据:", "   需向客户索取:", "工单事实", "输入文件清单", "未评估的规则", "规则包", "脱敏"] {
            #expect(text.contains(label), "missing \(label)")
        }
        #expect(text.contains("#1 [HIGH 0.90]"))          // severity names stay English
        #expect(!text.contains("Most likely cause"))
        #expect(!text.contains("Evidence"))
        // Wide characters count two columns, so the table stays aligned.
        #expect(text.contains("  路径            类型            格式                字节  请求数  跳过行数\n  sdk-debug.log   python-sdk-log  openai-python-1.x   3920       2         3\n"))
    }

    @Test func colourIsOffByDefaultAndMarksSeverityWhenOn() throws {
        let report = try SampleReport.make()
        #expect(!TextRenderer().render(report).contains("\u{1B}"))
        #expect(!OutputFormat.text.renderer.render(report).contains("\u{1B}"))
        let coloured = TextRenderer(colour: true).render(report)
        #expect(coloured.contains("\u{1B}[1;31m[HIGH 0.90]\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33m[MEDIUM 0.35]\u{1B}[0m"))
    }

    @Test func bundleTextCannotDriveTheTerminal() {
        var report = SampleReport.healthy()
        report.findings[0].severity = .high
        report.findings[0].message = SampleReport.r("cleared\u{1B}[2J screen\u{07}")
        report.findings[0].evidence = [Evidence(source: "a.log:1", excerpt: SampleReport.r("x\u{1B}]0;title\u{07}y"))]
        let text = TextRenderer().render(report)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
        #expect(text.contains("   cleared [2J screen"))
    }

    @Test func proseWrapsAtSpacesAndCutsOnlyAnOverlongWord() throws {
        var report = SampleReport.healthy()
        let url = "https://gateway.example.com/" + String(repeating: "segment/", count: 16) + "models"
        report.findings[0].message = SampleReport.r(String(repeating: "word ", count: 60) + url + " end")
        let l = lines(TextRenderer().render(report))
        let prose = l.filter { $0.hasPrefix("   word") || $0.contains(url) || $0 == "   end" }
        #expect(prose.count >= 4)
        for line in l { #expect(line.count <= 100) }
        // The URL is wider than a line: cut after a slash, and its pieces join back up.
        let pieces = l.filter { $0.hasPrefix("   https://") || $0.hasPrefix("   segment/") }
        #expect(pieces.first?.hasSuffix("/") == true)
        #expect(pieces.map { $0.dropFirst(3) }.joined().hasPrefix(url))
        #expect(!l.contains { $0.hasSuffix(" wor") || $0.hasPrefix("   d ") })
    }
}
