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

    public init() {}

    static func key(_ s: String) -> String { s.lowercased().trimmingCharacters(in: .whitespaces) }
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
    }

    /// Compares `name` with every listed model.
    /// - Complexity: O(m · n²) for m listed names of length n; catalogs are small.
    public func match(_ name: String, suffixes: [String] = []) -> Match {
        Catalog.match(name, in: models, suffixes: suffixes)
    }

    public static func match(_ name: String, in list: [String], suffixes: [String] = []) -> Match {
        var m = Match()
        guard !list.isEmpty else { return m }
        if list.contains(name) { m.exact = true; m.nearest = name; m.distance = 0; return m }
        let lower = name.lowercased()
        m.caseMatch = list.first { $0.lowercased() == lower }
        if m.caseMatch == nil {
            let n = normalize(name, suffixes: suffixes)
            m.normalized = list.first { normalize($0, suffixes: suffixes) == n }
                ?? list.first { bare($0) == bare(name) && bare(name).count >= 3 }
        }
        var best: (String, Int)?
        for c in list {
            let d = Edit.distance(lower, c.lowercased())
            if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        m.nearest = best?.0
        m.distance = best?.1
        return m
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
    public static func read(file: String) throws -> [String] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return parse(text: text)
    }

    public static func parse(text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("["), let json = JSONValue.parse(trimmed) {
            if let ids = ResponseBody.listedModels(from: json) { return ids }
            if let arr = json.array { return arr.compactMap { $0.string ?? $0["id"]?.string } }
            if let models = json["models"]?.array { return models.compactMap { $0.string ?? $0["id"]?.string ?? $0["name"]?.string } }
        }
        var out: [String] = []
        var sawModelName = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let r = line.range(of: "model_name:") {
                sawModelName = true
                let v = line[r.upperBound...].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !v.isEmpty { out.append(v) }
            }
        }
        if sawModelName { return out }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    }
}
