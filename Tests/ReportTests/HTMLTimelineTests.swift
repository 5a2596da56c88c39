import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRedact
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// The HTML report's timeline of calls: its rows, the links to it from the findings, the
/// marking of failed calls, escaping, large bundles, and redaction from a real bundle.
@Suite struct HTMLTimelineTests {
    static let r = SampleReport.r

    @Test func rowsInOrderAfterTheFactsWithFailedCallsMarked() throws {
        let html = HTMLRenderer().render(try SampleReport.make())
        let facts = try #require(html.range(of: "<h2>Ticket facts</h2>"))
        let heading = try #require(html.range(of: "<section><h2>Calls in order</h2>"))
        let inventory = try #require(html.range(of: "<h2>Inventory</h2>"))
        #expect(facts.upperBound < heading.lowerBound && heading.upperBound < inventory.lowerBound)
        #expect(html.contains("<p class=\"meta\">2 calls, in the order of the bundle (by time when every call has one); failed calls are marked ✗.</p>"))
        // Both calls on one day: the date in the header, the time of day in the rows.
        #expect(html.contains("<tr><th class=\"num\">#</th><th class=\"when\">Time (UTC)<br><span class=\"none\">2026-11-29</span></th>"
                              + "<th>Endpoint</th><th>Status or error</th><th>Model requested</th></tr>"))
        let first = try #require(html.range(of: "<tr id=\"call-0\" class=\"failed\"><td class=\"num\">#0</td>"
            + "<td class=\"when\"><time datetime=\"2026-11-29T03:17:41Z\">03:17:41</time></td>"
            + "<td><code><b>GET</b> <span class=\"origin\">http://127.0.0.1:3000</span>/<wbr>models</code></td>"
            + "<td class=\"status\">✗ 404 Not Found<br><span class=\"detail\">Invalid URL (GET /models)</span></td>"
            + "<td><span class=\"none\">–</span></td></tr>"))
        let second = try #require(html.range(of: "<tr id=\"call-1\" class=\"failed\"><td class=\"num\">#1</td>"
            + "<td class=\"when\"><time datetime=\"2026-11-29T03:17:41.500Z\">03:17:41.500</time></td>"
            + "<td><code><b>POST</b> <span class=\"origin\">http://127.0.0.1:3000</span>/<wbr>chat/<wbr>completions</code></td>"
            + "<td class=\"status\">✗ 404 Not Found<br><span class=\"detail\">Invalid URL (POST /chat/completions)</span></td>"
            + "<td><code>gpt-4o-mini</code></td></tr>"))
        #expect(first.upperBound < second.lowerBound)
    }

    @Test func aCallThatSucceededIsNotMarkedAndTimesOfSeveralDaysAreWhole() throws {
        var report = try SampleReport.make()
        report.timeline.rows[1].failed = false
        report.timeline.rows[1].status = 200
        report.timeline.rows[1].statusText = Self.r("OK")
        report.timeline.rows[1].error = nil
        report.timeline.rows[1].time = Date(timeIntervalSince1970: 1_796_008_661)  // a day later
        let html = HTMLRenderer().render(report)
        #expect(html.contains("<tr id=\"call-1\"><td class=\"num\">#1</td>"
                              + "<td class=\"when\"><time datetime=\"2026-11-30T03:17:41Z\">2026-11-30T03:17:41Z</time></td>"))
        #expect(html.contains("<td class=\"status\">200 OK</td>"))
        #expect(html.contains("<th class=\"when\">Time (UTC)</th>"))
    }

    @Test func findingsAndEvidenceLinkToTheirCalls() throws {
        let html = HTMLRenderer().render(try SampleReport.make())
        #expect(html.contains(" · Occurrences 2 · Calls <a class=\"call\" href=\"#call-0\">#0</a> <a class=\"call\" href=\"#call-1\">#1</a></p>"))
        #expect(html.contains("<li><code class=\"src\">sdk-debug.log:6</code> <a class=\"call\" href=\"#call-0\">#0</a> <code>[2026-11-29"))
        #expect(html.contains("<li><code class=\"src\">sdk-debug.log:41</code> <a class=\"call\" href=\"#call-1\">#1</a> <code>"))
        // Without a timeline (a report made elsewhere) nothing links and no section is shown.
        var bare = try SampleReport.make()
        bare.timeline = Timeline()
        let plain = HTMLRenderer().render(bare)
        #expect(!plain.contains("href=") && !plain.contains("Calls in order"))
        #expect(plain.contains("<li><code class=\"src\">sdk-debug.log:6</code> <code>"))
    }

    @Test func bundleValuesInTheTimelineAreEscaped() throws {
        var report = try SampleReport.make()
        report.timeline.rows[1].model = Self.r("<script>alert('m')</script>")
        report.timeline.rows[1].url = Self.r("http://h.example/\"><script>alert(1)</script>")
        report.timeline.rows[1].method = Self.r("<b>")
        report.timeline.rows[1].statusText = Self.r("</td><script>")
        report.timeline.rows[1].error = Self.r("a & b <img src=x onerror=alert(1)>")
        let html = HTMLRenderer().render(report)
        #expect(!html.lowercased().contains("<script") && !html.contains("<img") && !html.contains("<b><b>"))
        #expect(html.contains("<td><code>&lt;script&gt;alert(&#39;m&#39;)&lt;/script&gt;</code></td>"))
        #expect(html.contains("<code><b>&lt;b&gt;</b> <span class=\"origin\">http://h.example</span>/<wbr>&quot;&gt;&lt;script&gt;alert(1)&lt;/<wbr>script&gt;</code>"))
        #expect(html.contains("✗ 404 &lt;/td&gt;&lt;script&gt;<br><span class=\"detail\">a &amp; b &lt;img src=x onerror=alert(1)&gt;</span>"))
    }

    @Test func largeBundlesSayWhatIsFoldedAndWhatIsLeftOut() {
        var xs = (0..<240).map { TimelineTests.call($0, status: 429) }
        xs += (240..<600).map { TimelineTests.call($0, status: $0 % 2 == 0 ? 200 : 500, model: "m\($0)") }
        var bundle = TicketBundle()
        bundle.exchanges = xs
        var report = Report()
        report.timeline = Timeline.build(bundle, findings: [], redactor: Redactor())
        let gap = report.timeline.omitted
        #expect(gap?.first == 339 && gap?.last == 499)
        let html = HTMLRenderer().render(report)
        #expect(html.contains("<p class=\"meta\">600 calls, in the order of the bundle (by time when every call has one); failed calls are marked ✗."
                              + " Identical consecutive calls share one row, with their number (×N).</p>"))
        #expect(html.contains("<tr id=\"call-0\" class=\"failed\"><td class=\"num\">#0–#239<br><span class=\"count\">×240</span></td>"
                              + "<td class=\"when\"><time datetime=\"2026-11-29T03:17:41Z\">03:17:41</time> –<br>"
                              + "<time datetime=\"2026-11-29T03:21:40Z\">03:21:40</time></td>"))
        let gapLine = "<tr class=\"gap\"><td colspan=\"5\">161 more calls not shown (#339–#499), 81 of them failed;"
            + " <code>modeldoctor exchanges</code> lists every call.</td></tr>"
        #expect(html.components(separatedBy: gapLine).count == 2)
        // The gap stands between the last row before it and the first after it.
        #expect(html.contains("<td><code>m338</code></td></tr>\n" + gapLine + "\n<tr id=\"call-500\""))
        #expect(html.components(separatedBy: "<tr id=\"call-").count - 1 == 200)
    }

    @Test func callsLeftOutAreNamedWithoutALink() {
        let xs = (0..<500).map { TimelineTests.call($0, model: "m\($0)") }
        var bundle = TicketBundle()
        bundle.exchanges = xs
        let finding = Finding(rule: "r", cause: "c", symptom: "none", severity: .high, confidence: 1,
                              title: Self.r("t"), message: Self.r(""), fix: Self.r(""),
                              evidence: [Evidence(source: "calls.log:251", excerpt: Self.r("POST …"))],
                              exchanges: [0] + Array(250..<262))
        var report = Report()
        report.findings = [finding]
        report.timeline = Timeline.build(bundle, findings: [finding], redactor: Redactor())
        #expect(report.timeline.evidenceCalls == ["calls.log:251": 250])
        let html = HTMLRenderer().render(report)
        #expect(html.contains(" · Calls <a class=\"call\" href=\"#call-0\">#0</a> #250 #251 #252 #253 #254 #255 #256 #257 #258 #259 #260 +1</p>"))
        #expect(html.contains("<li><code class=\"src\">calls.log:251</code> <code>POST …</code></li>"))
    }

    @Test func chineseLabels() throws {
        let html = HTMLRenderer().render(try SampleReport.make(lang: .zh))
        #expect(html.contains("<section><h2>请求时间线</h2>"))
        #expect(html.contains("<p class=\"meta\">共 2 个请求，"))
        #expect(html.contains("<th class=\"when\">时间 (UTC)<br>"))
        #expect(html.contains(" · 相关请求 <a class=\"call\" href=\"#call-0\">#0</a>"))
    }

    /// A HAR whose calls carry a key, a cookie and a prompt, and a model name that is markup.
    static let har = """
    {"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11.0.2"}, "entries": [
      {"startedDateTime": "2026-11-29T03:17:41.000+00:00", "time": 12,
       "request": {"method": "GET", "url": "http://gw.example:3000/v1/models", "httpVersion": "HTTP/1.1",
         "headers": [{"name": "Authorization", "value": "Bearer \(secret)"},
                     {"name": "Cookie", "value": "session=\(cookie)"}]},
       "response": {"status": 200, "statusText": "OK", "headers": [{"name": "Content-Type", "value": "application/json"}],
         "content": {"mimeType": "application/json", "text": "{\\"object\\": \\"list\\", \\"data\\": [{\\"id\\": \\"gpt-4o\\"}]}"}}},
      {"startedDateTime": "2026-11-29T03:17:42.000+00:00", "time": 30,
       "request": {"method": "POST", "url": "http://gw.example:3000/v1/chat/completions", "httpVersion": "HTTP/1.1",
         "headers": [{"name": "Authorization", "value": "Bearer \(secret)"}, {"name": "Content-Type", "value": "application/json"}],
         "postData": {"mimeType": "application/json",
           "text": "{\\"model\\": \\"<script>alert(1)</script>\\", \\"messages\\": [{\\"role\\": \\"user\\", \\"content\\": \\"\(prompt)\\"}]}"}},
       "response": {"status": 404, "statusText": "Not Found", "headers": [{"name": "Content-Type", "value": "application/json"}],
         "content": {"mimeType": "application/json",
           "text": "{\\"error\\": {\\"message\\": \\"model not found\\", \\"type\\": \\"invalid_request_error\\"}}"}}},
      {"startedDateTime": "2026-11-29T03:17:50.000+00:00", "time": 30000,
       "request": {"method": "POST", "url": "http://gw.example:3000/v1/chat/completions", "httpVersion": "HTTP/1.1",
         "headers": [{"name": "Authorization", "value": "Bearer \(secret)"}]},
       "response": {"status": 0, "statusText": "", "headers": [], "_error": "net::ERR_CONNECTION_TIMED_OUT"}}
    ]}}
    """
    static let secret = "sk-proj-T1m3l1neK3yZ9x8W7v6U5t4S3r2Q1p0O"
    static let cookie = "c00k1e-V4lu3-8f7e6d5c4b3a2918"
    static let prompt = "Summarise the falcon merger memo for the board"

    @Test func aRealBundleGivesATimelineWithoutSecretsOrPrompts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.har.write(to: dir.appendingPathComponent("capture.har"), atomically: true, encoding: .utf8)
        let result = AnalysisPipeline.run(AnalysisOptions(inputs: [dir.path], ruleFolders: [Repo.path("rules")]))
        let html = try result.redactor.gate(HTMLRenderer().render(result.report))
        #expect(html.contains("<tr id=\"call-0\"><td class=\"num\">#0</td><td class=\"when\"><time datetime=\"2026-11-29T03:17:41Z\">03:17:41</time></td>"
                              + "<td><code><b>GET</b> <span class=\"origin\">http://gw.example:3000</span>/<wbr>v1/<wbr>models</code></td>"
                              + "<td class=\"status\">200 OK</td><td><span class=\"none\">–</span></td></tr>"))
        #expect(html.contains("<tr id=\"call-1\" class=\"failed\"><td class=\"num\">#1</td>"))
        #expect(html.contains("/<wbr>v1/<wbr>chat/<wbr>completions</code></td><td class=\"status\">✗ 404 Not Found<br><span class=\"detail\">model not found</span></td>"
                              + "<td><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></td></tr>"))
        #expect(html.contains("<tr id=\"call-2\" class=\"failed\"><td class=\"num\">#2</td>"))
        #expect(html.contains("<td class=\"status\">✗ timeout<br><span class=\"detail\">net::ERR_CONNECTION_TIMED_OUT</span></td>"))
        #expect(!html.lowercased().contains("<script"))
        // No key (nor a stretch of it), no cookie, no prompt; headers are never shown.
        let body = String(Self.secret.dropFirst("sk-proj-".count))
        for leak in [Self.secret, String(body.prefix(12)), String(body.suffix(12)), Self.cookie, Self.prompt, "falcon", "Authorization"] {
            #expect(!html.contains(leak), "the page holds \(leak)")
        }
    }
}
