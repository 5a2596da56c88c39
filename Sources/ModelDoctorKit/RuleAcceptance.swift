import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Foundation

/// The one rule deciding whether a rule pack is used, the same for `analyze`, `explain`,
/// `rules list`, `rules lint` and `rules test`:
///
/// - **Errors refuse the whole pack**: YAML syntax, unknown keys, wrong types, bad regexes
///   (the loader); unknown causes, fields, `ref`s and subjects, duplicate ids (`RuleLint`);
///   and, when examples are checked, an embedded example that does not behave as it says.
/// - **Warnings keep the pack**: a missing Chinese text (English is shown) or a rule without
///   `fire`/`quiet` examples (it is untested).
///
/// Refused packs are taken out of the result, and every error and warning is in
/// `errors`, so no command can use a pack another command would refuse.
public enum RuleAcceptance {
    /// Whose embedded examples are run as part of acceptance.
    public enum Examples: Sendable {
        /// None (static checks only).
        case none
        /// Every loaded pack's.
        case all
        /// Only the packs read from these files.
        case files(Set<String>)
    }

    public struct Result: Sendable {
        /// The accepted packs, with every error (refused packs) and warning.
        public var loaded: RuleLoader.Result
        /// The examples run, when asked for.
        public var examples: RuleTester.Result?
    }

    /// Loads `folders` and applies the acceptance rule.
    /// - Parameter baseFolders: where `file:` examples are looked for after the pack's own
    ///   folder and its parent.
    public static func load(folders: [String], examples: Examples = .none, baseFolders: [String] = []) -> Result {
        accept(RuleLoader().load(folders: folders), examples: examples, baseFolders: baseFolders)
    }

    public static func accept(_ raw: RuleLoader.Result, examples: Examples = .none, baseFolders: [String] = []) -> Result {
        var loaded = raw
        var issues: [RuleError] = []
        var seen = Set<RuleError>()
        // Refusing a pack can break another one's `ref:` to its definitions: repeat.
        while true {
            let found = RuleLint.checks(loaded).filter { seen.insert($0).inserted }
            issues += found
            let bad = Set(found.filter { $0.level == .error }.map(\.position.file))
            if bad.isEmpty || !refuse(bad, in: &loaded) { break }
        }
        var tested: RuleTester.Result?
        let only: Set<String>?
        switch examples {
        case .none: only = []
        case .all: only = nil
        case .files(let f): only = f
        }
        if only?.isEmpty != true {
            let result = RuleTester(loaded: loaded, baseFolders: baseFolders).run(files: only)
            tested = result
            let failures = result.failures.map { RuleError($0.position, "rule `\($0.rule)`: \($0.message)") }
            issues += failures
            _ = refuse(Set(failures.map(\.position.file)), in: &loaded)
        }
        loaded.errors = RuleLint.sorted(loaded.errors + issues)
        return Result(loaded: loaded, examples: tested)
    }

    /// Takes the packs read from `files` out; true when one was taken out.
    private static func refuse(_ files: Set<String>, in loaded: inout RuleLoader.Result) -> Bool {
        let before = loaded.packs.count
        loaded.packs.removeAll { files.contains($0.path) }
        return loaded.packs.count < before
    }
}
