import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// Prompts and completions become their size unless `showContent`.
@Suite struct ContentTests {
    @Test func contentInEveryShapeBecomesItsSize() {
        let r = Redactor()
        #expect(r.redact(#"{"messages": [{"role": "user", "content": "What can you do?"}], "model": "gpt-3.5-turbo"}"#).value
            == #"{"messages": [{"role": "user", "content": "[16 chars]"}], "model": "gpt-3.5-turbo"}"#)
        #expect(r.redact("'json_data': {'messages': [{'role': 'user', 'content': '帮我写一封请假邮件'}], 'model': 'gpt-4o'}").value
            == "'json_data': {'messages': [{'role': 'user', 'content': '[9 chars]'}], 'model': 'gpt-4o'}")
        #expect(r.redact("    { role: 'user', content: 'Summarise this ticket' }").value
            == "    { role: 'user', content: '[21 chars]' }")
        #expect(r.redact(#"{"text":"{\"messages\":[{\"role\":\"user\",\"content\":\"hi \\\"there\\\"\"}],\"model\":\"x\"}"}"#).value
            == #"{"text":"{\"messages\":[{\"role\":\"user\",\"content\":\"[16 chars]\"}],\"model\":\"x\"}"}"#)
        #expect(r.redact(#"{"model":"gpt-5.1-codex","instructions":"be terse","input":"fix the bug"}"#).value
            == #"{"model":"gpt-5.1-codex","instructions":"[8 chars]","input":"[11 chars]"}"#)
        #expect(r.redact(#"{"input": ["alpha", "beta"], "model": "text-embedding-3-small"}"#).value
            == #"{"input": ["[5 chars]", "[4 chars]"], "model": "text-embedding-3-small"}"#)
        #expect(r.redact(#"{"prompt": "Once upon a time", "model": "gpt-3.5-turbo-instruct"}"#).value
            == #"{"prompt": "[16 chars]", "model": "gpt-3.5-turbo-instruct"}"#)
        #expect(r.redact(#"[{"type":"input_text","text":"look at this"}]"#).value == #"[{"type":"input_text","text":"[12 chars]"}]"#)
        // Empty content and non-string content stay.
        #expect(r.redact(#"{"delta": {"content": ""}, "content": null, "content": {"size": 5}}"#).value
            == #"{"delta": {"content": ""}, "content": null, "content": {"size": 5}}"#)
    }

    @Test func utilInspectContinuationLinesAreCovered() {
        let r = Redactor()
        let text = "    content: 'first part of the prompt\\n' +\n      'second part' +\n      'third'\n  }"
        #expect(r.redact(text).value == "    content: '[26 chars]' +\n      '[11 chars]' +\n      '[5 chars]'\n  }")
    }

    @Test func showContentKeepsTextButStillRedactsKeys() {
        let r = Redactor(options: .init(showContent: true))
        let line = #"{"content": "my key is sk-u3XLRIpdNo0npNOJQV2W9I, please help"}"#
        #expect(r.redact(line).value == #"{"content": "my key is \#(r.fingerprint("sk-u3XLRIpdNo0npNOJQV2W9I")), please help"}"#)
    }
}
