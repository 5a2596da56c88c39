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

    /// The stored fields (compared and hashed field by field, as `Exchange` was): what is
    /// the call's own (its place, time, evidence, response headers) here, and what calls of
    /// one kind repeat (method, URL, bodies, error, hints …) in `common`, a box of its own
    /// that a parser may share among equal calls (`ExchangeSharing`): a dense log holds
    /// tens of thousands of calls of a few kinds, and each held every such field inline.
    @usableFromInline struct Fields: Hashable, Sendable {
        // Laid out so the optionals' tag bytes leave no holes (a box per call of a dense log):
        // two 32-bit counts first, the 9-byte `Double?` last.
        @usableFromInline var index: Int32 = 0
        @usableFromInline var retries: Int32 = 0
        @usableFromInline var time: Date? = nil
        // `sources`: the first inline and the rest (empty for nearly every call, so no
        // allocation), as an array of one cost each call a buffer of its own.
        @usableFromInline var source: SourceRef? = nil
        @usableFromInline var moreSources: [SourceRef] = []
        @usableFromInline var responseHeaders: [Header] = []
        @usableFromInline var requestID: String? = nil
        // `lines`: an array, or `packed` (then the array is empty; see `PackedLines`).
        @usableFromInline var lines: [SourceLine] = []
        @usableFromInline var packed: PackedLines? = nil
        @usableFromInline var common: Common = Common.empty
        @usableFromInline var durationMs: Double? = nil
        @usableFromInline init() {}

        // The lines compared and hashed as they read, packed or not.
        @usableFromInline static func == (a: Fields, b: Fields) -> Bool {
            a.index == b.index && a.time == b.time && a.source == b.source && a.moreSources == b.moreSources
                && a.responseHeaders == b.responseHeaders && a.requestID == b.requestID && a.durationMs == b.durationMs
                && a.retries == b.retries && a.allLines == b.allLines && a.common == b.common
        }

        @usableFromInline func hash(into h: inout Hasher) {
            h.combine(index)
            h.combine(time)
            h.combine(source)
            h.combine(moreSources)
            h.combine(responseHeaders)
            h.combine(requestID)
            h.combine(durationMs)
            h.combine(retries)
            h.combine(allLines)
            h.combine(common)
        }
    }

    /// The fields calls of one kind share, copied on write like the box itself.
    @usableFromInline final class Common: Hashable, @unchecked Sendable {
        // Mutated only through `Exchange`, after `uniqueCommon()`: never shared while written.
        @usableFromInline var v: CommonFields
        /// Handed out by an `ExchangeSharing` table (never written after: shared by many).
        @usableFromInline var shared = false
        @usableFromInline init(_ v: CommonFields) { self.v = v }
        /// The one empty instance every new exchange starts from (copied at its first write).
        @usableFromInline static let empty: Common = {
            let c = Common(CommonFields())
            c.shared = true
            return c
        }()
        @usableFromInline static func == (a: Common, b: Common) -> Bool { a === b || a.v == b.v }
        @usableFromInline func hash(into h: inout Hasher) { v.hash(into: &h) }
    }

    /// The fields in `Common`.
    @usableFromInline struct CommonFields: Hashable, Sendable {
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
        @usableFromInline var contentType: String? = nil
        @usableFromInline var responseBody: String? = nil
        @usableFromInline var error: APIError? = nil
        @usableFromInline var listedModels: [String]? = nil
        @usableFromInline var listShape: String? = nil
        @usableFromInline var failure: Failure? = nil
        @usableFromInline var sdk: SDKInfo? = nil
        @usableFromInline var credential: String? = nil
        @usableFromInline var missing: [MissingNote] = []
        @usableFromInline var hints: Set<Hint> = []
        @usableFromInline init() {}
    }

    /// Gives this value a box of its own before a write when the box is shared.
    @inlinable mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.v) }
    }

    /// Gives this value a `Common` of its own (and a box) before a write to a common field.
    @inlinable mutating func uniqueCommon() {
        unique()
        if box.v.common.shared || !isKnownUniquelyReferenced(&box.v.common) { box.v.common = Common(box.v.common.v) }
    }

    public static func == (a: Exchange, b: Exchange) -> Bool { a.box.v == b.box.v }
    public func hash(into h: inout Hasher) { box.v.hash(into: &h) }

    /// Position in the bundle after pairing and merging (0-based, deterministic).
    @inlinable public var index: Int {
        get { Int(box.v.index) }
        set { unique(); box.v.index = Int32(clamping: newValue) }
    }
    /// Request time in UTC, when the source says it (with its own offset applied).
    @inlinable public var time: Date? {
        get { box.v.time }
        set { unique(); box.v.time = newValue }
        _modify { unique(); yield &box.v.time }
    }
    /// Every place this call was seen (several when HAR, SDK log and gateway log agree).
    @inlinable public var sources: [SourceRef] {
        get {
            guard let first = box.v.source else { return [] }
            return box.v.moreSources.isEmpty ? [first] : [first] + box.v.moreSources
        }
        set {
            unique()
            box.v.source = newValue.first
            box.v.moreSources = newValue.count > 1 ? Array(newValue.dropFirst()) : []
        }
    }
    /// The first of `sources`, read and replaced without making the array (a parser widens
    /// it on every line of a call). Setting nil removes it.
    package var firstSource: SourceRef? {
        get { box.v.source }
        set {
            unique()
            if let newValue {
                box.v.source = newValue
            } else if box.v.moreSources.isEmpty {
                box.v.source = nil
            } else {
                box.v.source = box.v.moreSources.removeFirst()
            }
        }
    }
    /// Kinds of the sources above, parallel to nothing: a set of what saw it.
    @inlinable public var sourceKinds: Set<InputKind> {
        get { box.v.common.v.sourceKinds }
        set { uniqueCommon(); box.v.common.v.sourceKinds = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.sourceKinds }
    }

    // MARK: Request
    @inlinable public var method: String? {
        get { box.v.common.v.method }
        set { uniqueCommon(); box.v.common.v.method = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.method }
    }
    /// The whole URL as sent (scheme, host, path, query). Parts are derived in `URLParts`.
    @inlinable public var url: String? {
        get { box.v.common.v.url }
        set { uniqueCommon(); box.v.common.v.url = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.url }
    }
    /// Only the path when the source logged no host (gateway access lines).
    @inlinable public var pathOnly: String? {
        get { box.v.common.v.pathOnly }
        set { uniqueCommon(); box.v.common.v.pathOnly = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.pathOnly }
    }
    @inlinable public var requestHeaders: [Header] {
        get { box.v.common.v.requestHeaders }
        set { uniqueCommon(); box.v.common.v.requestHeaders = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.requestHeaders }
    }
    /// The request body as text (JSON when the source had JSON; Python literals are converted).
    @inlinable public var requestBody: String? {
        get { box.v.common.v.requestBody }
        set { uniqueCommon(); box.v.common.v.requestBody = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.requestBody }
    }
    @inlinable public var model: String? {
        get { box.v.common.v.model }
        set { uniqueCommon(); box.v.common.v.model = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.model }
    }
    @inlinable public var stream: Bool? {
        get { box.v.common.v.stream }
        set { uniqueCommon(); box.v.common.v.stream = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.stream }
    }

    // MARK: Response
    @inlinable public var status: Int? {
        get { box.v.common.v.status }
        set { uniqueCommon(); box.v.common.v.status = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.status }
    }
    @inlinable public var statusText: String? {
        get { box.v.common.v.statusText }
        set { uniqueCommon(); box.v.common.v.statusText = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.statusText }
    }
    @inlinable public var responseHeaders: [Header] {
        get { box.v.responseHeaders }
        set { unique(); box.v.responseHeaders = newValue }
        _modify { unique(); yield &box.v.responseHeaders }
    }
    @inlinable public var contentType: String? {
        get { box.v.common.v.contentType }
        set { uniqueCommon(); box.v.common.v.contentType = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.contentType }
    }
    @inlinable public var responseBody: String? {
        get { box.v.common.v.responseBody }
        set { uniqueCommon(); box.v.common.v.responseBody = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.responseBody }
    }
    /// The error object of an error response (OpenAI shape and the gateways' variants).
    @inlinable public var error: APIError? {
        get { box.v.common.v.error }
        set { uniqueCommon(); box.v.common.v.error = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.error }
    }
    /// Model ids listed by a `/models` response; `[]` for an empty list, nil when not a list
    /// or not seen.
    @inlinable public var listedModels: [String]? {
        get { box.v.common.v.listedModels }
        set { uniqueCommon(); box.v.common.v.listedModels = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.listedModels }
    }
    /// The `/models` body came back but in a shape the OpenAI clients cannot read
    /// (`{"models": [...]}`, a bare array): its top-level shape, e.g. `object-without-data`.
    @inlinable public var listShape: String? {
        get { box.v.common.v.listShape }
        set { uniqueCommon(); box.v.common.v.listShape = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.listShape }
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
        get { box.v.common.v.failure }
        set { uniqueCommon(); box.v.common.v.failure = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.failure }
    }
    /// How many times the client retried this call (collapsed into this one exchange).
    @inlinable public var retries: Int {
        get { Int(box.v.retries) }
        set { unique(); box.v.retries = Int32(clamping: newValue) }
    }

    // MARK: Client
    @inlinable public var sdk: SDKInfo? {
        get { box.v.common.v.sdk }
        set { uniqueCommon(); box.v.common.v.sdk = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.sdk }
    }
    /// The raw credential the request carried (API key, bearer token). Never rendered: the
    /// report shows `keyFingerprint` only, made by the redactor.
    @inlinable public var credential: String? {
        get { box.v.common.v.credential }
        set { uniqueCommon(); box.v.common.v.credential = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.credential }
    }
    /// Text of the log lines that formed this exchange, for evidence excerpts.
    @inlinable public var lines: [SourceLine] {
        get { box.v.allLines }
        set { unique(); box.v.packed = nil; box.v.lines = newValue }
        _modify { unique(); box.v.unpack(); yield &box.v.lines }
    }
    /// Facts the source could not give (e.g. the URL, not logged by openai 3.x).
    @inlinable public var missing: [MissingNote] {
        get { box.v.common.v.missing }
        set { uniqueCommon(); box.v.common.v.missing = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.missing }
    }
    /// What a parser noticed around the call (a JSON decode error, the proxy it went through …).
    @inlinable public var hints: Set<Hint> {
        get { box.v.common.v.hints }
        set { uniqueCommon(); box.v.common.v.hints = newValue }
        _modify { uniqueCommon(); yield &box.v.common.v.hints }
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
