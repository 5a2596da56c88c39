import DoctorModel
import DoctorParse
import Foundation

extension Facts {
    /// Derives every fact of one exchange in its bundle.
    ///
    /// A dense log repeats a few kinds of call thousands of times: the facts that are not the
    /// call's own (`FactKey.isOwn`) are derived once per distinct call and shared (`CallMemo`);
    /// the call's own are read from the exchange.
    /// - Complexity: O(catalog size × name length²) for the catalog helpers, else O(exchange size).
    public static func derive(_ e: Exchange, in ctx: BundleContext) -> Facts {
        var f = ctx.calls.shared(e, ctx)
        f.heavy = HeavySource(e, families: ctx.families)
        return f
    }

    /// Every fact of `e` but the call's own (`FactKey.isOwn`). What it reads of the exchange
    /// is listed in `CallKey`, which must change with it.
    static func deriveShared(_ e: Exchange, in ctx: BundleContext) -> Facts {
        var f = Facts()
        f.set(.method, e.method?.uppercased())
        f.set(.url, e.url)
        // URL facts depend on the URL alone: derived (and the URL parsed) once per distinct URL.
        var endpoint: Endpoint?
        var host: String?
        // The service that answered: from the call's host or port (once per distinct URL, in
        // the URL memo), else the one the bundle points at.
        var provider = ctx.bundleProvider
        if let key = e.url ?? e.pathOnly {
            let u = ctx.memo.url(key, isPath: e.url == nil) {
                let p = URLParts(url: key)
                let provider = ctx.provider(host: p.host, port: p.port)
                // A service that answers without a version segment, by the call's own host
                // (not a bundle-level guess: a local proxy in front of it has its own rules).
                let versionless = ctx.ownProvider(host: p.host, port: p.port)?.versionless ?? false
                var entries = Facts.urlFacts(p, rawURL: e.url, ctx, versionless: versionless)
                if let provider, !provider.endpoints.isEmpty, p.endpoint != .other {
                    entries.append((.providerServesEndpoint, .bool(provider.endpoints.contains(p.endpoint.rawValue))))
                }
                return URLFacts(entries: entries, endpoint: p.endpoint, host: p.host, provider: provider)
            }
            f.merge(u.entries)
            endpoint = u.endpoint
            host = u.host
            provider = u.provider
        } else if let h = ctx.soleConfiguredHost {
            // A call pasted without its URL went to the one base URL the ticket configures:
            // whether that is this machine is known (a bare 502 from it is a proxy's).
            f.set(.hostLoopback, Self.isLoopback(h))
        }
        f.set(.provider, provider?.name)
        f.set(.status, e.status)
        if let s = e.status { f.set(.statusClass, "\(s / 100)xx") }
        f.set(.statusText, e.statusText)
        // Request
        f.set(.requestModel, e.model)
        f.set(.requestStream, e.stream)
        let reqCT = e.requestHeaders.value("content-type")
        f.set(.requestContentType, reqCT)
        if let body = e.requestBody {
            f.set(.requestHasBody, !body.isEmpty)
            f.set(.requestBodyJson, looksLikeJSON(body))
        }
        // Response
        let ct = e.contentType ?? e.responseHeaders.value("content-type")
        f.set(.responseContentType, ct)
        if let body = e.responseBody {
            let html = startsLikeHTML(body) || (ct?.lowercased().contains("text/html") ?? false)
            f.set(.responseHtml, html)
            f.set(.responseJson, looksLikeJSON(body))
        } else if let ct {
            f.set(.responseHtml, ct.lowercased().contains("text/html"))
        } else if e.hints.contains(.jsonDecodeError) {
            f.set(.responseHtml, true)
        }
        if let l = e.listedModels { f.set(.responseListedCount, l.count); f.set(.responseListedModels, l) }
        f.set(.responseListShape, e.listShape)
        // Error
        if e.error != nil || e.status != nil || e.failure != nil {
            // An answer was seen: a field its error object lacks is known to be empty.
            let err = e.error ?? APIError()
            f.set(.errorType, err.type ?? "")
            f.set(.errorCode, err.code ?? "")
            f.set(.errorMessage, err.message ?? "")
            f.set(.errorParam, err.param ?? "")
        }
        if let fl = e.failure { f.set(.failureKind, fl.kind.rawValue); f.set(.failureMessage, fl.message) }
        else if e.status != nil { f.set(.failureKind, ""); f.set(.failureMessage, "") }  // an answer came back
        f.set(.retries, e.retries)
        f.set(.sdkName, e.sdk?.name)
        f.set(.sdkVersion, e.sdk?.version)
        if let c = e.credential {
            f.set(.keyFingerprint, "present")
            if !ctx.listCredentials.isEmpty, endpoint != .models { f.set(.keyDiffersFromList, !ctx.listCredentials.contains(c)) }
        }
        if let via = e.responseHeaders.value("via") ?? e.responseHeaders.value("proxy-agent") { f.set(.proxyVia, via) }
        // Model vs catalog
        if let model = e.model, !model.isEmpty {
            // Model facts depend on the name and the host alone: once per distinct pair.
            f.merge(ctx.memo.model(MatchMemo.ModelKey(model: model, host: host, provider: provider?.name)) {
                var m = Facts()
                deriveModel(&m, model, host, ctx)
                if let provider { deriveProvider(&m, model, provider, ctx) }
                return m.entries
            })
            // The configured model is the chat model (an embedding model's setting is not read
            // as one): an embeddings, image or audio call's model is not compared with it.
            if endpoint == .embeddings || endpoint == .images || endpoint == .audio { f.clear(.modelDiffersFromConfigured) }
            if !ctx.droppedFromList.isEmpty { f.set(.modelDroppedFromList, ctx.droppedFromList.contains(model)) }
        }
        f.set(.modelRequestedCount, ctx.requestedModels.count)
        f.set(.ticketDate, ctx.ticketDate)
        f.set(.ticketCues, ctx.ticketCues)
        f.set(.catalogKnown, !ctx.catalog.isEmpty)
        f.set(.catalogSize, ctx.catalog.models.count)
        f.set(.catalogListedByBundle, ctx.catalogFromBundle)
        f.set(.catalogListedEmpty, ctx.catalogListedEmpty)
        f.set(.catalogFromLocalServer, ctx.catalogFromLocalServer)
        // Every listed id carries a `:tag` (Ollama-style local server, not a gateway).
        f.set(.catalogTaggedOnly, ctx.memo.catalogTaggedOnly(ctx.catalog))
        f.set(.hints, e.hints.map(\.description).sorted())
        f.set(.sourceKinds, e.sourceKinds.map(\.rawValue).sorted())
        f.set(.missing, e.missing.map { $0.text(.en) })
        // `text`, `error.text`, `request.body`, `response.body`, `request_id` and
        // `response.content_length`: read from the exchange on use (see `derive`).
        return f
    }

        /// What the service that answered says of the name: it cannot serve it (another vendor's
    /// id), or the name breaks the service's id conventions (letter case, id shape).
    private static func deriveProvider(_ f: inout Facts, _ model: String, _ p: AliasTables.Provider, _ ctx: BundleContext) {
        let key = AliasTables.key(model)
        // `vendor/id` or `vendor:id` (the `provider:model` spelling of agent frameworks) sent to
        // that vendor: the prefix is the client's routing label (`model.vendor_prefixed`), and
        // the id after it is the vendor's own.
        let bare = routingStripped(key)
        let prefixed = bare != key && !p.serves.isEmpty && p.serves.contains { bare.hasPrefix($0) }
        if prefixed, f[.modelVendorPrefixed] == nil { f.set(.modelVendorPrefixed, String(model.suffix(bare.count))) }
        let foreign = !prefixed && p.isForeign(key, closed: ctx.aliases.closedIds)
        f.set(.modelForeignToProvider, foreign)
        guard !foreign else { return }
        if p.lowercase { f.set(.modelOffProviderCase, model != model.lowercased()) }
        if let shape = p.idShape { f.set(.modelOffProviderShape, !shape.occurs(in: key)) }
    }

    /// The id after a routing label: the last `/` part, or what follows a leading `word:`
    /// (`anthropic:claude-…`; an Ollama `name:tag` has its tag after the colon, so the part
    /// before a colon counts only when it is letters alone and something follows).
    static func routingStripped(_ key: String) -> String {
        let bare = key.split(separator: "/").last.map(String.init) ?? key
        if let colon = bare.firstIndex(of: ":"), colon != bare.startIndex,
           bare[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }),
           bare.index(after: colon) < bare.endIndex, bare[bare.index(after: colon)].isLetter {
            return String(bare[bare.index(after: colon)...])
        }
        return bare
    }

    /// Two names of one family whose `:tag`s differ and neither is a moving tag (`:latest`,
    /// `:free`…): on a local server `qwen3:4b` and `qwen3:32b` are two models, not one.
    static func differentSizeTags(_ a: String, _ b: String) -> Bool {
        func tag(_ s: String) -> Substring? { s.lastIndex(of: ":").map { s[s.index(after: $0)...] } }
        guard let ta = tag(a), let tb = tag(b), ta != tb else { return false }
        let moving: Set<Substring> = ["latest", "free", "beta", "extended", "nitro", "floor", "online", "thinking"]
        return !moving.contains(ta) && !moving.contains(tb)
    }

/// The facts that depend on the URL (and the bundle) only.
    private static func urlFacts(_ p: URLParts, rawURL: String?, _ ctx: BundleContext, versionless: Bool = false) -> [(FactKey, FactValue)] {
        var f = Facts()
        f.set(.host, p.host)
        // scheme://host[:port], what a fix text needs to spell the corrected base URL.
        if let h = p.hostAndPort { f.set(.origin, (p.scheme ?? "https") + "://" + h) }
        f.set(.port, p.port)
        f.set(.path, p.path)
        f.set(.query, p.query)
        f.set(.endpoint, p.endpoint.rawValue)
        f.set(.basePath, p.basePath)
        deriveBase(&f, p, hasHost: rawURL != nil, rawURL: rawURL, versionless: versionless)
        if let h = p.hostAndPort, !ctx.listHosts.isEmpty, p.endpoint != .models {
            f.set(.hostDiffersFromList, !ctx.listHosts.contains(h))
        }
        if let h = p.hostAndPort, !ctx.configuredHosts.isEmpty, rawURL != nil {
            f.set(.hostDiffersFromConfigured, !ctx.configuredHosts.contains(h))
        }
        if let h = p.host { f.set(.hostLoopback, isLoopback(h)) }
        return f.entries
    }

    /// A host name of this machine: `localhost`, `127.x.x.x`, `[::1]`, `0.0.0.0`.
    static func isLoopback(_ h: String) -> Bool {
        h == "localhost" || h.hasPrefix("127.") || h == "[::1]" || h == "0.0.0.0"
    }

    /// The known fields as (id, value) pairs, for the memo.
    var entries: [(FactKey, FactValue)] {
        slots.indices.compactMap { i in slots[i].map { (FactKey(slot: i), $0) } }
    }

    mutating func merge(_ entries: [(FactKey, FactValue)]) {
        for (k, v) in entries { slots[k.slot] = v }
    }

    /// Version segments a base path may carry.
    static let versionPattern = try! NSRegularExpression(pattern: #"/(v\d+(?:beta|alpha)?\d*|compatible-mode/v\d+|openai/deployments/[^/]+|api/paas/v\d+)(?=/|$)"#, options: [.caseInsensitive])

    fileprivate static func deriveBase(_ f: inout Facts, _ p: URLParts, hasHost: Bool, rawURL: String?, versionless: Bool = false) {
        let base = p.basePath
        let ns = base as NSString
        let matches = versionPattern.matches(in: base, range: NSRange(location: 0, length: ns.length))
        let versions = matches.map { ns.substring(with: $0.range(at: 1)).lowercased() }
        guard p.endpoint != .other else {
            f.set(.baseMalformed, malformed(p, rawURL))
            // An endpoint the shapes do not know (`…/api/v3/v1/chat/completion`, a typo or a
            // vendor's own route) still shows two version roots in a row.
            let path = p.path as NSString
            let roots = versionPattern.matches(in: p.path, range: NSRange(location: 0, length: path.length))
                .filter { !path.substring(with: $0.range(at: 1)).lowercased().hasPrefix("openai/deployments/") }
            if zip(roots, roots.dropFirst()).contains(where: { NSMaxRange($0.range) == $1.range.location }) {
                f.set(.baseVersionDuplicated, true)
            }
            return
        }
        let lower = base.lowercased()
        // A base ending in a local server's native endpoint (Ollama's `/api/chat`,
        // `/api/generate`, its list `/api/tags`) is an endpoint too; `/api` alone is that
        // server's root. Its defect is the endpoint in it: that server's native API has no
        // version to miss.
        let nativeEndpoint = Endpoint.nativeRoutes.contains { lower.hasSuffix($0.0) }
        // A call to a native route (`…:11434/api/embeddings`, whose `/embeddings` reads as an
        // OpenAI endpoint under the base `/api`): that API has no version to miss either.
        let nativeCall = Endpoint.nativeRoutes.contains { p.path.lowercased().hasSuffix($0.0) }
        f.set(.baseVersion, versions.last.map { "/" + $0 } ?? "")
        f.set(.baseVersionMissing, versions.isEmpty && !versionless && !nativeEndpoint && !nativeCall)
        var dup = false
        // Two version roots in a row, whatever their spelling: `/v1/v1`, `/v1/v2`, and a
        // vendor's own root followed by one the client appended (`/api/paas/v4/v1`,
        // `/compatible-mode/v1/v1`). A deployment segment is not a version root.
        // In a row, or the same root twice (`/openai/v1/openai/v1`); two different roots with a
        // path of the vendor's own between them (RunPod's `/v2/<endpoint>/openai/v1`) are one
        // API's address.
        let roots = matches.filter { !ns.substring(with: $0.range(at: 1)).lowercased().hasPrefix("openai/deployments/") }
        if zip(roots, roots.dropFirst()).contains(where: { NSMaxRange($0.range) == $1.range.location }) { dup = true }
        // The same root twice counts when the segment before it is the same too (`/openai/v1`
        // repeated); a relay's own path ending in the root it also starts with
        // (`/api/v1/ai/openai/codex/v1`) is one address.
        var before: [String: String] = [:]
        for m in roots {
            let name = ns.substring(with: m.range(at: 1)).lowercased()
            let head = ns.substring(to: m.range.location).lowercased().split(separator: "/").last.map(String.init) ?? ""
            if before[name] == head { dup = true }
            if before[name] == nil { before[name] = head }
        }
        if base.lowercased().contains("/v1/v1") { dup = true }
        f.set(.baseVersionDuplicated, dup)
        let endpoints = Endpoint.suffixes.map(\.0)
        // After a version root, a bare `/chat` is the chat endpoint cut short (`…/v1/chat`, so the
        // list is asked at `/v1/chat/models`).
        let fragment = !versions.isEmpty && (lower.hasSuffix("/chat") || lower.hasSuffix("/chat/"))
        // An endpoint appended after a query (`…/chat/completions?api-version=2024-02-01/v1/chat/completions`):
        // the base URL already held the endpoint and its query, and the client added its own.
        let afterQuery = p.query.map { q in q.contains("/") && endpoints.contains { q.lowercased().hasSuffix($0) } } ?? false
        // A base ending in a singular `/completion`: llama.cpp's native completion route, an
        // application's completion endpoint (DashScope's `/api/v1/apps/<id>/completion`). Not
        // right after a version root (`/v1/completion`): no server has that route, so such a
        // URL is a client's own wrong endpoint, not a base that holds one.
        var trimmedLower = Substring(lower)
        while trimmedLower.hasSuffix("/") { trimmedLower = trimmedLower.dropLast() }
        let singular = trimmedLower.hasSuffix("/completion")
            && !(trimmedLower.dropLast("/completion".count).split(separator: "/").last.map { seg in
                seg.count >= 2 && seg.first == "v" && seg.dropFirst().allSatisfy(\.isNumber) } ?? false)
        f.set(.baseIncludesEndpoint, endpoints.contains { lower.contains($0) } || nativeEndpoint || fragment || afterQuery || singular)
        f.set(.baseMalformed, malformed(p, rawURL))
        if let v = versions.last { f.set(.baseUnusualVersion, !(v == "v1")) }
    }

    private static func malformed(_ p: URLParts, _ raw: String?) -> Bool {
        if p.path.contains("//") { return true }
        // A base URL without its last slash joined to the endpoint with none between
        // (`…/api/v1` + `completions` = `/api/v1completions`, what the Python SDK's module-level
        // client does with a base URL that lacks the trailing slash it expects).
        if gluedVersion(p.path) { return true }
        if let raw {
            if raw.contains(" ") || raw.contains("%20") || raw.hasSuffix(" ") { return true }
            if !raw.hasPrefix("http://") && !raw.hasPrefix("https://") && raw.contains("://") { return true }
        }
        return false
    }

    /// The endpoint names `gluedVersion` looks for, lower-case bytes, made once.
    private static let gluedEndpointNames: [[UInt8]] =
        ["chat/completions", "completions", "models", "embeddings", "responses", "messages"].map { Array($0.utf8) }

    /// `/v1completions`, `/v1chat/completions`, `/v2models`: a version segment with an endpoint
    /// glued to it.
    static func gluedVersion(_ path: String) -> Bool {
        // On bytes: this runs for every distinct request URL of a bundle.
        let u = Array(path.utf8)
        let names = gluedEndpointNames
        var i = 0
        while i + 2 < u.count {
            defer { i += 1 }
            guard u[i] == 0x2F, u[i + 1] | 0x20 == 0x76 else { continue }
            var j = i + 2
            while j < u.count, u[j] >= 0x30, u[j] <= 0x39 { j += 1 }
            guard j > i + 2 else { continue }
            for n in names where j + n.count <= u.count {
                guard zip(u[j..<(j + n.count)], n).allSatisfy({ ($0 | 0x20) == $1 }) else { continue }
                let end = j + n.count
                if end == u.count || u[end] == 0x2F || u[end] == 0x3F { return true }
            }
        }
        return false
    }

    /// A body that is an object or array with balanced ends: cheap, and enough to tell JSON
    /// from form-encoded or plain-text bodies (a full parse per exchange cost more than all
    /// the rules together on large bundles).
    /// Whether a body opens with `<!doctype html` or `<html` (any case) after leading
    /// whitespace: on bytes, since every response body of a large log passes here (a Foundation
    /// trim and lowercase of its head cost more than the rest of the facts).
    static func startsLikeHTML(_ body: String) -> Bool {
        var u = body.utf8[...]
        while let b = u.first, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C { u = u.dropFirst() }
        // A body that starts with a byte-order mark or another Unicode space is rare: the old way.
        if let b = u.first, b >= 0x80 {
            let head = body.prefix(512).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
        }
        func opens(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard u.count >= n else { return false }
            var i = u.startIndex
            for k in 0..<n {
                var b = u[i]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != word.utf8Start[k] { return false }
                i = u.index(after: i)
            }
            return true
        }
        return opens("<!doctype html") || opens("<html")
    }

    static func looksLikeJSON(_ body: String) -> Bool {
        let u = body.utf8
        guard let first = u.first(where: { $0 > 0x20 }), let last = u.last(where: { $0 > 0x20 }) else { return false }
        return (first == UInt8(ascii: "{") && last == UInt8(ascii: "}")) || (first == UInt8(ascii: "[") && last == UInt8(ascii: "]"))
    }

    private static func deriveModel(_ f: inout Facts, _ model: String, _ host: String?, _ ctx: BundleContext) {
        f.set(.modelHasSpace, model.contains(" "))
        f.set(.modelHasUpper, model != model.lowercased())
        let key = AliasTables.key(model)
        f.set(.aliasLegacy, AliasTables.lookup(ctx.aliases.legacy, key))
        // Dated knowledge: the day the name was retired, against the bundle's own day (ISO days
        // compare as text). Unknown when either is.
        if let retired = AliasTables.lookup(ctx.aliases.retired, key) {
            f.set(.aliasRetired, retired)
            if let day = ctx.ticketDate { f.set(.modelRetiredAfterTicket, day < retired) }
        }
        // A display name is a bare name: `org/model` is an aggregator's own id (NVIDIA's
        // `deepseek-ai/deepseek-r1`, OpenRouter's `deepseek/deepseek-r1`), not DeepSeek's name;
        // `name:tag` is a local model server's id (Ollama's `deepseek-r1:8b`), not a display name.
        if !model.contains("/") && !model.contains(":") {
            f.set(.aliasMarketing, AliasTables.lookup(ctx.aliases.marketing, key) ?? ctx.aliases.marketing[Catalog.bare(model)])
        }
        f.set(.aliasClientDefault, AliasTables.lookupKeys(key).contains(where: ctx.aliases.clientDefaults.contains))
        // The host the name went to: the call's own, else the one base URL the ticket configures.
        if let h = host ?? ctx.soleConfiguredHost, let own = ctx.aliases.providerHosts[h] {
            // A vendor prefix sent to that vendor's own API (`deepseek/deepseek-reasoner` to
            // api.deepseek.com): the rest is the vendor's id, the prefix a client's routing label.
            if let slash = key.firstIndex(of: "/") {
                let rest = key[key.index(after: slash)...]
                if own.contains(where: { rest.hasPrefix($0) }) { f.set(.modelVendorPrefixed, String(model.suffix(rest.count))) }
            }
            // Served by this first-party host only if the id starts with one of its prefixes.
            if host != nil { f.set(.modelForeignToHost, !own.contains { key.hasPrefix($0) } && f[.modelVendorPrefixed] == nil) }
            // A call whose URL the paste does not give went, as far as the ticket tells, to the
            // one base URL it configures: that host, when it is a provider's own API that does
            // not serve the id (a rule weighs this below a URL the call itself shows).
            else if !own.contains(where: { key.hasPrefix($0) }), f[.modelVendorPrefixed] == nil { f.set(.modelForeignToConfiguredHost, h) }
        }
        let bareName = key.split(separator: "/").last.map(String.init) ?? key
        if let (family, suffix) = ctx.aliases.requiredSuffixes.first(where: { bareName.hasPrefix($0.key) && !bareName.hasSuffix($0.value) }) {
            _ = family
            f.set(.aliasMissingSuffix, model + suffix)
        }
        // The settings or the customer name a model, and the call sent another one: the
        // client replaced the configured model (its own default, a stale selection).
        let configured = ctx.signals.filter { $0.name == .configuredModel }.compactMap(\.value)
        if !configured.isEmpty {
            let sent = AliasTables.lookupKeys(key)
            f.set(.modelDiffersFromConfigured, !configured.contains { c in
                let keys = AliasTables.lookupKeys(AliasTables.key(c))
                return keys.contains { sent.contains($0) } && !differentSizeTags(AliasTables.key(c), key)
            })
            // The settings name `ns/x` and the call sent `x` (or `a/ns/x` and sent `ns/x`): the
            // client dropped a namespace part the server's id needs (`openrouter/…` ids on
            // OpenRouter, `org/model` ids on a relay).
            let lower = model.lowercased()
            f.set(.modelConfiguredNamespaced, configured.first { c in
                let cl = c.lowercased()
                return cl.count > lower.count + 1 && cl.hasSuffix("/" + lower)
            })
            // The settings name `Vendor/Model-X` and the call sent `vendor/model-x`: the client
            // changed the letter case of the configured name on the way, and a server whose ids
            // are case-sensitive refuses it.
            f.set(.modelConfiguredCase, configured.first { c in c != model && c.lowercased() == lower })
            // The settings name `x:tag` (or `x@v2`) and the call sent `x`: the client cut the
            // tag off the configured name. Not `x-…`: `gpt-4-32k` is another model than `gpt-4`.
            f.set(.modelConfiguredExtended, configured.first { c in
                let cl = c.lowercased()
                guard cl.count > lower.count + 1, cl.hasPrefix(lower) else { return false }
                return ":@".contains(cl[cl.index(cl.startIndex, offsetBy: lower.count)])
            })
        }
        // The settings remove this very model from the client's list (`CUSTOM_MODELS=-x`), yet
        // a call named it: the client sent it by itself.
        let disabled = ctx.signals.filter { $0.name == .disabledModel }.compactMap(\.value)
        if !disabled.isEmpty {
            let sent = AliasTables.lookupKeys(key)
            f.set(.modelDisabledBySettings, disabled.contains { d in AliasTables.lookupKeys(AliasTables.key(d)).contains { sent.contains($0) } })
        }
        // The gateway's log says it failed to set up this model's deployment at start-up.
        let undeployed = ctx.signals.filter { $0.name == .gatewayDeploymentError }.compactMap(\.value)
        if !undeployed.isEmpty {
            f.set(.modelDeploymentFailed, undeployed.contains { AliasTables.key($0) == key })
        }
        // The customer wrote the name in another letter case somewhere (ticket text vs error),
        // also behind a routing prefix the client strips (`-m huggingface/org/Kimi-K2` refused
        // as `org/kimi-k2`: the client lower-cased it).
        let modelLower = model.lowercased()
        f.set(.modelCaseVariantMentioned, ctx.signals.lazy.compactMap { s -> String? in
            guard s.name == .mentionedModel, let v = s.value, v != model else { return nil }
            let vl = v.lowercased()
            if vl == modelLower { return v }
            guard vl.hasSuffix("/" + modelLower), v.count > model.count else { return nil }
            let tail = String(v.suffix(model.count))
            return tail != model && tail.lowercased() == modelLower ? tail : nil
        }.first)
        if !ctx.catalog.isEmpty {
            let m = ctx.memo.catalog(model) { ctx.catalog.match(model, suffixes: ctx.aliases.suffixes, bareIsLatest: ctx.catalogFromLocalServer) }
            f.set(.catalogExact, m.exact)
            f.set(.catalogCase, m.caseMatch)
            f.set(.catalogNormalized, m.normalized)
            f.set(.catalogNearest, m.nearest)
            f.set(.catalogDistance, m.distance)
            f.set(.catalogExtended, m.extended)
            // The invocation id of a display name, against the model list (the bundle's or the user's):
            // when the list the gateway gave does not offer it either, the display name is not
            // what keeps the call from working.
            // A model repository's id (`Qwen/Qwen3-32B`, as on Hugging Face) whose model the
            // server lists under its own served name (`qwen3-32b`): the repository's name was
            // sent, not the name the server serves it as.
            if let slash = model.lastIndex(of: "/"), model.contains(where: \.isUppercase) {
                let repo = model[model.index(after: slash)...].lowercased()
                f.set(.modelRepositoryOfListed, ctx.catalog.models.first { $0.lowercased() == repo && $0 != model })
            }
            if case .string(let target)? = f[.aliasMarketing] {
                let t = target.lowercased()
                f.set(.aliasMarketingListed, ctx.catalog.models.contains { $0.lowercased() == t })
            }
        }
        if !ctx.extensionList.isEmpty {
            let retired = Catalog.longer(model, in: ctx.retiredExtensionList).flatMap { $0.dropFirst(model.count + 1).contains("-") ? nil : $0 }
            f.set(.knownExtended, Catalog.longer(model, in: ctx.extensionList) ?? retired)
        }
        if !ctx.knownList.isEmpty {
            let k = ctx.memo.known(model) { Catalog.match(model, in: ctx.knownList, suffixes: ctx.aliases.suffixes) }
            f.set(.knownExact, k.exact)
            f.set(.knownCase, k.caseMatch)
            f.set(.knownNormalized, k.normalized)
            if let d = k.distance, d <= 2 { f.set(.knownNearest, k.nearest) }

        }
    }
}

/// The base-path checks of `Facts.derive`, for a URL or path quoted in text (a request line
/// inside an error message, a URL pasted on its own): the findings stage uses them to tell a
/// message family's candidate causes apart when no exchange carries the URL.
public struct PathShape: Sendable, Hashable {
    public var endpoint: Endpoint
    public var versionMissing: Bool?
    public var versionDuplicated: Bool?
    public var includesEndpoint: Bool?
    public var malformed: Bool?
    /// The URL's host, lower-cased (a provider's conventions may answer the shape).
    public var host: String?

    /// The shape shows a known base-URL mistake (doubled version, endpoint in the base,
    /// doubled slash or whitespace): when several URLs are quoted, the one that explains a failure.
    public var isDefective: Bool {
        versionDuplicated == true || includesEndpoint == true || malformed == true
    }

    public init(url: String) {
        let p = URLParts(url: url)
        var f = Facts()
        Facts.deriveBaseShape(&f, p, rawURL: url)
        func flag(_ k: FactKey) -> Bool? { if case .bool(let b)? = f[k] { return b } else { return nil } }
        endpoint = p.endpoint
        host = p.host?.lowercased()
        versionMissing = flag(.baseVersionMissing)
        versionDuplicated = flag(.baseVersionDuplicated)
        includesEndpoint = flag(.baseIncludesEndpoint)
        malformed = flag(.baseMalformed)
        // A call to a local server's native route (`…:11434/api/chat`) asked a known route of
        // that API: its kind, no version missing, no endpoint inside a base.
        let path = p.path.lowercased()
        if endpoint == .other, let native = Endpoint.nativeRoutes.first(where: { path.hasSuffix($0.0) }) {
            endpoint = native.1
            versionMissing = false
            includesEndpoint = false
        }
    }
}

extension PathShape {
    /// The shape as a service that answers at its host's root (`versionless` providers) reads
    /// it: no version is missing from a path there.
    public func answered(by versionless: [AliasTables.Provider]) -> PathShape {
        guard versionMissing == true, let h = host, versionless.contains(where: { $0.serves(host: h) }) else { return self }
        var s = self
        s.versionMissing = false
        return s
    }
}

extension Facts {
    static func deriveBaseShape(_ f: inout Facts, _ p: URLParts, rawURL: String) {
        deriveBase(&f, p, hasHost: p.host != nil, rawURL: rawURL)
    }
}
