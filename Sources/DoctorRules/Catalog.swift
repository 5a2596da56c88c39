import DoctorModel
import DoctorParse
import Foundation

/// Alias tables shipped as data in `rules/` (a model rename is a data change, not a code
/// change): old → new names, marketing → invocation names, client default models, and a list of
/// well-known invocation names used when the bundle itself lists no models.
public struct AliasTables: Sendable, Hashable {
    /// Lowercased old name → new name.
    public var legacy: [String: String] = [:]
    /// Lowercased marketing/display name → invocation name.
    public var marketing: [String: String] = [:]
    /// Lowercased names clients send when no model was configured.
    public var clientDefaults: Set<String> = []
    /// Well-known invocation names (exact spelling).
    public var knownModels: Set<String> = []
    /// Extra suffixes stripped when normalising names (besides dates and `:tags`).
    public var suffixes: [String] = []
    /// Families whose ids always carry a variant suffix (`gemma-` → `-it`): a name of the
    /// family without it is not an id.
    public var requiredSuffixes: [String: String] = [:]
    /// First-party API hosts and the id prefixes of the models they serve
    /// (`api.deepseek.com: [deepseek-]`): another provider's model sent there is a wrong base URL.
    public var providerHosts: [String: [String]] = [:]
    /// Lowercased id → the day its vendor retired it (`2025-10-22`): a ticket dated before
    /// that day was written while the name still worked.
    public var retired: [String: String] = [:]
    /// Services that answer model calls, each recognised by its hosts, default ports, own error
    /// wordings or its name in the customer's words, with what it serves (`providers:`).
    public var providers: [Provider] = []
    /// Ids only their own vendor serves (`gpt-4o`, `claude-…`, `gemini-…`): a service that
    /// hosts open-weight models (`serves: open`) or a local model server never has them.
    public var closedIds: MessageFamilies.Pattern?

    /// One service that answers model calls, as `rules/aliases.yaml` describes it.
    public struct Provider: Sendable, Hashable {
        public var name: String
        public var hosts: [String] = []
        public var ports: [Int] = []
        /// Wordings only this service's error bodies carry.
        public var says: [MessageFamilies.Pattern] = []
        /// How the customer names the service (`groq`, `硅基流动`); none for a name that is also
        /// a model family's (deepseek, qwen), which prose uses for the model.
        public var named: [MessageFamilies.Pattern] = []
        /// Id prefixes it serves; empty when it serves any id (a router) or open models.
        public var serves: [String] = []
        /// It hosts open-weight models: another vendor's closed id is foreign to it.
        public var open = false
        /// Its ids are lower-case: a name with capitals is refused.
        public var lowercase = false
        /// The shape every id it serves has (Volcengine's dated `-250115`), besides `serves`.
        public var idShape: MessageFamilies.Pattern?
        /// Its API answers at the host's root without a version segment
        /// (`https://api.deepseek.com/chat/completions`): no version is missing there.
        public var versionless = false
        /// The API surfaces it serves (`chat`, `models`, `responses` …); empty when not known.
        /// A call to another one is a surface the service does not offer.
        public var endpoints: [String] = []

        public init(name: String) { self.name = name }

        /// True when `host` (lower-cased) is one of its hosts; an entry that starts with a dot
        /// (`.openai.azure.com`) stands for every host under that domain.
        public func serves(host: String) -> Bool {
            hosts.contains { $0.hasPrefix(".") ? host.hasSuffix($0) : $0 == host }
        }

        /// True when the service cannot serve `key` (a lower-cased name): outside its
        /// prefixes, or a closed vendor id on an open-model host.
        func isForeign(_ key: String, closed: MessageFamilies.Pattern?) -> Bool {
            if !serves.isEmpty { return !serves.contains { key.hasPrefix($0) } }
            if open, let closed { return closed.occurs(in: key) }
            return false
        }
    }

    public init() {}

    static func key(_ s: String) -> String { s.lowercased().trimmingCharacters(in: .whitespaces) }

    /// The spellings of one id to look up, most specific first: as written, then without the
    /// router's vendor prefix (`google/`, `openrouter/anthropic/`), then also without a
    /// variant tag or version pin (`:free`, `:beta`, `@2024-05-13`). Routers and gateways
    /// decorate a provider's id this way; the tables hold the provider's own ids.
    static func lookupKeys(_ key: String) -> [String] {
        var out = [key]
        let bare = key.split(separator: "/").last.map(String.init) ?? key
        if bare != key { out.append(bare) }
        for k in out {
            if let cut = k.firstIndex(where: { $0 == ":" || $0 == "@" }), cut != k.startIndex {
                let t = String(k[..<cut])
                if !out.contains(t) { out.append(t) }
            }
        }
        return out
    }

    /// The first table entry found under one of the id's lookup keys.
    static func lookup<V>(_ table: [String: V], _ key: String) -> V? {
        for k in lookupKeys(key) { if let v = table[k] { return v } }
        return nil
    }
}

/// The models a gateway offers: ids listed by any `/models` response in the bundle, plus any
/// catalog file the user passes (`--catalog`).
public struct Catalog: Sendable, Hashable {
    public var models: [String]
    public init(models: [String]) { self.models = Array(Set(models)).sorted() }
    public var isEmpty: Bool { models.isEmpty }

    /// How a requested name relates to a list of names.
    public struct Match: Sendable, Hashable {
        public var exact = false
        /// The listed name equal but for letter case.
        public var caseMatch: String?
        /// The listed name equal after normalisation (suffix, date, tag, provider prefix,
        /// spaces), when not a case-only difference.
        public var normalized: String?
        /// Closest listed name by edit distance, and the distance.
        public var nearest: String?
        public var distance: Int?
        /// A listed name that is this one plus a dash-separated part (`gemini-1.5` →
        /// `gemini-1.5-pro`): the name lacks a variant or version suffix. The shortest such
        /// name, then the first in order.
        public var extended: String?
    }

    /// Compares `name` with every listed model.
    /// - Complexity: O(m · n²) for m listed names of length n; catalogs are small.
    /// - Parameter bareIsLatest: the list is a local model server's, whose name without a tag
    ///   is its `:latest` (`llama2` is `llama2:latest` in an Ollama listing). Not so for a
    ///   gateway or an app that lists `x:latest` as a name of its own.
    public func match(_ name: String, suffixes: [String] = [], bareIsLatest: Bool = false) -> Match {
        Catalog.match(name, in: models, suffixes: suffixes, bareIsLatest: bareIsLatest)
    }

    public static func match(_ name: String, in list: [String], suffixes: [String] = [], bareIsLatest: Bool = false) -> Match {
        var m = Match()
        guard !list.isEmpty else { return m }
        if list.contains(name) { m.exact = true; m.nearest = name; m.distance = 0; return m }
        let latest = ":latest"
        if bareIsLatest, let same = name.contains(":") ? (name.hasSuffix(latest) ? String(name.dropLast(latest.count)) : nil) : name + latest,
           list.contains(same) {
            m.exact = true; m.nearest = same; m.distance = 0; return m
        }
        let lower = name.lowercased()
        m.caseMatch = list.first { $0.lowercased() == lower }
        if m.caseMatch == nil {
            let n = normalize(name, suffixes: suffixes)
            m.normalized = list.first { normalize($0, suffixes: suffixes) == n }
                ?? list.first { bare($0) == bare(name) && bare(name).count >= 3 }
        }
        m.extended = longer(name, in: list)
        var best: (String, Int)?
        for c in list {
            let d = Edit.distance(lower, c.lowercased())
            if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        m.nearest = best?.0
        m.distance = best?.1
        return m
    }

    /// The shortest id of `list` that is `name` plus a dash-separated part, compared without
    /// letter case (`gemini-1.5` → `gemini-1.5-pro`).
    public static func longer(_ name: String, in list: [String]) -> String? {
        let stem = name.lowercased() + "-"
        return list.filter { $0.lowercased().hasPrefix(stem) }.min { ($0.count, $0) < ($1.count, $1) }
    }

    /// Lowercased, provider prefix (`openai/`), `models/`, `:tag`, `@date`, `[1m]`, date and
    /// version suffixes (`-2024-08-06`, `-0613`, `-latest`, `-preview`, `-exp`) stripped, spaces
    /// and underscores as dashes.
    public static func normalize(_ name: String, suffixes: [String] = []) -> String {
        var s = name.lowercased().trimmingCharacters(in: .whitespaces)
        s = s.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        if s.hasPrefix("models/") { s.removeFirst(7) }
        if let slash = s.lastIndex(of: "/") { s = String(s[s.index(after: slash)...]) }
        if let at = s.firstIndex(where: { $0 == ":" || $0 == "@" || $0 == "[" }) { s = String(s[..<at]) }
        let patterns = [#"-\d{4}-\d{2}-\d{2}$"#, #"-\d{8}$"#, #"-\d{4}$"#, #"-\d{3}$"#, #"-\d{6}$"#]
        var changed = true
        let extra = ["-latest", "-preview", "-exp", "-experimental", "-beta", "-free", "-instruct", "-chat", "-it"] + suffixes
        while changed {
            changed = false
            for p in patterns {
                if let r = s.range(of: p, options: .regularExpression) { s.removeSubrange(r); changed = true }
            }
            for x in extra where s.hasSuffix(x) && s.count > x.count + 2 {
                s.removeLast(x.count); changed = true
            }
        }
        return s
    }

    /// Only letters and digits, lowercased (`GPT 4 Turbo` → `gpt4turbo`).
    static func bare(_ s: String) -> String { String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }

    /// Reads a catalog file: a plain list (one id per line, `#` comments), an OpenAI-style
    /// `/models` JSON body, a JSON array of ids, or a LiteLLM-style YAML config (`model_list:`
    /// entries with `model_name:`).
    /// - Throws: `CatalogError` naming the file (and line or byte offset) when the file cannot
    ///   be read or is none of these: a garbage file must never become a one-model catalog.
    public static func read(file: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "cannot read it" : "no such file"
            throw CatalogError(file: file, message: "cannot read catalog: \(reason)")
        }
        return try parse(text: String(decoding: data, as: UTF8.self), file: file)
    }

    /// The lenient form for callers that already trust the text: nil-free, empty when invalid.
    public static func parse(text: String) -> [String] {
        (try? parse(text: text, file: "catalog")) ?? []
    }

    /// Parses a catalog, refusing anything that is not one of the three accepted shapes.
    public static func parse(text: String, file: String) throws -> [String] {
        let shapes = "a catalog is one model id per line, an OpenAI /models JSON body, or a LiteLLM config (model_list: with model_name:)"
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            let bytes = Array(text.utf8)
            guard let json = JSONValue.parse(Data(bytes)) else {
                let e = bytes.withUnsafeBytes { HAR.firstSyntaxError($0) }
                throw CatalogError(file: file, line: e?.line, offset: e?.offset,
                                   message: "invalid JSON\(e.map { " at byte \($0.offset) (line \($0.line)): " + $0.message } ?? ""); \(shapes)")
            }
            var ids: [String]?
            if let listed = ResponseBody.listedModels(from: json) { ids = listed }
            else if let arr = json.array { ids = arr.compactMap { $0.string ?? $0["id"]?.string } }
            else if let models = json["models"]?.array { ids = models.compactMap { $0.string ?? $0["id"]?.string ?? $0["name"]?.string } }
            guard let ids, !ids.isEmpty else {
                throw CatalogError(file: file, line: 1, message: "JSON without any model id (no data[].id); \(shapes)")
            }
            return ids
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var out: [String] = []
        var sawModelName = false
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let r = line.range(of: "model_name:") {
                sawModelName = true
                let v = line[r.upperBound...].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !v.isEmpty { out.append(v) }
            }
        }
        if sawModelName {
            guard !out.isEmpty else { throw CatalogError(file: file, message: "LiteLLM config without any model_name value; \(shapes)") }
            return out
        }
        if trimmed.hasPrefix("model_list:") {
            throw CatalogError(file: file, line: 1, message: "LiteLLM config without any model_name entry; \(shapes)")
        }
        for (n, raw) in lines.enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let hash = line.range(of: " #") { line = line[..<hash.lowerBound].trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("- ") { line = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            guard isPlausibleModelID(line) else {
                let shown = line.count > 60 ? String(line.prefix(60)) + "…" : line
                throw CatalogError(file: file, line: n + 1, message: "`\(shown)` is not a model id; \(shapes)")
            }
            out.append(line)
        }
        guard !out.isEmpty else { throw CatalogError(file: file, message: "no model id found; \(shapes)") }
        return out
    }

    /// Letters, digits and `. _ - : / @ + [ ]`, starting with a letter or digit, at most 200
    /// characters: what gateways and providers use as model ids.
    static func isPlausibleModelID(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.count <= 200,
              CharacterSet.alphanumerics.contains(first) else { return false }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-:/@+[]"))
        return s.unicodeScalars.allSatisfy { allowed.contains($0) }
    }
}

/// A catalog file that cannot be used: where (file, line or byte offset) and why.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var offset: Int?
    public var message: String

    public init(file: String, line: Int? = nil, offset: Int? = nil, message: String) {
        self.file = file; self.line = line; self.offset = offset; self.message = message
    }

    /// `file:line`, `file@offset` or `file`.
    public var location: String {
        if let offset { return "\(file)@\(offset)" }
        if let line { return "\(file):\(line)" }
        return file
    }

    public var description: String { "\(location): \(message)" }

    public var problem: Problem { Problem(.error, location: location, message: message) }
}
