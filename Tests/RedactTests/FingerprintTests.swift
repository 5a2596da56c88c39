import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct FingerprintTests {
    @Test func formatIsPublicPrefixLastFourAndSixHex() {
        let r = Redactor(options: .init(fingerprintKey: "k"))
        let fp = r.fingerprint("sk-proj-Hq3bX9kLm2Np7Vr4Ts8Wz1Yc6Df0Gh5Jk9L")
        #expect(fp.hasPrefix("sk-proj-…9L") == false)
        #expect(fp.hasPrefix("sk-proj-…Jk9L#"))
        #expect(fp.count == "sk-proj-…Jk9L#".count + 6)
        #expect(r.fingerprint("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW").hasPrefix("AIza…tUvW#"))
        #expect(r.fingerprint("sk-ant-api03-Qw1Er2Ty3Ui4Op5As6Df7Gh8").hasPrefix("sk-ant-api03-…7Gh8#"))
        #expect(r.fingerprint("sk-gw-admin-7d2c91e0b4a3").hasPrefix("sk-gw-admin-…b4a3#"))
        // Short bodies show no characters at all.
        #expect(r.fingerprint("sk-gw-admin-shortone").hasPrefix("sk-gw-admin-…#"))
    }

    @Test func sameKeySameTokenEverywhere() {
        let key = "sk-AGaCGVS5z13i2s04PuYRBK6PGDaMpQDTz8N7W814tFHE8wxC"
        let a = Redactor(), b = Redactor()
        #expect(a.fingerprint(key) == b.fingerprint(key))
        #expect(a.fingerprint("Bearer " + key) == a.fingerprint(key))
        let fromHeader = a.redact("Authorization: Bearer \(key)").value
        let fromDict = b.redact("{'api_key': '\(key)'}").value
        #expect(fromHeader == "Authorization: Bearer \(a.fingerprint(key))")
        #expect(fromDict == "{'api_key': '\(a.fingerprint(key))'}")
        #expect(a.fingerprint(key) != a.fingerprint(key + "x"))
    }

    @Test func defaultKeyIsDocumentedAndDeterministic() {
        // HMAC-SHA256("modeldoctor-fingerprint-v1", key), first 3 bytes, unless the environment overrides it.
        let key = "sk-u3XLRIpdNo0npNOJQV2W9I"
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(
        //   b'modeldoctor-fingerprint-v1', b'sk-u3XLRIpdNo0npNOJQV2W9I', hashlib.sha256).hexdigest()[:6])"
        let expected = "96c346"
        #expect(Redactor(options: .init(fingerprintKey: Redactor.defaultFingerprintKey)).fingerprint(key) == "sk-…2W9I#\(expected)")
        #expect(Redactor(options: .init(fingerprintKey: "other")).fingerprint(key) != "sk-…2W9I#\(expected)")
    }

    @Test func summaryCountsKindsAndFilesNeverValues() {
        let r = Redactor()
        _ = r.redact("Authorization: Bearer sk-u3XLRIpdNo0npNOJQV2W9I", file: "a.log")
        _ = r.redact("Cookie: a=b; c=d\n{\"content\":\"hello\"}", file: "b.har")
        let s = r.summary
        #expect(s.byKind == ["openai-key": 1, "cookie": 1, "content": 1])
        #expect(s.byFile == ["a.log": 1, "b.har": 2])
        #expect(s.byFileAndKind["b.har"] == ["cookie": 1, "content": 1])
        #expect(s.total == 3)
    }
}
