import DoctorModel
import DoctorParse
import Foundation

/// A value a rule can test. A field that is absent from `Facts` is *unknown*, which is not the
/// same as false: a test on an unknown field makes the rule "not evaluated" for that exchange.
public enum FactValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([String])

    public var description: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() ? String(Int(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        case .list(let l): return l.joined(separator: ", ")
        }
    }

    var asStrings: [String] {
        if case .list(let l) = self { return l }
        return [description]
    }

    var asNumber: Double? {
        switch self {
        case .number(let n): return n
        case .string(let s): return Double(s)
        case .bool(let b): return b ? 1 : 0
        case .list: return nil
        }
    }
}

/// The derived facts of one exchange, computed by the engine so rules stay declarative
/// (`docs/rules.md` lists every field).
///
/// Stored as a flat array indexed by `FactKey` (rules are compiled to field ids at load time),
/// not as a dictionary keyed by name. The large text fields (`text`, `error.text`,
/// `response.body`, `request.body`) are not copied in: they are computed from references to
/// the exchange's own strings when read (`HeavySource`), and so are the other fields that are
/// the call's own (`FactKey.isOwn`). The array holds the rest, and identical calls share one
/// (see `CallMemo`).
public struct Facts: Sendable {
    var slots = ContiguousArray<FactValue?>(repeating: nil, count: FactKey.count)
    /// Where the large text fields and the call's own fields come from; nil for an empty `Facts()`.
    var heavy: HeavySource?
    /// The class of identical calls whose `slots` these are (`CallMemo`), -1 when none: two
    /// facts of one class hold equal values in every field but the `isOwn` ones.
    var callClass: Int32 = -1

    public init() {}

    /// Every known field by name (built on demand; the engine reads by id).
    public var values: [String: FactValue] {
        var out: [String: FactValue] = [:]
        for k in FactKey.allCases { if let v = self[k] { out[k.name] = v } }
        return out
    }

    public subscript(_ key: String) -> FactValue? { FactKey.named(key).flatMap { self[$0] } }

    subscript(_ k: FactKey) -> FactValue? { k.isOwn ? heavy?.value(k) : slots[k.slot] }

    /// True when no field is known (no exchange behind these facts).
    package var isEmpty: Bool { heavy == nil && !slots.contains { $0 != nil } }

    mutating func set(_ key: FactKey, _ v: String?) { if let v { slots[key.slot] = .string(v) } }
    mutating func set(_ key: FactKey, _ v: Int?) { if let v { slots[key.slot] = .number(Double(v)) } }
    mutating func set(_ key: FactKey, _ v: Double?) { if let v { slots[key.slot] = .number(v) } }
    mutating func set(_ key: FactKey, _ v: Bool?) { if let v { slots[key.slot] = .bool(v) } }
    mutating func set(_ key: FactKey, _ v: [String]?) { if let v { slots[key.slot] = .list(v) } }
    /// Makes a field unknown again.
    mutating func clear(_ key: FactKey) { slots[key.slot] = nil }
}

/// The parts of an exchange the large text facts are made from, and the fields that are the
/// call's own (its request id and answer length: two otherwise identical calls differ in them).
/// Holding the exchange (one reference, copied on write) shares its strings; the joined or
/// cut values, and the answer length, are worked out only when a rule reads them (each call
/// copied these fields out and looked up its content length before).
struct HeavySource: Sendable {
    let e: Exchange
    /// The packs' message families, for `error.family` (nil: no family is known).
    var families: FamilyMemo?

    init(_ e: Exchange, families: FamilyMemo? = nil) {
        self.e = e
        self.families = families
    }

    var requestID: String? { e.requestID }
    var contentLength: Int? { e.responseHeaders.value("content-length").flatMap { Int($0) } ?? e.responseBody.map { $0.utf8.count } }
    var lines: [SourceLine] { e.lines }
    var requestBody: String? { e.requestBody }
    var responseBody: String? { e.responseBody }
    var error: APIError? { e.error }
    var status: Int? { e.status }
    var statusText: String? { e.statusText }
    var failure: Failure? { e.failure }

    func value(_ k: FactKey) -> FactValue? {
        switch k {
        case .requestId: return requestID.map(FactValue.string)
        case .responseContentLength: return contentLength.map { .number(Double($0)) }
        case .text: return .string(joinedText)
        case .requestBody: return requestBody.map(FactValue.string)
        case .responseBody: return responseBody.map { .string(String($0.prefix(8192))) }
        case .errorText: return errorText.map(FactValue.string)
        case .errorFamily:
            // The family the findings stage reads the same failure as: rules and families
            // share one vocabulary of wordings (a wording added to a family counts for both).
            // A call that did not fail has no failure family (known empty, not unknown).
            guard error != nil || failure != nil || (status ?? 0) >= 400 else { return .string("") }
            // No family loaded (a pack set without families): no family's wording occurs.
            guard let families else { return .string("") }
            let text = MessageFamilies.failureText(error: error, failure: failure, responseBody: responseBody)
            return .string(families.family(of: text) ?? "")
        case .errorOutside:
            // The failure's family is one outside the taxonomy (`outside: true`: a rate limit,
            // the context length, a content filter …): the server read the call, model included.
            guard error != nil || failure != nil || (status ?? 0) >= 400 else { return .bool(false) }
            guard let families else { return .bool(false) }
            let text = MessageFamilies.failureText(error: error, failure: failure, responseBody: responseBody)
            return .bool(families.family(of: text).map(families.isOutside) ?? false)
        default: return nil
        }
    }

    /// What a large text field is made of besides fields of the call's kind (`CallKey`: the
    /// error object, status, status text and failure): the response or the request body.
    enum Part { case requestBody, responseBody }

    /// The part field `k` is made of, nil for one that is not only the kind and a body (`text`
    /// joins the call's lines, unique to it).
    static func part(_ k: FactKey) -> Part? {
        switch k {
        case .errorText, .errorFamily, .errorOutside, .responseBody: return .responseBody
        case .requestBody: return .requestBody
        default: return nil
        }
    }

    func text(_ p: Part) -> String? { p == .requestBody ? requestBody : responseBody }

    /// The lines' texts joined by newlines, built in one buffer (no string per line).
    var joinedText: String {
        // Read once: packed lines are made into an array on each read.
        let lines = lines
        guard lines.count > 1 else { return lines.first?.text ?? "" }
        var s = ""
        s.reserveCapacity(lines.reduce(lines.count - 1) { $0 + $1.utf8Count })
        for (i, l) in lines.enumerated() {
            if i > 0 { s.append("\n") }
            l.append(to: &s)
        }
        return s
    }

    /// The UTF-8 bytes of `joinedText`, written to `bytes` (emptied first): what a byte-level
    /// test reads of the text without a string built and dropped for every call.
    func joinedBytes(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        for (i, l) in lines.enumerated() {
            if i > 0 { bytes.append(0x0A) }
            l.appendUTF8(to: &bytes)
        }
    }

    /// Everything an error said, joined: error object fields, status, status text, the start
    /// of an error body, the failure message.
    var errorText: String? {
        var texts: [String] = []
        if let err = error { texts += [err.type, err.code, err.message, err.param].compactMap { $0 } }
        if let s = status, s >= 400 { texts.append("\(s)") }
        if let st = statusText, (status ?? 0) >= 400 { texts.append(st) }
        if let b = responseBody, (status ?? 0) >= 400 || error != nil { texts.append(String(b.prefix(4096))) }
        if let fl = failure { texts.append(fl.message) }
        guard !texts.isEmpty || status != nil || failure != nil else { return nil }
        return texts.joined(separator: " | ")
    }
}

/// What the engine knows about the whole bundle while deriving one exchange's facts.
public struct BundleContext: Sendable {
    public var exchanges: [Exchange]
    public var catalog: Catalog
    /// True when the catalog came (at least partly) from a `/models` answer in the bundle.
    public var catalogFromBundle: Bool
    /// Some of the catalog is a local model server's own listing (`ollama list`).
    public var catalogFromLocalServer: Bool
    /// A model list of the bundle answered with no model at all (`{"data": []}`, or the client
    /// counted 0) and no list named one: the key lists nothing.
    public var catalogListedEmpty = false
    /// Models an earlier model list of the bundle named and its last list no longer does (a
    /// log of several days: the model was retired or renamed between them).
    public var droppedFromList: Set<String> = []
    public var aliases: AliasTables
    public var signals: [Signal]
    /// Hosts and credentials used by `/models` calls.
    var listHosts: Set<String> = []
    var listCredentials: Set<String> = []
    var requestedModels: Set<String> = []
    /// `host:port` of base URLs the customer or the app said were configured.
    var configuredHosts: Set<String> = []
    /// The host (no port) of the ticket's one configured base URL, when it configures exactly
    /// one: where a call pasted without its URL went (`host.loopback`, a provider's own API).
    var soleConfiguredHost: String?
    let knownList: [String]
    /// Every id the alias tables name as current (well-known, client defaults, the legacy
    /// table's successors): what a name cut short may be the start of (`known.extended`).
    let extensionList: [String]
    /// The legacy table's retired ids: a name is cut short of one only by a single part
    /// (`gemini-1.5` of `gemini-1.5-pro`), not of a long variant (`llama3` is not short for
    /// `llama3-groq-70b-8192-tool-use-preview`).
    let retiredExtensionList: [String]
    /// Catalog matches per distinct model name: a bundle asks for few names many times.
    let memo = MatchMemo()
    /// The shared facts of each distinct kind of call (`Facts.derive`).
    let calls = CallMemo()

    /// The packs' message families, matched once per distinct failure text (`error.family`).
    let families: FamilyMemo?

    /// The day of the bundle's latest call, when its sources give times (`ticket.date`).
    let ticketDate: String?

    /// The context cues (the packs' `cues:`) the ticket's prose states (`ticket.cues`): the
    /// same typed signals the message families weigh, so a rule reads "the key came from
    /// another service" as a cue rather than carrying its own copy of the words.
    let ticketCues: [String]

    static func day(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The one service the bundle points at when a call does not say (see `namedProvider`).
    let bundleProvider: AliasTables.Provider?

    /// The service that answered a call: the one its host or port belongs to, else the one
    /// the bundle points at.
    func provider(host: String?, port: Int?) -> AliasTables.Provider? {
        ownProvider(host: host, port: port) ?? bundleProvider
    }

    /// The service of a host or port itself, without the bundle's fallback.
    func ownProvider(host: String?, port: Int?) -> AliasTables.Provider? {
        if let h = host?.lowercased(), let p = aliases.providers.first(where: { $0.serves(host: h) }) { return p }
        if let port, let p = aliases.providers.first(where: { $0.ports.contains(port) }) { return p }
        return nil
    }

    /// The one service a bundle points at, from the strongest kind of evidence that names
    /// any: the configured base URLs' hosts and ports, then the services' own error wordings
    /// in the answers, then the customer's words. Two services named by the same kind of
    /// evidence leave it open (nil): a ticket that compares two services names neither.
    static func namedProvider(_ aliases: AliasTables, exchanges: [Exchange], signals: [Signal],
                              configured: Set<String>) -> AliasTables.Provider? {
        let providers = aliases.providers
        guard !providers.isEmpty else { return nil }
        func one(_ names: Set<String>) -> AliasTables.Provider? {
            names.count == 1 ? providers.first { $0.name == names.first } : nil
        }
        var byURL = Set<String>()
        for hp in configured {
            let parts = hp.split(separator: ":")
            let host = parts.first.map { String($0).lowercased() }
            let port = parts.count > 1 ? Int(parts[1]) : nil
            if let p = providers.first(where: { p in host.map(p.serves(host:)) ?? false })
                ?? providers.first(where: { p in port.map(p.ports.contains) ?? false }) { byURL.insert(p.name) }
        }
        if !byURL.isEmpty { return one(byURL) }
        // Distinct answers first (a log repeats a few thousands of times), joined only then.
        var errors = Set<APIError>(), failures = Set<String>()
        for i in exchanges.indices where errors.count + failures.count <= 64 {
            if let err = exchanges[i].error { errors.insert(err) }
            if let f = exchanges[i].failure { failures.insert(f.message) }
        }
        let texts = failures.union(errors.map { [$0.message, $0.code, $0.type].compactMap { $0 }.joined(separator: " ") })
        let byWording = Set(providers.filter { p in texts.contains { t in p.says.contains { $0.occurs(in: t) } } }.map(\.name))
        if !byWording.isEmpty { return one(byWording) }
        let prose = signals.filter { $0.name == .ticketText }.compactMap(\.value)
        let byName = Set(providers.filter { p in prose.contains { t in p.named.contains { $0.occurs(in: t) } } }.map(\.name))
        return one(byName)
    }

    /// - Parameter pasted: the bundle's pasted lines (`TicketBundle.pastedLines`), read with the
    ///   prose for `ticket.cues` as the message families read them (a Chinese sentence with an
    ///   error word is no prose signal, yet states its cue).
    public init(exchanges: [Exchange], userCatalog: [String], aliases: AliasTables, signals: [Signal],
                families: MessageFamilies? = nil, pasted: [SourceLine] = []) {
        self.families = families.map(FamilyMemo.init)
        ticketCues = families.map { $0.ticketCues(pasted: pasted, signals: signals).sorted() } ?? []
        self.exchanges = exchanges
        self.aliases = aliases
        self.signals = signals
        var listed: [String] = []
        // Each distinct URL parsed once (`urlParts` parses it on every read, and a log repeats
        // a few URLs thousands of times), keyed by its bytes as the parser reads bytes; bounded
        // like the other memos.
        var parsed: [ByteKey: URLParts] = [:]
        func parts(_ e: borrowing Exchange) -> URLParts? {
            guard let u = e.url ?? e.pathOnly else { return nil }
            let key = ByteKey(u)
            if let p = parsed[key] { return p }
            let p = URLParts(url: u)
            if parsed.count < MatchMemo.maxEntries { parsed[key] = p }
            return p
        }
        // The bundle's lists in order, as (every model an earlier list named, the last list):
        // a large log repeats one list thousands of times, so only a changed list is folded in.
        var lists = ListHistory()
        // Lists are compared only when one key asked one host for them: another key's list
        // differs by design.
        var listSources: Set<String> = []
        // The hosts the calls went to, up to two: an app's printed lists are one service's
        // only when its calls went to one host.
        var callHosts: Set<String> = []
        // By index: `for e in exchanges` copies every call (a retain per field) to read one.
        for i in exchanges.indices {
            guard let p = parts(exchanges[i]) else { continue }
            if callHosts.count < 2, let h = p.hostAndPort { callHosts.insert(h) }
            guard p.endpoint == .models else { continue }
            if let h = p.hostAndPort { listHosts.insert(h) }
            if let c = exchanges[i].credential { listCredentials.insert(c) }
            if let l = exchanges[i].listedModels, (exchanges[i].status ?? 200) < 300 {
                listed += l
                if l.isEmpty { catalogListedEmpty = true }
                lists.add(l)
                if listSources.count < 2 { listSources.insert("\(p.hostAndPort ?? "")|\(exchanges[i].credential ?? "")") }
            }
        }
        if signals.contains(where: { $0.name == .clientListedCount && $0.value == "0" }) { catalogListedEmpty = true }
        // An app's own log prints each list it got (`model list refreshed: 3 models [...]`):
        // one list per printed line, in order, when the calls carry none — and only when the
        // calls went to one host: an app that talks to several services prints each one's list,
        // and their differences are no model gone.
        if lists.count < 2, callHosts.count <= 1 {
            let printedLines = Set(signals.filter { $0.name == .clientListedCount }.map(\.line.ref))
            var printed = ListHistory()
            var current: [String] = []
            var at: SourceRef?
            for sg in signals where sg.name == .catalogModel && printedLines.contains(sg.line.ref) {
                guard let v = sg.value else { continue }
                if sg.line.ref != at, at != nil { printed.add(current); current = [] }
                at = sg.line.ref
                current.append(v)
            }
            if at != nil { printed.add(current) }
            if printed.count >= 2 { lists = printed; listSources = [] }
        }
        if lists.count >= 2, listSources.count <= 1, let last = lists.last, !last.isEmpty {
            droppedFromList = lists.before.subtracting(last)
        }
        for i in exchanges.indices { if let m = exchanges[i].model { requestedModels.insert(m) } }
        // Models a gateway log says it was configured with count as listed by the bundle.
        listed += signals.filter { $0.name == .catalogModel }.compactMap(\.value)
        catalogFromBundle = !listed.isEmpty
        if catalogFromBundle { catalogListedEmpty = false }
        catalogFromLocalServer = signals.contains { $0.name == .localListedModel }
        catalog = Catalog(models: listed + userCatalog)
        for s in signals where s.name == .configuredBaseURL {
            guard let v = s.value, v.contains("://") else { continue }
            let parts = URLParts(url: v)
            if let h = parts.hostAndPort {
                configuredHosts.insert(h)
                if configuredHosts.count == 1 { soleConfiguredHost = parts.host }
            }
        }
        if configuredHosts.count != 1 { soleConfiguredHost = nil }
        knownList = aliases.knownModels.sorted()
        // The bundle's day: its latest call's (a log's own timestamps), as YYYY-MM-DD in UTC.
        ticketDate = exchanges.lazy.compactMap(\.time).max().map(Self.day)
        bundleProvider = Self.namedProvider(aliases, exchanges: exchanges, signals: signals, configured: configuredHosts)
        extensionList = aliases.knownModels.union(aliases.clientDefaults).union(aliases.legacy.values).sorted()
        retiredExtensionList = Set(aliases.legacy.keys).subtracting(extensionList).sorted()
    }
}

/// The family of each distinct failure text, for one bundle: a log repeats a few error
/// wordings thousands of times, and a family match runs every family's regexes. Bounded like
/// `MatchMemo`, and shared the same way by the threads deriving facts (a lock around the
/// table; a value is computed outside it, and two threads computing the same one agree).
final class FamilyMemo: @unchecked Sendable {
    let families: MessageFamilies
    private var byText: [String: String?] = [:]
    private let lock = NSLock()

    /// Names of the families outside the taxonomy.
    private let outside: Set<String>

    init(_ families: MessageFamilies) {
        self.families = families
        outside = Set(families.families.filter(\.outside).map(\.name))
    }

    func isOutside(_ name: String) -> Bool { outside.contains(name) }

    /// The name of the first family whose wording occurs in `text`, nil for none.
    func family(of text: String) -> String? {
        if let f = lock.withLock({ byText[text] }) { return f }
        let f = families.match(text)?.name
        lock.withLock { if byText.count < MatchMemo.maxEntries { byText[text] = f } }
        return f
    }
}

/// The facts a URL gives, with the parts other facts need.
struct URLFacts {
    var entries: [(FactKey, FactValue)]
    var endpoint: Endpoint
    var host: String?
    /// The service of the URL's host or port, else the bundle's (`BundleContext.provider`).
    var provider: AliasTables.Provider?
}

/// Remembers catalog matches by model name for one bundle. A class so the value-typed
/// context can share it; the threads deriving one bundle's facts share it behind a lock (a
/// value is computed outside the lock: computing is pure, so two threads that both miss agree).
final class MatchMemo: @unchecked Sendable {
    private var catalogMatches: [String: Catalog.Match] = [:]
    private var knownMatches: [String: Catalog.Match] = [:]
    private let lock = NSLock()

    func catalog(_ model: String, _ compute: () -> Catalog.Match) -> Catalog.Match {
        if let m = lock.withLock({ catalogMatches[model] }) { return m }
        let m = compute()
        lock.withLock { if catalogMatches.count < Self.maxEntries { catalogMatches[model] = m } }
        return m
    }

    func known(_ model: String, _ compute: () -> Catalog.Match) -> Catalog.Match {
        if let m = lock.withLock({ knownMatches[model] }) { return m }
        let m = compute()
        lock.withLock { if knownMatches.count < Self.maxEntries { knownMatches[model] = m } }
        return m
    }

    /// Facts that depend only on the URL (or only on the model and host), per distinct key:
    /// a large log repeats a few URLs and model names many thousand times. Bounded so a log of
    /// all-distinct URLs does not keep one entry per exchange.
    private var byURL: [String: URLFacts] = [:]
    private var byPath: [String: URLFacts] = [:]
    private var byModel: [ModelKey: [(FactKey, FactValue)]] = [:]
    private var taggedOnly: Bool??
    static let maxEntries = 4096

    /// The URL facts of a full URL (`isPath` false) or of a path logged without host.
    func url(_ key: String, isPath: Bool, _ compute: () -> URLFacts) -> URLFacts {
        if let f = lock.withLock({ isPath ? byPath[key] : byURL[key] }) { return f }
        let f = compute()
        lock.withLock {
            if byURL.count + byPath.count < Self.maxEntries {
                if isPath { byPath[key] = f } else { byURL[key] = f }
            }
        }
        return f
    }

    struct ModelKey: Hashable { var model: String; var host: String?; var provider: String? = nil }

    func model(_ key: ModelKey, _ compute: () -> [(FactKey, FactValue)]) -> [(FactKey, FactValue)] {
        if let f = lock.withLock({ byModel[key] }) { return f }
        let f = compute()
        lock.withLock { if byModel.count < Self.maxEntries { byModel[key] = f } }
        return f
    }

    /// Whether every catalog id carries a `:tag`, nil for an empty catalog (once per bundle).
    func catalogTaggedOnly(_ catalog: Catalog) -> Bool? {
        if let t = lock.withLock({ taggedOnly }) { return t }
        let t: Bool? = catalog.isEmpty ? nil : catalog.models.allSatisfy { $0.contains(":") }
        lock.withLock { taggedOnly = .some(t) }
        return t
    }
}

/// Model lists in the order a bundle shows them, folded: every model a list before the last
/// named, and the last list. An unchanged list is not folded again.
struct ListHistory {
    var before: Set<String> = []
    var last: [String]?
    /// How many distinct successive lists were seen.
    var count = 0

    mutating func add(_ l: [String]) {
        guard l != last else { return }
        if let last { before.formUnion(last) }
        last = l
        count += 1
    }
}
