import Foundation

/// Shares the common fields of equal calls (`Exchange.Common`: method, URL, headers and bodies
/// sent, status, error, hints …) among the exchanges of one parse. A dense log repeats a few
/// kinds of call thousands of times; each call kept its own copy of all of them.
///
/// Two calls share only when every common field is the same byte for byte (not by `String`
/// equality, which would merge canonically equivalent but different texts), so every
/// exchange reads exactly what its own lines said. Bounded in entries; past the bound calls
/// keep their own fields.
public struct ExchangeSharing {
    private var table: Set<Key> = []
    public static let maxEntries = 4096

    public init() {}

    /// Gives `ex` the common fields of an earlier call with the same ones, or keeps its own
    /// for later calls to share.
    public mutating func share(_ ex: inout Exchange) {
        let c = ex.common
        if c.shared { return }
        let key = Key(c: c)
        if let i = table.firstIndex(of: key) {
            ex.setCommon(table[i].c)
            return
        }
        guard table.count < Self.maxEntries else { return }
        c.shared = true
        table.insert(key)
    }

    /// A `Common` hashed on a few telling fields and compared byte for byte.
    struct Key: Hashable {
        let c: Exchange.Common

        static func == (a: Key, b: Key) -> Bool { a.c === b.c || Exchange.sameCommon(a.c.v, b.c.v) }

        // The URL's bytes and otherwise counts (a native string's UTF-8 count is stored): the
        // calls of a dense log come here one by one, and equal ones are compared byte for
        // byte anyway.
        func hash(into h: inout Hasher) { Self.hash(c.v, &h) }

        // Borrowed: a copy of the fields retained each of them once per call.
        private static func hash(_ v: borrowing Exchange.CommonFields, _ h: inout Hasher) {
            h.combine(v.status)
            h.combine(v.method?.utf8.count)
            Self.bytes(v.url, &h)
            h.combine(v.model?.utf8.count)
            h.combine(v.requestHeaders.count)
            h.combine(v.requestBody?.utf8.count)
            h.combine(v.responseBody?.utf8.count)
            h.combine(v.error?.message?.utf8.count)
            h.combine(v.failure?.message.utf8.count)
            h.combine(v.hints.count)
            h.combine(v.missing.count)
        }

        static func bytes(_ s: String?, _ h: inout Hasher) {
            guard var s else { h.combine(0 as UInt8); return }
            s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}

/// A change to the common fields of many calls made once per distinct `Common`: the calls
/// that shared theirs before share the changed ones after (stamping every call of a dense
/// log otherwise gave each a copy of its own).
public struct ExchangeCommonEdits {
    private var done: [ObjectIdentifier: (from: Exchange.Common, to: Exchange.Common)] = [:]

    public init() {}

    /// Runs `change` on `ex`. `change` must read and write only common fields (not `index`,
    /// `time`, `sources`, `lines`, `responseHeaders`, `requestID`, `durationMs`, `retries`):
    /// a call whose common fields are shared gets the result worked out for the first call
    /// that shared them.
    public mutating func edit(_ ex: inout Exchange, _ change: (inout Exchange) -> Void) {
        let from = ex.common
        guard from.shared else { change(&ex); return }
        let id = ObjectIdentifier(from)
        if let d = done[id] {
            if d.to !== from { ex.setCommon(d.to) }
            return
        }
        change(&ex)
        let to = ex.common
        to.shared = true
        done[id] = (from, to)
    }
}

extension Exchange {
    /// The object holding this call's common fields when a parser shared it among calls
    /// (`ExchangeSharing`), else nil. Such an object is never written again, so calls that
    /// hold the same one have the same common fields, byte for byte, for as long as it lives.
    public var sharedCommon: AnyObject? {
        common.shared ? common : nil
    }

    @usableFromInline mutating func setCommon(_ c: Common) {
        common = c
    }

    /// Whether two sets of common fields are the same, byte for byte in every text.
    /// Borrowed, as `Key.hash`.
    static func sameCommon(_ a: borrowing CommonFields, _ b: borrowing CommonFields) -> Bool {
        a.status == b.status && a.stream == b.stream && a.sourceKinds == b.sourceKinds
            && same(a.method, b.method) && same(a.url, b.url) && same(a.pathOnly, b.pathOnly)
            && same(a.model, b.model) && same(a.statusText, b.statusText) && same(a.contentType, b.contentType)
            && same(a.requestBody, b.requestBody) && same(a.responseBody, b.responseBody)
            && same(a.listShape, b.listShape) && same(a.credential, b.credential)
            && a.requestHeaders.count == b.requestHeaders.count
            && zip(a.requestHeaders, b.requestHeaders).allSatisfy { same($0.name, $1.name) && same($0.value, $1.value) }
            && same(a.error?.type, b.error?.type) && same(a.error?.code, b.error?.code)
            && same(a.error?.message, b.error?.message) && same(a.error?.param, b.error?.param)
            && (a.error == nil) == (b.error == nil)
            && a.failure?.kind == b.failure?.kind && same(a.failure?.message, b.failure?.message)
            && (a.sdk == nil) == (b.sdk == nil) && same(a.sdk?.name, b.sdk?.name) && same(a.sdk?.version, b.sdk?.version)
            && same(a.sdk?.language, b.sdk?.language) && same(a.sdk?.runtime, b.sdk?.runtime)
            && a.listedModels?.count == b.listedModels?.count
            && zip(a.listedModels ?? [], b.listedModels ?? []).allSatisfy { same($0, $1) }
            // Hints and notes carry a few short texts: equal and ASCII-only (where `==` is
            // byte equality), else not shared.
            && a.hints == b.hints && a.hints.allSatisfy { asciiOnly($0.text) }
            && a.missing == b.missing && a.missing.allSatisfy { asciiOnly($0.text) }
    }

    private static func same(_ a: String?, _ b: String?) -> Bool { sameUTF8(a, b) }

    private static func asciiOnly(_ s: String?) -> Bool {
        guard let s else { return true }
        return s.utf8.allSatisfy { $0 < 0x80 }
    }
}

/// Whether two texts are the same byte for byte (both nil counts as the same; `==` on `String`
/// is canonical equivalence).
public func sameUTF8(_ a: String?, _ b: String?) -> Bool {
    guard var x = a, var y = b else { return a == nil && b == nil }
    return x.withUTF8 { p in
        y.withUTF8 { q in p.count == q.count && (p.count == 0 || p.baseAddress == q.baseAddress || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
    }
}

extension Hint {
    /// The text this hint carries, if any.
    var text: String? {
        switch self {
        case .exception(let s), .appError(let s), .appErrorAfterHTML(let s), .proxyConnect(let s),
             .serverIP(let s), .gatewayChannel(let s), .sdkCall(let s): return s
        default: return nil
        }
    }
}

extension MissingNote {
    /// The text this note carries, if any.
    var text: String? {
        if case .urlRelativeOnly(let s) = self { return s }
        return nil
    }
}
