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
    // handed from stage to stage. Held as one pointer, a call costs the array a few bytes and
    // is copied by a retain; its fields are allocated once, at their own size.
    //
    // A settled call of a dense log has no box of its own: it is row `row` of a block of
    // calls (`CallRows`, reached through a box shared by the block's calls), and its first
    // write gives it a box again. Its index and common fields are held here, in the value, as
    // those are what later stages set on every call (numbering, stamps).
    @usableFromInline var box: Box
    @usableFromInline var common: Common
    @usableFromInline var index32: Int32 = 0
    /// The row in `box.rows`, or -1 when the fields are `box.v`.
    @usableFromInline var row: Int32 = -1

    @usableFromInline final class Box: @unchecked Sendable {
        // Mutated only through `Exchange`, after `unique()`: never shared while written.
        @usableFromInline var v: Fields
        /// The block whose rows the exchanges holding this box are (then `v` is unused).
        @usableFromInline let rows: CallRows?
        @usableFromInline init(_ v: Fields) { self.v = v; rows = nil }
        init(rows: CallRows) { v = Fields(); self.rows = rows }
    }

    /// The stored fields that are the call's own (its place, time, evidence, response
    /// headers), compared and hashed field by field; what calls of one kind repeat (method,
    /// URL, bodies, error, hints …) is in `common`, a box of its own that a parser may share
    /// among equal calls (`ExchangeSharing`): a dense log holds tens of thousands of calls of
    /// a few kinds, and each held every such field inline.
    @usableFromInline struct Fields: Hashable, Sendable {
        // Laid out so the optionals' tag bytes leave no holes (a box per call of a dense log):
        // the 32-bit count first, the 9-byte `Double?` last.
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
        @usableFromInline var durationMs: Double? = nil
        @usableFromInline init() {}

        // The lines compared and hashed as they read, packed or not.
        @usableFromInline static func == (a: Fields, b: Fields) -> Bool {
            a.time == b.time && a.source == b.source && a.moreSources == b.moreSources
                && a.responseHeaders == b.responseHeaders && a.requestID == b.requestID && a.durationMs == b.durationMs
                && a.retries == b.retries && a.allLines == b.allLines
        }

        @usableFromInline func hash(into h: inout Hasher) {
            h.combine(time)
            h.combine(source)
            h.combine(moreSources)
            h.combine(responseHeaders)
            h.combine(requestID)
            h.combine(durationMs)
            h.combine(retries)
            h.combine(allLines)
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

    /// Gives this value a box of its own before a write to one of its own fields: a row of a
    /// block becomes a box again; a shared box is copied.
    @inlinable mutating func unique() {
        if row >= 0 {
            box = Box(box.rows!.fields(Int(row)))
            row = -1
        } else if !isKnownUniquelyReferenced(&box) {
            box = Box(box.v)
        }
    }

    /// Gives this value a `Common` of its own before a write to a common field.
    @inlinable mutating func uniqueCommon() {
        if common.shared || !isKnownUniquelyReferenced(&common) { common = Common(common.v) }
    }

    /// The call's own fields, wherever they are held.
    @usableFromInline var ownFields: Fields { row < 0 ? box.v : box.rows!.fields(Int(row)) }

    public static func == (a: Exchange, b: Exchange) -> Bool {
        a.index32 == b.index32 && a.common == b.common && a.ownFields == b.ownFields
    }
    public func hash(into h: inout Hasher) {
        h.combine(index32)
        ownFields.hash(into: &h)
        h.combine(common)
    }

    /// Position in the bundle after pairing and merging (0-based, deterministic).
    @inlinable public var index: Int {
        get { Int(index32) }
        set { index32 = Int32(clamping: newValue) }
    }
    /// Request time in UTC, when the source says it (with its own offset applied).
    @inlinable public var time: Date? {
        get { row < 0 ? box.v.time : box.rows!.time(Int(row)) }
        set { unique(); box.v.time = newValue }
        _modify { unique(); yield &box.v.time }
    }
    /// Every place this call was seen (several when HAR, SDK log and gateway log agree).
    @inlinable public var sources: [SourceRef] {
        get {
            if row >= 0 { return [box.rows!.source(Int(row))] }
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
        get { row < 0 ? box.v.source : box.rows!.source(Int(row)) }
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
        get { common.v.sourceKinds }
        set { uniqueCommon(); common.v.sourceKinds = newValue }
        _modify { uniqueCommon(); yield &common.v.sourceKinds }
    }

    // MARK: Request
    @inlinable public var method: String? {
        get { common.v.method }
        set { uniqueCommon(); common.v.method = newValue }
        _modify { uniqueCommon(); yield &common.v.method }
    }
    /// The whole URL as sent (scheme, host, path, query). Parts are derived in `URLParts`.
    @inlinable public var url: String? {
        get { common.v.url }
        set { uniqueCommon(); common.v.url = newValue }
        _modify { uniqueCommon(); yield &common.v.url }
    }
    /// Only the path when the source logged no host (gateway access lines).
    @inlinable public var pathOnly: String? {
        get { common.v.pathOnly }
        set { uniqueCommon(); common.v.pathOnly = newValue }
        _modify { uniqueCommon(); yield &common.v.pathOnly }
    }
    @inlinable public var requestHeaders: [Header] {
        get { common.v.requestHeaders }
        set { uniqueCommon(); common.v.requestHeaders = newValue }
        _modify { uniqueCommon(); yield &common.v.requestHeaders }
    }
    /// The request body as text (JSON when the source had JSON; Python literals are converted).
    @inlinable public var requestBody: String? {
        get { common.v.requestBody }
        set { uniqueCommon(); common.v.requestBody = newValue }
        _modify { uniqueCommon(); yield &common.v.requestBody }
    }
    @inlinable public var model: String? {
        get { common.v.model }
        set { uniqueCommon(); common.v.model = newValue }
        _modify { uniqueCommon(); yield &common.v.model }
    }
    @inlinable public var stream: Bool? {
        get { common.v.stream }
        set { uniqueCommon(); common.v.stream = newValue }
        _modify { uniqueCommon(); yield &common.v.stream }
    }

    // MARK: Response
    @inlinable public var status: Int? {
        get { common.v.status }
        set { uniqueCommon(); common.v.status = newValue }
        _modify { uniqueCommon(); yield &common.v.status }
    }
    @inlinable public var statusText: String? {
        get { common.v.statusText }
        set { uniqueCommon(); common.v.statusText = newValue }
        _modify { uniqueCommon(); yield &common.v.statusText }
    }
    @inlinable public var responseHeaders: [Header] {
        get { row < 0 ? box.v.responseHeaders : box.rows!.responseHeaders(Int(row)) }
        set { unique(); box.v.responseHeaders = newValue }
        _modify { unique(); yield &box.v.responseHeaders }
    }
    @inlinable public var contentType: String? {
        get { common.v.contentType }
        set { uniqueCommon(); common.v.contentType = newValue }
        _modify { uniqueCommon(); yield &common.v.contentType }
    }
    @inlinable public var responseBody: String? {
        get { common.v.responseBody }
        set { uniqueCommon(); common.v.responseBody = newValue }
        _modify { uniqueCommon(); yield &common.v.responseBody }
    }
    /// The error object of an error response (OpenAI shape and the gateways' variants).
    @inlinable public var error: APIError? {
        get { common.v.error }
        set { uniqueCommon(); common.v.error = newValue }
        _modify { uniqueCommon(); yield &common.v.error }
    }
    /// Model ids listed by a `/models` response; `[]` for an empty list, nil when not a list
    /// or not seen.
    @inlinable public var listedModels: [String]? {
        get { common.v.listedModels }
        set { uniqueCommon(); common.v.listedModels = newValue }
        _modify { uniqueCommon(); yield &common.v.listedModels }
    }
    /// The `/models` body came back but in a shape the OpenAI clients cannot read
    /// (`{"models": [...]}`, a bare array): its top-level shape, e.g. `object-without-data`.
    @inlinable public var listShape: String? {
        get { common.v.listShape }
        set { uniqueCommon(); common.v.listShape = newValue }
        _modify { uniqueCommon(); yield &common.v.listShape }
    }
    @inlinable public var requestID: String? {
        get { row < 0 ? box.v.requestID : box.rows!.requestID(Int(row)) }
        set { unique(); box.v.requestID = newValue }
        _modify { unique(); yield &box.v.requestID }
    }
    @inlinable public var durationMs: Double? {
        get { row < 0 ? box.v.durationMs : box.rows!.durationMs(Int(row)) }
        set { unique(); box.v.durationMs = newValue }
        _modify { unique(); yield &box.v.durationMs }
    }
    @inlinable public var failure: Failure? {
        get { common.v.failure }
        set { uniqueCommon(); common.v.failure = newValue }
        _modify { uniqueCommon(); yield &common.v.failure }
    }
    /// How many times the client retried this call (collapsed into this one exchange).
    @inlinable public var retries: Int {
        get { Int(row < 0 ? box.v.retries : box.rows!.retries(Int(row))) }
        set { unique(); box.v.retries = Int32(clamping: newValue) }
    }

    // MARK: Client
    @inlinable public var sdk: SDKInfo? {
        get { common.v.sdk }
        set { uniqueCommon(); common.v.sdk = newValue }
        _modify { uniqueCommon(); yield &common.v.sdk }
    }
    /// The raw credential the request carried (API key, bearer token). Never rendered: the
    /// report shows `keyFingerprint` only, made by the redactor.
    @inlinable public var credential: String? {
        get { common.v.credential }
        set { uniqueCommon(); common.v.credential = newValue }
        _modify { uniqueCommon(); yield &common.v.credential }
    }
    /// Text of the log lines that formed this exchange, for evidence excerpts.
    @inlinable public var lines: [SourceLine] {
        get { row < 0 ? box.v.allLines : box.rows!.lines(Int(row)) }
        set { unique(); box.v.packed = nil; box.v.lines = newValue }
        _modify { unique(); box.v.unpack(); yield &box.v.lines }
    }
    /// Facts the source could not give (e.g. the URL, not logged by openai 3.x).
    @inlinable public var missing: [MissingNote] {
        get { common.v.missing }
        set { uniqueCommon(); common.v.missing = newValue }
        _modify { uniqueCommon(); yield &common.v.missing }
    }
    /// What a parser noticed around the call (a JSON decode error, the proxy it went through …).
    @inlinable public var hints: Set<Hint> {
        get { common.v.hints }
        set { uniqueCommon(); common.v.hints = newValue }
        _modify { uniqueCommon(); yield &common.v.hints }
    }

    public init() {
        box = Box(Fields())
        common = Common.empty
    }

    /// Row `row` of a block (`CallRows`), reached through `box`, the block's shared box.
    @usableFromInline init(rowOf box: Box, _ row: Int, index: Int32, common: Common) {
        self.box = box
        self.common = common
        self.index32 = index
        self.row = Int32(row)
    }
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
