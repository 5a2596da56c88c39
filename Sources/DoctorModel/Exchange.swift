import Foundation

/// One HTTP call as the bundle shows it: a request paired with its response, or with the
/// failure that replaced it (timeout, connection error, no response seen).
///
/// Every parser produces exchanges; a thin ticket (one pasted error line) gives a *partial*
/// exchange where most fields are nil. `nil` always means "the bundle does not say", never a
/// default, so rules can tell "unknown" from "absent" (see `missing`).
public struct Exchange: Sendable, Hashable {
    /// Position in the bundle after pairing and merging (0-based, deterministic).
    public var index: Int = 0
    /// Request time in UTC, when the source says it (with its own offset applied).
    public var time: Date?
    /// Every place this call was seen (several when HAR, SDK log and gateway log agree).
    public var sources: [SourceRef] = []
    /// Kinds of the sources above, parallel to nothing: a set of what saw it.
    public var sourceKinds: Set<InputKind> = []

    // MARK: Request
    public var method: String?
    /// The whole URL as sent (scheme, host, path, query). Parts are derived in `URLParts`.
    public var url: String?
    /// Only the path when the source logged no host (gateway access lines).
    public var pathOnly: String?
    public var requestHeaders: [Header] = []
    /// The request body as text (JSON when the source had JSON; Python literals are converted).
    public var requestBody: String?
    public var model: String?
    public var stream: Bool?

    // MARK: Response
    public var status: Int?
    public var statusText: String?
    public var responseHeaders: [Header] = []
    public var contentType: String?
    public var responseBody: String?
    /// The error object of an error response (OpenAI shape and the gateways' variants).
    public var error: APIError?
    /// Model ids listed by a `/models` response; `[]` for an empty list, nil when not a list
    /// or not seen.
    public var listedModels: [String]?
    /// The `/models` body came back but in a shape the OpenAI clients cannot read
    /// (`{"models": [...]}`, a bare array): its top-level shape, e.g. `object-without-data`.
    public var listShape: String?
    public var requestID: String?
    public var durationMs: Double?
    public var failure: Failure?
    /// How many times the client retried this call (collapsed into this one exchange).
    public var retries: Int = 0

    // MARK: Client
    public var sdk: SDKInfo?
    /// The raw credential the request carried (API key, bearer token). Never rendered: the
    /// report shows `keyFingerprint` only, made by the redactor.
    public var credential: String?
    /// Text of the log lines that formed this exchange, for evidence excerpts.
    public var lines: [SourceLine] = []
    /// Facts the source could not give (e.g. the URL, not logged by openai 3.x).
    public var missing: [MissingNote] = []
    /// What a parser noticed around the call (a JSON decode error, the proxy it went through …).
    public var hints: Set<Hint> = []

    public init() {}
}

/// An HTTP header as logged (names compared case-insensitively).
public struct Header: Hashable, Sendable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

extension Array where Element == Header {
    /// The first value of a header, name compared case-insensitively.
    public func value(_ name: String) -> String? {
        // ASCII case folding on UTF-8 bytes: header names are ASCII, and Foundation's
        // caseInsensitiveCompare is slow enough to show on per-line paths. The name is read in
        // place (no copy of it per call: every exchange's facts look up several headers).
        var name = name
        return name.withUTF8 { target in
            first { h in
                let n = h.name.utf8
                guard n.count == target.count else { return false }
                return zip(n, target).allSatisfy { a, b in a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A) }
            }?.value
        }
    }
}

/// The error object of a response body, whatever the gateway's shape.
public struct APIError: Hashable, Sendable, Codable {
    public var type: String?
    public var code: String?
    public var message: String?
    public var param: String?
    public init(type: String? = nil, code: String? = nil, message: String? = nil, param: String? = nil) {
        self.type = type; self.code = code; self.message = message; self.param = param
    }
}

/// Why a request got no HTTP response.
public struct Failure: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        case timeout, connectionError = "connection-error", tlsError = "tls-error", proxyError = "proxy-error", noResponse = "no-response"
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
}

/// The client library that made the call, from User-Agent / `X-Stainless-*` headers or the
/// log format itself.
public struct SDKInfo: Hashable, Sendable, Codable {
    public var name: String
    public var version: String?
    public var language: String?
    public var runtime: String?
    public init(name: String, version: String? = nil, language: String? = nil, runtime: String? = nil) {
        self.name = name; self.version = version; self.language = language; self.runtime = runtime
    }
    public var description: String {
        [name, version, runtime.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
    }
}
