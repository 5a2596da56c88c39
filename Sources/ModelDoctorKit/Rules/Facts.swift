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

/// The derived facts of one exchange, computed once by the engine so rules stay declarative
/// (`docs/rules.md` lists every field).
public struct Facts: Sendable {
    public private(set) var values: [String: FactValue] = [:]
    public subscript(_ key: String) -> FactValue? { values[key] }

    mutating func set(_ key: String, _ v: String?) { if let v { values[key] = .string(v) } }
    mutating func set(_ key: String, _ v: Int?) { if let v { values[key] = .number(Double(v)) } }
    mutating func set(_ key: String, _ v: Double?) { if let v { values[key] = .number(v) } }
    mutating func set(_ key: String, _ v: Bool?) { if let v { values[key] = .bool(v) } }
    mutating func set(_ key: String, _ v: [String]?) { if let v { values[key] = .list(v) } }

    /// Every field name the engine can derive (for lint: a rule naming another field is a typo).
    public static let knownFields: Set<String> = [
        "method", "url", "host", "port", "path", "query", "endpoint", "base_path",
        "base.version", "base.version_missing", "base.version_duplicated", "base.includes_endpoint",
        "base.malformed", "base.unusual_version",
        "status", "status_class", "status_text", "request.model", "request.stream", "request.has_body",
        "request.body_json", "request.content_type", "request.body", "response.content_type", "response.html",
        "response.json", "response.body", "response.content_length", "response.listed_count", "response.listed_models", "response.list_shape",
        "error.type", "error.code", "error.message", "error.param", "error.text", "failure.kind", "failure.message",
        "retries", "request_id", "sdk.name", "sdk.version", "key.fingerprint", "key.differs_from_list",
        "host.differs_from_list", "host.differs_from_configured", "host.loopback", "catalog.tagged_only", "catalog.known", "catalog.size", "catalog.exact", "catalog.case",
        "catalog.normalized", "catalog.nearest", "catalog.distance", "catalog.listed_by_bundle", "known.exact",
        "known.case", "known.normalized", "known.nearest", "alias.legacy", "alias.marketing", "alias.client_default", "alias.missing_suffix",
        "model.has_space", "model.has_upper", "model.foreign_to_host", "model.case_variant_mentioned", "model.requested_count", "text", "hints", "source.kinds", "missing",
        "proxy.via",
    ]
}

/// What the engine knows about the whole bundle while deriving one exchange's facts.
public struct BundleContext: Sendable {
    public var exchanges: [Exchange]
    public var catalog: Catalog
    /// True when the catalog came (at least partly) from a `/models` answer in the bundle.
    public var catalogFromBundle: Bool
    public var aliases: AliasTables
    public var signals: [Signal]
    /// Hosts and credentials used by `/models` calls.
    var listHosts: Set<String> = []
    var listCredentials: Set<String> = []
    var requestedModels: Set<String> = []
    /// `host:port` of base URLs the customer or the app said were configured.
    var configuredHosts: Set<String> = []
    let knownList: [String]
    /// Catalog matches per distinct model name: a bundle asks for few names many times.
    let memo = MatchMemo()

    public init(exchanges: [Exchange], userCatalog: [String], aliases: AliasTables, signals: [Signal]) {
        self.exchanges = exchanges
        self.aliases = aliases
        self.signals = signals
        var listed: [String] = []
        for e in exchanges where e.endpoint == .models {
            if let h = e.urlParts?.hostAndPort { listHosts.insert(h) }
            if let c = e.credential { listCredentials.insert(c) }
            if let l = e.listedModels, (e.status ?? 200) < 300 { listed += l }
        }
        for e in exchanges { if let m = e.model { requestedModels.insert(m) } }
        // Models a gateway log says it was configured with count as listed by the bundle.
        listed += signals.filter { $0.name == "catalog-model" }.compactMap(\.value)
        catalogFromBundle = !listed.isEmpty
        catalog = Catalog(models: listed + userCatalog)
        for s in signals where s.name == "configured-base-url" {
            if let v = s.value, let h = URLParts(url: v).hostAndPort, v.contains("://") { configuredHosts.insert(h) }
        }
        knownList = aliases.knownModels.sorted()
    }
}

/// Remembers catalog matches by model name for one bundle. A class so the value-typed
/// context can share it; the engine runs one bundle on one thread.
final class MatchMemo: @unchecked Sendable {
    private var catalogMatches: [String: Catalog.Match] = [:]
    private var knownMatches: [String: Catalog.Match] = [:]

    func catalog(_ model: String, _ compute: () -> Catalog.Match) -> Catalog.Match {
        if let m = catalogMatches[model] { return m }
        let m = compute()
        catalogMatches[model] = m
        return m
    }

    func known(_ model: String, _ compute: () -> Catalog.Match) -> Catalog.Match {
        if let m = knownMatches[model] { return m }
        let m = compute()
        knownMatches[model] = m
        return m
    }
}
