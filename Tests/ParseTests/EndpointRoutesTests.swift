import Testing
import DoctorModel

/// The one table of endpoint suffixes and local-server native routes that the base-URL facts
/// and the family triage both read.
@Suite struct EndpointRoutesTests {
    @Test func chatRoutesIncludeEveryChatSurfaceAndTheNativeOnes() {
        for p in ["/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/messages",
                  "/api/chat", "/api/generate", "/v1beta/models/gemini-pro:generatecontent"] {
            #expect(Endpoint.isChatRoute(p), "\(p)")
        }
        for p in ["/v1/models", "/api/tags", "/v1/embeddings", "/api/embed", "/v1/audio/speech", "/"] {
            #expect(!Endpoint.isChatRoute(p), "\(p)")
        }
    }

    @Test func listRoutesAreTheModelsSuffixAndOllamasTags() {
        #expect(Endpoint.isListRoute("/v1/models"))
        #expect(Endpoint.isListRoute("/api/tags"))
        #expect(!Endpoint.isListRoute("/v1/models/gpt-4o"))
        #expect(!Endpoint.isListRoute("/api/chat"))
        #expect(!Endpoint.isListRoute("/v1/chat/completions"))
    }

    @Test func nativeRoutesAreNotClassifiedAsOpenAIEndpoints() {
        // A call to a native route is `.other` for the OpenAI-style classifier (`/api/embeddings`
        // ends in an OpenAI suffix and is the one exception).
        for (route, _) in Endpoint.nativeRoutes where route != "/api/embeddings" {
            #expect(Endpoint.classify(path: route).0 == .other, "\(route)")
        }
        #expect(Endpoint.nativeRoutes.contains { $0.0 == "/api/tags" && $0.1 == .models })
    }
}
