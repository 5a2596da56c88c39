import DoctorModel
import DoctorParse
import Foundation

/// Checks rule packs beyond what loading already refuses: unknown causes, fields, signals and
/// placeholders, `supersedes` targets and cycles, duplicate ids, unknown `ref`s and subjects
/// (errors: `RuleAcceptance` refuses the pack), missing translations and rules without examples
/// (warnings: the pack is used, English stands in for Chinese, the rule is untested). Each issue
/// carries `file:line:column`.
public enum RuleLint {
    public static func lint(_ loaded: RuleLoader.Result) -> [RuleError] {
        sorted(loaded.errors + checks(loaded))
    }

    package static func sorted(_ issues: [RuleError]) -> [RuleError] {
        issues.sorted { ($0.position.file, $0.position.line, $0.position.column, $0.message) < ($1.position.file, $1.position.line, $1.position.column, $1.message) }
    }

    /// The checks beyond loading, without the loader's own errors.
    package static func checks(_ loaded: RuleLoader.Result) -> [RuleError] {
        var issues: [RuleError] = []
        let causes = loaded.causes
        let defs = loaded.definitions
        var ids: [String: RulePosition] = [:]
        for pack in loaded.packs {
            for (_, d) in pack.definitions { issues += check(d, defs: defs) }
            for r in pack.rules {
                if let first = ids[r.id], first.file == r.position.file {
                    issues.append(RuleError(r.position, "duplicate rule id `\(r.id)` (first at \(first))"))
                }
                ids[r.id] = r.position
                if !causes.contains(r.cause) {
                    issues.append(RuleError(r.marks.cause ?? r.position, "rule `\(r.id)`: unknown cause `\(r.cause)`\(nearest(r.cause, in: causes)); add it to rules/causes.yaml (or list it under the pack's `causes:`)"))
                }
                for (name, t) in [("title", r.title), ("message", r.message), ("fix", r.fix)] where t.zh == nil {
                    issues.append(RuleError(r.position, "rule `\(r.id)`: `\(name)` has no Chinese (zh) translation (the English text is shown)", level: .warning))
                }
                if r.examplesFire.isEmpty || r.examplesQuiet.isEmpty {
                    issues.append(RuleError(r.position, "rule `\(r.id)`: needs at least one `fire` and one `quiet` example (the rule is untested)", level: .warning))
                }
                issues += check(r.when, defs: defs)
                if let a = r.against { issues += check(a, defs: defs) }
                if let s = r.subject, FactKey.named(s) == nil {
                    issues.append(RuleError(r.marks.subject ?? r.position, "rule `\(r.id)`: unknown subject field `\(s)`\(nearestField(s))"))
                }
                for (i, f) in r.requires.enumerated() where FactKey.named(f) == nil {
                    issues.append(RuleError(mark(r.marks.requires, i, r), "rule `\(r.id)`: `requires` names unknown field `\(f)`\(nearestField(f))"))
                }
                for (i, c) in r.supersedes.enumerated() where !causes.contains(c) {
                    issues.append(RuleError(mark(r.marks.supersedes, i, r), "rule `\(r.id)`: supersedes unknown cause `\(c)`\(nearest(c, in: causes)); cause keys are listed in rules/causes.yaml"))
                }
                issues += placeholders(r)
            }
        }
        let cueNames = Set(loaded.families.cues.map(\.name))
        for fam in loaded.families.families {
            for c in fam.candidates where !causes.contains(c.cause) {
                issues.append(RuleError(fam.position, "family `\(fam.name)`: unknown candidate cause `\(c.cause)`\(nearest(c.cause, in: causes)); cause keys are listed in rules/causes.yaml"))
            }
            for c in fam.candidates {
                for p in c.when {
                    let name: String
                    switch p {
                    case .cue(let n), .noCue(let n): name = n
                    default: continue
                    }
                    guard !cueNames.contains(name) else { continue }
                    issues.append(RuleError(fam.position, "family `\(fam.name)`: candidate `\(c.cause)` names unknown cue `\(name)`\(nearest(name, in: cueNames)); cues are listed under `cues:`"))
                }
            }
        }
        for (cause, rivals) in loaded.families.rivals {
            for r in rivals where !causes.contains(r.cause) || r.cause == cause {
                let why = r.cause == cause ? "a cause is not its own rival" : "unknown cause `\(r.cause)`\(nearest(r.cause, in: causes))"
                issues.append(RuleError(r.position, "cause `\(cause)`: rival: \(why)"))
            }
        }
        issues += supersedesCycles(loaded.rules)
        return issues.sorted {
            ($0.position.file, $0.position.line, $0.position.column, $0.message) < ($1.position.file, $1.position.line, $1.position.column, $1.message)
        }
    }

    static func check(_ c: Condition, defs: [String: Condition]) -> [RuleError] {
        switch c {
        case .all(let cs), .any(let cs): return cs.flatMap { check($0, defs: defs) }
        case .not(let x), .exists(let x), .none(let x), .count(let x, _, _): return check(x, defs: defs)
        case .test(let t):
            return FactKey.named(t.field) != nil ? [] : [RuleError(t.position, "unknown field `\(t.field)`\(nearestField(t.field)); see docs/rules.md for the list")]
        case .ref(let name, let pos):
            return defs[name] == nil ? [RuleError(pos, "unknown definition `\(name)`")] : []
        case .signal(let name, _, let pos):
            guard SignalName(rawValue: name) == nil else { return [] }
            let names = SignalName.allCases.map(\.rawValue)
            return [RuleError(pos, "unknown signal `\(name)`\(nearest(name, in: Set(names))); parsers emit: \(names.joined(separator: ", "))")]
        }
    }

    /// `{name}` placeholders of every text that name no field (`subject` and `occurrences`
    /// aside): they would print as "(unknown)".
    static func placeholders(_ r: Rule) -> [RuleError] {
        var out: [RuleError] = []
        let parts: [(String, LocalizedText?)] = [("title", r.title), ("message", r.message), ("fix", r.fix), ("ask", r.ask)]
        for (part, text) in parts {
            guard let text else { continue }
            for (lang, s) in [("en", text.en), ("zh", text.zh)] {
                guard let s else { continue }
                for key in TemplateText.placeholders(s) where FactKey.named(key) == nil && !TemplateText.extraNames.contains(key) {
                    let pos = r.marks.texts["\(part).\(lang)"] ?? r.position
                    out.append(RuleError(pos, "rule `\(r.id)`: \(part) (\(lang)) has unknown placeholder `{\(key)}`\(nearestField(key)); use a field, {subject} or {occurrences}, or write literal braces as {{ and }}"))
                }
            }
        }
        return out
    }

    /// Cycles among causes through `supersedes` (A supersedes B … supersedes A): the ranker
    /// would cap each finding below the other in turn. One issue per cycle, at its first edge.
    static func supersedesCycles(_ rules: [Rule]) -> [RuleError] {
        // Edge cause → superseded cause, with the rules (and entry positions) that declare it.
        var edges: [String: [String: [(rule: String, pos: RulePosition)]]] = [:]
        for r in rules {
            for (i, c) in r.supersedes.enumerated() where c != r.cause {
                edges[r.cause, default: [:]][c, default: []].append((r.id, mark(r.marks.supersedes, i, r)))
            }
        }
        var cycles: [[String]] = []
        var seen = Set<[String]>()
        var done = Set<String>()
        // Depth-first; a neighbour still on the path closes a cycle.
        func visit(_ node: String, _ path: inout [String]) {
            path.append(node)
            for next in (edges[node] ?? [:]).keys.sorted() {
                if let i = path.firstIndex(of: next) {
                    var cycle = Array(path[i...])
                    let start = cycle.indices.min { cycle[$0] < cycle[$1] }!
                    cycle = Array(cycle[start...] + cycle[..<start])
                    if seen.insert(cycle).inserted { cycles.append(cycle) }
                } else if !done.contains(next) {
                    visit(next, &path)
                }
            }
            path.removeLast()
            done.insert(node)
        }
        for start in edges.keys.sorted() where !done.contains(start) {
            var path: [String] = []
            visit(start, &path)
        }
        return cycles.map { cycle in
            let hops = cycle.indices.map { (cycle[$0], cycle[($0 + 1) % cycle.count]) }
            let by = hops.map { hop -> String in
                let (a, b) = hop
                let declared = (edges[a]?[b] ?? []).sorted { ($0.pos.file, $0.pos.line) < ($1.pos.file, $1.pos.line) }
                return "`\(a)` → `\(b)` by " + declared.map { "`\($0.rule)` (\($0.pos))" }.joined(separator: ", ")
            }
            let first = (edges[hops[0].0]?[hops[0].1] ?? []).map(\.pos).min { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }!
            let loop = (cycle + [cycle[0]]).joined(separator: " → ")
            return RuleError(first, "supersedes cycle: \(loop) (\(by.joined(separator: "; "))); remove the weaker edge so the ranking does not depend on the order of capping")
        }
    }

    private static func mark(_ marks: [RulePosition], _ i: Int, _ r: Rule) -> RulePosition {
        i < marks.count ? marks[i] : r.position
    }

    private static func nearestField(_ name: String) -> String {
        nearest(name, in: Set(FactKey.allCases.map(\.rawValue)))
    }

    /// ` (did you mean `x`?)` when a known name is close.
    private static func nearest(_ name: String, in names: Set<String>) -> String {
        guard let best = names.min(by: { (Edit.distance($0, name), $0) < (Edit.distance($1, name), $1) }),
              Edit.distance(best, name) <= max(2, name.count / 4) else { return "" }
        return " (did you mean `\(best)`?)"
    }
}
