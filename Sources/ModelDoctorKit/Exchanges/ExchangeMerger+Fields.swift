import Foundation

extension ExchangeMerger {
    /// Most evidence lines a merged exchange keeps (shared fairly between its sources).
    static let maxLines = 16

    /// Source preference for most fields: the HAR has the real headers, bodies and zoned
    /// times; the SDK logs come next; the gateway sees the call from the other side.
    static let generalOrder: [InputKind] = [.har, .pythonSDKLog, .nodeSDKLog, .gatewayLog, .errorText, .unknown]
    /// Source preference for what the client itself decided (the URL it built, its own name and
    /// version, its failure): the SDK's own log first. Behind a reverse proxy the HAR may show
    /// the upstream URL instead of the one the client was configured with.
    static let clientOrder: [InputKind] = [.pythonSDKLog, .nodeSDKLog, .har, .gatewayLog, .errorText, .unknown]

    /// One exchange with the most complete value of every field its members offer.
    static func merged(_ members: [Member]) -> Exchange {
        if members.count == 1 {
            var e = members[0].exchange
            e.sources = sortedUnique(e.sources)
            return e
        }
        let general = ordered(members, generalOrder)
        let client = ordered(members, clientOrder)
        func first<T>(_ list: [Member], _ field: (Exchange) -> T?) -> T? {
            for m in list { if let v = field(m.exchange) { return v } }
            return nil
        }
        func longest(_ list: [Member], _ field: (Exchange) -> [Header]) -> [Header] {
            list.map { field($0.exchange) }.reduce([]) { $1.count > $0.count ? $1 : $0 }
        }

        var e = Exchange()
        e.time = mergedTime(members)
        e.sources = sortedUnique(members.flatMap(\.exchange.sources))
        e.sourceKinds = members.reduce(into: []) { $0.formUnion($1.exchange.sourceKinds) }

        e.method = first(general) { $0.method }
        e.url = first(client) { $0.url }
        e.pathOnly = first(general) { $0.pathOnly }
        e.requestHeaders = longest(general) { $0.requestHeaders }
        e.requestBody = first(general) { $0.requestBody }
        e.model = first(client) { $0.model }
        e.stream = first(client) { $0.stream }

        e.status = first(general) { $0.status }
        e.statusText = first(general) { $0.statusText }
        e.responseHeaders = longest(general) { $0.responseHeaders }
        e.contentType = first(general) { $0.contentType }
        e.responseBody = first(general) { $0.responseBody }
        e.error = general.compactMap(\.exchange.error).reduce(nil) { best, next in
            best.map { detail(next) > detail($0) ? next : $0 } ?? next
        }
        e.listedModels = first(general) { $0.listedModels }
        e.listShape = first(general) { $0.listShape }
        e.requestID = first(general) { MatchKey.usableRequestID($0.requestID) } ?? first(general) { $0.requestID }
        e.durationMs = first(general) { $0.durationMs }
        e.failure = first(client) { $0.failure }
        e.retries = members.map(\.exchange.retries).max() ?? 0

        e.sdk = first(client) { $0.sdk?.version == nil ? nil : $0.sdk } ?? first(client) { $0.sdk }
        e.credential = first(general) { $0.credential.flatMap { isMasked($0) ? nil : $0 } } ?? first(general) { $0.credential }
        e.lines = fairLines(general)
        e.hints = members.reduce(into: []) { $0.formUnion($1.exchange.hints) }
        e.missing = stillMissing(general.flatMap(\.exchange.missing), in: e)
        return e
    }

    /// Members ordered by a kind preference, then by file processing order.
    private static func ordered(_ members: [Member], _ order: [InputKind]) -> [Member] {
        members.sorted {
            (order.firstIndex(of: $0.kind) ?? order.count, $0.file) < (order.firstIndex(of: $1.kind) ?? order.count, $1.file)
        }
    }

    private static func sortedUnique(_ refs: [SourceRef]) -> [SourceRef] {
        Array(Set(refs)).sorted()
    }

    /// How much an error object says: its known fields, the message counting double.
    private static func detail(_ e: APIError) -> Int {
        [e.type, e.code, e.param].compactMap { $0 }.count + (e.message == nil ? 0 : 2)
    }

    /// A credential a log already masked (`<redacted>`, `sk-...abcd`, `sk-****`).
    private static func isMasked(_ s: String) -> Bool {
        s.contains("redacted") || s.contains("*") || s.contains("...") || s.contains("…")
    }

    /// The earliest time with a full date on the reference clock's day grid; failing that the
    /// earliest full date; failing that the earliest time of any kind.
    ///
    /// A LiteLLM time of day is stored on 1970-01-01 and a Python log's local time may be hours
    /// off UTC: taking the plain minimum would pick those over the HAR's real UTC time.
    static func mergedTime(_ members: [Member]) -> Date? {
        let timed = members.compactMap { m in m.exchange.time.map { (m, $0) } }
        let full = timed.filter { $0.1.timeIntervalSince1970 >= 86_400 }
        let aligned = full.filter { m, _ in
            guard let o = m.clockOffset else { return false }
            return o.truncatingRemainder(dividingBy: 86_400) == 0
        }
        return (aligned.isEmpty ? (full.isEmpty ? timed : full) : aligned).map(\.1).min()
    }

    /// Up to `maxLines` lines, taken in turn from each member so that every source keeps its
    /// first lines, then sorted by position.
    static func fairLines(_ members: [Member]) -> [SourceLine] {
        let lists = members.map(\.exchange.lines)
        var out: [SourceLine] = []
        var seen = Set<SourceRef>()
        var depth = 0
        while out.count < maxLines, lists.contains(where: { $0.count > depth }) {
            for list in lists where depth < list.count && out.count < maxLines {
                if seen.insert(list[depth].ref).inserted { out.append(list[depth]) }
            }
            depth += 1
        }
        return out.sorted { $0.ref < $1.ref }
    }

    /// The `missing` notes that are still true once all sources are combined, deduplicated.
    ///
    /// A note is dropped when every fact it names is now known: openai 3.x's "URL not logged"
    /// is moot when the HAR gave the URL. Notes that name no fact we recognise are kept.
    static func stillMissing(_ notes: [String], in e: Exchange) -> [String] {
        var out: [String] = []
        for note in notes where !out.contains(note) {
            let facts = namedFacts(note.lowercased())
            if facts.isEmpty || facts.contains(where: { !$0(e) }) { out.append(note) }
        }
        return out
    }

    /// Checks for the facts a note mentions, each telling whether the exchange now has it.
    private static func namedFacts(_ note: String) -> [(Exchange) -> Bool] {
        var facts: [(Exchange) -> Bool] = []
        let words: [(String, (Exchange) -> Bool)] = [
            ("url", { $0.url != nil }),
            ("host", { $0.urlParts?.host != nil }),
            ("path", { $0.urlParts != nil }),
            ("status", { $0.status != nil || $0.failure != nil }),
            ("request id", { $0.requestID != nil }), ("request_id", { $0.requestID != nil }),
            ("request-id", { $0.requestID != nil }),
            ("header", { !$0.requestHeaders.isEmpty || !$0.responseHeaders.isEmpty }),
            ("request body", { $0.requestBody != nil }),
            ("response body", { $0.responseBody != nil }),
            ("method", { $0.method != nil }),
            ("model", { $0.model != nil }),
        ]
        for (word, has) in words where note.contains(word) { facts.append(has) }
        if note.contains("body") || note.contains("bodies"),
           !note.contains("request body"), !note.contains("response body") {
            facts.append { $0.responseBody != nil || $0.requestBody != nil }
        }
        return facts
    }
}
