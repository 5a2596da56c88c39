import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// The output gate fails closed, and its error never carries the secret.
@Suite struct GateTests {
    @Test func passesRedactedOutput() throws {
        let r = Redactor()
        let out = r.redact("Authorization: Bearer sk-AGaCGVS5z13i2s04PuYRBK6PGDaMpQDTz8N7W814tFHE8wxC\nmodel gpt-4o 404").value
        #expect(try r.gate(out) == out)
    }

    @Test func throwsOnAPlantedKeyShape() {
        let r = Redactor()
        let report = "Finding: auth-invalid-key\n  evidence: key sk-AGaCGVS5z13i2s04PuYRBK6PGDaMpQDTz8N7W814tFHE8wxC was rejected"
        #expect(throws: RedactionError.leak(kind: "openai-key", position: 42)) { try r.gate(report) }
    }

    @Test func throwsOnALiveHeaderValue() {
        let r = Redactor()
        #expect(throws: RedactionError.leak(kind: "cookie", position: 8)) { try r.gate("Cookie: sid=abc") }
    }

    /// A report's redaction summary counts cookies and Authorization headers by kind
    /// (`"cookie": 2,`): a count is no header value, so the report is not withheld. A long
    /// number under the name still is.
    @Test func aCountUnderASecretNameIsNoSecret() throws {
        let r = Redactor()
        let summary = "  \"by_kind\": {\n    \"authorization\": 3,\n    \"cookie\": 2\n  },\n  \"cookie\": 12,"
        #expect(try r.gate(summary) == summary)
        #expect(throws: RedactionError.leak(kind: "cookie", position: 8)) { try r.gate("Cookie: 123456789012") }
    }

    @Test func throwsOnALearntSecretAndOnAStretchOfIt() {
        let r = Redactor()
        let secret = "Zq81Lm02Xv7Tn4Rb9Kc3Wd6Pe5"   // no known shape: only learning can find it
        #expect(throws: Never.self) { try r.gate("token was \(secret)") }
        r.learn(secret: secret)
        #expect(throws: RedactionError.leak(kind: "learnt-secret", position: 10)) { try r.gate("token was \(secret)") }
        // A 12-character stretch of it, cut out of a longer string.
        #expect(throws: RedactionError.leak(kind: "learnt-secret", position: 6)) { try r.gate("trace Lm02Xv7Tn4Rb end") }
        // redact replaces the learnt secret wherever it appears.
        #expect(r.redact("token was \(secret)").value == "token was \(r.fingerprint(secret))")
    }

    @Test func errorDescriptionDoesNotContainTheSecret() {
        let r = Redactor()
        let key = "sk-AGaCGVS5z13i2s04PuYRBK6PGDaMpQDTz8N7W814tFHE8wxC"
        do {
            _ = try r.gate("x " + key)
            Issue.record("gate passed a key")
        } catch {
            #expect(Leaks.stretch(of: key, in: "\(error)") == nil)
            #expect("\(error)".contains("openai-key"))
        }
    }

    @Test func valuesFoundByStructureAreLearnt() {
        let r = Redactor()
        _ = r.redact("{'api_key': 'Zq81Lm02Xv7Tn4Rb9Kc3Wd6Pe5'}")
        #expect(r.redact("seen Zq81Lm02Xv7Tn4Rb9Kc3Wd6Pe5 again").value == "seen \(r.fingerprint("Zq81Lm02Xv7Tn4Rb9Kc3Wd6Pe5")) again")
    }

    @Test func plainWordsAreNotLearnt() {
        let r = Redactor()
        #expect(r.redact("{'token': 'completion'}").value == "{'token': '\(r.fingerprint("completion"))'}")
        #expect(r.redact("POST /v1/chat/completions 404").value == "POST /v1/chat/completions 404")
        r.learn(secret: "***")
        r.learn(secret: "Bearer sk-u3XLRIpdNo0npNOJQV2W9I")
        #expect(r.redact("sk-u3XLRIpdNo0npNOJQV2W9I").value == r.fingerprint("sk-u3XLRIpdNo0npNOJQV2W9I"))
    }
}
