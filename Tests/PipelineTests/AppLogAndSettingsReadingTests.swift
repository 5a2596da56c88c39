import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorRules
@testable import ModelDoctorKit
import TestSupport

/// What captured-8's mixed bundles taught: an app log read as error text still gives the list
/// the client printed, Together's refusal names its model, an embedding model is no chat
/// setting, and an empty list beside "no available channel" is a group with no models.
@Suite struct AppLogAndSettingsReadingTests {
    static func analyzeFiles(_ files: [String: String]) throws -> AnalysisPipeline.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-applog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return FamilyTriageTests.analyze([dir.path])
    }

    /// An INFO-level app log without SDK lines falls to the error-text reader; the list it
    /// printed is still the catalog, so a case variant of a listed id is the case.
    @Test func anAppLogsPrintedListIsTheCatalogInTheErrorTextReader() throws {
        let r = try FamilyTriageTests.analyzeText("""
        2026-12-06 14:52:26 INFO translator: model list refreshed: 2 models ['vendor-chat-250324', 'vendor-mini-250615']
        2026-12-06 14:52:26 ERROR translator: chat failed: Error code: 404 - {'error': {'code': 'InvalidEndpointOrModel.NotFound', 'message': 'The model or endpoint Vendor-Chat-250324 does not exist or you do not have access to it.', 'type': 'NotFound'}}
        """)
        #expect(r.report.findings.first?.cause == "model-name-case", "\(r.report.findings.map(\.cause))")
        #expect(r.bundle.signals.contains { $0.name == .catalogModel && $0.value == "vendor-chat-250324" })
    }

    /// Together's `Unable to access model x.` names the model the call sent.
    @Test func togethersUnableToAccessModelNamesTheModel() throws {
        let r = try FamilyTriageTests.analyzeText("""
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'Unable to access model vendor-chat-mini. Please visit https://api.example.ai/models to view the list of supported models.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """)
        #expect(r.bundle.exchanges.contains { $0.model == "vendor-chat-mini" }, "\(r.bundle.exchanges.map(\.model))")
    }

    /// The settings name a chat model and an embedding model (whose key is not read as the
    /// chat setting): an embeddings call with the embedding model is not "another model than
    /// configured"; a chat call with a third name still is.
    @Test func anEmbeddingsCallIsNotComparedWithTheChatSetting() throws {
        let settings = """
        [llm]
        base_url = "https://gw.example.com/v1"
        embedding_model = "vendor-embed-3"
        summary_model = "vendor-chat-9"
        """
        let embed = try Self.analyzeFiles(["config.toml": settings, "app.log": """
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/embeddings "HTTP/1.1 404 Not Found"
        ERROR:app:embed failed: Error code: 404 - {'error': {'message': 'The model `vendor-embed-3` does not exist', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """])
        #expect(!embed.report.findings.contains { $0.rule == "client-sent-another-model" }, "\(embed.report.findings.map(\.rule))")
        let chat = try Self.analyzeFiles(["config.toml": settings, "app.log": """
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 404 Not Found"
        ERROR:app:summary failed: Error code: 404 - {'error': {'message': 'The model `vendor-other-1` does not exist', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}
        """])
        #expect(chat.report.findings.contains { $0.rule == "client-sent-another-model" }, "\(chat.report.findings.map(\.rule))")
    }

    /// A key whose list is empty and whose calls get "no available channel": the group has no
    /// models (not an upstream that is down); with models listed, it is not.
    @Test func anEmptyListBesideNoChannelIsAGroupWithNoModels() throws {
        let noModels = try FamilyTriageTests.analyzeText("""
        INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models "HTTP/1.1 200 OK"
        INFO:app:model list refreshed: 0 models []
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 503 Service Unavailable"
        ERROR:app:chat failed: Error code: 503 - {'error': {'message': '当前分组 trial 下对于模型 vendor-chat 无可用渠道', 'type': 'one_api_error'}}
        """)
        let causes = noModels.report.findings.map(\.cause)
        #expect(causes.first == "key-group-no-models", "\(causes)")
        #expect(!noModels.report.findings.contains { $0.cause == "upstream-unavailable" && $0.severity >= .medium }, "\(causes)")
        let listed = try FamilyTriageTests.analyzeText("""
        INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models "HTTP/1.1 200 OK"
        INFO:app:model list refreshed: 1 models ['vendor-chat']
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 503 Service Unavailable"
        ERROR:app:chat failed: Error code: 503 - {'error': {'message': '当前分组 trial 下对于模型 vendor-chat 无可用渠道', 'type': 'one_api_error'}}
        """)
        #expect(listed.report.findings.first?.cause != "key-group-no-models", "\(listed.report.findings.map(\.cause))")
    }

    /// `…/api/v1` joined to `completions` with no slash between is a malformed base URL; a
    /// version segment followed by a slash, or a model id that starts like one, is not.
    @Test func aVersionGluedToItsEndpointIsAMalformedBase() {
        #expect(Facts.gluedVersion("/api/v1completions"))
        #expect(Facts.gluedVersion("/v1chat/completions"))
        #expect(Facts.gluedVersion("/V2models?limit=5"))
        #expect(!Facts.gluedVersion("/v1/completions"))
        #expect(!Facts.gluedVersion("/v1/models/v1models-finetune"))
        #expect(!Facts.gluedVersion("/v1/modelsx"))
    }

    /// An app's telemetry beacon and favicon answered 404 in a healthy session: no API calls,
    /// set aside with a note in the inventory, and the session stays quiet.
    @Test func telemetryAndAssetCallsAreSetAsideNotDiagnosed() throws {
        let r = try Self.analyzeFiles(["app.log": """
        INFO:httpx:HTTP Request: POST https://stats.example.com/collect "HTTP/1.1 404 Not Found"
        INFO:httpx:HTTP Request: GET https://gw.example.com/favicon.ico "HTTP/1.1 404 Not Found"
        INFO:httpx:HTTP Request: GET https://gw.example.com/v1/models "HTTP/1.1 200 OK"
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 200 OK"
        """])
        #expect(r.report.findings.allSatisfy { $0.severity < .medium }, "\(r.report.findings.map(\.rule))")
        #expect(!r.bundle.exchanges.contains { ($0.url ?? "").contains("/collect") })
        let notes = r.report.inputs.flatMap(\.notes).joined(separator: " ")
        #expect(notes.contains("set aside as no API call"), "\(notes)")
        #expect(notes.contains("/collect"), "\(notes)")
    }

    /// An app log of several days prints the list it got each day; the model the last list no
    /// longer names was retired or renamed, not refused to this key.
    @Test func aModelGoneFromTheLatestPrintedListIsRetired() throws {
        let r = try Self.analyzeFiles(["app.log": """
        2026-12-03 10:00:00,001 INFO app: model list refreshed: 2 models ['vendor-chat-0711-preview', 'vendor-mini']
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 200 OK"
        2026-12-04 10:00:00,001 INFO app: model list refreshed: 2 models ['vendor-chat-0711-preview', 'vendor-mini']
        2026-12-06 10:00:00,001 INFO app: model list refreshed: 2 models ['vendor-chat-0905-preview', 'vendor-mini']
        INFO:httpx:HTTP Request: POST https://gw.example.com/v1/chat/completions "HTTP/1.1 404 Not Found"
        openai.NotFoundError: Error code: 404 - {'error': {'message': 'Not found the model vendor-chat-0711-preview or Permission denied', 'type': 'resource_not_found_error'}}
        """])
        let causes = r.report.findings.map(\.cause)
        #expect(causes.first == "model-name-legacy-alias", "\(causes)")
        #expect(r.report.findings.first?.rule == "model-dropped-from-the-list", "\(r.report.findings.map(\.rule))")
    }
}
