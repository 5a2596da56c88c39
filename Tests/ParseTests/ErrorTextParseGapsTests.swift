import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// Gaps found by thin pasted tickets: bare arrays, objects inside error lines, status-line
/// notes, model phrasings, module-qualified exceptions, and prose in Python-detected tickets.
@Suite struct ErrorTextParseGapsTests {
    func parse(_ text: String) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt")
    }

    @Test func bareArrayUnderStatusLineIsTheListBody() throws {
        let out = parse("list empty\nGET https://relay.example.cn/v1/models 200\n[{\"id\":\"a\",\"object\":\"model\"},{\"id\":\"b\"}]\n")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 200)
        #expect(e.listShape == "array")
        #expect(e.listedModels == nil)
    }

    @Test func arrayOfErrorsIsStillReadPerError() throws {
        let out = parse(#"[{"error":{"code":404,"message":"models/gemini-x is not found","status":"NOT_FOUND"}}]"#)
        let e = try #require(out.exchanges.first)
        #expect(e.error?.message == "models/gemini-x is not found")
        #expect(e.model == "gemini-x")
    }

    @Test func objectInsideAnErrorLineDoesNotHideIt() throws {
        let out = parse("litellm.RateLimitError: No deployments available for selected model. Passed model=m-1. pre-call-checks=False, cooldown_list=[('ab', {'exception_received': 'litellm.APIConnectionError'})]\n")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.failure == nil)
        #expect(e.model == "m-1")
        #expect(e.hints.contains(.exception("RateLimitError")))
        #expect(e.error?.message?.hasPrefix("No deployments available") == true)
        #expect(e.error?.type == "RateLimitError")
    }

    @Test func statusLineKeepsItsNote() throws {
        let out = parse("POST https://gw.example.cn/v1/chat/completions 200  model=deepseek-chat\n")
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.status == 200)
        #expect(e.error == nil)
        #expect(e.model == "deepseek-chat")
    }

    @Test(arguments: [
        (#"{"type":"error","error":{"type":"not_found_error","message":"model: claude-x-1"}}"#, "claude-x-1"),
        (#"{"error":{"message":"No endpoints found for vendor/m-2:free.","code":404}}"#, "vendor/m-2:free"),
        (#"{"error":{"message":"/chat/completions: Invalid model name passed in model=GPT 4.1 mini. Call `/v1/models` to view.","code":"400"}}"#, "GPT 4.1 mini"),
        (#"{"error":{"message":"Model \"default\" not found","code":404}}"#, "default"),
    ])
    func modelNamedByError(_ body: String, _ model: String) throws {
        let e = try #require(parse(body).exchanges.first)
        #expect(e.model == model)
    }

    @Test func lmStudioKeyNotLoaded() throws {
        let e = try #require(parse("[ERROR] Model with key 'some-model' not loaded.\n").exchanges.first)
        #expect(e.model == "some-model")
    }

    @Test func moduleQualifiedExceptionMakesAnError() throws {
        let out = parse("httpx.UnsupportedProtocol: Request URL is missing an 'http://' or 'https://' protocol.\n")
        let e = try #require(out.exchanges.first)
        #expect(e.hints.contains(.exception("UnsupportedProtocol")))
        #expect(e.error?.message == "Request URL is missing an 'http://' or 'https://' protocol.")
    }

    @Test func pythonTicketKeepsTheCustomersProse() {
        let text = "Model picker still shows last week's list, the new one is missing:\nINFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions \"HTTP/1.1 200 OK\"\n"
        let out = parseLines(PythonSDKLogParser.self, text, path: "ticket.txt")
        #expect(out.signals.filter { $0.name == .ticketText }.compactMap(\.value) == ["Model picker still shows last week's list, the new one is missing:"])
        #expect(out.exchanges.count == 1)
    }
}

/// A request line whose status stands on the next line, with an HTML page under it.
@Suite struct ErrorTextSplitStatusTests {
    @Test func requestStatusAndPageAreOneCall() throws {
        let text = "list empty\nGET https://www.example.com/v1/models\n404 Not Found\n<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n</body>\n</html>\n"
        let out = parseLines(ErrorTextParser.self, text, path: "ticket.txt")
        #expect(out.exchanges.count == 1)
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://www.example.com/v1/models")
        #expect(e.status == 404)
        #expect(e.statusText == "Not Found")
        #expect(e.contentType == "text/html")
        #expect(e.error == nil)
        #expect(e.responseBody?.hasPrefix("<html>") == true)
        #expect(e.sources == [SourceRef(file: "ticket.txt", line: 2, endLine: 9)])
    }

    /// A status in Markdown bold (`GET … → **404**`, as issue threads write it) is the status.
    @Test func aStatusInMarkdownBoldIsTheStatus() throws {
        let out = parseLines(ErrorTextParser.self, "list empty\nGET https://gw.example.com/v4/v1/models → **404**\n", path: "ticket.txt")
        let e = try #require(out.exchanges.first)
        #expect(e.url == "https://gw.example.com/v4/v1/models")
        #expect(e.status == 404)
        let plain = parseLines(ErrorTextParser.self, "list empty\nGET https://gw.example.com/v4/v1/models → *404*\n", path: "ticket.txt")
        #expect(plain.exchanges.first?.status != 404)
    }

    /// Settings and words that name the model the client is set to use become
    /// `configured-model` signals; a bare word after "model" does not.
    @Test func settingsThatNameTheModelAreSignals() {
        #expect(ErrorTextMentions.configuredModels(in: "OPENAI_MODEL=deepseek-v3") == ["deepseek-v3"])
        #expect(ErrorTextMentions.configuredModels(in: "  model: \"qwen-plus\"") == ["qwen-plus"])
        #expect(ErrorTextMentions.configuredModels(in: "CUSTOM_MODELS=-all,+gpt-4-1106-preview,+glm-4=GLM") == ["gpt-4-1106-preview", "glm-4"])
        #expect(ErrorTextMentions.configuredModels(in: "我使用的gpt-3.5-turbo，请问") == ["gpt-3.5-turbo"])
        #expect(ErrorTextMentions.configuredModels(in: "I selected gpt-4o in the settings") == ["gpt-4o"])
        #expect(ErrorTextMentions.configuredModels(in: "with a free model: every call fails").isEmpty)
        let out = parseLines(ErrorTextParser.self, "OPENAI_MODEL=deepseek-v3\nError code: 404 - model not found\n", path: "ticket.txt")
        #expect(out.signals.contains { $0.name == SignalName.configuredModel && $0.value == "deepseek-v3" })
    }

    /// A model id written against Chinese words ends where they start; a token that starts
    /// with Chinese (`的gpt4的`) is colloquial prose, not a name.
    @Test func aModelIdEndsWhereChineseWordsStart() {
        #expect(ErrorTextMentions.models(inProse: "11:18:36 | 普通水群回复 | Qwen/QwQ-32B思考，失败") == ["Qwen/QwQ-32B"])
        #expect(ErrorTextMentions.models(inProse: "换成“gpt-4o”就好了") == [])
        #expect(ErrorTextMentions.models(inProse: "换成 “gpt-4o” 就好了") == ["gpt-4o"])
        #expect(ErrorTextMentions.models(inProse: "我用自己的gpt4的api").isEmpty)
    }

    /// OpenRouter's wording names the refused id with its vendor prefix and tag.
    @Test func openRoutersInvalidModelIDNamesTheModel() throws {
        let out = parseLines(ErrorTextParser.self, #"API Error: 400 {"error":{"message":"vendor/some-model-exp-02-05:free is not a valid model ID","code":400}}"#, path: "ticket.txt")
        #expect(out.exchanges.first?.model == "vendor/some-model-exp-02-05:free")
    }

    /// Alias tables hold a provider's own ids; a router's decorations are looked through.
    @Test func aliasLookupsLookThroughVendorPrefixesAndTags() {
        #expect(AliasTables.lookupKeys("google/gemini-x:free") == ["google/gemini-x:free", "gemini-x:free", "google/gemini-x", "gemini-x"])
        #expect(AliasTables.lookupKeys("gpt-4o@2024-05-13") == ["gpt-4o@2024-05-13", "gpt-4o"])
        #expect(AliasTables.lookup(["gemini-x": "gemini-y"], "openrouter/google/gemini-x:free") == "gemini-y")
    }

    func parse(_ text: String) -> ParseOutput {
        parseLines(ErrorTextParser.self, text, path: "ticket.txt")
    }

    func values(_ out: ParseOutput, _ name: String) -> [String] {
        out.signals.filter { $0.name.rawValue == name }.compactMap(\.value)
    }

    /// `对于模型  无可用渠道` names no model (the request had none), and a message printed with its
    /// escapes ends the model at `\n`: neither becomes a "model with a space".
    @Test func anEmptyOrEscapedModelIsNotAModelWithASpace() throws {
        let empty = parse(#"503 {"error":{"message":"当前分组 default 下对于模型  无可用渠道 (request id: 2025)","type":"one_api_error"}}"#)
        #expect(try #require(empty.exchanges.first).model == nil)
        let named = parse(#"503 {"error":{"message":"当前分组 default 下对于模型 gpt-4o 无可用渠道","type":"one_api_error"}}"#)
        #expect(named.exchanges.first?.model == "gpt-4o")
        let escaped = parse(#"BadRequestError: litellm.BadRequestError: LLM Provider NOT provided. You passed model=org/some-coder-30b\n Pass model as E.g. For 'Huggingface' inference endpoints"#)
        #expect(escaped.exchanges.first?.model == "org/some-coder-30b")
    }

    /// JSON pasted with typographic quotes is still an error body, and a body whose message
    /// field was damaged in the paste keeps the sentence quoted inside it.
    @Test func typographicQuotesAndDamagedMessagesStillGiveTheError() throws {
        let curly = parse("HTTP POST https://api.example.com/v1/chat/completions failed with status code 401:\n{\n\u{201C}error\u{201D}: {\n\u{201C}message\u{201D}: \u{201C}Incorrect API key provided: sk-ab12****xy9z.\u{201D},\n\u{201C}code\u{201D}: \u{201C}invalid_api_key\u{201D}\n}\n}\n")
        // One call: the status line introduces the body pasted under it.
        #expect(curly.exchanges.count == 1)
        let e = try #require(curly.exchanges.first)
        #expect(e.error?.message?.hasPrefix("Incorrect API key provided") == true)
        #expect(e.error?.code == "invalid_api_key")
        #expect(e.status == 401)
        #expect(e.url == "https://api.example.com/v1/chat/completions")
        let damaged = parse("""
          "error": {
                "message": "",
                "": "": "The model `gpt-4-vision-preview` has been deprecated, learn more here: https://example.com/deprecations",
                "type": "invalid_request_error",
                "code": "model_not_found"
            }
        """)
        let d = try #require(damaged.exchanges.first { $0.error != nil })
        #expect(d.error?.message?.contains("has been deprecated") == true)
        #expect(d.model == "gpt-4-vision-preview")
    }

    /// Go's proxy dial failure is a proxy error; Windows' "actively refused" is a connection error.
    @Test func goProxyAndWindowsRefusalsAreNetworkFailures() throws {
        let proxy = parse(#"An error occurred in the request，Post "https://api.example.com/v1/chat/completions": proxyconnect tcp: dial tcp 127.0.0.1:10809: connectex: No connection could be made because the target machine actively refused it."#)
        #expect(try #require(proxy.exchanges.first).failure?.kind == .proxyError)
        let refused = parse("Error: connect: No connection could be made because the target machine actively refused it. (localhost:11434)")
        #expect(try #require(refused.exchanges.first).failure?.kind == .connectionError)
    }

    /// Node prints an error whose name differs from its class as `Error [Name]: message`; an
    /// SDK that uses the status text as the message states the status so, and the inspect
    /// dump's `url:` property under it is that call's URL.
    @Test func bracketedErrorNamesWithAReasonPhraseAndAURLProperty() throws {
        let out = parse("[Chat API] Stream error: Error [AI_APICallError]: Not Found\n  url: 'https://api.example.com/messages',\n  requestBodyValues: {\n")
        let e = try #require(out.exchanges.first)
        #expect(out.exchanges.count == 1)
        #expect(e.status == 404)
        #expect(e.url == "https://api.example.com/messages")
        #expect(e.hints.contains(.exception("AI_APICallError")))
        // A reason phrase inside a longer message is the message, not a status.
        let prose = parse("Error [ERR_SOMETHING]: the page was Not Found twice\n")
        #expect(prose.exchanges.first?.status == nil)
        // A URL property with no error above it is not a call.
        let lone = parse("config:\n  url: 'https://api.example.com/v1',\n")
        #expect(lone.exchanges.isEmpty)
    }

    /// httpx's `Client error '404 Not Found' for url '…'` quotes the status; Gemini's native
    /// API names the model in the path (`/models/{id}:generateContent`).
    @Test func aQuotedReasonLineAndAModelInAGeminiPath() throws {
        let text = "httpx.HTTPStatusError: Client error '404 Not Found' for url 'https://gl.example.com/v1beta/models/gemini-9-mini:generateContent?key=XYZ'\n"
        let bundle = BundleReader().read(memory: [(name: "ticket.txt", bytes: Array(text.utf8))])
        let e = try #require(bundle.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "gemini-9-mini")
        #expect(!e.missing.contains(.modelNotInPaste))
        #expect(BundleEnricher.modelInPath("https://h/v1/models/gpt-4o") == nil, "a plain /models/{id} is a model lookup, not a call naming it")
        #expect(BundleEnricher.modelInPath("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse") == "gemini-2.0-flash")
        #expect(BundleEnricher.modelInPath("/v1beta/models/x:unknownMethod") == nil)
    }

    /// LiteLLM's "You passed model=x" followed by its next sentence on the same line (the
    /// line break lost in the paste): the model ends before "Pass model as".
    @Test func liteLLMsPassedModelEndsBeforeItsNextSentence() throws {
        let out = parse("litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed model=qwen3-max-instruct Pass model as E.g. For 'Huggingface' inference endpoints pass in `completion(model='huggingface/starcoder',..)`\n")
        #expect(try #require(out.exchanges.first).model == "qwen3-max-instruct")
        let spaced = parse("litellm.BadRequestError: Invalid model name passed in model=GPT-4.1 mini. Call `/v1/models` to view available models for your key.\n")
        #expect(try #require(spaced.exchanges.first).model == "GPT-4.1 mini", "a display name with a space is still read whole")
    }

    /// Settings read from a paste: `CUSTOM_MODELS` up to the end of its list (a sentence runs
    /// on after it), the models it removes, models pulled or selected, and a release that is
    /// not a model; a refusal that names its model, and `{"error": true, "message": …}`.
    @Test func customModelsPulledModelsAndRefusalsThatNameTheModel() throws {
        let out = parse("只启用了一个模型（CUSTOM_MODELS=-all,-gpt-4,+gpt-4-1106-preview），新对话仍默认发送\nthen ollama pull llama3 and selected llama3-latest, upgraded to v0.5.1\n")
        #expect(values(out, "configured-model") == ["gpt-4-1106-preview", "llama3", "llama3-latest"])
        #expect(values(out, "disabled-model") == ["gpt-4"], "-all removes every built-in model and names none")
        let refused = parse("{\"error\": true, \"message\": \"you are not allowed to use gpt-3.5-turbo model\"}\n")
        let e = try #require(refused.exchanges.first)
        #expect(e.error?.message == "you are not allowed to use gpt-3.5-turbo model")
        #expect(e.model == "gpt-3.5-turbo")
        let resource = parse("You are not allowed to access this resource\n")
        #expect(resource.exchanges.first?.model == nil, "a word after the refusal is not a model")
    }

    /// Batch-15's shapes: an issue form's base URL (a label line, the URL alone below it), a
    /// model setting inside a pasted JSON config (a named key only, not a request body's
    /// `model`), and an error that lost the closing quote of its model.
    @Test func issueFormBaseURLsConfigKeysAndAnUnbalancedQuote() throws {
        let form = parse("### Base URL\n\nhttps://integrate.api.example.com\n\n404 status code (no body)\n")
        #expect(values(form, "configured-base-url") == ["https://integrate.api.example.com"])
        let prose = parse("I opened the page\nhttps://example.com/docs\n")
        #expect(values(prose, "configured-base-url").isEmpty, "a URL under a line that names no base URL is not one")
        let config = parse("{\n  \"assistant\": {\n    \"default_open_ai_model\": \"gpt-3.5-turbo\",\n    \"embedding_model\": \"text-embedding-3-small\"\n  }\n}\n")
        #expect(values(config, "configured-model") == ["gpt-3.5-turbo"], "an embedding model's setting is not the chat model")
        let body = parse("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n")
        #expect(values(body, "configured-model").isEmpty, "a request body's model is what was sent, not a setting")
        let quote = parse("get error: `Failed to connect to OpenAI API: The model 'gpt-4-0613 does not exist or you do not have access to it.`\n")
        #expect(quote.exchanges.first?.model == "gpt-4-0613")
    }

    /// A pasted router log: the model of an error that names none is the mention nearest
    /// above it, a tool named after its models (`gemini-cli`) is no model, and "for model x on
    /// the server" names x.
    @Test func aRouterLogsModelIsTheNearestMentionNotItsToolName() throws {
        let out = parse("""
        Requests fail for Gemini models
        [00:36:30] [AUTH] Using gemini-cli account
        [00:36:30] [REQUEST] GEMINI-CLI | gemini-3-flash-preview | 235 msgs
        [ERROR] [429]: { "error": { "code": 429, "message": "No capacity available for model gemini-3-flash-preview on the server", "status": "RESOURCE_EXHAUSTED" } }
        """ + "\n")
        #expect(!values(out, "mentioned-model").contains { $0.lowercased() == "gemini-cli" })
        let e = try #require(out.exchanges.first { $0.status == 429 })
        #expect(e.model == "gemini-3-flash-preview")
        let signals = [Signal(name: .mentionedModel, value: "far-1", line: SourceLine(ref: SourceRef(file: "t.txt", line: 2), text: "")),
                       Signal(name: .mentionedModel, value: "near-2", line: SourceLine(ref: SourceRef(file: "t.txt", line: 5), text: "")),
                       Signal(name: .mentionedModel, value: "below-3", line: SourceLine(ref: SourceRef(file: "t.txt", line: 9), text: ""))]
        #expect(BundleEnricher.nearestMention(signals, file: "t.txt", line: 7) == "near-2")
        #expect(BundleEnricher.nearestMention(signals, file: "t.txt", line: 1) == "far-1", "none above: the first below")
    }

    /// A model list the server quoted in its error is its catalog (`catalog-model` signals);
    /// prose around it and a single name are not a list.
    @Test func aModelListQuotedInAnErrorJoinsTheCatalog() throws {
        let out = parse("model not found: ollama-llama3.1\n\navailable models: gpt-4o, claude-3-haiku, ollama-llama3.1:latest\n")
        let listed = out.signals.filter { $0.name == .catalogModel }.compactMap(\.value)
        #expect(listed == ["gpt-4o", "claude-3-haiku", "ollama-llama3.1:latest"])
        let e = try #require(out.exchanges.first)
        #expect(e.model == "ollama-llama3.1")
        #expect(ErrorTextMentions.quotedModelList(in: "Valid models are: ['gpt-4o-mini', 'o3-mini'] please choose one") == ["gpt-4o-mini", "o3-mini"])
        #expect(ErrorTextMentions.quotedModelList(in: "可用模型：deepseek-chat、deepseek-reasoner") == ["deepseek-chat", "deepseek-reasoner"])
        #expect(ErrorTextMentions.quotedModelList(in: "supported models: gpt-4o") == nil)
        #expect(ErrorTextMentions.quotedModelList(in: "I checked the available models and none work") == nil)
    }

    /// A local model server's own listing (`ollama list` rows: name, 12-digit id, size) is
    /// its catalog, with or without the header row; a table of other things is not.
    @Test func aLocalServersListingJoinsTheCatalog() throws {
        let out = parse("$ ollama ls | grep llama3\nllama3:8b       365c0bd3c000    4.7 GB  6 weeks ago\nError: model \"llama3\" not found, try pulling it first\n")
        #expect(out.signals.filter { $0.name == .catalogModel }.compactMap(\.value) == ["llama3:8b"])
        #expect(out.signals.contains { $0.name == .localListedModel && $0.value == "llama3:8b" })
        #expect(ErrorTextMentions.localListingRow(in: "nomic-embed-text:latest              0a109f422b47    274 MB    29 minutes ago") == "nomic-embed-text:latest")
        #expect(ErrorTextMentions.localListingRow(in: "NAME            ID              SIZE    MODIFIED") == nil)
        // An image digest of another length, a size without its unit, a capitalised hex id.
        #expect(ErrorTextMentions.localListingRow(in: "nginx   4f3a2b1c0d9e8f7a   142 MB   2 days ago") == nil)
        #expect(ErrorTextMentions.localListingRow(in: "llama3:8b   365c0bd3c000   4.7   6 weeks ago") == nil)
        #expect(ErrorTextMentions.localListingRow(in: "llama3:8b   365C0BD3C000   4.7 GB   6 weeks ago") == nil)
    }

    @Test func aNameAfterTheVerdictAndAColonIsTheModel() throws {
        #expect(parse("模型未找到: siliconflow/deepseek-ai\n").exchanges.first?.model == "siliconflow/deepseek-ai")
        #expect(parse("Error: model does not exist: gpt-5-turbo\n").exchanges.first?.model == "gpt-5-turbo")
    }

    /// Output pasted from `docker compose logs` (`service-1  | line`) reads as if pasted
    /// directly, and the inventory says the prefix was read past; a markdown table does not.
    @Test func aDockerComposePrefixIsReadPast() throws {
        let out = parse("""
        Chat fails
        api-1  | openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-5x` does not exist', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        api-1  | INFO:     172.18.0.1:5432 - "POST /v1/chat/completions HTTP/1.1" 500 Internal Server Error
        api-1  |
        api-1  | Traceback (most recent call last):
        """)
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.model == "gpt-5x")
        #expect(out.notes.contains { $0.hasPrefix("docker compose prefix `api-1 |`") }, "\(out.notes)")
        let lines = ["| model | status |", "| gpt-4o | 404 |", "| x | y |", "a | b"].enumerated().map { Line(number: $0.offset + 1, text: $0.element) }
        #expect(ErrorTextParser.withoutContainerPrefix(lines).1 == nil)
    }

    /// python-requests' `raise_for_status` wording states the status and the URL.
    @Test func aRequestsHTTPErrorIsAFailedCall() throws {
        let out = parse("Failed to communicate with the API! 404 Client Error: Not Found for url: https://api.example.com/v1/completions\n")
        let e = try #require(out.exchanges.first)
        #expect(e.status == 404)
        #expect(e.url == "https://api.example.com/v1/completions")
    }
}
