import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Foundation

extension TicketFacts {
    /// Collects the ticket facts a support reply needs from the exchanges and signals.
    static func build(_ bundle: TicketBundle, redactor: Redactor) -> TicketFacts {
        var f = TicketFacts()
        let xs = bundle.exchanges
        f.exchanges = xs.count
        // One pass by index (no copy of each exchange), each distinct URL parsed once: a large
        // log repeats a few URLs thousands of times. Lists keep first-seen order as before.
        // Each list keeps its distinct values in first-seen order as they come, and stops at
        // the number the report shows: a dense log's per-call lists (an error line per call,
        // request ids unique to each) are never held, only what the report can show.
        var sdks = FirstDistinct(), runtimes = FirstDistinct(), requestURLs = FirstDistinct(limit: 20)
        var hosts = FirstDistinct(), apiVersionPaths = FirstDistinct(), models = FirstDistinct()
        var errors = FirstDistinct(limit: 20), requestIDs = FirstDistinct(limit: 50), bases = FirstDistinct()
        var firstTime: Date?, lastTime: Date?
        for s in bundle.signals where s.name == .configuredBaseURL { if let v = s.value { bases.add(v) } }
        var parsed: [String: URLParts] = [:]
        // Adding a value equal to one added before changes nothing (it is in its list, or the
        // list was full then and still is): a call that repeats the one before it, or a URL
        // met before, skips making its strings and hashing them again.
        var lastSDK: SDKInfo?, lastModel: String?
        var lastError: (status: Int?, code: String?, message: String)?
        // Common fields (`Exchange.sharedCommon`) already added: adding them again changes
        // nothing, as above. Held, so no identity is reused while this runs.
        var seen: [ObjectIdentifier: AnyObject] = [:]
        for i in xs.indices {
            if let t = xs[i].time {
                if firstTime.map({ t < $0 }) ?? true { firstTime = t }
                if lastTime.map({ t > $0 }) ?? true { lastTime = t }
            }
            if let st = xs[i].status { f.statusCodes[st, default: 0] += 1 }
            if let id = xs[i].requestID { requestIDs.add(id) }
            if let c = xs[i].sharedCommon {
                if seen[ObjectIdentifier(c)] != nil { continue }
                if seen.count < 4096 { seen[ObjectIdentifier(c)] = c }
            }
            if let sdk = xs[i].sdk, sdk != lastSDK {
                sdks.add([sdk.name, sdk.version].compactMap { $0 }.joined(separator: " "))
                if let r = sdk.runtime { runtimes.add(r) }
                lastSDK = sdk
            }
            if let u = xs[i].url ?? xs[i].pathOnly, parsed[u] == nil {
                requestURLs.add(u)
                let p = URLParts(url: u)
                if parsed.count < 4096 { parsed[u] = p }
                if let scheme = p.scheme, let host = p.hostAndPort, p.endpoint != .other {
                    bases.add("\(scheme)://\(host)\(p.basePath)")
                }
                if let h = p.hostAndPort { hosts.add(h) }
                if p.endpoint != .other { apiVersionPaths.add(p.basePath.isEmpty ? "(none)" : p.basePath) }
            }
            if let m = xs[i].model, m != lastModel {
                models.add(m)
                lastModel = m
            }
            if !errors.isFull, let m = xs[i].error?.message ?? xs[i].failure?.message,
               lastError.map({ $0.status != xs[i].status || $0.code != xs[i].error?.code || $0.message != m }) ?? true {
                let code = xs[i].error?.code.map { "[\($0)] " } ?? ""
                errors.add((xs[i].status.map { "\($0) " } ?? "") + code + String(m.prefix(300)))
                lastError = (xs[i].status, xs[i].error?.code, m)
            }
        }
        f.sdks = sdks.values
        f.runtimes = runtimes.values
        f.baseURLs = bases.values.map { redactor.redact($0) }
        f.requestURLs = requestURLs.values.map { redactor.redact($0) }
        f.hosts = hosts.values
        f.apiVersionPaths = apiVersionPaths.values
        f.models = models.values
        f.firstTime = firstTime
        f.lastTime = lastTime
        f.errors = errors.values.map { redactor.redact($0) }
        f.requestIDs = requestIDs.values
        var keyCalls: [String: [String]] = [:]
        var keyOrder: [String] = []
        for i in xs.indices {
            guard let c = xs[i].credential else { continue }
            let fp = redactor.fingerprint(c, shownFor: xs[i].sources.first?.file)
            if keyCalls[fp] == nil { keyOrder.append(fp); keyCalls[fp] = [] }
            let endpoint = (xs[i].url ?? xs[i].pathOnly).map { parsed[$0] ?? URLParts(url: $0) }?.endpoint
            let call = [xs[i].method, endpoint?.rawValue].compactMap { $0 }.joined(separator: " ")
            if !call.isEmpty, !keyCalls[fp]!.contains(call) { keyCalls[fp]!.append(call) }
        }
        f.keys = keyOrder.map { KeyUse(fingerprint: $0, calls: keyCalls[$0]!) }
        var unknown: [String] = []
        if f.baseURLs.isEmpty { unknown.append("base URL: ask for the client's base_url / API address setting, or a HAR capture") }
        if f.models.isEmpty { unknown.append("model: ask which model name the client sends (its settings screen or the request body)") }
        if f.statusCodes.isEmpty && !xs.contains(where: { $0.failure != nil }) {
            unknown.append("status: ask for the HTTP status, e.g. from a HAR capture or the SDK's debug log (OPENAI_LOG=debug)")
        }
        if f.requestIDs.isEmpty { unknown.append("request id: ask for the gateway's request id (x-request-id / X-Oneapi-Request-Id header)") }
        f.unknown = unknown.map { redactor.redact($0) }
        return f
    }

}

/// The distinct values met, in first-seen order, up to `limit`: once full, later values cannot
/// change which come first, so they are not kept (nor need to be made).
private struct FirstDistinct {
    let limit: Int
    private(set) var values: [String] = []
    private var seen = Set<String>()

    init(limit: Int = .max) { self.limit = limit }

    var isFull: Bool { values.count >= limit }

    mutating func add(_ s: String) {
        guard !isFull else { return }
        if seen.insert(s).inserted { values.append(s) }
    }
}
