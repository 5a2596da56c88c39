import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// Pasted fragments that belong to one call: a status line and its body in separate Markdown
/// blocks, a `curl` command and the answer under it, an app's own access line above the error
/// of the API call it made, placeholder hosts, and a client config pasted as JSON. All texts
/// are written for these tests (the shapes come from real tickets).
@Suite struct ErrorTextPairingTests {
    func parse(_ text: String) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt")
    }

    /// A client's error report (an IDE extension's "Error Details" form): the status on a line
    /// of its own, a heading, then the server's answer in a fence, as JSON or as a line.
    @Test func aStatusLineAHeadingAndTheAnswerAreOneCall() throws {
        let json = parse("""
        Model: Claude Sonnet
        Provider: gateway
        Status Code: 404

        **Error Output**
        ```
        {"message":"NotFoundError: AnthropicException - b'{\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"not_found_error\\",\\"message\\":\\"model: claude-x-1\\"}}'","code":"404"}
        ```
        """)
        #expect(json.exchanges.count == 1)
        let e = try #require(json.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "claude-x-1")
        let line = parse("""
        Status Code: 401

        ### Error Output
        ```
        401 Incorrect API key provided: sk-or-v1****de5d. You can find your API key at https://platform.openai.com/account/api-keys.
        ```
        """)
        #expect(line.exchanges.count == 1)
        #expect(line.exchanges.first?.status == 401)
        #expect(line.exchanges.first?.error?.message?.hasPrefix("Incorrect API key provided") == true)
        // Another status under it is another answer.
        let two = parse("Status Code: 401\n\n**Error Output**\n500 Internal Server Error: upstream crashed\n")
        #expect(two.exchanges.count == 2)
        #expect(ErrorTextReader.isBlockHeading("**Error Output**"))
        #expect(!ErrorTextReader.isBlockHeading("Error 404:"))
    }

    /// A browser's developer tools copy a request's "General" headers as labelled fields, the
    /// value on the label's line or the next (Chrome's Chinese UI has its own labels); an API
    /// URL alone on a line with its status under it is one call too, and the body under the
    /// status is its answer. A base URL alone is a setting, not a call.
    @Test func labelledFieldsAndAURLWithItsStatusAreOneCall() throws {
        let devtools = parse("""
        Request URL:
        https://gw.example.com/v1/models
        Request Method:
        GET
        Status Code:
        404 Not Found
        Remote Address:
        203.0.113.5:443
        """)
        let d = try #require(devtools.exchanges.first)
        #expect(devtools.exchanges.count == 1)
        #expect(d.method == "GET" && d.url == "https://gw.example.com/v1/models" && d.status == 404)
        // Newer Chrome copies the labels without colons.
        let bareLabels = parse("Request URL\nhttps://gw.example.com/v1/chat/completions\nRequest Method\nPOST\nStatus Code\n400 Bad Request\n")
        #expect(bareLabels.exchanges.first?.status == 400 && bareLabels.exchanges.first?.method == "POST")
        #expect(bareLabels.exchanges.first?.url == "https://gw.example.com/v1/chat/completions")
        let zh = parse("请求网址: https://gw.example.com/api/v1/chat/completions\n请求方法: POST\n状态代码: 401 Unauthorized\n")
        #expect(zh.exchanges.first?.url == "https://gw.example.com/api/v1/chat/completions")
        #expect(zh.exchanges.first?.method == "POST" && zh.exchanges.first?.status == 401)
        let bare = parse("""
        https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-02-01
        Response Code: 404
        {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}
        """)
        let b = try #require(bare.exchanges.first)
        #expect(bare.exchanges.count == 1)
        #expect(b.status == 404 && b.url?.hasSuffix("/chat/completions?api-version=2024-02-01") == true)
        #expect(b.error?.code == "DeploymentNotFound")
        // A base URL with a status under it names no call; nor does a field block without a status.
        #expect(parse("https://gw.example.com/v1\n404 Not Found\n").exchanges.allSatisfy { $0.url == nil })
        #expect(parse("Request URL: https://gw.example.com/v1/models\nRequest Method: GET\n").exchanges.isEmpty)
    }

    @Test func statusLineAndBodyInSeparateBlocksAreOneCall() throws {
        let out = parse("""
        ```http
        HTTP/1.1 502 Bad Gateway
        ```

        ```json
        {"error": {"message": "upstream returned an invalid envelope: missing top-level models array", "type": "upstream_error"}}
        ```
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 502)
        #expect(e.error?.type == "upstream_error")
        // Further than the fences and blank lines between two blocks, they stay apart.
        let apart = parse("HTTP/1.1 502 Bad Gateway\n\n\n\n\n\n\n\n{\"error\": {\"message\": \"bad key\", \"type\": \"auth\"}}\n")
        #expect(apart.exchanges.contains { $0.status == nil && $0.error?.message == "bad key" })
    }

    @Test func anAccessLineThatSucceededDoesNotSwallowTheErrorUnderIt() throws {
        let out = parse("""
        192.168.0.4:44368 - - [01/Jun/2023 08:27:03] "HTTP/1.1 POST /webhook" - 200 OK
        [WARNING][2023-06-01 08:27:03][bot.py:142] - [BOT] Exception: The model `GPT-3.5-turbo` does not exist
        """)
        let ok = try #require(out.exchanges.first { $0.pathOnly == "/webhook" })
        #expect(ok.status == 200)
        #expect(ok.error == nil, "a line that states a success carries no error")
        #expect(ok.model == nil)
        let refused = try #require(out.exchanges.first { $0.model == "GPT-3.5-turbo" })
        #expect(refused.error?.message?.contains("does not exist") == true)
    }

    @Test func aCurlCommandAndTheAnswerUnderItAreOneCall() throws {
        let out = parse("""
        ```
        curl http://localhost:8080/v1/chat/completions \\
          -H "Content-Type: application/json" \\
          -d '{
            "model": "qwen3-8b",
            "messages": [{"role": "user", "content": "hi"}]
          }'
        ```
        ```
        {"error": {"message": "model qwen3-8b not found", "code": 404}}
        ```
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.method == "POST")
        #expect(e.url == "http://localhost:8080/v1/chat/completions")
        #expect(e.model == "qwen3-8b")
        #expect(e.status == 404)
        #expect(e.requestBody?.contains("\"messages\"") == true)
    }

    @Test func aCurlCommandCarriesItsKeyToItsCall() throws {
        let out = parse("""
        curl https://gw.example.com/v1/chat/completions -H "Authorization: Bearer tok-abc123" -H "x-api-key: other-1" -d '{"model": "m-1"}'
        {"error": {"message": "The model `m-1` does not exist", "code": "model_not_found"}}
        """)
        let e = try #require(out.exchanges.first)
        #expect(e.credential == "tok-abc123", "the Authorization header wins over another key header")
        let alone = try #require(parse("curl https://gw.example.com/v1/models -H 'api-key: az-key-9'\n404 Not Found\n").exchanges.first)
        #expect(alone.credential == "az-key-9")
    }

    @Test func aCurlCommandAnsweredByATextLineTakesItsStatus() throws {
        let out = parse("""
        $ curl -X POST http://localhost:11434/api/chat -d '{"model": "llama2", "messages": []}'
          % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
                                         Dload  Upload   Total   Spent    Left  Speed
        100    18  100    18    0     0   3600      0 --:--:-- --:--:-- --:--:--  3600
        404 page not found
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.url == "http://localhost:11434/api/chat")
        #expect(e.model == "llama2")
    }

    @Test(arguments: [
        ("curl http://h/v1/models", true),
        ("$ curl http://h/v1/models", true),
        ("$> curl http://h/v1/models", true),
        ("% curl -s http://h/v1/models", true),
        ("user@box:~/app$ curl http://h/v1/models", true),
        (#"PS C:\Users\me> curl http://h/v1/models"#, true),
        ("  curl http://h/v1/models", true),
        ("I ran curl http://h/v1/models and it hung", false),
        // A command quoted in Markdown, or after a bare `>` prompt.
        ("> curl http://h/v1/models", true),
        ("> $ curl http://h/v1/models", true),
        // curl's own `-v` request lines are not commands.
        ("> GET /v1/models HTTP/1.1", false),
    ])
    func aCommandMayFollowAShellPrompt(_ line: String, _ isCommand: Bool) {
        #expect((ErrorTextCurl.commandText(line) != nil) == isCommand)
    }

    @Test func aTranscriptsCommandLineMayFollowAShellPrompt() throws {
        let out = parse("""
        user@box:~$ curl -v https://gw.example.com:8443/v1/chat/completions -H "Authorization: Bearer tok-9" -d '{"model":"m-2"}'
        > POST /v1/chat/completions HTTP/1.1
        > Host: gw.example.com:8443
        < HTTP/1.1 404 Not Found
        {"error":{"message":"The model `m-2` does not exist","code":"model_not_found"}}
        """)
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://gw.example.com:8443/v1/chat/completions")
        #expect(e.credential == "tok-9")
        #expect(e.model == "m-2")
    }

    @Test func aPipedCurlCommandIsNoCallWithAnAnswer() throws {
        // `| wc -c` prints a count, not the answer: no call gets it as a body or a status.
        let out = parse("""
        $ curl -sS http://localhost:20128/v1/models | wc -c
        27
        authed: {"object":"list","data":[]}
        """)
        #expect(!out.exchanges.contains { $0.status != nil })
        #expect(out.exchanges.contains { $0.listedModels == [] })
    }

    @Test func aCurlCommandWithoutItsAnswerGoesToThePastesOneError() throws {
        let out = parse("""
        curl https://api.example.com/v1/chat/completions -d '{"model": "m-7b", "messages": []}'
        Error: 404 The model `m-7b` does not exist
        """)
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://api.example.com/v1/chat/completions")
        #expect(e.method == "POST")
        #expect(e.status == 404)
    }

    @Test(arguments: [
        ("Set its base URL to `https://<host>/v1/chat/completions`.", "https://<host>/v1/chat/completions"),
        ("base_url: http://{your-ip}:3000/v1", "http://{your-ip}:3000/v1"),
        ("baseURL=http://${HOST}/api/v1", "http://${HOST}/api/v1"),
        ("base url is https://gw.example.com/v1.", "https://gw.example.com/v1"),
    ])
    func placeholderHostsKeepTheURLsShape(_ line: String, _ url: String) {
        let out = parse(line + "\nError: 404 Not Found\n")
        let configured = out.signals.filter { $0.name == .configuredBaseURL }.compactMap(\.value)
        #expect(configured == [url])
    }

    @Test func aPastedClientConfigNamesItsModels() {
        let out = parse("""
        [
          {
            "provider": "ollama",
            "baseURL": "http://ollama:11434/v1",
            "models": [
              "qwen2.5-32b-instruct:Q6_K_L",
            ]
          }
        ]
        Error: 404 model "qwen2.5-32b-instruct" not found, try pulling it first
        """)
        let configured = out.signals.filter { $0.name == .configuredModel }.compactMap(\.value)
        #expect(configured.contains("qwen2.5-32b-instruct:Q6_K_L"))
        // A list of models with no base URL beside it is no client config.
        let list = parse("{\"models\": [\"a-1\", \"b-2\"]}\nError: 404 Not Found\n")
        #expect(!list.signals.contains { $0.name == .configuredModel })
    }

    @Test(arguments: [
        ("msg_signature: '40266ed3b1a9f82d1c68cc2488e83ce5a0c494d9' model not found", nil as Int?),
        ("request failed: 报错404 model not found", 404),
        ("model not found (status 404)", 404),
    ])
    func aStatusIsANumberStandingAlone(_ text: String, _ status: Int?) {
        #expect(FamilyTriage.status(in: text) == status)
    }
}
