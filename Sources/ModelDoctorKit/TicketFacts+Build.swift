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
        f.sdks = unique(xs.compactMap { $0.sdk.map { [$0.name, $0.version].compactMap { $0 }.joined(separator: " ") } })
        f.runtimes = unique(xs.compactMap { $0.sdk?.runtime })
        var bases: [String] = bundle.signals.filter { $0.name == .configuredBaseURL }.compactMap(\.value)
        for e in xs {
            if let p = e.urlParts, let scheme = p.scheme, let host = p.hostAndPort, p.endpoint != .other {
                bases.append("\(scheme)://\(host)\(p.basePath)")
            }
        }
        f.baseURLs = unique(bases).map { redactor.redact($0) }
        f.requestURLs = unique(xs.compactMap { $0.url ?? $0.pathOnly }).prefix(20).map { redactor.redact($0) }
        f.hosts = unique(xs.compactMap { $0.urlParts?.hostAndPort })
        f.apiVersionPaths = unique(xs.compactMap { e -> String? in
            guard let p = e.urlParts, p.endpoint != .other else { return nil }
            return p.basePath.isEmpty ? "(none)" : p.basePath
        })
        f.models = unique(xs.compactMap(\.model))
        let times = xs.compactMap(\.time).sorted()
        f.firstTime = times.first
        f.lastTime = times.last
        for e in xs { if let s = e.status { f.statusCodes[s, default: 0] += 1 } }
        f.errors = unique(xs.compactMap { e -> String? in
            guard let m = e.error?.message ?? e.failure?.message else { return nil }
            let code = e.error?.code.map { "[\($0)] " } ?? ""
            return (e.status.map { "\($0) " } ?? "") + code + String(m.prefix(300))
        }).prefix(20).map { redactor.redact($0) }
        f.requestIDs = unique(xs.compactMap(\.requestID)).prefix(50).map { $0 }
        var keyCalls: [String: [String]] = [:]
        var keyOrder: [String] = []
        for e in xs {
            guard let c = e.credential else { continue }
            let fp = redactor.fingerprint(c, shownFor: e.sources.first?.file)
            if keyCalls[fp] == nil { keyOrder.append(fp); keyCalls[fp] = [] }
            let call = [e.method, e.endpoint?.rawValue].compactMap { $0 }.joined(separator: " ")
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
