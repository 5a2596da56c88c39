import DoctorModel
import DoctorParse
import Foundation

/// Checks rule packs beyond what loading already refuses: unknown causes and fields, duplicate
/// ids, unknown `ref`s and subjects (errors: `RuleAcceptance` refuses the pack), missing
/// translations and rules without examples (warnings: the pack is used, English stands in
/// for Chinese, the rule is untested). Each issue carries `file:line:column`.
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
                    issues.append(RuleError(r.position, "rule `\(r.id)`: unknown cause `\(r.cause)`; use a key from causes.md or declare it under `causes:`"))
                }
                for (name, t) in [("title", r.title), ("message", r.message), ("fix", r.fix)] where t.zh == nil {
                    issues.append(RuleError(r.position, "rule `\(r.id)`: `\(name)` has no Chinese (zh) translation (the English text is shown)", level: .warning))
                }
                if r.examplesFire.isEmpty || r.examplesQuiet.isEmpty {
                    issues.append(RuleError(r.position, "rule `\(r.id)`: needs at least one `fire` and one `quiet` example (the rule is untested)", level: .warning))
                }
                issues += check(r.when, defs: defs)
                if let a = r.against { issues += check(a, defs: defs) }
                if let s = r.subject, !Facts.knownFields.contains(s) {
                    issues.append(RuleError(r.position, "rule `\(r.id)`: unknown subject field `\(s)`"))
                }
            }
        }
        return issues
    }

    static func check(_ c: Condition, defs: [String: Condition]) -> [RuleError] {
        switch c {
        case .all(let cs), .any(let cs): return cs.flatMap { check($0, defs: defs) }
        case .not(let x), .exists(let x), .none(let x), .count(let x, _, _): return check(x, defs: defs)
        case .test(let t):
            return Facts.knownFields.contains(t.field) ? [] : [RuleError(t.position, "unknown field `\(t.field)`; see docs/rules.md for the list")]
        case .ref(let name, let pos):
            return defs[name] == nil ? [RuleError(pos, "unknown definition `\(name)`")] : []
        case .signal: return []
        }
    }
}
