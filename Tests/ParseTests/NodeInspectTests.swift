import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct NodeInspectTests {
    @Test func readsUnquotedKeysSingleQuotesAndTrailingCommas() throws {
        let v = try #require(NodeInspect.parse("""
        {
          method: 'get',
          'x-stainless-arch': 'x64',
          status: 200,
          ok: true,
          missing: undefined,
          nothing: null,
          list: [ 'a', "it's", `both'"`, ],
        }
        """))
        #expect(v["method"] == .string("get"))
        #expect(v["x-stainless-arch"] == .string("x64"))
        #expect(v["status"] == .number(200))
        #expect(v["ok"] == .bool(true))
        #expect(v["missing"] == .null)
        #expect(v["nothing"] == .null)
        #expect(v["list"] == .array([.string("a"), .string("it's"), .string("both'\"")]))
    }

    @Test func joinsContinuedStringsAndDecodesEscapes() throws {
        let v = try #require(NodeInspect.parse("""
        {
          body: '<!doctype html><html lang="zh">\\n' +
            '<title>New API</title>\\n' +
            'it\\'s \\u4e2d\\x41'
        }
        """))
        #expect(v["body"] == .string("<!doctype html><html lang=\"zh\">\n<title>New API</title>\nit's 中A"))
    }

    @Test func keepsCutValuesAsPlaceholders() throws {
        let v = try #require(NodeInspect.parse("{ object: 'list', data: [ [Object], [Object] ], messages: [Array] }"))
        #expect(v["data"] == .array([.string("[Object]"), .string("[Object]")]))
        #expect(v["messages"] == .string("[Array]"))
        #expect(NodeInspect.isPlaceholder(.string("[Object]")))
        #expect(!NodeInspect.isPlaceholder(.string("[1m]")))
        #expect(NodeInspect.containsPlaceholder(v))
        #expect(!NodeInspect.containsPlaceholder(.object(["a": .string("gpt-4o")])))
    }

    @Test func readsClassPrefixesFunctionsAndReferences() throws {
        let v = try #require(NodeInspect.parse("""
        <ref *1> Stream {
          iterator: [AsyncGeneratorFunction: iterator],
          controller: AbortController { signal: AbortSignal { aborted: false } },
          headers: Headers {
            server: 'nginx',
            'content-type': 'application/json'
          },
          self: [Circular *1],
          map: Map(1) { 'k' => 1 },
          set: Set(2) { 'a', 'b' },
          proto: [Object: null prototype] { x: 1 },
          when: 2026-11-29T03:46:31.755Z,
          big: 12n,
          neg: -1.5
        }
        """))
        #expect(v["iterator"] == .string("[AsyncGeneratorFunction: iterator]"))
        #expect(v["controller"]?["signal"]?["aborted"] == .bool(false))
        #expect(v["headers"]?["content-type"] == .string("application/json"))
        #expect(v["self"] == .string("[Circular *1]"))
        #expect(v["map"]?["k"] == .number(1))
        #expect(v["set"] == .array([.string("a"), .string("b")]))
        #expect(v["proto"]?["x"] == .number(1))
        #expect(v["when"] == .string("2026-11-29T03:46:31.755Z"))
        #expect(v["big"] == .number(12))
        #expect(v["neg"] == .number(-1.5))
    }

    @Test func keepsMultiWordBareValuesInsideObjects() throws {
        let v = try #require(NodeInspect.parse("{ cause: TypeError: fetch failed, stream: true }"))
        #expect(v["cause"] == .string("TypeError: fetch failed"))
        #expect(v["stream"] == .bool(true))
    }

    @Test func splitsConsoleLogArguments() {
        let vals = NodeInspect.parseValues("404 https://gw.example.com/v1/models { 'content-type': 'text/html' } undefined")
        #expect(vals.count == 4)
        #expect(vals[0] == .number(404))
        #expect(vals[1] == .string("https://gw.example.com/v1/models"))
        #expect(vals[2]["content-type"] == .string("text/html"))
        #expect(vals[3] == .null)
    }

    @Test func rejectsTextThatIsNoValue() {
        #expect(NodeInspect.parse("") == nil)
        #expect(NodeInspect.parse("{ a: ") == nil)
    }
}
