import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// The redaction summary counts what was redacted, and its totals agree.
@Suite struct RedactionSummaryTests {
    @Test func textNotFromAFileIsCountedUnderReportTextSoTotalsAgree() {
        let r = Redactor()
        _ = r.redact("Authorization: Bearer sk-u3XLRIpdNo0npNOJQV2W9I", file: "a.log")
        _ = r.redact("see https://gw.example.com/v1/models?key=9f8e7d6c5b4a39281706f5e4d3c2b1a0")
        let s = r.summary
        #expect(s.total == 2)
        #expect(s.byFile.values.reduce(0, +) == s.total)
        #expect(s.byFile[RedactionSummary.reportText] == 1)
    }

    @Test func aFingerprintShownInAReportCountsOncePerKeyAndFile() {
        let r = Redactor()
        let key = "Bearer sk-u3XLRIpdNo0npNOJQV2W9I"
        let a = r.fingerprint(key, shownFor: "capture.har")
        let b = r.fingerprint(key, shownFor: "capture.har")
        #expect(a == b && a == r.fingerprint(key))
        #expect(r.summary.byFileAndKind == ["capture.har": ["openai-key": 1]])
        _ = r.fingerprint("sk-ant-api03-Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1", shownFor: "capture.har")
        #expect(r.summary.byKind == ["openai-key": 1, "anthropic-key": 1])
        #expect(r.summary.total == 2)
    }
}
