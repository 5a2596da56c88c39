/// The parts of a request URL that rules look at, derived once from `Exchange.url`.
///
/// Parsed by hand rather than with `URLComponents`, because the URLs that matter most here are
/// the broken ones (`//chat/completions`, a space in the host, no scheme) which `URLComponents`
/// rejects.
public struct URLParts: Hashable, Sendable {
    public var scheme: String?
    public var host: String?
    public var port: Int?
    public var path: String
    public var query: String?
    /// The API surface the path ends in.
    public var endpoint: Endpoint
    /// Everything before the endpoint suffix, e.g. `/v1` for `/v1/chat/completions`,
    /// `/api/v1/v1` for `/api/v1/v1/models`, `` for `/models`.
    public var basePath: String

    public init(url: String) {
        // Byte-level: this runs for every exchange in facts, merging and listings, and
        // Foundation's range(of:)/trimmingCharacters dominated the profile of large bundles.
        var bytes = Array(url.utf8)[...]
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes = bytes.dropFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 || l == 0x0D { bytes = bytes.dropLast() }
        func text(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
        var rest = bytes
        if let sep = URLParts.find(rest, [0x3A, 0x2F, 0x2F]) {  // "://"
            scheme = text(rest[rest.startIndex..<sep]).lowercased()
            rest = rest[(sep + 3)...]
            let hostEnd = rest.firstIndex { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 } ?? rest.endIndex
            var authority = rest[rest.startIndex..<hostEnd]
            if let at = authority.lastIndex(of: 0x40) { authority = authority[(at + 1)...] }
            if let colon = authority.lastIndex(of: 0x3A), authority.last != 0x5D,
               let p = Int(text(authority[(colon + 1)...])) {
                port = p
                host = text(authority[authority.startIndex..<colon]).lowercased()
            } else {
                host = text(authority).lowercased()
            }
            rest = rest[hostEnd...]
        }
        if let q = rest.firstIndex(of: 0x3F) {
            query = text(rest[(q + 1)...])
            rest = rest[rest.startIndex..<q]
        }
        if let h = rest.firstIndex(of: 0x23) { rest = rest[rest.startIndex..<h] }
        path = text(rest)
        (endpoint, basePath) = Endpoint.classify(path: path)
    }

    static func find(_ hay: ArraySlice<UInt8>, _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.startIndex
        while i <= hay.endIndex - needle.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// `host:port` when a port was given.
    public var hostAndPort: String? {
        guard let host else { return nil }
        return port.map { "\(host):\($0)" } ?? host
    }
}

/// The kind of API call, from the end of the path.
public enum Endpoint: String, Sendable, Codable, CaseIterable {
    case models, chat, completions, responses, embeddings, messages, images, audio, other

    /// Known endpoint suffixes, longest first so `/chat/completions` wins over `/completions`.
    public static let suffixes: [(String, Endpoint)] = [
        ("/chat/completions", .chat), ("/completions", .completions), ("/responses", .responses),
        ("/embeddings", .embeddings), ("/messages", .messages), ("/images/generations", .images),
        ("/audio/transcriptions", .audio), ("/audio/speech", .audio), ("/models", .models),
    ]

    /// Splits a path into its endpoint and the base path before it. `/models/gpt-4o` (retrieve
    /// one model) also counts as `models`.
    public static func classify(path: String) -> (Endpoint, String) {
        var p = Array(path.utf8)[...]
        while p.count > 1 && p.last == 0x2F { p = p.dropLast() }
        for (suffix, kind) in suffixBytes where p.count >= suffix.count && p.suffix(suffix.count).elementsEqual(suffix) {
            return (kind, String(decoding: p.dropLast(suffix.count), as: UTF8.self))
        }
        let s = String(decoding: p, as: UTF8.self)
        if let r = s.range(of: "/models/", options: .backwards), !s[r.upperBound...].isEmpty,
           !s[r.upperBound...].contains(":") {
            return (.models, String(s[..<r.lowerBound]))
        }
        // Gemini-native paths: /v1beta/models/NAME:generateContent; the base is what precedes
        // /models/ (the model name is part of the path, not of the base URL).
        if s.contains(":generateContent") || s.contains(":streamGenerateContent") {
            let base = s.range(of: "/models/").map { String(s[..<$0.lowerBound]) } ?? s
            return (.chat, base)
        }
        return (.other, s)
    }

    static let suffixBytes: [([UInt8], Endpoint)] = suffixes.map { (Array($0.0.utf8), $0.1) }

    /// A local model server's native routes (Ollama's), which sit beside its OpenAI-style
    /// `/v1` API under `/api`: what each route does, in the same kinds. `classify` reads only
    /// the OpenAI-style suffixes (`/api/chat` is `.other` there; `/api/embeddings` happens to
    /// end in one); the base-URL facts and the family triage read these, from this one table.
    public static let nativeRoutes: [(String, Endpoint)] = [
        ("/api/chat", .chat), ("/api/generate", .chat), ("/api/embeddings", .embeddings),
        ("/api/embed", .embeddings), ("/api/tags", .models),
    ]

    /// Whether a lower-cased path without its query ends in a route that answers a chat or a
    /// completion (OpenAI's, Anthropic's, Gemini's or a local server's native one).
    public static func isChatRoute(_ p: String) -> Bool {
        suffixes.contains { [.chat, .completions, .responses, .messages].contains($0.1) && p.hasSuffix($0.0) }
            || nativeRoutes.contains { $0.1 == .chat && p.hasSuffix($0.0) }
            || p.contains(":generatecontent")
    }

    /// Whether a lower-cased path without its query ends in a route that lists models.
    public static func isListRoute(_ p: String) -> Bool {
        suffixes.contains { $0.1 == .models && p.hasSuffix($0.0) }
            || nativeRoutes.contains { $0.1 == .models && p.hasSuffix($0.0) }
    }
}

extension Exchange {
    /// URL parts, from the full URL or, for gateway access lines, the path alone.
    public var urlParts: URLParts? {
        if let url { return URLParts(url: url) }
        if let pathOnly { return URLParts(url: pathOnly) }
        return nil
    }

    /// The endpoint kind, or nil when neither URL nor path is known.
    public var endpoint: Endpoint? { urlParts?.endpoint }
}
