import DoctorModel
import DoctorParse
import Foundation

/// Everything `Facts.deriveShared` reads of an exchange, as bytes: two exchanges with equal keys
/// get equal shared facts in one bundle (the rest of what it reads is the bundle's context).
///
/// Strings are compared by their UTF-8 bytes, not by `String` equality (canonical equivalence):
/// facts are byte-level functions of the text (`model.has_upper`, a `contains` test), so two
/// spellings of one accented name must not share. Body texts enter only through what the facts
/// read of them (empty, JSON-shaped, HTML-shaped), so calls whose bodies differ still share.
///
/// A field `deriveShared` starts to read must be added here, or calls that differ in it would
/// share facts: `CallMemoTests` changes each field in turn and expects its own facts.
struct CallKey: Hashable {
    private(set) var bytes: [UInt8] = []

    // Borrowed: an initializer takes its arguments owned, and copying an exchange and the
    // bundle context for every call (retaining each of their fields) cost more than the key.
    init(_ e: borrowing Exchange, _ ctx: borrowing BundleContext) {
        bytes.reserveCapacity(256)
        let listKeys = !ctx.listCredentials.isEmpty
        add(e.method)
        add(e.url)
        add(e.url == nil ? e.pathOnly : nil)
        add(e.status)
        add(e.statusText)
        add(e.model)
        add(e.stream)
        add(e.requestHeaders.value("content-type"))
        if let b = e.requestBody {
            bytes.append(1)
            add(b.isEmpty)
            add(Facts.looksLikeJSON(b))
        } else {
            bytes.append(0)
        }
        add(e.contentType ?? e.responseHeaders.value("content-type"))
        if let b = e.responseBody {
            bytes.append(1)
            add(Facts.startsLikeHTML(b))
            add(Facts.looksLikeJSON(b))
        } else {
            bytes.append(0)
        }
        // Lists are keyed as `add(_: [String]?)` would key them, without a list made for the
        // usual none or one.
        switch e.hints.count {
        case 0, 1:
            addCount(e.hints.count)
            if let h = e.hints.first { add(h.description) }
        default: add(e.hints.map(\.description).sorted())
        }
        add(e.listedModels)
        add(e.listShape)
        if let err = e.error {
            bytes.append(1)
            add(err.type); add(err.code); add(err.message); add(err.param)
        } else {
            bytes.append(0)
        }
        if let fl = e.failure {
            bytes.append(1)
            add(fl.kind.rawValue); add(fl.message)
        } else {
            bytes.append(0)
        }
        add(e.retries)
        add(e.sdk?.name)
        add(e.sdk?.version)
        // The key itself matters only against the `/models` calls' keys.
        add(e.credential.map { listKeys ? $0 : "" })
        add(e.responseHeaders.value("via") ?? e.responseHeaders.value("proxy-agent"))
        switch e.sourceKinds.count {
        case 0, 1:
            addCount(e.sourceKinds.count)
            if let k = e.sourceKinds.first { add(k.rawValue) }
        default: add(e.sourceKinds.map(\.rawValue).sorted())
        }
        addCount(e.missing.count)
        for m in e.missing { add(m.text(.en)) }
    }

    /// The start of a present list of `count` strings (`add(_: [String]?)`), its items to follow.
    private mutating func addCount(_ count: Int) {
        bytes.append(1)
        add(count)
    }

    private mutating func add(_ s: String?) {
        guard var s else { bytes.append(0); return }
        bytes.append(1)
        add(s.utf8.count)
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func add(_ l: [String]?) {
        guard let l else { bytes.append(0); return }
        bytes.append(1)
        add(l.count)
        for s in l { add(s) }
    }

    private mutating func add(_ n: Int?) {
        guard let n else { bytes.append(0); return }
        bytes.append(1)
        withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func add(_ b: Bool?) { bytes.append(b.map { $0 ? 2 : 1 } ?? 0) }

    static func == (a: CallKey, b: CallKey) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    func hash(into h: inout Hasher) { h.combine(bytes.withUnsafeBytes { ByteSearch.digest($0) }) }
}

/// The shared facts of each distinct kind of call in one bundle: a dense log repeats a few
/// dozen kinds of call thousands of times, and deriving a call's facts (URL and model checks,
/// catalog matches) cost more than keying it. Each kind gets a class number (`Facts.callClass`)
/// the shape tables use to file its members without reading their fields again.
///
/// Shared by the threads deriving a bundle's facts behind a lock; facts are derived outside
/// it (two threads that both miss agree, and the first stored wins). Bounded: past
/// `maxEntries` kinds it stores no more, and when most lookups miss it stops keying calls.
final class CallMemo: @unchecked Sendable {
    private var byKey: [CallKey: (slots: ContiguousArray<FactValue?>, id: Int32)] = [:]
    private var lookups = 0
    private var hits = 0
    private var off = false
    private let lock = NSLock()
    static let maxEntries = 1024

    /// The facts of `e` but its own fields (`Facts.deriveShared`), from the memo when an
    /// identical call was met.
    func shared(_ e: Exchange, _ ctx: BundleContext) -> Facts {
        // Calls whose common fields are one shared object agree in every field the key reads
        // but the few of their own below: found by those without the key built (a dense log's
        // calls share a few dozen such objects).
        var same: SameCommon?
        if let c = e.sharedCommon {
            let s = SameCommon(e, c)
            let hit: (slots: ContiguousArray<FactValue?>, id: Int32)? = lock.withLock { off ? nil : byCommon[s] }
            if let hit {
                var f = Facts()
                f.slots = hit.slots; f.callClass = hit.id
                return f
            }
            same = s
        }
        if lock.withLock({ off }) { return Facts.deriveShared(e, in: ctx) }
        let key = CallKey(e, ctx)
        var f = Facts()
        let found: Bool = lock.withLock {
            lookups += 1
            guard let m = byKey[key] else { return false }
            hits += 1
            f.slots = m.slots; f.callClass = m.id
            return true
        }
        if found {
            if let same { lock.withLock { remember(same, f) } }
            return f
        }
        f = Facts.deriveShared(e, in: ctx)
        lock.withLock {
            if let m = byKey[key] {
                f.slots = m.slots; f.callClass = m.id
                if let same { remember(same, f) }
            } else if byKey.count < Self.maxEntries {
                let id = Int32(byKey.count)
                byKey[key] = (f.slots, id)
                f.callClass = id
                if let same { remember(same, f) }
            } else if hits * 4 < lookups {
                // Full, and most calls are unlike any other (ids or times in the error text):
                // keying them costs more than it saves.
                off = true
            }
        }
        return f
    }

    /// Number of distinct kinds of call stored.
    var count: Int { lock.withLock { byKey.count } }

    /// The facts of calls by their shared common fields and the fields of their own the key
    /// reads (under the lock; bounded like `byKey`).
    private var byCommon: [SameCommon: (slots: ContiguousArray<FactValue?>, id: Int32)] = [:]

    private func remember(_ s: SameCommon, _ f: Facts) {
        if byCommon.count < Self.maxEntries * 4 { byCommon[s] = (f.slots, f.callClass) }
    }
}

/// What `CallKey` reads of a call beyond its common fields (`Exchange.sharedCommon`): the
/// retries and two response headers (the content type only where the common fields have
/// none). Texts compared byte for byte, as `CallKey` compares them. Holds the common object,
/// so its identity stays its own while the key lives.
struct SameCommon: Hashable {
    let common: AnyObject
    let retries: Int
    let contentType: String?
    let via: String?

    init(_ e: borrowing Exchange, _ common: AnyObject) {
        self.common = common
        retries = e.retries
        contentType = e.contentType == nil ? e.responseHeaders.value("content-type") : nil
        via = e.responseHeaders.value("via") ?? e.responseHeaders.value("proxy-agent")
    }

    static func == (a: SameCommon, b: SameCommon) -> Bool {
        a.common === b.common && a.retries == b.retries && sameUTF8(a.contentType, b.contentType) && sameUTF8(a.via, b.via)
    }

    func hash(into h: inout Hasher) {
        h.combine(ObjectIdentifier(common))
        h.combine(retries)
        h.combine(contentType?.utf8.count)
        h.combine(via?.utf8.count)
    }
}
