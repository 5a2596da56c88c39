import DoctorIngest
import DoctorModel
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
    ///
    /// Starts from the member preferred in general (`generalOrder`) and fills each unknown
    /// field from the next ones; then the fields the client decides are taken in
    /// `clientOrder`. Written as plain field copies rather than generic helpers: this runs
    /// once per call of the bundle.
    static func merged(_ members: [Member]) -> Exchange {
        if members.count == 1 {
            var e = members[0].exchange
            e.sources = sortedUnique(e.sources)
            return e
        }
        let general = ordered(members, generalOrder).map(\.exchange)
        var e = general[0]
        for o in general.dropFirst() {
            if e.method == nil { e.method = o.method }
            if e.pathOnly == nil { e.pathOnly = o.pathOnly }
            if o.requestHeaders.count > e.requestHeaders.count { e.requestHeaders = o.requestHeaders }
            if e.requestBody == nil { e.requestBody = o.requestBody }
            if e.status == nil { e.status = o.status }
            if e.statusText == nil { e.statusText = o.statusText }
            if o.responseHeaders.count > e.responseHeaders.count { e.responseHeaders = o.responseHeaders }
            if e.contentType == nil { e.contentType = o.contentType }
            if e.responseBody == nil { e.responseBody = o.responseBody }
            if let x = o.error, e.error.map({ detail(x) > detail($0) }) ?? true { e.error = x }
            if e.listedModels == nil { e.listedModels = o.listedModels }
            if e.listShape == nil { e.listShape = o.listShape }
            if MatchKey.usableRequestID(e.requestID) == nil, let id = o.requestID,
               e.requestID == nil || MatchKey.usableRequestID(id) != nil { e.requestID = id }
            if e.durationMs == nil { e.durationMs = o.durationMs }
            if let c = o.credential, e.credential.map({ isMasked($0) && !isMasked(c) }) ?? true { e.credential = c }
            e.retries = max(e.retries, o.retries)
        }
        // What the client decided: the URL it built, its request, its name, its failure.
        e.url = nil; e.model = nil; e.stream = nil; e.failure = nil; e.sdk = nil
        for o in ordered(members, clientOrder).map(\.exchange) {
            if e.url == nil { e.url = o.url }
            if e.model == nil { e.model = o.model }
            if e.stream == nil { e.stream = o.stream }
            if e.failure == nil { e.failure = o.failure }
            if let sdk = o.sdk, e.sdk == nil || (e.sdk?.version == nil && sdk.version != nil) { e.sdk = sdk }
        }

        e.time = mergedTime(members)
        e.sources = sortedUnique(general.flatMap(\.sources))
        e.sourceKinds = general.reduce(into: []) { $0.formUnion($1.sourceKinds) }
        e.lines = fairLines(general.map(\.lines))
        e.hints = general.reduce(into: []) { $0.formUnion($1.hints) }
        e.missing = stillMissing(general.flatMap(\.missing), in: e)
        return e
    }

    /// Members ordered by a kind preference, then by file processing order.
    private static func ordered(_ members: [Member], _ order: [InputKind]) -> [Member] {
        members.map { (order.firstIndex(of: $0.kind) ?? order.count, $0) }
            .sorted { ($0.0, $0.1.file) < ($1.0, $1.1.file) }
            .map(\.1)
    }

    static func sortedUnique(_ refs: [SourceRef]) -> [SourceRef] {
        // Most calls have one source: kept as it is, without a set and a new array per call.
        if refs.count <= 1 { return refs }
        return Array(Set(refs)).sorted()
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

    /// Up to `maxLines` lines, taken in turn from each list so that every source keeps its
    /// first lines, then sorted by position.
    static func fairLines(_ lists: [[SourceLine]]) -> [SourceLine] {
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
    static func stillMissing(_ notes: [MissingNote], in e: Exchange) -> [MissingNote] {
        var out: [MissingNote] = []
        for note in notes where !out.contains(note) {
            let facts = namedFacts(note.text(.en).lowercased())
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
