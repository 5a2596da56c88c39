import Foundation

/// One HTTP call as the bundle shows it: a request paired with its response, or with the
/// failure that replaced it (timeout, connection error, no response seen).
///
/// Every parser produces exchanges; a thin ticket (one pasted error line) gives a *partial*
/// exchange where most fields are nil. `nil` always means "the bundle does not say", never a
/// default, so rules can tell "unknown" from "absent" (see `missing`).
public struct Exchange: Sendable, Hashable {
    // The fields live in one reference-counted box, copied on write: an exchange is some
    // 460 bytes of fields, and a dense log holds one per call in an array that grows by
    // doubling (the old and the new buffer both alive while it grows) and is reordered and
    // handed from stage to stage. Held as one pointer, a call costs the array 8 bytes and is
    // copied by a retain; its fields are allocated once, at their own size.
    @usableFromInline var box: Box

    @usableFromInline final class Box: @unchecked Sendable {
        // Mutated only through `Exchange`, after `unique()`: never shared while written.
        @usableFromInline var v: Fields
        @usableFromInline init(_ v: Fields) { self.v = v }
    }

    /// The stored fields (compared and hashed field by field, as `Exchange` was).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline var index: Int = 0
        @usableFromInline var time: Date? = nil
        @usableFromInline var sources: [SourceRef] = []
        @usableFromInline var sourceKinds: Set<InputKind> = []
        @usableFromInline var method: String? = nil
        @usableFromInline var url: String? = nil
        @usableFromInline var pathOnly: String? = nil
        @usableFromInline var requestHeaders: [Header] = []
        @usableFromInline var requestBody: String? = nil
        @usableFromInline var model: String? = nil
        @usableFromInline var stream: Bool? = nil
        @usableFromInline var status: Int? = nil
        @usableFromInline var statusText: String? = nil
        @usableFromInline var responseHeaders: [Header] = []
        @usableFromInline var contentType: String? = nil
        @usableFromInline var responseBody: String? = nil
        @usableFromInline var error: APIError? = nil
        @usableFromInline var listedModels: [String]? = nil
        @usableFromInline var listShape: String? = nil
        @usableFromInline var requestID: String? = nil
        @usableFromInline var durationMs: Double? = nil
        @usableFromInline var failure: Failure? = nil
        @usableFromInline var retries: Int = 0
        @usableFromInline var sdk: SDKInfo? = nil
        @usableFromInline var credential: String? = nil
        @usableFromInline var lines: [SourceLine] = []
        @usableFromInline var missing: [MissingNote] = []
        @usableFromInline var hints: Set<Hint> = []
        @usableFromInline init() {}
    }

    /// Gives this value a box of its own before a write when the box is shared.
    @inlinable mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.v) }
    }

    public static func == (a: Exchange, b: Exchange) -> Bool { a.box.v == b.box.v }
    public func hash(into h: inout Hasher) { box.v.hash(into: &h) }

    /// Position in the bundle after pairing and merging (0-based, deterministic).
    @inlinable public var index: Int {
        get { box.v.index }
        set { unique(); box.v.index = newValue }
        _modify { unique(); yield &box.v.index }
    }
    /// Request time in UTC, when the source says it (with its own offset applied).
    @inlinable public var time: Date? {
        get { box.v.time }
        set { unique(); box.v.time = newValue }
        _modify { unique(); yield &box.v.time }
    }
    /// Every place this call was seen (several when HAR, SDK log and gateway log agree).
    @inlinable public var sources: [SourceRef] {
        get { box.v.sources }
        set { unique(); box.v.sources = newValue }
        _modify { unique(); yield &box.v.sources }
    }
    /// Kinds of the sources above, parallel to nothing: a set of what saw it.
    @inlinable public var sourceKinds: Set<InputKind> {
        get { box.v.sourceKinds }
        set { unique(); box.v.sourceKinds = newValue }
        _modify { unique(); yield &box.v.sourceKinds }
    }

    // MARK: Request
    @inlinable public var method: String? {
        get { box.v.method }
        set { unique(); box.v.method = newValue }
        _modify { unique(); yield &box.v.method }
    }
    /// The whole URL as sent (scheme, host, path, query). Parts are derived in `URLParts`.
    @inlinable public var url: String? {
        get { box.v.url }
        set { unique(); box.v.url = newValue }
        _modify { unique(); yield &box.v.url }
    }
    /// Only the path when the source logged no host (gateway access lines).
    @inlinable public var pathOnly: String? {
        get { box.v.pathOnly }
        set { unique(); box.v.pathOnly = newValue }
        _modify { unique(); yield &box.v.pathOnly }
    }
    @inlinable public var requestHeaders: [Header] {
        get { box.v.requestHeaders }
        set { unique(); box.v.requestHeaders = newValue }
        _modify { unique(); yield &box.v.requestHeaders }
    }
    /// The request body as text (JSON when the source had JSON; Python literals are converted).
    @inlinable public var requestBody: String? {
        get { box.v.requestBody }
        set { unique(); box.v.requestBody = newValue }
        _modify { unique(); yield &box.v.requestBody }
    }
    @inlinable public var model: String? {
        get { box.v.model }
        set { unique(); box.v.model = newValue }
        _modify { unique(); yield &box.v.model }
    }
    @inlinable public var stream: Bool? {
        get { box.v.stream }
        set { unique(); box.v.stream = newValue }
        _modify { unique(); yield &box.v.stream }
    }

    // MARK: Response
    @inlinable public var status: Int? {
        get { box.v.status }
        set { unique(); box.v.status = newValue }
        _modify { unique(); yield &box.v.status }
    }
    @inlinable public var statusText: String? {
        get { box.v.statusText }
        set { unique(); box.v.statusText = newValue }
        _modify { unique(); yield &box.v.statusText }
    }
    @inlinable public var responseHeaders: [Header] {
        get { box.v.responseHeaders }
        set { unique(); box.v.responseHeaders = newValue }
        _modify { unique(); yield &box.v.responseHeaders }
    }
    @inlinable public var contentType: String? {
        get { box.v.contentType }
        set { unique(); box.v.contentType = newValue }
        _modify { unique(); yield &box.v.contentType }
    }
    @inlinable public var responseBody: String? {
        get { box.v.responseBody }
        set { unique(); box.v.responseBody = newValue }
        _modify { unique(); yield &box.v.responseBody }
    }
    /// The error object of an error response (OpenAI shape and the gateways' variants).
    @inlinable public var error: APIError? {
        get { box.v.error }
        set { unique(); box.v.error = newValue }
        _modify { unique(); yield &box.v.error }
    }
    /// Model ids listed by a `/models` response; `[]` for an empty list, nil when not a list
    /// or not seen.
    @inlinable public var listedModels: [String]? {
        get { box.v.listedModels }
        set { unique(); box.v.listedModels = newValue }
        _modify { unique(); yield &box.v.listedModels }
    }
    /// The `/models` body came back but in a shape the OpenAI clients cannot read
    /// (`{"models": [...]}`, a bare array): its top-level shape, e.g. `object-without-data`.
    @inlinable public var listShape: String? {
        get { box.v.listShape }
        set { unique(); box.v.listShape = newValue }
        _modify { unique(); yield &box.v.listShape }
    }
    @inlinable public var requestID: String? {
        get { box.v.requestID }
        set { unique(); box.v.requestID = newValue }
        _modify { unique(); yield &box.v.requestID }
    }
    @inlinable public var durationMs: Double? {
        get { box.v.durationMs }
        set { unique(); box.v.durationMs = newValue }
        _modify { unique(); yield &box.v.durationMs }
    }
    @inlinable public var failure: Failure? {
        get { box.v.failure }
        set { unique(); box.v.failure = newValue }
        _modify { unique(); yield &box.v.failure }
    }
    /// How many times the client retried this call (collapsed into this one exchange).
    @inlinable public var retries: Int {
        get { box.v.retries }
        set { unique(); box.v.retries = newValue }
        _modify { unique(); yield &box.v.retries }
    }

    // MARK: Client
    @inlinable public var sdk: SDKInfo? {
        get { box.v.sdk }
        set { unique(); box.v.sdk = newValue }
        _modify { unique(); yield &box.v.sdk }
    }
    /// The raw credential the request carried (API key, bearer token). Never rendered: the
    /// report shows `keyFingerprint` only, made by the redactor.
    @inlinable public var credential: String? {
        get { box.v.credential }
        set { unique(); box.v.credential = newValue }
        _modify { unique(); yield &box.v.credential }
    }
    /// Text of the log lines that formed this exchange, for evidence excerpts.
    @inlinable public var lines: [SourceLine] {
        get { box.v.lines }
        set { unique(); box.v.lines = newValue }
        _modify { unique(); yield &box.v.lines }
    }
    /// Facts the source could not give (e.g. the URL, not logged by openai 3.x).
    @inlinable public var missing: [MissingNote] {
        get { box.v.missing }
        set { unique(); box.v.missing = newValue }
        _modify { unique(); yield &box.v.missing }
    }
    /// What a parser noticed around the call (a JSON decode error, the proxy it went through …).
    @inlinable public var hints: Set<Hint> {
        get { box.v.hints }
        set { unique(); box.v.hints = newValue }
        _modify { unique(); yield &box.v.hints }
    }

    public init() { box = Box(Fields()) }
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
