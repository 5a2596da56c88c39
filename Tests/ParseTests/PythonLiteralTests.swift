import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct PythonLiteralTests {
    private func json(_ s: String, truncated: Bool = false) -> String? {
        PythonLiteral.parse(s, allowTruncated: truncated)?.jsonText
    }

    @Test func readsNestedDictsWithNoneTrueFalse() {
        #expect(json("{'error': {'message': 'x', 'param': None, 'ok': True, 'n': False, 'code': 404, 'f': -1.5e3}}")
                == #"{"error":{"code":404,"f":-1500,"message":"x","n":false,"ok":true,"param":null}}"#)
    }

    @Test func readsListsTuplesAndSets() {
        #expect(json("[(1, 'a'), (2,), ()]") == #"[[1,"a"],[2],[]]"#)
        #expect(json("{1, 2}") == "[1,2]")
        #expect(json("[]") == "[]")
        #expect(json("{}") == "{}")
    }

    @Test func readsBothQuoteStylesAndEscapes() {
        #expect(json(#"{"model": "gpt-4o", 'q': "it's", 'e': 'say \'hi\'', 'nl': 'a\nb\tc\\d'}"#)
                == #"{"e":"say 'hi'","model":"gpt-4o","nl":"a\nb\tc\\d","q":"it's"}"#)
    }

    @Test func decodesHexUnicodeAndOctalEscapes() {
        // In a str repr `\xe5` is U+00E5; `\u4f60` is 你; `\U0001f600` is 😀.
        #expect(PythonLiteral.parse(#"'\xe5\u4f60\U0001f600\101'"#) == .string("å你😀A"))
        // In a bytes repr the escapes are raw bytes, decoded as UTF-8: 分 is e5 88 86.
        #expect(PythonLiteral.parse(#"b'\xe5\x88\x86'"#) == .string("分"))
        #expect(PythonLiteral.parse("'中文 ＄0.000000'") == .string("中文 ＄0.000000"))
    }

    @Test func keepsOpaqueObjectsAsText() {
        let v = PythonLiteral.parse("{'post_parser': <function SyncAPIClient._request_api_list.<locals>._parser at 0x7f7fa3325300>, 'json_data': None, 'timeout': Timeout(connect=5.0, read=600, note='a)b')}")
        #expect(v?["post_parser"] == .string("<function SyncAPIClient._request_api_list.<locals>._parser at 0x7f7fa3325300>"))
        #expect(v?["timeout"] == .string("Timeout(connect=5.0, read=600, note='a)b')"))
        #expect(v?["json_data"] == .null)
    }

    @Test func acceptsJSONSpellings() {
        #expect(json(#"{"a": null, "b": true, "c": [false]}"#) == #"{"a":null,"b":true,"c":[false]}"#)
    }

    @Test func readsLiteralsSpanningLines() {
        let text = "{'method': 'post',\n 'json_data': {'messages': [{'role': 'user',\n   'content': 'hi'}],\n 'model': 'gpt-4o'}}"
        #expect(json(text) == #"{"json_data":{"messages":[{"content":"hi","role":"user"}],"model":"gpt-4o"},"method":"post"}"#)
        var quote: UInt8 = 0
        #expect(PythonLiteral.depthChange("{'a': [1, '}]', (", inString: &quote) == 3)
        #expect(quote == 0)
        #expect(PythonLiteral.depthChange("{'a': 'open", inString: &quote) == 1)
        #expect(quote == UInt8(ascii: "'"))
    }

    @Test func concatenatesAdjacentStrings() {
        #expect(PythonLiteral.parse("('a' 'b' \"c\")") == .array([.string("abc")]))
    }

    @Test func rejectsMalformedInputUnlessTruncationIsAllowed() {
        #expect(PythonLiteral.parse("{'a': 1") == nil)
        #expect(PythonLiteral.parse("{'a' 1}") == nil)
        #expect(PythonLiteral.parse("{'a': 1} trailing") == nil)
        #expect(PythonLiteral.parse("") == nil)
        #expect(json("{'error': {'message': 'The model `gpt-4` does not ex", truncated: true)
                == #"{"error":{"message":"The model `gpt-4` does not ex"}}"#)
        #expect(json("[1, 2, {'a': [3", truncated: true) == #"[1,2,{"a":[3]}]"#)
    }

    @Test func parsePrefixReturnsTheRest() {
        let r = PythonLiteral.parsePrefix("{'a': 1} and more")
        #expect(r?.value == .object(["a": .number(1)]))
        #expect(r?.rest == " and more")
    }

    @Test func pairsKeepWrittenOrder() {
        let dict = PythonLiteral.pairs("{'server': 'nginx', 'date': 'Sun', 'content-length': '22', 'x': None}")
        #expect(dict?.map { "\($0.0)=\($0.1)" } == ["server=nginx", "date=Sun", "content-length=22", "x=None"])
        let list = PythonLiteral.pairs("[('date', 'a'), ('date', 'b'), (b'Server', b'nginx')]")
        #expect(list?.map { "\($0.0)=\($0.1)" } == ["date=a", "date=b", "Server=nginx"])
    }

    @Test func deepNestingIsRefusedNotCrashing() {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(PythonLiteral.parse(deep) == nil)
    }
}
