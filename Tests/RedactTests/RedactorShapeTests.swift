import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// Every kind of secret, in every text shape the inputs use, is redacted to its fingerprint.
@Suite struct RedactorShapeTests {
    static let keys: [(String, String)] = [
        ("openai", "sk-AGaCGVS5z13i2s04PuYRBK6PGDaMpQDTz8N7W814tFHE8wxC"),
        ("project", "sk-proj-Hq3bX9_kLm2-Np7Vr4Ts8Wz1Yc6Df0Gh5Jk9Lm3Np7Qr2St6Vw0Xy4"),
        ("svcacct", "sk-svcacct-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78"),
        ("admin", "sk-admin-Zz98Yy76Xx54Ww32Vv10Uu98Tt76Ss54"),
        ("anthropic", "sk-ant-api03-Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2Nm3Qw4Er5Ty6Ui7Op8As9Df0Gh1Jk2Lz3Xc4Vb5Nm6-AbCdEfAA"),
        ("google", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"),
        ("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ("litellm", "sk-u3XLRIpdNo0npNOJQV2W9I"),
        ("gateway-master", "sk-gw-admin-7d2c91e0b4a3"),
    ]

    /// Text shapes; `{K}` is the credential.
    static let shapes: [String] = [
        #"Authorization: Bearer {K}"#,
        #"> Proxy-Authorization: Bearer {K}"#,
        #"x-api-key: {K}"#,
        #"api-key: {K}"#,
        #"x-goog-api-key: {K}"#,
        #"{"name":"authorization","value":"Bearer {K}"},{"name":"Host","value":"h"}"#,
        #"('authorization', 'Bearer {K}'), ('x-request-id', 'req_1')"#,
        #"{'api_key': '{K}', 'model': 'gpt-4o'}"#,
        #"{"api_key": "{K}", "model": "gpt-4o"}"#,
        #"{"master_key":"{K}"}"#,
        #"api_key={K} base_url=https://gw.example.com/v1"#,
        #"OPENAI_API_KEY={K}"#,
        #"  apiKey: '{K}',"#,
        #"UserAPIKeyAuth(token='{K}', key_name=None)"#,
        #"curl -H 'Authorization: Bearer {K}' https://gw.example.com/v1/models"#,
        #"GET https://gw.example.com/v1/models?key={K}&alt=json"#,
        #"GET https://gw.example.com/v1/models?api_key={K}"#,
        #"POST /v1/chat?access_token={K} 200"#,
        #"{"text":"{\"authorization\":\"Bearer {K}\"}"}"#,
        #"the key {K} was rejected"#,
    ]

    @Test(arguments: keys)
    func everyShapeIsRedactedToTheFingerprint(_ key: (String, String)) {
        let r = Redactor()
        let fp = r.fingerprint(key.1)
        for shape in Self.shapes {
            let out = r.redact(shape.replacingOccurrences(of: "{K}", with: key.1)).value
            #expect(Leaks.stretch(of: key.1, in: out) == nil, "\(key.0) leaks in: \(shape)")
            #expect(out.contains(fp), "\(key.0) not fingerprinted in: \(shape) → \(out)")
            #expect(out == shape.replacingOccurrences(of: "{K}", with: fp), "\(key.0): \(out)")
        }
    }

    @Test func prettyPrintedHARHeaderOverTwoLines() {
        let key = "0123456789abcdef0123456789abcdef"
        let text = "{\n    \"name\": \"Authorization\",\n    \"value\": \"Token \(key)\"\n}"
        let r = Redactor()
        #expect(r.redact(text).value == "{\n    \"name\": \"Authorization\",\n    \"value\": \"Token \(r.fingerprint(key))\"\n}")
    }

    @Test func opaqueValuesUnderKeyNamesAreFingerprinted() {
        let r = Redactor()
        let hex = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c"
        #expect(r.redact("x-api-key: \(hex)").value == "x-api-key: …7a9c#\(String(r.fingerprint(hex).suffix(6)))")
        #expect(r.redact("{\"client_secret\": \"\(hex)\"}").value == "{\"client_secret\": \"\(r.fingerprint(hex))\"}")
        // A random value under a weaker name (`*_key`) is redacted, a plain word is not.
        #expect(r.redact("'deployment_key': '\(hex)'").value == "'deployment_key': '\(r.fingerprint(hex))'")
        #expect(r.redact("'sort_key': 'created'").value == "'sort_key': 'created'")
    }

    @Test func cookiesBasicPasswordsAndUserInfoBecomeLabels() {
        let r = Redactor()
        #expect(r.redact("Cookie: session=9f8e7d6c5b4a; theme=dark").value == "Cookie: [REDACTED:cookie]")
        #expect(r.redact("< Set-Cookie: sid=abc123; Path=/; HttpOnly").value == "< Set-Cookie: [REDACTED:cookie]")
        #expect(r.redact(#"{"name":"Cookie","value":"a=1; b=2"}"#).value == #"{"name":"Cookie","value":"[REDACTED:cookie]"}"#)
        #expect(r.redact("Authorization: Basic dXNlcjpwYXNzd29yZA==").value == "Authorization: Basic [REDACTED:basic-auth]")
        #expect(r.redact("{'password': 'hunter2'}").value == "{'password': '[REDACTED:password]'}")
        #expect(r.redact("HTTPS_PROXY=http://alice:s3cret@10.0.0.8:3128").value
            == "HTTPS_PROXY=http://[REDACTED:url-credentials]@10.0.0.8:3128")
        #expect(r.redact("GET https://h.example.com/x?sig=AbCdEf0123456789xyz&se=2026").value
            == "GET https://h.example.com/x?sig=\(r.fingerprint("AbCdEf0123456789xyz"))&se=2026")
    }

    @Test func harCookieArrayValuesAreRedacted() {
        let r = Redactor()
        let one = #""cookies":[{"name":"sid","value":"abc123def456","path":"/"}],"headers":[]"#
        #expect(r.redact(one).value == #""cookies":[{"name":"sid","value":"[REDACTED:cookie]","path":"/"}],"headers":[]"#)
        let pretty = "\"cookies\": [\n  {\n    \"name\": \"sid\",\n    \"value\": \"abc123def456\"\n  }\n],\n\"x\": {\"value\": \"kept\"}"
        #expect(r.redact(pretty).value
            == "\"cookies\": [\n  {\n    \"name\": \"sid\",\n    \"value\": \"[REDACTED:cookie]\"\n  }\n],\n\"x\": {\"value\": \"kept\"}")
    }
}
