import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// What the diagnosis needs survives redaction untouched.
@Suite struct RedactorKeepTests {
    static let kept: [String] = [
        #"[2026-11-29 03:17:41 - httpx:1038 - INFO] HTTP Request: GET http://127.0.0.1:3000/models "HTTP/1.1 404 Not Found""#,
        #"[2026-11-29 03:17:41 - openai._base_client:1035 - DEBUG] request_id: req_bdbfc5c9cafc34fa6c72fba73bdce45c"#,
        #"Headers([('server', 'nginx/1.24.0'), ('content-type', 'application/json'), ('x-request-id', 'req_bdbfc5c9cafc34fa6c72fba73bdce45c')])"#,
        #"{"error":{"message":"The model `gpt-4o-2024-08-06` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
        #"{"error":{"message":"user quota is not enough (request id: 20240909152207513198801NCNrvKxv)","type":"new_api_error","code":"insufficient_user_quota"}}"#,
        #"    'x-oneapi-request-id': '20261129034631990364426EpJiWyWs'"#,
        #"  url: 'http://127.0.0.1:3300//v1/models',"#,
        #"    authorization: '***',"#,
        #"-H 'Authorization: Be****8f' \"#,
        #"'user_api_key_user_id': 'REDACTED', 'api_key_hash': None, 'max_tokens': 4096, 'prompt_tokens': 12"#,
        #"INFO:     127.0.0.1:51234 - "POST /v1/chat/completions HTTP/1.1" 404 Not Found"#,
        #"  File "/home/dev/chat-app/.venv/lib/python3.11/site-packages/openai/_base_client.py", line 1038, in _request"#,
        #"{"id":"chatcmpl-Ky10gZFVKK5xK3DfugZgLnfAMmNEK","model":"glm-4.5-air","system_fingerprint":"fp_5f9c3e21b4"}"#,
        #"<meta name="viewport" content="width=device-width,initial-scale=1"/>"#,
        #"'content-length': '687', 'content-type': 'text/html; charset=utf-8'"#,
        #"eyJlcnJvciI6IHsibWVzc2FnZSI6ICLnlKjmiLfpop3luqbkuI3otrMsIOWJqeS9memineW6pjog77yEMC4wMDAwMDAg"#,
        #"api_key=$OPENAI_API_KEY model=deepseek-v3-250324 base_url=https://api.deepseek.com/v1"#,
        #"Authorization: Bearer <your key>"#,
        #"missing header: Authorization: Bearer"#,
        #"'idempotency_key': 'stainless-python-retry-2ce7b6cc-5343-40d5-b5ea-ec8265084d85'"#,
        #"the task-runner-disk-usage-sampler-01 finished; bearer tokens are checked"#,
    ]

    @Test(arguments: kept)
    func lineIsKept(_ line: String) {
        let r = Redactor()
        #expect(r.redact(line).value == line)
        #expect(r.summary.total == 0)
    }

    @Test func modelNamesPathsHostsAndStatusSurviveNextToARedactedKey() {
        let r = Redactor()
        let line = "POST https://gw.example.com/v1/chat/completions model=gpt-4o-2024-08-06 status=404 req_abc123 Authorization: Bearer sk-u3XLRIpdNo0npNOJQV2W9I"
        #expect(r.redact(line).value
            == "POST https://gw.example.com/v1/chat/completions model=gpt-4o-2024-08-06 status=404 req_abc123 Authorization: Bearer sk-…2W9I#\(r.fingerprint("sk-u3XLRIpdNo0npNOJQV2W9I").suffix(6))")
    }

    @Test func disabledReturnsTextUnchanged() throws {
        let r = Redactor(options: .init(disabled: true))
        let line = "Authorization: Bearer sk-u3XLRIpdNo0npNOJQV2W9I {\"content\":\"hi\"}"
        #expect(r.redact(line).value == line)
        #expect(try r.gate(line) == line)
        #expect(r.summary.total == 0)
    }
}
