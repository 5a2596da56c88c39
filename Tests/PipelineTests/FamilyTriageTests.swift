import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorModel
@testable import DoctorRules
@testable import DoctorIngest
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// Message families (rules/families.yaml): candidates beside the rules, failures outside the
/// taxonomy named, and never "no problem" beside a failed call.
@Suite struct FamilyTriageTests {
    static func ticketFolders() -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for batch in (try? fm.contentsOfDirectory(atPath: Repo.path("Tests/Fixtures/real-tickets"))) ?? [] {
            let dir = "Tests/Fixtures/real-tickets/\(batch)"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: Repo.path(dir), isDirectory: &isDir), isDir.boolValue else { continue }
            out += ((try? fm.contentsOfDirectory(atPath: Repo.path(dir))) ?? []).sorted().map { "\(dir)/\($0)/ticket.txt" }
        }
        out += ((try? fm.contentsOfDirectory(atPath: Repo.path("samples/tickets"))) ?? []).sorted().map { "samples/tickets/\($0)" }
        // The held-out captured bundles (real SDK logs and HARs), each a folder.
        out += CapturedHeldOutTests.cases().map { "\(CapturedHeldOutTests.root)/\($0)" }
        return out.filter { fm.fileExists(atPath: Repo.path($0)) }
    }

    static func analyze(_ inputs: [String], rules: [String] = [Repo.path("rules")]) -> AnalysisPipeline.Result {
        AnalysisPipeline.run(AnalysisOptions(inputs: inputs, ruleFolders: rules))
    }

    @Test func thereAreTicketsToCheck() {
        #expect(Self.ticketFolders().count >= 150)
    }

    /// The worst answer a support tool can give is "no problem found" beside a failed call.
    @Test(arguments: ticketFolders())
    func aFailedCallIsNeverReportedAsNoProblem(_ path: String) {
        let r = Self.analyze([Repo.path(path)])
        let failed = r.bundle.exchanges.contains { ($0.status ?? 0) >= 400 || $0.error != nil || $0.failure != nil }
        guard failed else { return }
        #expect(!r.report.findings.isEmpty, "\(path): a call failed but the report has no finding")
        // Nor does the headline say it: low pointers are not "no problem".
        #expect(Labels.en.healthyHeadline(r.report) != Labels.en.noProblemFound, "\(path): \"no problem found\" beside a failed call")
    }

    /// A traceback pasted from an app's log (prefix before `Traceback`, blank lines between the
    /// frames) that ends inside the SDK's status-error raise is a failed call of the SDK method
    /// it went through; with a configured base URL that lacks /v1 that is the first candidate.
    @Test func aCutTracebackThroughTheSDKIsAFailedCallOfItsMethod() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try """
        The app shows no models from my server
        API Base URL: http://10.0.0.5:8000
         [10:00:01] [Core] [ERRO] [app:12]: Traceback (most recent call last):

          File "/app/provider/openai_source.py", line 80, in get_models

            models = await self.client.models.list()

          File "/usr/lib/python3.11/site-packages/openai/_base_client.py", line 1666, in request

            raise self._make_status_error_fro
        """.write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        let e = try #require(r.bundle.exchanges.first { $0.error != nil })
        #expect(e.hints.contains(.sdkCall("models.list")))
        #expect(r.report.findings.first?.cause == "base-url-missing-version")
        #expect(Labels.en.healthyHeadline(r.report) == Labels.en.noCauseEstablished)
        // The same traceback without the raise frame is not a failure.
        try """
        API Base URL: http://10.0.0.5:8000
        Traceback (most recent call last):
          File "/app/provider/openai_source.py", line 80, in get_models
            models = await self.client.models.list()
        """.write(to: ticket, atomically: true, encoding: .utf8)
        #expect(Self.analyze([ticket.path]).bundle.exchanges.allSatisfy { $0.error == nil && $0.failure == nil })
    }

    @Test func aFailureNoFamilyKnowsIsAnUnexplainedPointer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try "Calls fail\nError code: 418 - {'error': {'message': 'the kettle refuses', 'type': 'teapot'}}\n"
            .write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        // The pointer names the status; only the wording prior's `low` candidates precede it.
        let f = try #require(r.report.findings.first { $0.cause == "unexplained-failure" })
        #expect(f.severity == .low)
        #expect(f.title.value.contains("418"))
        #expect(r.report.findings.prefix { $0.cause != "unexplained-failure" }.allSatisfy { $0.rule.hasPrefix("wording/") && $0.severity == .low })
    }

    /// A rule that names a cause only as a pointer (`low`) does not keep a family's firm
    /// reading of the same cause out: a configured base URL ending in `/chat/completions` and
    /// a 404 web page for the list is the endpoint in the base (medium), not just a hint.
    @Test func aFamilysFirmReadingOutranksARulesPointerToTheSameCause() throws {
        // An issue form: the base URL typed with /chat/completions, the list refresh answered
        // by a 404 web page.
        let r = Self.analyze([Repo.path("Tests/Fixtures/real-tickets/batch-19/fluidvoice-581/ticket.txt")])
        let f = try #require(r.report.findings.first)
        #expect(f.cause == "base-url-includes-endpoint")
        #expect(f.severity == .medium)
        #expect(r.report.findings.contains { $0.rule == "base-url-configured-with-endpoint" && $0.severity == .low })
    }

    /// "Chat works, this fails" is a route the service lacks, not a base URL without its
    /// version: the list (by the words around it) or the other endpoint (the Responses API);
    /// "the list loads, chat fails" is the chat route. Without the cue, the base URL first.
    @Test func whatTheCustomerSaysWorksPicksTheRouteTheServiceLacks() throws {
        func top(_ text: String) throws -> String? { try Self.analyzeText(text).report.findings.first?.cause }
        #expect(try top("Fetching the model list fails: 404 page not found\nChat itself works fine with the same key.\n") == "models-endpoint-unsupported")
        #expect(try top("转发服务上 /v1/responses 接口全部返回 404 page not found，chat 接口正常\n") == "endpoint-unsupported")
        #expect(try top("测试连接失败：AI API错误：404-404 page not found\n模型列表都是可以获取到的\n") == "endpoint-unsupported")
        #expect(try top("Fetching the model list fails: 404 page not found\n") != "models-endpoint-unsupported")
    }

    /// OpenRouter's refusal of an id (`x is not a valid model ID`) is most often one of its ids
    /// with a part added, cut or mistyped; a name that worked before was retired instead.
    @Test func openRoutersInvalidIdReadsAsAnIdOffByAPart() throws {
        let r = try Self.analyzeText("Error: Request failed: {\"error\":{\"message\":\"vendor/chat-9@fast is not a valid model ID\",\"code\":400}}\n")
        #expect(r.report.findings.first?.cause == "model-name-suffix")
        #expect(r.report.findings.prefix(3).contains { $0.cause == "model-not-in-catalog" })
        let before = try Self.analyzeText("It worked yesterday, suddenly every call fails:\n{\"error\":{\"message\":\"vendor/chat-9 is not a valid model ID\",\"code\":400}}\n")
        #expect(before.report.findings.first?.cause != "model-name-suffix")
    }

    /// An app's table of status messages, printed in a traceback's variable dump, words every
    /// error it could meet: its balance entry is not the failure. The failure is the 400.
    @Test func aTableOfStatusMessagesIsNotAFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try """
        The bot gets a 400 from the provider
            raise RuntimeError(f"请求被拒绝: {error_code_mapping.get(response.status)}")
                                 │   └ 400
                                 └ {400: '参数不正确', 401: 'API key 错误，认证失败', 402: '账号余额不足', 403: '需要实名,或余额不足', 404: 'Not Found'}
        RuntimeError: 请求被拒绝: 参数不正确
        """.write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        // No rule or family reads the table as a balance failure (the wording prior, which
        // reads words, may still offer it as a `low` pointer).
        #expect(!r.report.findings.contains { $0.cause == "insufficient-balance" && !$0.rule.hasPrefix("wording/") })
        #expect(r.report.findings.allSatisfy { $0.severity < .medium })
        #expect(FamilyTriage.isStatusTable("{400: '参数不正确', 401: 'API key 错误', 402: '账号余额不足'}"))
        #expect(!FamilyTriage.isStatusTable("Error code: 402 - {'error': '账号余额不足'}"))
    }

    /// A paste that one SDK log line made a Python log: the client's error box under it is
    /// still read (its wording proposes the cause), and the inventory says so.
    @Test func linesALogParserDidNotUseAreStillRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try """
        The CLI's `models list` fails although the server answers 200.
        INFO:httpx:HTTP Request: GET http://localhost:8321/v1/models "HTTP/1.1 200 OK"
        ╭──────────────────────────────────────────────────────╮
        │ Failed to list models                                │
        │ Error Type: AttributeError                           │
        │ Details: 'Model' object has no attribute 'kind'      │
        ╰──────────────────────────────────────────────────────╯
        """.write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        #expect(r.bundle.inventory.first?.kind == .pythonSDKLog)
        #expect(r.report.findings.first?.cause == "client-cannot-list")
        #expect(r.bundle.pastedLines.contains { $0.text.contains("has no attribute") })
        #expect(!r.bundle.pastedLines.contains { $0.text.contains("HTTP Request:") })
    }

    /// A typed client's decoder wanting a field the model list lacks (serde's `missing field
    /// \`name\` at line 9 column 5` beside the `/models` command): the list came back in a shape
    /// the client cannot read. The same error on a chat call is only an unreadable answer.
    @Test func aDecoderMissingAFieldOfTheModelListIsTheClient() throws {
        let list = try Self.analyzeText("The CLI crashes on its model list\nError: missing field `name` at line 9 column 5\n1. Run the `/models` command.\n")
        #expect(list.report.findings.first?.cause == "client-cannot-list")
        let chat = try Self.analyzeText("Chat crashes\nError: missing field `name` at line 9 column 5\n")
        #expect(chat.report.findings.first?.cause != "client-cannot-list")
        #expect(chat.report.findings.allSatisfy { $0.severity <= .low })
    }

    @Test func aFailureOutsideTheTaxonomyIsNamedAtInfo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try "Long chats fail\nError code: 400 - {'error': {'message': \"This model's maximum context length is 8192 tokens\", 'type': 'invalid_request_error', 'code': 'context_length_exceeded'}}\n"
            .write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        #expect(r.report.findings.allSatisfy { $0.severity < .medium })
        #expect(r.report.findings.contains { $0.cause == "outside-taxonomy" && $0.subject == "context-length" && $0.severity == .info })
    }

    @Test func aRouteMissQuotingADoubledEndpointProposesEndpointInBase() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try "Image model fails\nError message: Invalid URL (POST /v1/images/generations/chat/completions)\n"
            .write(to: ticket, atomically: true, encoding: .utf8)
        let r = Self.analyze([ticket.path])
        #expect(r.report.findings.first?.cause == "base-url-includes-endpoint")
    }

    /// A gateway operator adds a wording in YAML, in a folder of their own: no rebuild.
    @Test func aNewWordingInYAMLAloneChangesTheDiagnosis() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        let rules = dir.appendingPathComponent("my-rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try "Chat stopped working\nError code: 403 - {'error': {'message': 'wallet drained for tenant acme', 'type': 'acme_error'}}\n"
            .write(to: ticket, atomically: true, encoding: .utf8)
        let before = Self.analyze([ticket.path])
        #expect(before.report.findings.first?.cause != "insufficient-balance")
        try """
        schema_version: 1
        pack: acme-wordings
        version: 1.0.0
        families:
          - name: acme-wallet
            title: {en: "acme wallet empty", zh: "acme 钱包余额为零"}
            patterns: ['wallet drained']
            candidates:
              - {cause: insufficient-balance, weight: 0.8}
        """.write(to: rules.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let after = Self.analyze([ticket.path], rules: [Repo.path("rules"), rules.path])
        #expect(after.ruleErrors.isEmpty)
        #expect(after.report.findings.first?.cause == "insufficient-balance")
    }

    /// Lints the shipped packs plus one extra pack file, and returns the first issue naming `needle`.
    static func lintIssue(naming needle: String, pack yaml: String, file: String) throws -> RuleError {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try yaml.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
        let issues = RuleLint.lint(RuleLoader().load(folders: [Repo.path("rules"), dir.path]))
        return try #require(issues.first { $0.message.contains(needle) })
    }

    @Test func lintRefusesAFamilyCandidateOutsideTheTaxonomy() throws {
        let e = try Self.lintIssue(naming: "insufficent-balance", pack: """
        schema_version: 1
        families:
          - name: typo
            patterns: ['wallet drained']
            candidates:
              - {cause: insufficent-balance, weight: 0.8}
        """, file: "typo.yaml")
        #expect(e.description.contains("typo.yaml:3:"))
        #expect(e.message.contains("did you mean") || e.message.contains("insufficient-balance"))
    }

    /// Loads one pack from a folder of its own, without the shipped packs.
    static func loadAlone(_ yaml: String, file: String) throws -> RuleLoader.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try yaml.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
        return RuleLoader().load(folders: [dir.path])
    }

    @Test func familyPacksRefuseBadPatternsWithAPosition() throws {
        let loaded = try Self.loadAlone("""
        schema_version: 1
        families:
          - name: broken
            patterns: ['(unclosed']
            candidates:
              - {cause: insufficient-balance, weight: 0.8}
        """, file: "bad.yaml")
        let e = try #require(loaded.errors.first)
        #expect(e.description.contains("bad.yaml:4:"))
        #expect(e.description.contains("bad regular expression"))
    }

    // MARK: - Facts from the text around a failure

    /// A note that a failure is outside the taxonomy names no cause: it follows every cause
    /// candidate, so the first entries of the findings are the differential.
    @Test func aNoteOutsideTheTaxonomyFollowsTheCauseCandidates() throws {
        let r = try Self.analyzeText("""
        Two calls fail
        Error code: 404 - {'error': {'message': 'The model `llama-9-huge` does not exist', 'type': 'invalid_request_error', 'code': 'model_not_found'}}
        Error code: 400 - {'error': {'message': "This model's maximum context length is 8192 tokens", 'type': 'invalid_request_error', 'code': 'context_length_exceeded'}}
        """)
        let causes = r.report.findings.map(\.cause)
        let note = try #require(causes.firstIndex(of: "outside-taxonomy"))
        #expect(note == causes.count - 1, "\(causes)")
        #expect(causes.filter { $0 != "outside-taxonomy" }.count >= 3, "\(causes)")
    }

    /// openai-python 0.x words Azure's 404 for a deployment or api-version it does not serve
    /// as `InvalidRequestError: Resource not found`.
    @Test func azuresResourceNotFoundFromTheOldSDKIsADeploymentMismatch() throws {
        let r = try Self.analyzeText("""
        OPENAI_API_TYPE: "azure"
        OPENAI_API_VERSION: "0613"
        openai.error.InvalidRequestError: Resource not found
        """)
        #expect(r.report.findings.first?.cause == "azure-deployment-mismatch", "\(r.report.findings.map(\.cause))")
    }

    /// A bare 404 from an Azure OpenAI host (the configured base URL's, or the call's) is a
    /// deployment mismatch first, even with no Azure wording in the paste; another host's is not.
    @Test func aBare404FromAnAzureHostIsADeploymentMismatch() throws {
        let azure = try Self.analyzeText("""
        Chat fails with 404
        AZURE_OPENAI_API_BASE_URL=https://myres.openai.azure.com/
        [Error: The OpenAI API has encountered an error with a status code of 404 and message Not Found]
        """)
        #expect(azure.report.findings.first?.cause == "azure-deployment-mismatch", "\(azure.report.findings.map(\.cause))")
        let other = try Self.analyzeText("""
        Chat fails with 404
        OPENAI_API_BASE_URL=https://gw.example.com/
        [Error: The OpenAI API has encountered an error with a status code of 404 and message Not Found]
        """)
        #expect(!other.report.findings.isEmpty)
        #expect(!other.report.findings.map(\.cause).contains("azure-deployment-mismatch"), "\(other.report.findings.map(\.cause))")
    }

    /// A POST to `/models` is a chat call sent to a base URL that ends in the list endpoint; a
    /// GET there that is not found is not.
    @Test func aPostToTheListEndpointIsAnEndpointInTheBase() throws {
        let post = try Self.analyzeText("""
        Translation test fails
        404: {"error":{"message":"Invalid URL (POST /v1/models)","type":"invalid_request_error","param":"","code":""}}
        """)
        #expect(post.report.findings.first?.cause == "base-url-includes-endpoint", "\(post.report.findings.map(\.cause))")
        let get = try Self.analyzeText("""
        The model list is empty
        404: {"error":{"message":"Invalid URL (GET /v1/models)","type":"invalid_request_error","param":"","code":""}}
        """)
        #expect(get.report.findings.first?.cause != "base-url-includes-endpoint", "\(get.report.findings.map(\.cause))")
    }

    /// Wordings added from batch-13's misses, each read by its family or fact.
    @Test func upstreamCapacityChineseAuthAndAnUnreachableLoopbackInDocker() throws {
        let capacity = try Self.analyzeText("""
        Gemini calls through the router fail
        [ERROR] [429]: { "error": { "code": 429, "message": "No capacity available for model gemini-3-flash-preview on the server", "status": "RESOURCE_EXHAUSTED" } }
        """)
        #expect(capacity.report.findings.first?.cause == "upstream-unavailable", "\(capacity.report.findings.map(\.cause))")
        let auth = try Self.analyzeText("""
        对话失败
        身份验证失败，请检查 API 密钥是否正确
        """)
        #expect(auth.report.findings.first?.cause == "auth-invalid-key", "\(auth.report.findings.map(\.cause))")
        let docker = try Self.analyzeText("""
        The app in Docker cannot reach Ollama
        2024-04-08 18:51:43 ChatOllama is unable to establish a connection with http://127.0.0.1:11434, please check:
        """)
        #expect(docker.report.findings.first?.cause == "base-url-wrong-host", "\(docker.report.findings.map(\.cause))")
    }

    /// Batch-14's general shapes: a URL printed after two version roots, a URL defect stated
    /// in words, "the list fails but a typed-in model works", a chat body refused on the
    /// Responses API, a bare 502 from this machine, and a fetch that got no answer at all.
    @Test func urlDefectsInWordsAndCutURLsAListOnlyFailureAndLocalBadGateways() throws {
        try Self.expectFirst("base-url-duplicated-version", """
        Chatting fails after setting the custom URL
        Base URL: https://relay.example.com/v1
        Error: 405 status code (no body)
        https://relay.example.com/v1/v1
        """)
        try Self.expectFirst("base-url-includes-endpoint", "openai-chat doubles /chat/completions when the custom baseUrl already includes it\n")
        try Self.expectFirst("base-url-duplicated-version", "The web UI builds the request URL with /v1 twice\n")
        try Self.expectFirst("models-endpoint-unsupported", "添加供应商后点“获取模型”报 404；手动填写模型名却能正常聊天。\n")
        try Self.expectFirst("endpoint-unsupported", """
        Codex through the gateway's /v1/responses fails
        {"error":{"message":"field messages is required (request id: 20260522)","type":"one_api_error","param":"","code":"invalid_text_request"}}
        """)
        try Self.expectFirst("request-body-invalid", """
        The chat call fails
        {"error":{"message":"field messages is required","type":"one_api_error","param":"","code":"invalid_text_request"}}
        """, "without the Responses API it is the body:")
        try Self.expectFirst("network-proxy", "unexpected status 502 Bad Gateway: Unknown error, url: http://127.0.0.1:15721/v1/responses\n")
        let remote = try Self.analyzeText("unexpected status 502 Bad Gateway: Unknown error, url: https://gw.example.com/v1/responses\n")
        #expect(remote.report.findings.first?.cause != "network-proxy", "a remote 502 is the gateway's: \(remote.report.findings.map(\.cause))")
        let fetch = try Self.analyzeText("""
        Testing the service in the extension fails
        Network request failed
        """)
        #expect(fetch.report.findings.prefix(3).contains { $0.cause == "network-proxy" }, "\(fetch.report.findings.map(\.cause))")
    }

    /// A vendor-prefixed id is an aggregator's own id, not a display name; a settings file
    /// that names the chat model makes another refused model the client's own.
    @Test func aggregatorIdsAreNotDisplayNamesAndAConfigNamesTheModel() throws {
        try Self.expectFirst("base-url-missing-version", """
        Every request fails with a bodiless 404
        Model: deepseek-ai/deepseek-r1
        base url
        https://integrate.api.nvidia.com

        404 status code (no body)
        """)
        try Self.expectFirst("client-default-model", """
        The inline assistant fails with an access error
        {
          "assistant": {
            "default_open_ai_model": "gpt-3.5-turbo"
          }
        }
        get error: `Failed to connect to OpenAI API: The model 'gpt-4-0613 does not exist or you do not have access to it. ...`
        """)
    }

    /// Symptoms stated in words when nothing in the paste failed: a stale list, a list the
    /// client could not parse, an extra version segment; and a relay with no account left.
    @Test func symptomsInWordsAndARelayWithoutAccounts() throws {
        try Self.expectFirst("client-cache", "The plugin: newly released OpenAI models never appear in the model dropdown; I assume the list is cached.\n")
        try Self.expectFirst("client-cannot-list", "The chat app cannot parse the model list returned by the custom endpoint.\n")
        try Self.expectFirst("base-url-duplicated-version", "Model search works, but when calling the model another v1 gets added to the request.\n")
        try Self.expectFirst("upstream-unavailable", "auth_not_found: no auth available (providers=codex, model=gpt-5.5)\n")
        let plain = try Self.analyzeText("The model list shows three models.\n")
        #expect(plain.report.findings.allSatisfy { $0.severity < .medium }, "\(plain.report.findings.map(\.cause))")
    }

    /// The settings name a model the call did not send: a name the settings remove, a
    /// namespace the client dropped, a model pulled to the local server.
    @Test func whatTheSettingsSayAgainstWhatWasSent() throws {
        let hidden = try Self.analyzeText("""
        Chat works but titles are never generated
        CUSTOM_MODELS=-gpt-3.5-turbo
        {"error": true, "message": "you are not allowed to use gpt-3.5-turbo model"}
        """)
        #expect(hidden.report.findings.first?.rule == "client-sends-disabled-model", "\(hidden.report.findings.map(\.rule))")
        let only = try Self.analyzeText("""
        只启用了一个模型（CUSTOM_MODELS=-all,+gpt-4-1106-preview），新对话仍被拒绝。
        you are not allowed to use gpt-3.5-turbo model
        """)
        #expect(only.report.findings.first?.rule == "client-sent-another-model", "\(only.report.findings.map(\.rule))")
        try Self.expectFirst("model-name-suffix", """
        Every OpenRouter model is rejected
        Error: Request failed: {"error":{"message":"hunter-alpha is not a valid model ID","code":400}}
        configured model: openrouter/hunter-alpha
        """)
        try Self.expectFirst("client-default-model", """
        The web UI fails after pulling the model
        I pulled translategemma:4b.
        <Ollama API error: 404 - {"error":"model 'translategemma:27b' not found"}>
        """)
        let same = try Self.analyzeText("""
        The web UI fails after pulling the model
        I pulled translategemma:27b.
        <Ollama API error: 404 - {"error":"model 'translategemma:27b' not found"}>
        """)
        #expect(same.report.findings.first?.cause != "client-default-model", "\(same.report.findings.map(\.cause))")
    }

    /// A small file a log parser claims but finds no call in (an app log excerpt with a few
    /// LiteLLM debug lines and the app's own error line) is read as pasted text as well, and
    /// the inventory says so: its error is not dropped.
    @Test func aSmallLogWithNoCallIsAlsoReadAsPastedText() throws {
        // A collected ticket: LiteLLM debug lines, then the app's own warning line with the error.
        let r = Self.analyze([Repo.path("Tests/Fixtures/real-tickets/batch-03/daily-stock-analysis-487/ticket.txt")])
        let entry = try #require(r.report.inputs.first)
        #expect(entry.kind == .gatewayLog, "sniffed as the LiteLLM log it looks like: \(entry.kind)")
        #expect(entry.notes.contains { $0.contains("read as pasted error text too") }, "\(entry.notes)")
        #expect(entry.exchanges > 0)
        #expect(r.report.findings.first?.cause == "gateway-config", "\(r.report.findings.map(\.cause))")
    }

    /// Analyses `text` as one pasted ticket and expects `cause` as its first finding.
    static func expectFirst(_ cause: String, _ text: String, _ note: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let causes = try analyzeText(text).report.findings.map(\.cause)
        #expect(causes.first == cause, "\(note) \(causes)", sourceLocation: sourceLocation)
    }

    /// The shipped packs without the wording model. The readings tested through `analyzeText`
    /// are the families' and rules' own (their weights, cues and facts); the wording prior, which
    /// reorders the `low` pointers by what tickets worded alike had, is tested apart
    /// (`WordingPriorTests`), so a retrained model does not move these.
    static let familiesOnlyRules: String = try! Repo.copyOfRules(wordingModel: nil)

    static func analyzeText(_ text: String) throws -> AnalysisPipeline.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ticket = dir.appendingPathComponent("ticket.txt")
        try text.write(to: ticket, atomically: true, encoding: .utf8)
        return analyze([ticket.path], rules: [familiesOnlyRules])
    }

    /// A status line with no URL is paired with the URL pasted beside it; of an "expected" and
    /// an "actual" URL, the defective one explains the failure.
    @Test func aStatusLineIsPairedWithTheDefectiveURLQuotedBesideIt() throws {
        let r = try Self.analyzeText("""
        The model list never loads
        Error: list models failed: 404 Not Found
        Expected: https://gw.example.com/v1/models
        Actual: https://gw.example.com/v1/v1/models
        """)
        let f = try #require(r.report.findings.first)
        #expect(f.cause == "base-url-duplicated-version")
        #expect(f.severity >= .medium)
    }

    /// Without a quoted URL, the configured base URL is joined as a client joins it: a trailing
    /// slash gives `//models`.
    @Test func theConfiguredBaseURLShapesAFailureThatCarriesNoURL() throws {
        let r = try Self.analyzeText("""
        Fetching the model list fails
        base_url: https://gw.example.com/
        Error: HTTP 404
        """)
        let causes = r.report.findings.map(\.cause)
        #expect(causes.first == "base-url-malformed")
        #expect(causes.contains("base-url-missing-version"))
    }

    /// A vendor's own version root followed by the `/v1` a client appended is a doubled version.
    @Test func aVendorVersionRootFollowedByV1IsADoubledVersion() {
        #expect(PathShape(url: "https://open.example.cn/api/paas/v4/v1/chat/completions").versionDuplicated == true)
        #expect(PathShape(url: "https://dash.example.com/compatible-mode/v1/v1/models").versionDuplicated == true)
        #expect(PathShape(url: "https://open.example.cn/api/paas/v4/chat/completions").versionDuplicated == false)
        #expect(PathShape(url: "https://x.example.com/openai/deployments/gpt4/v1/chat/completions").versionDuplicated == false)
    }

    /// A read timeout (a slow generation, a client timeout set too low) is named as a timeout,
    /// not blamed on the network path.
    @Test func aReadTimeoutIsNotANetworkFault() throws {
        let r = try Self.analyzeText("""
        Long answers from the local model stop after 60 seconds
        openai.APITimeoutError: Request timed out.
        httpx.ReadTimeout: The read operation timed out
        """)
        #expect(!r.report.findings.contains { $0.cause == "network-proxy" && $0.severity >= .medium })
        #expect(r.report.findings.contains { $0.cause == "outside-taxonomy" })
        // A timeout while connecting still points at the path.
        let c = try Self.analyzeText("""
        openai.APIConnectionError: Connection error.
        httpx.ConnectTimeout: connection timed out
        """)
        #expect(c.report.findings.first?.cause == "network-proxy")
    }

    /// OpenAI's own refusal of a relay key: the key reached the wrong service. Without a word
    /// of where the key came from, the key itself leads and the address stays a rival.
    @Test func openAIsOwnRefusalOfAKeyPointsAtTheBaseURLUnlessTheKeyIsBroken() throws {
        let plain = try Self.analyzeText("""
        Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-abcd************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'code': 'invalid_api_key'}}
        """)
        #expect(plain.report.findings.first?.cause == "auth-invalid-key")
        #expect(plain.report.findings.prefix(3).contains { $0.cause == "wrong-base-url" })
        let elsewhere = try Self.analyzeText("""
        The key is from our One API relay.
        Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-abcd************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'code': 'invalid_api_key'}}
        """)
        #expect(elsewhere.report.findings.first?.cause == "wrong-base-url")
        #expect(elsewhere.report.findings.prefix(3).contains { $0.cause == "auth-invalid-key" })
        let broken = try Self.analyzeText("""
        Error code: 401 - {'error': {'message': 'Incorrect API key provided: ${sk-abcd********************wxyz}. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'code': 'invalid_api_key'}}
        """)
        #expect(broken.report.findings.first?.cause == "auth-invalid-key")
    }

    /// A diagnosis that stands alone is followed by its rivals (`rules/causes.yaml`), each low,
    /// ranked after it, saying what tells the two apart.
    @Test func aLoneDiagnosisIsFollowedByItsRivals() throws {
        let r = try Self.analyzeText("""
        INFO:httpx:HTTP Request: GET https://gw.example.com/models "HTTP/1.1 404 Not Found"
        """)
        let f = r.report.findings
        #expect(f.first?.cause == "base-url-missing-version")
        let rivals = f.filter { $0.rule.hasPrefix("rival/") }
        #expect(!rivals.isEmpty)
        #expect(rivals.allSatisfy { $0.severity == .low && $0.score < f[0].score })
        #expect(Set(f.prefix(3).map(\.cause)).count == min(3, Set(f.map(\.cause)).count))
        #expect(rivals.first?.title.value.contains("tells it apart") == true)
    }

    /// A healthy bundle has no lead cause, so no rivals: quiet stays quiet.
    @Test func aHealthyBundleGetsNoRivals() throws {
        let r = try Self.analyzeText("""
        INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models "HTTP/1.1 200 OK"
        """)
        #expect(!r.report.findings.contains { $0.rule.hasPrefix("rival/") })
    }

    @Test func lintRefusesAnUnknownRival() throws {
        let e = try Self.lintIssue(naming: "auth-invalid-ky", pack: """
        schema_version: 1
        causes:
          - key: my-cause
            title: {en: "Mine"}
            description: {en: "A private cause."}
            rivals:
              - {cause: auth-invalid-ky, tell: {en: "the key"}}
        """, file: "mine.yaml")
        #expect(e.description.contains("mine.yaml:7:"))
        #expect(e.message.contains("auth-invalid-key"))
    }

    /// A base URL set to a local server's native endpoint (`/api/chat`) is an endpoint in the
    /// base; the server's root (`/api`) is not.
    @Test func aNativeEndpointInTheBaseURLIsAnEndpoint() throws {
        #expect(PathShape(url: "http://localhost:11434/api/chat/chat/completions").includesEndpoint == true)
        #expect(PathShape(url: "http://localhost:11434/api/generate/chat/completions").includesEndpoint == true)
        #expect(PathShape(url: "http://localhost:11434/api/chat/completions").includesEndpoint == false)
        let r = try Self.analyzeText("""
        I configured endpoint to 'http://localhost:11434/api/chat' and token to 'ollama'
        Service request failed. Status: 404 (Not Found)
        """)
        #expect(r.report.findings.first?.cause == "base-url-includes-endpoint")
    }

    // MARK: - Fallbacks

    /// A failure no family's wording knows: its status and endpoint alone propose the usual
    /// causes, all `low`, and the unexplained-failure pointer still follows them.
    @Test func anUnwordedFailureProposesCausesByItsStatusAndPath() throws {
        let r = try Self.analyzeText("""
        Chat fails
        POST https://gw.example.com/v1/chat/completions -> 400
        Error code: 400 - {'error': {'message': 'the kettle is empty', 'type': 'teapot'}}
        """)
        let fs = r.report.findings
        #expect(fs.first?.cause == "request-body-invalid")
        #expect(fs.first?.rule == "family/unmatched-failure")
        #expect(fs.allSatisfy { $0.severity <= .low })
        #expect(fs.contains { $0.cause == "unexplained-failure" })
        let pointer = try #require(fs.firstIndex { $0.cause == "unexplained-failure" })
        #expect(pointer > 0, "the pointer follows the candidates")
    }

    /// "No available channel" has several causes: what the customer says around it (a cue of
    /// `cues:`) decides which comes first; the wording alone never makes it a `high` diagnosis.
    @Test func aContextCueDecidesBetweenTheCausesOfNoAvailableChannel() throws {
        let error = "openai.InternalServerError: Error code: 503 - {'error': {'message': '当前分组 default 下对于模型 gpt-4o 无可用渠道', 'type': 'new_api_error'}}"
        // The wording names a group every time: alone, the upstream leads and the group follows.
        let plain = try Self.analyzeText("Chat fails\n\(error)")
        #expect(plain.report.findings.first?.cause == "upstream-unavailable")
        #expect(plain.report.findings.prefix(3).contains { $0.cause == "key-group-no-access" })
        #expect(plain.report.findings.allSatisfy { $0.severity <= .medium })
        let otherWork = try Self.analyzeText("其他模型都正常，只有 gpt-4o 不行\n\(error)")
        #expect(otherWork.report.findings.first?.cause == "key-group-no-access")
        let allFail = try Self.analyzeText("所有模型都报这个错，换了其他模型也一样\n\(error)")
        #expect(allFail.report.findings.first?.cause == "upstream-unavailable")
        let english = try Self.analyzeText("Every model fails with the same error since this morning\n\(error)")
        #expect(english.report.findings.first?.cause == "upstream-unavailable")
    }

    @Test func lintRefusesAnUnknownCue() throws {
        let e = try Self.lintIssue(naming: "all-model-fail", pack: """
        schema_version: 1
        families:
          - name: cued
            patterns: ['wallet drained']
            candidates:
              - {cause: insufficient-balance, weight: 0.8, when: {cue: all-model-fail}}
        """, file: "cued.yaml")
        #expect(e.message.contains("unknown cue"))
        #expect(e.message.contains("all-models-fail"))
    }

    /// A cue is data: a pack that adds one (and a candidate that reads it) changes the order.
    @Test func aCueAddedInYAMLChangesTheCandidates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-cue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        schema_version: 1
        pack: acme-cues
        version: 1.0.0
        cues:
          - name: kettle-cold
            patterns: ['kettle (is|was) cold']
        families:
          - name: acme-teapot
            title: {en: "acme teapot", zh: "acme 茶壶"}
            patterns: ['teapot refuses']
            candidates:
              - {cause: upstream-unavailable, weight: 0.7, when: {cue: kettle-cold}}
              - {cause: auth-invalid-key, weight: 0.5}
        """.write(to: dir.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let ticket = dir.appendingPathComponent("ticket.txt")
        let error = "Error code: 418 - {'error': {'message': 'teapot refuses', 'type': 'acme'}}"
        try "Calls fail\n\(error)\n".write(to: ticket, atomically: true, encoding: .utf8)
        let rules = [Repo.path("rules"), dir.path]
        #expect(Self.analyze([ticket.path], rules: rules).report.findings.first?.cause == "auth-invalid-key")
        try "Calls fail, and the kettle was cold this morning\n\(error)\n".write(to: ticket, atomically: true, encoding: .utf8)
        let after = Self.analyze([ticket.path], rules: rules)
        #expect(after.ruleErrors.isEmpty)
        #expect(after.report.findings.first?.cause == "upstream-unavailable")
    }

    /// A 401 proposes the key first, and never the model-name causes.
    @Test func anUnwordedRefusalProposesTheKey() throws {
        let r = try Self.analyzeText("""
        Nothing works
        Error code: 401 - {'error': {'message': 'computer says no', 'type': 'teapot'}}
        """)
        #expect(r.report.findings.first?.cause == "auth-invalid-key")
        #expect(!r.report.findings.contains { $0.cause.hasPrefix("model-name") })
    }

    /// A local model server's native API answering 404 for a model that is not pulled.
    @Test func aNativeLocalServer404PointsAtTheModel() throws {
        let r = try Self.analyzeText("""
        Every request fails
        httpx.HTTPStatusError: Client error '404 Not Found' for url 'http://localhost:11434/api/chat'
        """)
        #expect(r.report.findings.first?.cause == "model-not-in-catalog")
    }

    /// A failure outside the taxonomy is named, not turned into model-list candidates.
    @Test func aFailureOutsideTheTaxonomyGetsNoFallbackCandidates() throws {
        let r = try Self.analyzeText("""
        Long chats fail
        Error code: 400 - {'error': {'message': "This model's maximum context length is 8192 tokens", 'type': 'invalid_request_error'}}
        """)
        #expect(!r.report.findings.contains { $0.rule == "family/unmatched-failure" })
    }

    /// A wording family's candidates come first; the fallback is not used beside them.
    @Test func aWordedFailureDoesNotUseTheFallback() throws {
        let r = try Self.analyzeText("""
        Chat fails
        Error code: 404 - {'error': {'message': 'Invalid URL (POST /v1/chat/completions/chat/completions)', 'type': 'invalid_request_error'}}
        """)
        #expect(r.report.findings.first?.cause == "base-url-includes-endpoint")
        #expect(!r.report.findings.contains { $0.rule == "family/unmatched-failure" })
    }

    /// Nothing failed in the paste, but the customer says the list cannot be fetched: the
    /// configured base decides the order of the symptom's usual causes.
    @Test func aStatedSymptomWithAnUnversionedBaseProposesTheVersion() throws {
        let r = try Self.analyzeText("""
        客户端获取模型列表失败
        API Base URL: https://gw.example.com
        """)
        let fs = r.report.findings
        #expect(fs.first?.cause == "base-url-missing-version")
        #expect(fs.first?.rule == "family/list-symptom")
        #expect(fs.first?.symptom == "model-list-empty")
        #expect(fs.allSatisfy { $0.severity <= .low })
        #expect(!fs.contains { $0.cause == "unexplained-failure" }, "nothing failed: no failure pointer")
    }

    @Test func aStatedSymptomWithoutFactsProposesTheListCauses() throws {
        let r = try Self.analyzeText("""
        The model list is empty in the client although the key works for chat.
        """)
        let causes = r.report.findings.map(\.cause)
        #expect(causes.first == "models-endpoint-unsupported")
        #expect(causes.contains("client-cannot-list"))
    }

    /// A paste that states nothing of the symptom and shows no failure stays quiet.
    @Test func noSymptomAndNoFailureStaysQuiet() throws {
        let r = try Self.analyzeText("""
        Question about streaming
        GET https://gw.example.com/v1/models 200
        """)
        #expect(!r.report.findings.contains { $0.rule.hasPrefix("family/") })
    }

    @Test func familyPacksRefuseABadFallback() throws {
        let errors = try Self.loadAlone("""
        schema_version: 1
        families:
          - name: odd
            fallback: sometimes
            patterns: ['x']
            candidates:
              - {cause: insufficient-balance, weight: 0.3}
          - name: worded
            fallback: failure
            patterns: ['y']
            candidates:
              - {cause: insufficient-balance, weight: 0.3}
        """, file: "fb.yaml").errors.map(\.description)
        #expect(errors.contains { $0.contains("fb.yaml:4:") && $0.contains("`fallback` is `failure`") })
        #expect(errors.contains { $0.contains("takes no `patterns`") })
    }
    /// A settings file in the bundle (`.env`, YAML) is read for what it sets: its base URL
    /// explains the failure pasted beside it. It holds no call, and a quoted note in it that
    /// names a variable or a cause is not read as the customer's words.
    @Test func aSettingsFileGivesItsSettingsAndNothingElse() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-family-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "openai.NotFoundError: Error code: 404 - {'error': {'message': 'Invalid URL (POST /v1/chat/completions/chat/completions)', 'type': 'invalid_request_error'}}\n"
            .write(to: dir.appendingPathComponent("error.txt"), atomically: true, encoding: .utf8)
        let env = dir.appendingPathComponent("settings.env")
        try "OPENAI_BASE_URL=https://gw.example.com/v1/chat/completions\nOPENAI_MODEL=gpt-4o\n".write(to: env, atomically: true, encoding: .utf8)
        let r = Self.analyze([dir.path])
        let entry = try #require(r.report.inputs.first { $0.path.hasSuffix("settings.env") })
        #expect(entry.format == "config" && entry.kind == .errorText)
        #expect(entry.notes.contains { $0.hasPrefix("settings file") })
        #expect(r.bundle.signals.contains { $0.name == .configuredBaseURL && $0.value == "https://gw.example.com/v1/chat/completions" })
        #expect(r.report.findings.first?.cause == "base-url-includes-endpoint")
        #expect(r.report.facts.baseURLs.contains { $0.value == "https://gw.example.com/v1/chat/completions" })

        // A metadata file whose values are sentences: no call, no cue, no setting.
        try """
        cause: network-proxy
        notes: "HTTP_PROXY set to a proxy that is not running (connection refused); SDK retries then APIConnectionError. The client shows a stale cached list."
        files: [sdk-debug.log, ticket.txt]
        """.write(to: env, atomically: true, encoding: .utf8)
        // Beside a log (as in a bundle): the log's calls stay its own, the file adds none.
        let quiet = Self.analyze([env.path])
        #expect(quiet.bundle.exchanges.isEmpty)
        #expect(quiet.bundle.signals.isEmpty)
        #expect(quiet.report.findings.isEmpty)
        #expect(quiet.report.inputs.first?.format == "config")
    }

    /// `Error: Not Found` alone on its line is the client printing the response's status text:
    /// a failed call with that status. A longer message that starts with the phrase is not.
    @Test func aBareErrorWithAReasonPhraseStatesItsStatus() throws {
        let r = try Self.analyzeText("The bot answers every message with an error\nError: Not Found\n")
        #expect(r.bundle.exchanges.contains { $0.status == 404 })
        #expect(!r.report.findings.isEmpty)
        #expect(try Self.analyzeText("error: Unauthorized.\n").bundle.exchanges.contains { $0.status == 401 })
        #expect(try Self.analyzeText("Error: Not Found in cache, rebuilding\n").bundle.exchanges.allSatisfy { $0.status == nil })
    }

    /// A refusal that names the balance first (`Your paid balance is insufficient. Please top
    /// up`) is a balance refusal, though it comes as a 403 about "the selected model".
    @Test func aBalanceNamedBeforeItsVerdictIsABalanceRefusal() throws {
        try Self.expectFirst("insufficient-balance", """
        Calls to the relay fail for one model
        API error: Error code: 403 - {'code': 30011, 'message': 'The selected model requires paid balance. Your paid balance is insufficient. Please top up and try again.', 'data': None}
        """)
        try Self.expectFirst("insufficient-balance", "Error code: 403 - {'error': {'message': 'Account balance is not enough to run this model'}}\n")
    }

    /// Go's dialer giving up (`dial tcp …: i/o timeout`) is a connection that never opened, so
    /// the connection family's causes, not a slow answer; a read timeout stays outside.
    @Test func aDialTimeoutIsAConnectionFailureAndAReadTimeoutIsNot() throws {
        let dial = try Self.analyzeText("The model list stays empty\nGet \"https://api.openai.com/v1/models\": dial tcp 31.13.94.37:443: i/o timeout\n")
        #expect(dial.report.findings.prefix(3).contains { $0.cause == "network-proxy" })
        #expect(!dial.report.findings.contains { $0.cause == "outside-taxonomy" })
        let read = try Self.analyzeText("Long answers fail\nhttpx.ReadTimeout: The read operation timed out\n")
        #expect(read.report.findings.contains { $0.cause == "outside-taxonomy" && $0.subject == "timeout" })
    }

    /// `OPENAI_MODEL：x` (a full-width colon, as Chinese tickets write it) is a model setting.
    @Test func aModelSettingWithAFullWidthColonIsRead() throws {
        let r = try Self.analyzeText("调用失败\nError code: 404 - {\"error\": {\"message\": \"The model `gpt-4o-mini` does not exist\"}}\nOPENAI_MODEL：gpt-4.1\n")
        #expect(r.bundle.signals.contains { $0.name == .configuredModel && $0.value == "gpt-4.1" })
        #expect(r.report.findings.first?.cause == "client-default-model")
    }

    /// Chinese writes a status against its words (`报错404`, `报404错误`): still a 404 said in
    /// words, so the bare-404 family's pointers, never silence. A version number is not one.
    @Test func aStatusWrittenAgainstChineseWordsIsRead() throws {
        for text in ["升级后一直报错\n永远报错404或者405 Undefined\n", "获取模型\n报404错误\n", "HTTP 状态码 404\n"] {
            let r = try Self.analyzeText(text)
            #expect(r.report.findings.prefix(3).contains { $0.cause == "base-url-missing-version" }, "\(text)")
            #expect(r.report.findings.allSatisfy { $0.severity == .low }, "\(text)")
        }
        // A version is no status: nothing beyond the wording prior's `low` pointers.
        #expect(try Self.analyzeText("版本 v1.404 错误\n").report.findings.allSatisfy { $0.rule.hasPrefix("wording/") && $0.severity == .low })
    }
}
