import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorRedact
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// `Timeline.build`: every call in order, folded and cut only in large bundles and never
/// without saying how many calls were left out; values redacted and counted apart.
@Suite struct TimelineTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_922_261)  // 2026-11-29T03:17:41Z

    /// A call numbered `index`, seen on line `index + 1` of `calls.log`.
    static func call(_ index: Int, _ method: String = "POST", _ url: String = "http://gw.example/v1/chat/completions",
                     status: Int? = 200, model: String? = "gpt-4o") -> Exchange {
        var e = Exchange()
        e.index = index
        e.time = t0.addingTimeInterval(Double(index))
        e.method = method
        e.url = url
        e.status = status
        e.model = model
        let ref = SourceRef(file: "calls.log", line: index + 1)
        e.sources = [ref]
        e.lines = [SourceLine(ref: ref, text: "\(method) \(url)")]
        return e
    }

    static func bundle(_ xs: [Exchange]) -> TicketBundle {
        var b = TicketBundle()
        b.exchanges = xs
        return b
    }

    @Test func oneRowPerCallInOrderWithStatusFailureAndModel() {
        var timeout = Self.call(2, status: nil)
        timeout.failure = Failure(.timeout, "Request timed out.")
        var notFound = Self.call(1, "GET", "http://gw.example/models", status: 404, model: nil)
        notFound.statusText = "Not Found"
        notFound.error = APIError(message: "Invalid URL (GET /models)")
        let t = Timeline.build(Self.bundle([Self.call(0), notFound, timeout]), findings: [], redactor: Redactor())
        #expect(t.rows.map(\.index) == [0, 1, 2])
        #expect(t.rows.map(\.count) == [1, 1, 1])
        #expect(t.omitted == nil)
        #expect(t.rows.map(\.failed) == [false, true, true])
        #expect(t.rows[0].status == 200 && t.rows[0].model?.value == "gpt-4o" && t.rows[0].time == Self.t0)
        #expect(t.rows[1].method?.value == "GET" && t.rows[1].url?.value == "http://gw.example/models")
        #expect(t.rows[1].statusText?.value == "Not Found" && t.rows[1].error?.value == "Invalid URL (GET /models)")
        #expect(t.rows[1].model == nil)
        #expect(t.rows[2].status == nil && t.rows[2].failure == "timeout" && t.rows[2].error?.value == "Request timed out.")
    }

    @Test func aPathOnlyCallShowsItsPath() {
        var e = Self.call(0)
        e.url = nil
        e.pathOnly = "/v1/embeddings"
        let t = Timeline.build(Self.bundle([e]), findings: [], redactor: Redactor())
        #expect(t.rows[0].url?.value == "/v1/embeddings")
    }

    @Test func smallBundlesAreNeverFolded() {
        let xs = (0..<Timeline.rowLimit).map { Self.call($0) }
        let t = Timeline.build(Self.bundle(xs), findings: [], redactor: Redactor())
        #expect(t.rows.count == Timeline.rowLimit && t.rows.allSatisfy { $0.count == 1 } && t.omitted == nil)
    }

    @Test func largeBundlesFoldIdenticalConsecutiveCalls() {
        // 240 identical rate-limited retries, then ten different calls.
        var xs = (0..<240).map { Self.call($0, status: 429) }
        xs += (240..<250).map { Self.call($0, model: "model-\($0)") }
        let t = Timeline.build(Self.bundle(xs), findings: [], redactor: Redactor())
        #expect(t.omitted == nil)
        #expect(t.rows.count == 11)
        #expect(t.rows[0].index == 0 && t.rows[0].count == 240 && t.rows[0].failed)
        #expect(t.rows[0].time == Self.t0 && t.rows[0].lastTime == Self.t0.addingTimeInterval(239))
        #expect(t.rows[1].index == 240 && t.rows[1].count == 1 && t.rows[1].model?.value == "model-240")
        #expect(t.row(of: 117)?.index == 0 && t.row(of: 249)?.index == 249)
    }

    @Test func tooManyRowsKeepTheFirstAndLastAndCountTheRest() throws {
        // 500 different calls, every third one failed.
        let xs = (0..<500).map { Self.call($0, status: $0 % 3 == 0 ? 500 : 200, model: "m\($0)") }
        let t = Timeline.build(Self.bundle(xs), findings: [], redactor: Redactor())
        #expect(t.rows.count == Timeline.rowLimit)
        let gap = try #require(t.omitted)
        #expect(gap.position == 100 && gap.first == 100 && gap.last == 399 && gap.calls == 300)
        #expect(gap.failed == (100...399).filter { $0 % 3 == 0 }.count)
        #expect(t.rows[99].index == 99 && t.rows[100].index == 400 && t.rows.last?.index == 499)
        // Every call is either in a row or counted as left out.
        #expect(t.rows.reduce(0) { $0 + $1.count } + gap.calls == xs.count)
        #expect(t.row(of: 250) == nil && t.row(of: 400)?.index == 400)
    }

    @Test func evidenceIsMatchedToItsCall() {
        var e = Self.call(1)
        e.sources = [SourceRef(file: "app.log", line: 10, endLine: 14)]
        e.lines = [SourceLine(ref: SourceRef(file: "app.log", line: 10), text: "POST …")]
        let evidence = ["calls.log:1", "app.log:10", "app.log:12", "app.log:20", "bundle", "calls.log:1-2"]
            .map { Evidence(source: $0, excerpt: RedactedText(literal: "x")) }
        let finding = Finding(rule: "r", cause: "c", symptom: "none", severity: .high, confidence: 1,
                              title: RedactedText(literal: "t"), message: RedactedText(literal: ""),
                              fix: RedactedText(literal: ""), evidence: Array(evidence.prefix(3)),
                              evidenceAgainst: Array(evidence.suffix(3)))
        let t = Timeline.build(Self.bundle([Self.call(0), e]), findings: [finding], redactor: Redactor())
        #expect(t.evidenceCalls == ["calls.log:1": 0, "app.log:10": 1, "app.log:12": 1])
        #expect(Timeline.sourceRef("a:b.log:3-5") == SourceRef(file: "a:b.log", line: 3, endLine: 5))
        #expect(Timeline.sourceRef("bundle") == nil && Timeline.sourceRef("x.log:") == nil)
    }

    @Test func valuesAreRedactedAndCountedApartFromTheReport() {
        let key = "AIzaSyD4x9Qm2Lk7Vb3Np8Rt1Wc6Ye0Hf5Jg2Ks"
        let redactor = Redactor()
        _ = redactor.redact("Authorization: Bearer sk-proj-Q2w3E4r5T6y7U8i9O0p1A2s3D4f5G6h7")
        let before = redactor.summary
        let xs = [Self.call(0, "POST", "https://gw.example/v1beta/models/gemini:generateContent?key=\(key)")]
        let t = Timeline.build(Self.bundle(xs), findings: [], redactor: redactor)
        let url = t.rows[0].url?.value ?? ""
        #expect(!url.contains(key) && url.hasPrefix("https://gw.example/v1beta/models/gemini:generateContent?key="))
        #expect(t.redaction.total == 1)
        #expect(redactor.summary.total == before.total + 1)
        #expect(before.adding(t.redaction) == redactor.summary)
    }
}
