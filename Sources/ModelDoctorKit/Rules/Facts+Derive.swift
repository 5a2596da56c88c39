import Foundation

extension Facts {
    /// Derives every fact of one exchange in its bundle.
    /// - Complexity: O(catalog size × name length²) for the catalog helpers, else O(exchange size).
    public static func derive(_ e: Exchange, in ctx: BundleContext) -> Facts {
        var f = Facts()
        f.set("method", e.method?.uppercased())
        f.set("url", e.url)
        let parts = e.urlParts  // parsed once: every URL fact below reads these
        let endpoint = parts?.endpoint
        if let p = parts {
            f.set("host", p.host)
            f.set("port", p.port)
            f.set("path", p.path)
            f.set("query", p.query)
            f.set("endpoint", p.endpoint.rawValue)
            f.set("base_path", p.basePath)
            deriveBase(&f, p, hasHost: e.url != nil, rawURL: e.url)
            if let h = p.hostAndPort, !ctx.listHosts.isEmpty, endpoint != .models {
                f.set("host.differs_from_list", !ctx.listHosts.contains(h))
            }
            if let h = p.hostAndPort, !ctx.configuredHosts.isEmpty, e.url != nil {
                f.set("host.differs_from_configured", !ctx.configuredHosts.contains(h))
            }
            if let h = p.host { f.set("host.loopback", h == "localhost" || h.hasPrefix("127.") || h == "[::1]" || h == "0.0.0.0") }
        }
        f.set("status", e.status)
        if let s = e.status { f.set("status_class", "\(s / 100)xx") }
        f.set("status_text", e.statusText)
        // Request
        f.set("request.model", e.model)
        f.set("request.stream", e.stream)
        let reqCT = e.requestHeaders.value("content-type")
        f.set("request.content_type", reqCT)
        if let body = e.requestBody {
            f.set("request.has_body", !body.isEmpty)
            f.set("request.body", body)
            f.set("request.body_json", looksLikeJSON(body))
        }
        // Response
        let ct = e.contentType ?? e.responseHeaders.value("content-type")
        f.set("response.content_type", ct)
        f.set("response.content_length", e.responseHeaders.value("content-length").flatMap { Int($0) } ?? e.responseBody.map { $0.utf8.count })
        if let body = e.responseBody {
            f.set("response.body", String(body.prefix(8192)))
            let head = body.prefix(512).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let html = head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || (ct?.lowercased().contains("text/html") ?? false)
            f.set("response.html", html)
            f.set("response.json", looksLikeJSON(body))
        } else if let ct {
            f.set("response.html", ct.lowercased().contains("text/html"))
        } else if e.hints.contains("json-decode-error") || e.hints.contains("html-response") {
            f.set("response.html", true)
        }
        if let l = e.listedModels { f.set("response.listed_count", l.count); f.set("response.listed_models", l) }
        f.set("response.list_shape", e.listShape)
        // Error
        if e.error != nil || e.status != nil || e.failure != nil {
            // An answer was seen: a field its error object lacks is known to be empty.
            let err = e.error ?? APIError()
            f.set("error.type", err.type ?? "")
            f.set("error.code", err.code ?? "")
            f.set("error.message", err.message ?? "")
            f.set("error.param", err.param ?? "")
        }
        var texts: [String] = []
        if let err = e.error { texts += [err.type, err.code, err.message, err.param].compactMap { $0 } }
        if let s = e.status, s >= 400 { texts.append("\(s)") }
        if let st = e.statusText, (e.status ?? 0) >= 400 { texts.append(st) }
        if let b = e.responseBody, (e.status ?? 0) >= 400 || e.error != nil { texts.append(String(b.prefix(4096))) }
        if let fl = e.failure { texts.append(fl.message) }
        if !texts.isEmpty || e.status != nil || e.failure != nil { f.set("error.text", texts.joined(separator: " | ")) }
        if let fl = e.failure { f.set("failure.kind", fl.kind.rawValue); f.set("failure.message", fl.message) }
        else if e.status != nil { f.set("failure.kind", ""); f.set("failure.message", "") }  // an answer came back
        f.set("retries", e.retries)
        f.set("request_id", e.requestID)
        f.set("sdk.name", e.sdk?.name)
        f.set("sdk.version", e.sdk?.version)
        if let c = e.credential {
            f.set("key.fingerprint", "present")
            if !ctx.listCredentials.isEmpty, endpoint != .models { f.set("key.differs_from_list", !ctx.listCredentials.contains(c)) }
        }
        if let via = e.responseHeaders.value("via") ?? e.responseHeaders.value("proxy-agent") { f.set("proxy.via", via) }
        // Model vs catalog
        if let model = e.model, !model.isEmpty {
            deriveModel(&f, model, parts, ctx)
        }
        f.set("model.requested_count", ctx.requestedModels.count)
        f.set("catalog.known", !ctx.catalog.isEmpty)
        f.set("catalog.size", ctx.catalog.models.count)
        f.set("catalog.listed_by_bundle", ctx.catalogFromBundle)
        // Every listed id carries a `:tag` (Ollama-style local server, not a gateway).
        if !ctx.catalog.isEmpty { f.set("catalog.tagged_only", ctx.catalog.models.allSatisfy { $0.contains(":") }) }
        f.set("text", e.lines.map(\.text).joined(separator: "\n"))
        f.set("hints", e.hints.sorted())
        f.set("source.kinds", e.sourceKinds.map(\.rawValue).sorted())
        f.set("missing", e.missing)
        return f
    }

    /// Version segments a base path may carry.
    static let versionPattern = try! NSRegularExpression(pattern: #"/(v\d+(?:beta|alpha)?\d*|compatible-mode/v\d+|openai/deployments/[^/]+|api/paas/v\d+)(?=/|$)"#, options: [.caseInsensitive])

    private static func deriveBase(_ f: inout Facts, _ p: URLParts, hasHost: Bool, rawURL: String?) {
        let base = p.basePath
        let ns = base as NSString
        let matches = versionPattern.matches(in: base, range: NSRange(location: 0, length: ns.length))
        let versions = matches.map { ns.substring(with: $0.range(at: 1)).lowercased() }
        guard p.endpoint != .other else {
            f.set("base.malformed", malformed(p, rawURL))
            return
        }
        f.set("base.version", versions.last.map { "/" + $0 } ?? "")
        f.set("base.version_missing", versions.isEmpty)
        var dup = false
        for i in versions.indices.dropFirst() where versions[i] == versions[i - 1] || versions[i].hasPrefix("v") && versions[i - 1].hasPrefix("v") { dup = true }
        if base.lowercased().contains("/v1/v1") { dup = true }
        f.set("base.version_duplicated", dup)
        let lower = base.lowercased()
        let endpoints = ["/chat/completions", "/completions", "/models", "/responses", "/embeddings", "/messages"]
        f.set("base.includes_endpoint", endpoints.contains { lower.contains($0) })
        f.set("base.malformed", malformed(p, rawURL))
        if let v = versions.last { f.set("base.unusual_version", !(v == "v1")) }
    }

    private static func malformed(_ p: URLParts, _ raw: String?) -> Bool {
        if p.path.contains("//") { return true }
        if let raw {
            if raw.contains(" ") || raw.contains("%20") || raw.hasSuffix(" ") { return true }
            if !raw.hasPrefix("http://") && !raw.hasPrefix("https://") && raw.contains("://") { return true }
        }
        return false
    }

    /// A body that is an object or array with balanced ends: cheap, and enough to tell JSON
    /// from form-encoded or plain-text bodies (a full parse per exchange cost more than all
    /// the rules together on large bundles).
    static func looksLikeJSON(_ body: String) -> Bool {
        let u = body.utf8
        guard let first = u.first(where: { $0 > 0x20 }), let last = u.last(where: { $0 > 0x20 }) else { return false }
        return (first == UInt8(ascii: "{") && last == UInt8(ascii: "}")) || (first == UInt8(ascii: "[") && last == UInt8(ascii: "]"))
    }

    private static func deriveModel(_ f: inout Facts, _ model: String, _ parts: URLParts?, _ ctx: BundleContext) {
        f.set("model.has_space", model.contains(" "))
        f.set("model.has_upper", model != model.lowercased())
        let key = AliasTables.key(model)
        f.set("alias.legacy", ctx.aliases.legacy[key])
        f.set("alias.marketing", ctx.aliases.marketing[key] ?? ctx.aliases.marketing[Catalog.bare(model)])
        f.set("alias.client_default", ctx.aliases.clientDefaults.contains(key))
        if let host = parts?.host, let own = ctx.aliases.providerHosts[host] {
            // Served by this first-party host only if the id starts with one of its prefixes.
            f.set("model.foreign_to_host", !own.contains { key.hasPrefix($0) })
        }
        let bareName = key.split(separator: "/").last.map(String.init) ?? key
        if let (family, suffix) = ctx.aliases.requiredSuffixes.first(where: { bareName.hasPrefix($0.key) && !bareName.hasSuffix($0.value) }) {
            _ = family
            f.set("alias.missing_suffix", model + suffix)
        }
        // The customer wrote the name in another letter case somewhere (ticket text vs error).
        f.set("model.case_variant_mentioned", ctx.signals.first {
            $0.name == "mentioned-model" && $0.value != model && $0.value?.lowercased() == model.lowercased()
        }?.value)
        if !ctx.catalog.isEmpty {
            let m = ctx.memo.catalog(model) { ctx.catalog.match(model, suffixes: ctx.aliases.suffixes) }
            f.set("catalog.exact", m.exact)
            f.set("catalog.case", m.caseMatch)
            f.set("catalog.normalized", m.normalized)
            f.set("catalog.nearest", m.nearest)
            f.set("catalog.distance", m.distance)
        }
        if !ctx.knownList.isEmpty {
            let k = ctx.memo.known(model) { Catalog.match(model, in: ctx.knownList, suffixes: ctx.aliases.suffixes) }
            f.set("known.exact", k.exact)
            f.set("known.case", k.caseMatch)
            f.set("known.normalized", k.normalized)
            if let d = k.distance, d <= 2 { f.set("known.nearest", k.nearest) }
        }
    }
}
