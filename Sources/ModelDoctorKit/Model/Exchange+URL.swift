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
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        if let r = rest.range(of: "://") {
            scheme = String(rest[..<r.lowerBound]).lowercased()
            rest = rest[r.upperBound...]
            let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            var authority = rest[..<hostEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"),
               let p = Int(authority[authority.index(after: colon)...]) {
                port = p
                host = String(authority[..<colon]).lowercased()
            } else {
                host = String(authority).lowercased()
            }
            rest = rest[hostEnd...]
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if let h = rest.firstIndex(of: "#") { rest = rest[..<h] }
        path = String(rest)
        (endpoint, basePath) = Endpoint.classify(path: path)
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
    static let suffixes: [(String, Endpoint)] = [
        ("/chat/completions", .chat), ("/completions", .completions), ("/responses", .responses),
        ("/embeddings", .embeddings), ("/messages", .messages), ("/images/generations", .images),
        ("/audio/transcriptions", .audio), ("/audio/speech", .audio), ("/models", .models),
    ]

    /// Splits a path into its endpoint and the base path before it. `/models/gpt-4o` (retrieve
    /// one model) also counts as `models`.
    public static func classify(path: String) -> (Endpoint, String) {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        for (suffix, kind) in suffixes where p.hasSuffix(suffix) {
            return (kind, String(p.dropLast(suffix.count)))
        }
        if let r = p.range(of: "/models/", options: .backwards), !p[r.upperBound...].isEmpty,
           !p[r.upperBound...].contains(":") {
            return (.models, String(p[..<r.lowerBound]))
        }
        // Gemini-native paths: /v1beta/models/NAME:generateContent
        if p.contains(":generateContent") || p.contains(":streamGenerateContent") {
            return (.chat, String(p.prefix(while: { _ in true })))
        }
        return (.other, String(p))
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
