import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// The HTML report and the triage page, loaded in a real browser (headless Chromium): the
/// rendered DOM holds the findings and the rows, and the pages ask for nothing on the network.
/// Skipped with a message when no Chromium is installed (CI machines may have none).
@Suite(.serialized) struct BrowserTests {
    /// The Chromium binary: /usr/bin/chromium, else `chromium` or `chromium-browser` on PATH.
    static let chromium: String? = {
        var candidates = ["/usr/bin/chromium"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            candidates += ["chromium", "chromium-browser"].map { "\(dir)/\($0)" }
        }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        if found == nil { print("BrowserTests skipped: no chromium at /usr/bin/chromium nor chromium/chromium-browser on PATH") }
        return found
    }()

    /// A fresh scratch folder for one test.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `html` into `dir`, loads it in headless Chromium and returns the rendered DOM.
    /// The browser gets 60 s; a hang fails the test instead of blocking the run.
    static func renderedDOM(_ html: String, name: String, in dir: URL) throws -> String {
        let page = dir.appendingPathComponent(name)
        try html.write(to: page, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent(name + ".dom")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromium))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--user-data-dir=" + dir.appendingPathComponent("profile").path,
                             "--dump-dom", page.absoluteString]
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("chromium did not finish loading \(name) within 60 s")
            return ""
        }
        #expect(process.terminationStatus == 0, "chromium exit status for \(name)")
        return try String(contentsOf: out, encoding: .utf8)
    }

    /// The src/href values of script, link and img elements in a page's source.
    static func resourceReferences(_ html: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: #"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']?([^"'\s>]*)"#,
                                            options: [.caseInsensitive])
        let ns = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    /// No network resource: no script, stylesheet or image fetched over http(s).
    static func expectOffline(_ html: String, _ page: String) throws {
        let refs = try resourceReferences(html)
        #expect(!refs.contains { $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://") || $0.hasPrefix("//") },
                "\(page) references a network resource: \(refs)")
    }

    @Test(.enabled(if: chromium != nil, "no chromium installed: the page is not loaded in a browser"))
    func htmlReportRendersTheFindingAndFacts() throws {
        let ticket = "samples/tickets/01-base-url-missing-version"
        let opts = AnalysisOptions(inputs: [Repo.path(ticket)], ruleFolders: [Repo.path("rules")])
        let html = OutputFormat.html.renderer.render(AnalysisPipeline.run(opts).report)
        try Self.expectOffline(html, "report.html")
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dom = try Self.renderedDOM(html, name: "report.html", in: dir)
        // The top finding, with its title and cause key, is in the page the browser built.
        #expect(dom.contains("<h2>Most likely cause</h2>"))
        #expect(dom.contains("<span class=\"rank\">#1</span>"))
        #expect(dom.contains("Base URL lacks the API version path"))
        #expect(dom.contains("<code>base-url-missing-version</code>"))
        // Its evidence points into the bundle's files, and the facts and inventory are there.
        #expect(dom.contains("sdk-debug.log:38"))
        #expect(dom.contains("<h2>Ticket facts</h2>") && dom.contains("openai-python 1.54.4"))
        #expect(dom.contains("<h2>Inventory</h2>") && dom.contains("<code>capture.har</code>"))
        // The timeline holds both failed calls, and the evidence links to its rows.
        #expect(dom.contains("<h2>Calls in order</h2>"))
        #expect(dom.contains("<tr id=\"call-0\" class=\"failed\">") && dom.contains("<tr id=\"call-1\" class=\"failed\">"))
        #expect(dom.contains("<code class=\"src\">sdk-debug.log:38</code> <a class=\"call\" href=\"#call-0\">#0</a>"))
        #expect(dom.contains("</body></html>"), "the browser parsed the page to its end")
    }

    @Test(.enabled(if: chromium != nil, "no chromium installed: the page is not loaded in a browser"))
    func triagePageRendersOneRowPerTicketAndTheRollup() throws {
        let folder = Repo.path("samples/tickets")
        let tickets = TriageTicket.discover([folder])
        let runner = TriageRunner(options: AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")]), jobs: 2)
        let html = TriageFormat.html.renderer.render(runner.run(tickets).report)
        try Self.expectOffline(html, "triage.html")
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dom = try Self.renderedDOM(html, name: "triage.html", in: dir)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == tickets.count && !names.isEmpty)
        // One table row per ticket, each once.
        for name in names {
            #expect(dom.components(separatedBy: "<tr><td>tickets/\(name)</td>").count == 2, "one row for \(name)")
        }
        #expect(dom.contains("<tr><td>tickets/01-base-url-missing-version</td><td>base-url-missing-version</td>"))
        #expect(dom.contains("<h2>Tickets per cause</h2>") && dom.contains("<svg"))
        #expect(dom.contains("<h2>Roll-up: \(names.count) ticket(s), 0 with input problems</h2>"))
        #expect(dom.contains("</body></html>"), "the browser parsed the page to its end")
    }
}
