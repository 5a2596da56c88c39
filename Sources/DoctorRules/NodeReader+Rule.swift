import DoctorModel
import DoctorParse
import Foundation

internal import Yams

extension NodeReader {
    static let ruleKeys: Set<String> = [
        "id", "cause", "symptom", "severity", "confidence", "scope", "title", "message", "fix", "ask",
        "subject", "when", "against", "supersedes", "requires", "examples", "rationale",
    ]

    mutating func rule(_ node: Node, pack: String) -> Rule? {
        guard let m = node.mapping else { error(node, "a rule is a mapping"); return nil }
        let f = fields(m, at: node, allowed: Self.ruleKeys)
        let errorsBefore = errors.count
        guard let id = f["id"].flatMap({ string($0) }) else { error(node, "rule without `id`"); return nil }
        func need(_ key: String) -> Node? {
            if let n = f[key] { return n }
            error(node, "rule `\(id)`: missing `\(key)`")
            return nil
        }
        let cause = need("cause").flatMap { string($0) } ?? ""
        let symptom = f["symptom"].flatMap { string($0) } ?? "either"
        if let s = f["symptom"], !CauseTaxonomy.symptoms.contains(symptom) {
            error(s, "unknown symptom `\(symptom)`; one of \(CauseTaxonomy.symptoms.joined(separator: ", "))")
        }
        var severity = Severity.medium
        if let s = need("severity"), let v = string(s) {
            if let sev = Severity(rawValue: v) { severity = sev } else { error(s, "unknown severity `\(v)`; one of info, low, medium, high, critical") }
        }
        var confidence = 0.5
        if let c = need("confidence"), let v = double(c) {
            if v < 0 || v > 1 { error(c, "confidence must be between 0 and 1") } else { confidence = v }
        }
        var scope = Rule.Scope.exchange
        if let s = f["scope"], let v = string(s) {
            if let sc = Rule.Scope(rawValue: v) { scope = sc } else { error(s, "unknown scope `\(v)`; exchange or bundle") }
        }
        let title = need("title").flatMap { localized($0) } ?? LocalizedText(en: id)
        let message = need("message").flatMap { localized($0) } ?? LocalizedText(en: "")
        let fix = need("fix").flatMap { localized($0) } ?? LocalizedText(en: "")
        let when = need("when").flatMap { condition($0) }
        let against = f["against"].flatMap { condition($0) }
        var fire: [RuleExample] = [], quiet: [RuleExample] = []
        if let ex = f["examples"] {
            if let em = ex.mapping {
                let ef = fields(em, at: ex, allowed: ["fire", "quiet"])
                fire = ef["fire"].map { examples($0) } ?? []
                quiet = ef["quiet"].map { examples($0) } ?? []
            } else { error(ex, "`examples` is a mapping with `fire` and `quiet` lists") }
        }
        guard errors.count == errorsBefore || !errors[errorsBefore...].contains(where: { $0.level == .error }),
              let when else { return nil }
        var marks = RuleMarks()
        marks.cause = f["cause"].map(pos)
        marks.subject = f["subject"].map(pos)
        for part in ["title", "message", "fix", "ask"] {
            guard let n = f[part] else { continue }
            if n.scalar != nil { marks.texts[part + ".en"] = pos(n); continue }
            for (k, v) in n.mapping ?? [:] { if let lang = k.string { marks.texts[part + "." + lang] = pos(v) } }
        }
        marks.supersedes = f["supersedes"].map(itemPositions) ?? []
        marks.requires = f["requires"].map(itemPositions) ?? []
        return Rule(id: id, cause: cause, symptom: symptom, severity: severity, confidence: confidence, scope: scope,
                    title: title, message: message, fix: fix, ask: f["ask"].flatMap { localized($0) },
                    subject: f["subject"].flatMap { string($0) }, when: when, against: against,
                    supersedes: f["supersedes"].map { strings($0) } ?? [],
                    requires: f["requires"].map { strings($0) } ?? [],
                    examplesFire: fire, examplesQuiet: quiet, position: pos(node), pack: pack, marks: marks)
    }

    /// Positions of a scalar or of each item of a list (as `strings(_:)` reads them).
    func itemPositions(_ node: Node) -> [RulePosition] {
        if let seq = node.sequence { return seq.map(pos) }
        return [pos(node)]
    }

    /// The `causes:` list of a file: plain keys a pack adds, or full entries
    /// (`{key, symptom, title, description}`, as in `rules/causes.yaml`).
    mutating func causes(_ node: Node, pack: String) -> (keys: [String], definitions: [CauseDefinition]) {
        guard let seq = node.sequence else { return (strings(node), []) }
        var keys: [String] = [], defs: [CauseDefinition] = []
        for item in seq {
            if item.scalar != nil { if let k = string(item) { keys.append(k) }; continue }
            guard let m = item.mapping else { error(item, "a cause is a key or {key, symptom, title, description}"); continue }
            let f = fields(m, at: item, allowed: ["key", "symptom", "title", "description", "rivals"])
            guard let key = f["key"].flatMap({ string($0) }) else { error(item, "cause without `key`"); continue }
            keys.append(key)
            var symptom = "either"
            if let s = f["symptom"], let v = string(s) {
                if ["model-list-empty", "model-not-found", "either"].contains(v) { symptom = v }
                else { error(s, "unknown symptom `\(v)`; one of model-list-empty, model-not-found, either") }
            }
            guard let title = f["title"].flatMap({ localized($0) }) else { error(item, "cause `\(key)`: missing `title`"); continue }
            guard let description = f["description"].flatMap({ localized($0) }) else { error(item, "cause `\(key)`: missing `description`"); continue }
            var def = CauseDefinition(key: key, symptom: symptom, title: title, description: description, pack: pack, position: pos(item))
            for r in f["rivals"]?.sequence.map({ Array($0) }) ?? [] {
                guard let rm = r.mapping else { error(r, "a rival is {cause, tell}"); continue }
                let rf = fields(rm, at: r, allowed: ["cause", "tell"])
                guard let c = rf["cause"].flatMap({ string($0) }), let tell = rf["tell"].flatMap({ localized($0) }) else {
                    error(r, "a rival needs `cause` and `tell`"); continue
                }
                def.rivals.append(.init(cause: c, tell: tell, position: pos(r)))
            }
            defs.append(def)
        }
        return (keys, defs)
    }

    mutating func examples(_ node: Node) -> [RuleExample] {
        guard let seq = node.sequence else { error(node, "expected a list of examples"); return [] }
        var out: [RuleExample] = []
        for item in seq {
            if item.scalar != nil {
                if let t = string(item) { out.append(RuleExample(text: t, file: nil, filename: "example.log", catalog: [], position: pos(item))) }
                continue
            }
            guard let m = item.mapping else { error(item, "an example is text or {text|file, name, filename, catalog}"); continue }
            let f = fields(m, at: item, allowed: ["text", "file", "files", "name", "filename", "catalog"])
            let text = f["text"].flatMap { string($0) }, file = f["file"].flatMap { string($0) }
            var extra: [(String, String)] = []
            if let fm = f["files"] {
                if let mm = fm.mapping {
                    for (k, v) in mm { if let name = string(k), let body = string(v) { extra.append((name, body)) } }
                } else { error(fm, "`files` maps file names to their text") }
            }
            if [text != nil, file != nil, !extra.isEmpty].filter({ $0 }).count != 1 {
                error(item, "an example has exactly one of `text`, `file` or `files`"); continue
            }
            var ex = RuleExample(name: f["name"].flatMap { string($0) }, text: text, file: file,
                                 filename: f["filename"].flatMap { string($0) } ?? "example.log",
                                 catalog: f["catalog"].map { strings($0) } ?? [], position: pos(item))
            ex.files = extra
            out.append(ex)
        }
        return out
    }

    static let opKeys: [String: FieldTest.Op] = Dictionary(uniqueKeysWithValues: FieldTest.Op.allCases.map { ($0.rawValue, $0) })

    /// A condition node: `{all: […]}`, `{any: […]}`, `{not: …}`, `{exists: …}`, `{none: …}`,
    /// `{count: …, gte: 2}`, `{ref: name}`, `{signal: name}`, or a field test
    /// `{field: f, <op>: value, ignore_case: true}`. A list is shorthand for `all`.
    mutating func condition(_ node: Node) -> Condition? {
        if let seq = node.sequence { return .all(seq.compactMap { condition($0) }) }
        guard let m = node.mapping else { error(node, "a condition is a mapping (all/any/not/exists/none/count/ref/signal/field)"); return nil }
        var keys: [String: Node] = [:]
        for (k, v) in m { if let s = k.string { keys[s] = v } }
        if keys["field"] != nil {
            guard let fname = string(keys["field"]!) else { return nil }
            return fieldTest(m, at: node, field: fname, allowedExtra: ["field"]).map { .test($0) }
        }
        if let v = keys["signal"] {
            guard let name = string(v) else { return nil }
            if keys.count == 1 { return .signal(name, nil, pos(v)) }
            return fieldTest(m, at: node, field: "signal.value", allowedExtra: ["signal"]).map { .signal(name, $0, pos(v)) }
        }
        if let v = keys["all"] { _ = fields(m, at: node, allowed: ["all"]); return .all(list(v)) }
        if let v = keys["any"] { _ = fields(m, at: node, allowed: ["any"]); return .any(list(v)) }
        if let v = keys["not"] { _ = fields(m, at: node, allowed: ["not"]); return condition(v).map { .not($0) } }
        if let v = keys["exists"] { _ = fields(m, at: node, allowed: ["exists"]); return condition(v).map { .exists($0) } }
        if let v = keys["none"] { _ = fields(m, at: node, allowed: ["none"]); return condition(v).map { .none($0) } }
        if let v = keys["ref"] { _ = fields(m, at: node, allowed: ["ref"]); return string(v).map { .ref($0, pos(v)) } }
        if let v = keys["count"] {
            let f = fields(m, at: node, allowed: Set(["count"] + Comparison.allCases.map(\.rawValue)))
            guard let inner = condition(v) else { return nil }
            for c in Comparison.allCases { if let n = f[c.rawValue], let d = double(n) { return .count(inner, c, d) } }
            error(node, "`count` needs a comparison: gt, gte, lt, lte or eq")
            return nil
        }
        error(node, "unknown condition; use all, any, not, exists, none, count, ref, signal or field")
        return nil
    }

    private mutating func list(_ node: Node) -> [Condition] {
        guard let seq = node.sequence else { error(node, "expected a list of conditions"); return [] }
        return seq.compactMap { condition($0) }
    }

    private mutating func fieldTest(_ m: Node.Mapping, at node: Node, field: String, allowedExtra: Set<String>) -> FieldTest? {
        let f = fields(m, at: node, allowed: allowedExtra.union(Self.opKeys.keys).union(["ignore_case"]))
        let ops = f.keys.compactMap { Self.opKeys[$0] }
        guard ops.count == 1, let op = ops.first, let operand = f[op.rawValue] else {
            error(node, "a field test has exactly one operator: \(FieldTest.Op.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        let ignoreCase = f["ignore_case"].flatMap { bool($0) } ?? false
        var test = FieldTest(field: field, op: op, values: [], boolValue: true, ignoreCase: ignoreCase, regex: nil, position: pos(node))
        switch op {
        case .exists, .empty:
            test.boolValue = bool(operand) ?? true
        case .in, .containsAny:
            test.values = strings(operand)
        case .gt, .gte, .lt, .lte:
            if let d = double(operand) { test.values = [String(d)] }
        case .matches:
            guard let pattern = string(operand) else { return nil }
            test.values = [pattern]
            do {
                test.regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
            } catch {
                self.error(operand, "invalid regular expression: \(pattern)")
                return nil
            }
            if let problem = RegexRisk.problem(in: pattern) { self.error(operand, problem) }
        default:
            if let s = string(operand) { test.values = [s] }
        }
        if ignoreCase { test.values = test.values.map { $0.lowercased() } }
        return test
    }

    mutating func readAliases(_ node: Node, into tables: inout AliasTables) {
        guard let m = node.mapping else { error(node, "`aliases` is a mapping"); return }
        let f = fields(m, at: node, allowed: ["legacy", "marketing", "client_defaults", "known_models", "suffixes", "required_suffixes", "provider_hosts", "providers", "closed_ids", "retired"])
        func pairs(_ n: Node?) -> [(String, String)] {
            guard let n else { return [] }
            guard let pm = n.mapping else { error(n, "expected a mapping of old name: new name"); return [] }
            return pm.compactMap { k, v in
                guard let a = string(k), let b = string(v) else { return nil }
                return (a, b)
            }
        }
        for (a, b) in pairs(f["legacy"]) { tables.legacy[AliasTables.key(a)] = b }
        for (a, b) in pairs(f["marketing"]) { tables.marketing[AliasTables.key(a)] = b }
        if let n = f["client_defaults"] { tables.clientDefaults.formUnion(strings(n).map(AliasTables.key)) }
        if let n = f["known_models"] { tables.knownModels.formUnion(strings(n)) }
        if let n = f["suffixes"] { tables.suffixes += strings(n) }
        for (a, b) in pairs(f["required_suffixes"]) { tables.requiredSuffixes[AliasTables.key(a)] = b }
        if let n = f["provider_hosts"] {
            if let pm = n.mapping {
                for (k, v) in pm { if let host = string(k) { tables.providerHosts[host.lowercased()] = strings(v).map { $0.lowercased() } } }
            } else { error(n, "`provider_hosts` maps an API host to the id prefixes it serves") }
        }
        for (a, b) in pairs(f["retired"]) {
            guard b.count == 10, b.allSatisfy({ $0.isNumber || $0 == "-" }), b.dropFirst(4).first == "-" else {
                error(f["retired"]!, "`retired` maps an id to the day it was retired, as YYYY-MM-DD (`\(a)`: `\(b)`)"); continue
            }
            tables.retired[AliasTables.key(a)] = b
        }
        if let n = f["closed_ids"] { tables.closedIds = pattern(n) }
        if let n = f["providers"] {
            guard let list = n.sequence else { error(n, "`providers` is a list of services"); return }
            for item in list { if let p = readProvider(item) { tables.providers.append(p) } }
            // A service with a fixed list of prefixes is a first-party API: its hosts say what
            // they serve (`model.foreign_to_host`).
            for p in tables.providers where !p.serves.isEmpty {
                for h in p.hosts where tables.providerHosts[h] == nil { tables.providerHosts[h] = p.serves }
            }
        }
    }

    /// One entry of `providers:`.
    private mutating func readProvider(_ node: Node) -> AliasTables.Provider? {
        guard let m = node.mapping else { error(node, "a provider is a mapping (name, hosts, ports, says, named, serves, lowercase, id_shape, versionless, endpoints)"); return nil }
        let f = fields(m, at: node, allowed: ["name", "hosts", "ports", "says", "named", "serves", "lowercase", "id_shape", "versionless", "endpoints"])
        guard let nameNode = f["name"], let name = string(nameNode) else { error(node, "a provider needs a `name`"); return nil }
        var p = AliasTables.Provider(name: name)
        if let n = f["hosts"] { p.hosts = strings(n).map { $0.lowercased() } }
        if let n = f["ports"] { p.ports = strings(n).compactMap { Int($0) } }
        if let n = f["says"] { p.says = strings(n).compactMap { compile($0, at: n) } }
        if let n = f["named"] { p.named = strings(n).compactMap { compile($0, at: n) } }
        if let n = f["serves"] {
            if n.scalar?.string == "open" { p.open = true } else { p.serves = strings(n).map { $0.lowercased() } }
        }
        if let n = f["lowercase"] { p.lowercase = bool(n) ?? false }
        if let n = f["id_shape"] { p.idShape = pattern(n) }
        if let n = f["versionless"] { p.versionless = bool(n) ?? false }
        if let n = f["endpoints"] {
            let names = strings(n)
            for e in names where Endpoint(rawValue: e) == nil || e == "other" {
                error(n, "unknown endpoint `\(e)` (one of \(Endpoint.allCases.filter { $0 != .other }.map(\.rawValue).joined(separator: ", ")))")
            }
            p.endpoints = names.filter { Endpoint(rawValue: $0) != nil && $0 != "other" }
        }
        return p
    }

    private mutating func pattern(_ n: Node) -> MessageFamilies.Pattern? {
        guard let s = string(n) else { error(n, "expected a regular expression"); return nil }
        return compile(s, at: n)
    }

    /// A case-blind pattern of the alias tables (a wording, a name, an id shape).
    private mutating func compile(_ s: String, at n: Node) -> MessageFamilies.Pattern? {
        if let problem = RegexRisk.problem(in: s) { error(n, problem); return nil }
        guard let re = try? NSRegularExpression(pattern: s, options: [.caseInsensitive]) else { error(n, "bad regular expression `\(s)`"); return nil }
        return MessageFamilies.Pattern(source: s, regex: re)
    }
}

/// Flags regular expressions that can backtrack catastrophically: a quantified group that
/// itself contains an unbounded quantifier (`(a+)+`, `(.*)*`, `(\w+\s?)+`).
enum RegexRisk {
    static func problem(in pattern: String) -> String? {
        var stack: [Bool] = []  // per open group: contains an unbounded quantifier
        var chars = Array(pattern)
        var i = 0
        var escaped = false
        while i < chars.count {
            let c = chars[i]
            if escaped { escaped = false; i += 1; continue }
            if c == "\\" { escaped = true; i += 1; continue }
            if c == "(" { stack.append(false) }
            else if (c == "+" || c == "*"), !stack.isEmpty { stack[stack.count - 1] = true }
            else if c == ")" {
                let inner = stack.popLast() ?? false
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if inner && (next == "+" || next == "*" || next == "{") {
                    return "regular expression may backtrack catastrophically (nested unbounded quantifiers near column \(i + 1)); rewrite without a quantified group containing + or *"
                }
                if inner, !stack.isEmpty { stack[stack.count - 1] = true }
            }
            i += 1
        }
        chars.removeAll()
        return nil
    }
}
