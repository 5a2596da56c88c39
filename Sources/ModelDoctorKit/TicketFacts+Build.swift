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
        var sdks: [String] = [], runtimes: [String] = [], requestURLs: [String] = [], hosts: [String] = []
        var apiVersionPaths: [String] = [], models: [String] = [], times: [Date] = [], errors: [String] = []
        var requestIDs: [String] = []
        var bases: [String] = bundle.signals.filter { $0.name == .configuredBaseURL }.compactMap(\.value)
        var parsed: [String: URLParts] = [:]
        for i in xs.indices {
            if let sdk = xs[i].sdk {
                sdks.append([sdk.name, sdk.version].compactMap { $0 }.joined(separator: " "))
                if let r = sdk.runtime { runtimes.append(r) }
            }
            if let u = xs[i].url ?? xs[i].pathOnly {
                requestURLs.append(u)
                let p = parsed[u] ?? URLParts(url: u)
                if parsed.count < 4096 { parsed[u] = p }
                if let scheme = p.scheme, let host = p.hostAndPort, p.endpoint != .other {
                    bases.append("\(scheme)://\(host)\(p.basePath)")
                }
                if let h = p.hostAndPort { hosts.append(h) }
                if p.endpoint != .other { apiVersionPaths.append(p.basePath.isEmpty ? "(none)" : p.basePath) }
            }
            if let m = xs[i].model { models.append(m) }
            if let t = xs[i].time { times.append(t) }
            if let st = xs[i].status { f.statusCodes[st, default: 0] += 1 }
            if let m = xs[i].error?.message ?? xs[i].failure?.message {
                let code = xs[i].error?.code.map { "[\($0)] " } ?? ""
                errors.append((xs[i].status.map { "\($0) " } ?? "") + code + String(m.prefix(300)))
            }
            if let id = xs[i].requestID { requestIDs.append(id) }
        }
        f.sdks = unique(sdks)
        f.runtimes = unique(runtimes)
        f.baseURLs = unique(bases).map { redactor.redact($0) }
        f.requestURLs = unique(requestURLs).prefix(20).map { redactor.redact($0) }
        f.hosts = unique(hosts)
        f.apiVersionPaths = unique(apiVersionPaths)
        f.models = unique(models)
        times.sort()
        f.firstTime = times.first
        f.lastTime = times.last
        f.errors = unique(errors).prefix(20).map { redactor.redact($0) }
        f.requestIDs = unique(requestIDs).prefix(50).map { $0 }
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

    private static func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}
