import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Foundation

/// Runs every rule's embedded examples: a `fire` example must produce a finding of that rule,
/// a `quiet` example must not. Each example is read as a one-file bundle by the same parsers
/// as a real ticket, so an example also checks that the parsers understand it.
public struct RuleTester {
    public let loaded: RuleLoader.Result
    /// Folders that resolve `file:` examples after the rule file's own folder and its parent
    /// (the folder holding the shipped `rules/`, so examples may name the shipped `samples/`).
    public let baseFolders: [String]

    public init(loaded: RuleLoader.Result, baseFolders: [String]) {
        self.loaded = loaded; self.baseFolders = baseFolders
    }

    public struct Failure: Sendable, CustomStringConvertible {
        public var rule: String
        public var position: RulePosition
        public var message: String
        public var description: String { "\(position): error: rule `\(rule)`: \(message)" }
    }

    public struct Result: Sendable {
        public var examples = 0
        public var failures: [Failure] = []
        public var rulesWithoutExamples: [String] = []
        public init() {}
    }

    /// - Parameters:
    ///   - ids: only rules with these ids or causes.
    ///   - files: only rules read from these pack files.
    public func run(only ids: Set<String>? = nil, files: Set<String>? = nil) -> Result {
        var result = Result()
        let engine = RuleEngine(loaded: loaded)
        for rule in engine.rules where (ids == nil || ids!.contains(rule.id) || ids!.contains(rule.cause))
            && (files == nil || files!.contains(rule.position.file)) {
            if rule.examplesFire.isEmpty { result.rulesWithoutExamples.append(rule.id) }
            for (ex, mustFire) in rule.examplesFire.map({ ($0, true) }) + rule.examplesQuiet.map({ ($0, false) }) {
                result.examples += 1
                let files: [(name: String, bytes: [UInt8])]
                if let bundlePath = fixtureBundle(ex, rule: rule) {
                    // A fixture bundle (folder or archive): read like a real ticket.
                    let bundle = BundleReader().read([bundlePath])
                    check(rule, ex, mustFire, bundle, engine, &result)
                    continue
                }
                if !ex.files.isEmpty {
                    files = ex.files.map { ($0.0, Array($0.1.utf8)) }
                } else if let bytes = load(ex, rule: rule) {
                    files = [(ex.filename, bytes)]
                } else {
                    result.failures.append(Failure(rule: rule.id, position: ex.position, message: "example file not found: \(ex.file ?? "")"))
                    continue
                }
                check(rule, ex, mustFire, BundleReader().read(memory: files), engine, &result)
            }
        }
        return result
    }

    private func check(_ rule: Rule, _ ex: RuleExample, _ mustFire: Bool, _ bundle: TicketBundle, _ engine: RuleEngine, _ result: inout Result) {
        let out = engine.diagnose(bundle, userCatalog: ex.catalog, redactor: Redactor())
        let fired = out.findings.contains { $0.rule == rule.id }
        if fired != mustFire {
            let seen = bundle.exchanges.prefix(6).map(\.summary).joined(separator: "; ")
            let why = mustFire
                ? "example must fire but did not (exchanges seen: \(seen.isEmpty ? "none" : seen); unknown fields: \(out.trace[rule.id]?.unknownFields.sorted().joined(separator: ", ") ?? ""))"
                : "example must stay quiet but fired"
            result.failures.append(Failure(rule: rule.id, position: ex.position, message: why))
        }
    }

    /// Where a `file:` example is looked for, in order: the folder of the rule's pack file,
    /// that folder's parent, then `baseFolders`. An absolute path is used as is.
    func bases(_ rule: Rule, _ ex: RuleExample) -> [String] {
        if ex.file?.hasPrefix("/") == true { return [""] }
        let dir = URL(fileURLWithPath: rule.position.file).standardized.deletingLastPathComponent()
        return [dir.path, dir.deletingLastPathComponent().path] + baseFolders
    }

    /// What the `file:` examples of `rules` read, as `path size mtime` lines (every file of a
    /// folder bundle; `missing NAME` when not found): part of `AcceptanceCache`'s key, so an
    /// edited example file tests its pack again.
    func exampleFileStamps(_ rules: [Rule]) -> String {
        var out = ""
        let fm = FileManager.default
        func stamp(_ p: String) {
            let a = try? fm.attributesOfItem(atPath: p)
            let size = (a?[.size] as? NSNumber)?.intValue ?? -1
            let mtime = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            out += "\(p) \(size) \(mtime)\n"
        }
        for rule in rules {
            for ex in rule.examplesFire + rule.examplesQuiet {
                guard let f = ex.file else { continue }
                guard let (p, isDir) = resolve(ex, rule: rule) else { out += "missing \(f)\n"; continue }
                if isDir {
                    for sub in ((try? fm.subpathsOfDirectory(atPath: p)) ?? []).sorted() { stamp((p as NSString).appendingPathComponent(sub)) }
                } else {
                    stamp(p)
                }
            }
        }
        return out
    }

    /// The first place a `file:` example exists (`bases` order), and whether it is a folder.
    func resolve(_ ex: RuleExample, rule: Rule) -> (path: String, isDirectory: Bool)? {
        guard let f = ex.file else { return nil }
        for base in bases(rule, ex) {
            let p = base.isEmpty ? f : (base as NSString).appendingPathComponent(f)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir) { return (p, isDir.boolValue) }
        }
        return nil
    }

    /// A `file:` example that names a folder or an archive is a whole fixture bundle.
    private func fixtureBundle(_ ex: RuleExample, rule: Rule) -> String? {
        guard let (p, isDir) = resolve(ex, rule: rule) else { return nil }
        return isDir || [".zip", ".tar", ".tgz", ".tar.gz"].contains(where: { p.hasSuffix($0) }) ? p : nil
    }

    private func load(_ ex: RuleExample, rule: Rule) -> [UInt8]? {
        if let t = ex.text { return Array(t.utf8) }
        guard let (p, _) = resolve(ex, rule: rule) else { return nil }
        return FileManager.default.contents(atPath: p).map { [UInt8]($0) }
    }
}
