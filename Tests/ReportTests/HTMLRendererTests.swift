import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct HTMLRendererTests {
    @Test func isOneSelfContainedPage() throws {
        let html = HTMLRenderer().render(try SampleReport.make())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</body>\n</html>\n"))
        let lower = html.lowercased()
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "@import", "url("] {
            #expect(!lower.contains(forbidden), "page must not contain \(forbidden)")
        }
        // The only links are to the timeline's rows, on the same page.
        let targets = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!targets.isEmpty)
        for target in targets {
            #expect(target.hasPrefix("#call-") && html.contains("<tr id=\"\(target.dropFirst())\""), "link to \(target)")
        }
        #expect(lower.components(separatedBy: "href=").count == targets.count + 1)
    }

    @Test func showsRankedFindingsAndInventory() throws {
        let html = HTMLRenderer().render(try SampleReport.make())
        let first = try #require(html.range(of: "<span class=\"rank\">#1</span> <span class=\"sev\">HIGH 0.90</span> Base URL lacks the API version path <code>base-url-missing-version</code>"))
        let second = try #require(html.range(of: "<span class=\"rank\">#2</span> <span class=\"sev\">MEDIUM 0.35</span> The gateway does not serve GET /models"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(html.contains("<tr><td><code>sdk-debug.log</code></td><td>python-sdk-log</td><td>openai-python-1.x</td><td class=\"num\">3920</td><td class=\"num\">2</td><td class=\"num\">3</td></tr>"))
        #expect(html.contains("<span class=\"warning\">warning</span> <code>capture.har.gz@9120</code>: entry 3 has no response"))
        #expect(html.contains("<tr><th>Status codes</th><td><code>200 ×1, 404 ×2</code></td></tr>"))
        #expect(html.contains("<strong>Fix:</strong> Set base_url to http://127.0.0.1:3000/v1."))
    }

    @Test func escapesEverythingFromTheBundle() {
        var report = SampleReport.healthy()
        report.findings[0].severity = .critical
        report.findings[0].title = SampleReport.r("<script>alert('x')</script>")
        report.findings[0].message = SampleReport.r("a & b \"q\" <img src=x onerror=alert(1)>")
        report.findings[0].evidence = [Evidence(source: "<b>.log:1", excerpt: SampleReport.r("</code><script>"))]
        report.inputs[0].path = "\"><script>.log"
        let html = HTMLRenderer().render(report)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("a &amp; b &quot;q&quot; &lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("<code class=\"src\">&lt;b&gt;.log:1</code> <code>&lt;/code&gt;&lt;script&gt;</code>"))
        #expect(html.contains("<code>&quot;&gt;&lt;script&gt;.log</code>"))
    }

    @Test func chineseHealthyAndBanner() throws {
        let zh = HTMLRenderer().render(try SampleReport.make(lang: .zh, unredacted: true))
        #expect(zh.contains("<html lang=\"zh-Hans\">"))
        #expect(zh.contains("<h2>最可能的原因</h2>"))
        #expect(zh.contains("<p class=\"banner\">未脱敏"))
        let healthy = HTMLRenderer().render(SampleReport.healthy())
        #expect(healthy.contains("<p class=\"healthy\">No problem found: no finding is above LOW severity.</p>"))
        #expect(!healthy.contains("class=\"banner\""))
    }
}
