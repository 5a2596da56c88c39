import DoctorModel
import DoctorParse
import Foundation

internal import Yams

/// Reads rule packs and alias tables from YAML, strictly: an unknown key, a wrong type or an
/// unknown operator is an error with `file:line:column` (a typo such as `severty` must never
/// switch a rule off silently), and a pack with errors is refused whole.
///
/// Files are decoded from a Yams `Node` tree (not straight to `Decodable`) so every error
/// keeps its position.
public struct RuleLoader {
    public static let supportedSchemaVersion = 1

    public init() {}

    /// Everything found in a set of rule folders, later folders overriding earlier ones.
    public struct Result: Sendable {
        public var packs: [RulePack] = []
        public var aliases = AliasTables()
        public var families = MessageFamilies()
        public var errors: [RuleError] = []
        /// Effective rules: by id, later packs replacing earlier ones; in load order.
        public var rules: [Rule] {
            var seen: [String: Int] = [:]
            var out: [Rule] = []
            for pack in packs {
                for r in pack.rules {
                    if let i = seen[r.id] { out[i] = r } else { seen[r.id] = out.count; out.append(r) }
                }
            }
            return out
        }
        /// All definitions, later packs overriding earlier ones.
        public var definitions: [String: Condition] {
            var d: [String: Condition] = [:]
            for p in packs { d.merge(p.definitions) { _, new in new } }
            return d
        }
        /// Every cause key: `rules/causes.yaml` and any pack's `causes:`.
        public var causes: Set<String> { Set(packs.flatMap(\.causes)) }
        /// The described causes, in load order, a later file's entry replacing an earlier one.
        public var taxonomy: [CauseDefinition] {
            var seen: [String: Int] = [:]
            var out: [CauseDefinition] = []
            for c in packs.flatMap(\.causeDefinitions) {
                if let i = seen[c.key] { out[i] = c } else { seen[c.key] = out.count; out.append(c) }
            }
            return out
        }
    }

    /// Loads every `*.yaml`/`*.yml` file of the folders (sorted by name, recursively), in order.
    public func load(folders: [String]) -> Result {
        var result = Result()
        let fm = FileManager.default
        for folder in folders {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDir) else {
                result.errors.append(RuleError(RulePosition(file: folder, line: 0, column: 0), "rule folder not found"))
                continue
            }
            let files: [String]
            if isDir.boolValue {
                files = ((fm.enumerator(atPath: folder)?.allObjects as? [String]) ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    .map { (folder as NSString).appendingPathComponent($0) }
            } else {
                files = [folder]
            }
            for file in files {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    result.errors.append(RuleError(RulePosition(file: file, line: 0, column: 0), "cannot read file"))
                    continue
                }
                load(text: text, file: file, into: &result)
            }
            if isDir.boolValue { loadWording(folder: folder, into: &result) }
        }
        return result
    }

    /// The file of the wording prior in a rule folder (`WordingModel`).
    public static let wordingFile = "wording-model.tsv"

    /// A folder's `wording-model.tsv`, if any: a later folder's replaces an earlier one's. It
    /// is listed with the packs (version and digest, no rules), so a report names the data
    /// that ranked it.
    func loadWording(folder: String, into result: inout Result) {
        let file = (folder as NSString).appendingPathComponent(Self.wordingFile)
        guard FileManager.default.fileExists(atPath: file) else { return }
        guard let data = FileManager.default.contents(atPath: file) else {
            result.errors.append(RuleError(RulePosition(file: file, line: 0, column: 0), "cannot read file"))
            return
        }
        do {
            let model = try WordingModel(data: data)
            result.families.wording = model
            result.packs.removeAll { $0.name == "wording-model" }
            result.packs.append(RulePack(name: "wording-model", version: model.version, path: file,
                                         sha256: PackDigest.hex(data), rules: [], definitions: [:], causes: []))
        } catch let e as WordingModel.LoadError {
            result.errors.append(RuleError(RulePosition(file: file, line: e.line, column: 1), "not a wording model: \(e.reason)"))
        } catch {
            result.errors.append(RuleError(RulePosition(file: file, line: 1, column: 1), "\(error)"))
        }
    }

    /// Loads one file's text (a rule pack or an alias table).
    public func load(text: String, file: String, into result: inout Result) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            result.errors.append(Self.yamlError(e, file: file))
            return
        } catch {
            result.errors.append(RuleError(RulePosition(file: file, line: 1, column: 1), "\(error)"))
            return
        }
        guard let node, let map = node.mapping else {
            result.errors.append(RuleError(RulePosition(file: file, line: 1, column: 1), "a rule file is a YAML mapping with `schema_version` and `rules`, `definitions`, `aliases` or `causes`"))
            return
        }
        var reader = NodeReader(file: file)
        let top = reader.fields(map, at: node, allowed: ["schema_version", "pack", "version", "description", "causes", "definitions", "unless", "rules", "aliases", "families", "cues"])
        let version = top["schema_version"].flatMap { reader.int($0) }
        if version == nil {
            reader.error(node, "missing `schema_version` (this modeldoctor reads version \(Self.supportedSchemaVersion))")
        } else if let v = version, v > Self.supportedSchemaVersion {
            reader.error(top["schema_version"]!, "schema_version \(v) is newer than this modeldoctor supports (\(Self.supportedSchemaVersion)); upgrade modeldoctor")
            result.errors += reader.errors
            return
        }
        if let a = top["aliases"] {
            reader.readAliases(a, into: &result.aliases)
        }
        var families = MessageFamilies()
        if let f = top["families"] { reader.readFamilies(f, into: &families) }
        if let c = top["cues"] { reader.readCues(c, into: &families) }
        let name = top["pack"].flatMap { reader.string($0) } ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let causes = top["causes"].map { reader.causes($0, pack: name) }
        var pack = RulePack(name: name, version: top["version"].flatMap { reader.string($0) } ?? "0",
                            path: file, sha256: PackDigest.hex(text), rules: [], definitions: [:],
                            causes: causes?.keys ?? [], causeDefinitions: causes?.definitions ?? [])
        if let defs = top["definitions"], let dm = defs.mapping {
            for (k, v) in dm {
                guard let key = reader.string(k) else { continue }
                if let c = reader.condition(v) { pack.definitions[key] = c }
            }
        }
        // A pack's `unless:` is the one condition under which all its rules stand down (the
        // name-guessing pack's "the server's answer names another cause"): written once, it is
        // the first test of every rule's `when`, so `explain` shows it where it decided.
        let unless = top["unless"].flatMap { reader.condition($0) }
        if let rules = top["rules"] {
            for r in rules.sequence?.map({ $0 }) ?? [] {
                guard var rule = reader.rule(r, pack: name) else { continue }
                if let unless {
                    if case .all(let parts) = rule.when { rule.when = .all([.not(unless)] + parts) } else { rule.when = .all([.not(unless), rule.when]) }
                }
                pack.rules.append(rule)
            }
        }
        if reader.errors.contains(where: { $0.level == .error }) {
            result.errors += reader.errors
            return
        }
        result.errors += reader.errors
        result.families.families += families.families
        result.families.cues += families.cues
        for c in causes?.definitions ?? [] where !c.rivals.isEmpty { result.families.rivals[c.key] = c.rivals }
        for c in causes?.definitions ?? [] { result.families.taxonomy[c.key] = c }
        // Every file that changes results is a pack of the report's list, with its digest:
        // rules, definitions, alias tables, the cause taxonomy.
        result.packs.append(pack)
    }

    static func yamlError(_ e: YamlError, file: String) -> RuleError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return RuleError(RulePosition(file: file, line: mark.line, column: mark.column), "YAML syntax: \(problem)")
        default:
            return RuleError(RulePosition(file: file, line: 1, column: 1), "YAML: \(e)")
        }
    }
}
