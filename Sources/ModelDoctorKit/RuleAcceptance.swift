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

    /// - Parameter remember: skip examples that passed before for the same binary and packs,
    ///   and remember a pass (`analyze`; `rules test` always runs them).
    public static func accept(_ raw: RuleLoader.Result, examples: Examples = .none, baseFolders: [String] = [],
                              remember: Bool = false, cacheDirectory: String? = AcceptanceCache.directory) -> Result {
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
        // The examples of packs given with `--rules` passed before with this very binary and
        // these very packs: not run again (see `AcceptanceCache`).
        let cacheDir = remember ? cacheDirectory : nil
        let cacheKey = cacheDir == nil ? nil : only.flatMap {
            $0.isEmpty ? nil : AcceptanceCache.key(loaded, testing: $0, tester: RuleTester(loaded: loaded, baseFolders: baseFolders))
        }
        if let cacheKey, let cacheDir, AcceptanceCache.contains(cacheKey, in: cacheDir) {
            // Accepted before: nothing to run.
        } else if only?.isEmpty != true {
            let result = RuleTester(loaded: loaded, baseFolders: baseFolders).run(files: only)
            tested = result
            let failures = result.failures.map { RuleError($0.position, "rule `\($0.rule)`: \($0.message)") }
            issues += failures
            _ = refuse(Set(failures.map(\.position.file)), in: &loaded)
            if failures.isEmpty, let cacheKey, let cacheDir { AcceptanceCache.insert(cacheKey, in: cacheDir) }
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

/// Pack sets whose examples all passed, remembered so that `analyze --rules DIR` runs a
/// pack's examples once, not on every call (each example is a whole analysis: 190 of them
/// cost about 1.4 s here).
///
/// The key is a digest of the executable (path, size, modification time), every loaded pack
/// in order (path and content digest), which packs were tested and the size and modification
/// time of every file their `file:` examples read: any change to the binary, a pack, an
/// example file or the set runs the examples again. Only passes are stored, so a
/// failing pack is refused and reported every time. The store is one empty file per key in
/// `$MODELDOCTOR_CACHE` (`off` or empty: no store), else `$XDG_CACHE_HOME/modeldoctor`, else
/// `~/.cache/modeldoctor`; a store that cannot be written is ignored.
public enum AcceptanceCache {
    public static var directory: String? {
        let env = ProcessInfo.processInfo.environment
        if let v = env["MODELDOCTOR_CACHE"] { return v.isEmpty || v == "off" ? nil : v + "/accepted" }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/modeldoctor/accepted" }
        if let h = env["HOME"], !h.isEmpty { return h + "/.cache/modeldoctor/accepted" }
        return nil
    }

    static func key(_ loaded: RuleLoader.Result, testing files: Set<String>, tester: RuleTester) -> String? {
        guard let exe = executable, let attrs = try? FileManager.default.attributesOfItem(atPath: exe),
              let size = attrs[.size] as? NSNumber, let mtime = attrs[.modificationDate] as? Date else { return nil }
        var text = "\(exe)\n\(size)\n\(mtime.timeIntervalSince1970)\n"
        for pack in loaded.packs {
            let tested = files.contains(pack.path)
            text += "\(tested ? "T" : "-") \(pack.path) \(pack.sha256)\n"
            if tested { text += tester.exampleFileStamps(pack.rules) }
        }
        return PackDigest.hex(text)
    }

    /// The running binary's path (`/proc/self/exe` where there is one).
    static var executable: String? {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }

    static func contains(_ key: String, in dir: String) -> Bool {
        FileManager.default.fileExists(atPath: dir + "/" + key)
    }

    static func insert(_ key: String, in dir: String) {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/" + key, contents: Data())
    }
}
