import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct MarkdownRendererTests {
    @Test func draftHasRankedHeadingsAndTables() throws {
        let md = MarkdownRenderer().render(try SampleReport.make())
        let first = try #require(md.range(of: "### 1. Base URL lacks the API version path (`base-url-missing-version`)\n"))
        let second = try #require(md.range(of: "### 2. The gateway does not serve GET /models (`models-endpoint-unsupported`)\n"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(md.hasPrefix("# modeldoctor 0.1.0 report\n\n## Most likely cause\n"))
        #expect(md.contains("**HIGH** · confidence 0.90 · rule `base-url.missing-version` · symptom `model-list-empty`\n"))
        #expect(md.contains("**Fix:** Set base\\_url to http://127.0.0.1:3000/v1.\n"))
        #expect(md.contains("- `sdk-debug.log:6` `[2026-11-29 03:17:41 - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models \"HTTP/1.1 404 Not Found\"`\n"))
        #expect(md.contains("| Path | Kind | Format | Bytes | Exchanges | Skipped lines |\n|---|---|---|--:|--:|--:|\n"
                            + "| `sdk-debug.log` | `python-sdk-log` | `openai-python-1.x` | 3920 | 2 | 3 |\n"))
        #expect(md.contains("| `ticket.txt` | `unknown` | - | 112 | 0 | 1 |\n"))
        #expect(md.contains("- **warning** `capture.har.gz@9120`: entry 3 has no response\n"))
        #expect(md.contains("| Status codes | `200 ×1, 404 ×2` |\n"))
        #expect(md.contains("- `openai-gateway` 1.2.0, sha256 `3f1a9c0e5b7d`, 24 rules, `rules/openai-gateway.yaml`\n"))
        #expect(md.hasSuffix("by file: `capture.har.gz` 2, `sdk-debug.log` 1\n"))
    }

    @Test func pipesInTableCellsAreEscaped() {
        var report = Report()
        report.inputs = [InventoryEntry(path: "logs/a|b.log", kind: .gatewayLog, format: "one|api")]
        report.facts.errors = [SampleReport.r("bad | worse")]
        let md = MarkdownRenderer().render(report)
        #expect(md.contains("| `logs/a\\|b.log` | `gateway-log` | `one\\|api` | 0 | 0 | 0 |\n"))
        #expect(md.contains("| Errors | `bad \\| worse` |\n"))
        // Every table row still has exactly its columns: count unescaped pipes.
        for row in md.split(separator: "\n") where row.hasPrefix("| `logs") {
            let unescaped = zip(row, [" "] + row.dropLast()).filter { $0.0 == "|" && $0.1 != "\\" }.count
            #expect(unescaped == 7)
        }
    }

    @Test func backticksInExcerptsGetALongerFence() {
        var report = SampleReport.healthy()
        report.findings[0].evidence = [Evidence(source: "a.log:3", excerpt: SampleReport.r("run `ls` and ``x``")),
                                       Evidence(source: "a.log:4", excerpt: SampleReport.r("`start"))]
        let md = MarkdownRenderer().render(report)
        #expect(md.contains("- `a.log:3` ``` run `ls` and ``x`` ```\n"))
        #expect(md.contains("- `a.log:4` `` `start ``\n"))
    }

    @Test func bundleProseCannotBecomeMarkupOrHTML() {
        var report = SampleReport.healthy()
        report.findings[0].severity = .high
        report.findings[0].title = SampleReport.r("<script>alert(1)</script> *bold* [link](http://x)")
        report.findings[0].message = SampleReport.r("1. not a list\n# not a heading")
        report.findings[0].missing = [SampleReport.r("- nested?")]
        let md = MarkdownRenderer().render(report)
        #expect(!md.contains("<script>"))
        #expect(md.contains("### 1. \\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](http://x) (`no-problem`)"))
        #expect(md.contains("\n1\\. not a list \\# not a heading\n"))
        #expect(md.contains("\n- \\- nested?\n"))
    }

    @Test func healthyAndChineseAndBanner() throws {
        let healthy = MarkdownRenderer().render(SampleReport.healthy())
        #expect(healthy.contains("**No problem found: no finding is above LOW severity.**"))
        let zh = MarkdownRenderer().render(try SampleReport.make(lang: .zh, unredacted: true))
        #expect(zh.contains("## 最可能的原因\n"))
        #expect(zh.contains("**解决方法:** Set base\\_url"))
        #expect(zh.contains("**证据**"))
        #expect(zh.contains("## 工单事实\n"))
        #expect(zh.contains("> **未脱敏"))
    }
}
