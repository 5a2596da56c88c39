import ArgumentParser
import Foundation
import ModelDoctorKit

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List, lint and test rule packs.",
        subcommands: [List.self, Lint.self, Test.self])

    struct Packs: ParsableArguments {
        @Option(name: .customLong("rules"), help: "Extra rule folder or file (repeatable).") var ruleFolders: [String] = []
        @Flag(help: "Do not load the shipped rule packs.") var noDefaultRules = false
        func folders(_ extra: [String] = []) -> [String] {
            RuleLocator.folders(extra: ruleFolders + extra, noShipped: noDefaultRules)
        }
    }

    /// What `rules lint` and `rules test` check: the packs in `paths` (default: every loaded
    /// pack), with the shipped packs loaded as context (their definitions and causes) but not
    /// checked unless `withShipped`. Exit 2 when there is nothing to check.
    static func checked(_ packs: Packs, paths: [String], withShipped: Bool) throws -> (result: RuleAcceptance.Result, checked: [Rule]) {
        for p in paths where !FileManager.default.fileExists(atPath: p) {
            Diagnostics.error("\(p): rule folder or file not found; check the path")
            throw ExitCode(2)
        }
        let folders = packs.folders(paths)
        guard !folders.isEmpty else {
            Diagnostics.error("no rule packs found; set MODELDOCTOR_HOME to the folder holding rules/, or pass --rules DIR or a folder")
            throw ExitCode(2)
        }
        let raw = RuleLoader().load(folders: folders)
        let targets: Set<String>? = paths.isEmpty || withShipped ? nil : files(of: raw, under: paths)
        var bases: [String] = []
        if let shipped = RuleLocator.shippedRulesFolder() { bases.append((shipped as NSString).deletingLastPathComponent) }
        var result = RuleAcceptance.accept(raw, examples: targets.map { .files($0) } ?? .all, baseFolders: bases)
        if let targets {
            // Errors of a file under `paths` that the loader refused outright have no pack: keep
            // every issue of a file under `paths`.
            result.loaded.errors = result.loaded.errors.filter { e in targets.contains(e.position.file) || under(e.position.file, paths) }
        }
        let checkedPacks = raw.packs.filter { targets?.contains($0.path) ?? true }
        if checkedPacks.isEmpty && result.loaded.errors.isEmpty {
            Diagnostics.error("no rule pack (*.yaml with `rules:` or `definitions:`) in \((paths.isEmpty ? folders : paths).joined(separator: ", "))")
            throw ExitCode(2)
        }
        return (result, result.loaded.rules.filter { targets?.contains($0.position.file) ?? true })
    }

    static func files(of raw: RuleLoader.Result, under paths: [String]) -> Set<String> {
        Set(raw.packs.map(\.path).filter { under($0, paths) })
    }

    static func under(_ file: String, _ paths: [String]) -> Bool {
        let f = URL(fileURLWithPath: file).standardized.path
        return paths.contains { p in
            let base = URL(fileURLWithPath: p).standardized.path
            return f == base || f.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the loaded rules with their cause, severity and pack.")
        @OptionGroup var packs: Packs
        func run() throws {
            let folders = packs.folders()
            guard !folders.isEmpty else {
                Diagnostics.error("no rule packs found; set MODELDOCTOR_HOME to the folder holding rules/, or pass --rules DIR")
                throw ExitCode(2)
            }
            let loaded = RuleAcceptance.load(folders: folders).loaded
            Diagnostics.ruleErrors(loaded.errors)
            for p in loaded.packs { print("pack \(p.name) \(p.version) sha256:\(p.sha256.prefix(12)) (\(p.rules.count) rules)") }
            for r in loaded.rules {
                print("\(r.id.padding(toLength: 34, withPad: " ", startingAt: 0)) \(r.cause.padding(toLength: 28, withPad: " ", startingAt: 0)) \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.pack)")
            }
            if loaded.errors.contains(where: { $0.level == .error }) || loaded.packs.isEmpty {
                if loaded.packs.isEmpty { Diagnostics.error("no rule pack could be loaded from \(folders.joined(separator: ", "))") }
                throw ExitCode(2)
            }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check rule packs with the acceptance rule analyze uses (schema, regexes, causes, fields, duplicate ids, examples); warnings for missing translations or examples.")
        @OptionGroup var packs: Packs
        @Argument(help: "Rule folders or files to lint (default: the shipped packs plus --rules). The shipped packs are loaded as context only.") var paths: [String] = []
        @Flag(help: "With paths: also lint the shipped packs.") var withShipped = false
        func run() throws {
            let issues = try RulesCommand.checked(packs, paths: paths, withShipped: withShipped).result.loaded.errors
            for i in issues { print(i.description) }
            let errors = issues.filter { $0.level == .error }.count
            print("\(errors) error(s), \(issues.count - errors) warning(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every rule's embedded examples (with the lint checks); exit 1 on any failure.")
        @OptionGroup var packs: Packs
        @Argument(help: "Rule folders or files to test (default: the shipped packs plus --rules). Only their rules are tested; the shipped packs are loaded as context.") var paths: [String] = []
        @Flag(help: "With paths: also test the shipped packs.") var withShipped = false
        func run() throws {
            let (result, checked) = try RulesCommand.checked(packs, paths: paths, withShipped: withShipped)
            let examples = result.examples ?? RuleTester.Result()
            let failed = Set(examples.failures.map { "\($0.position)" })
            for e in result.loaded.errors where !(e.level == .error && failed.contains("\(e.position)")) { print(e.description) }
            for f in examples.failures { print(f.description) }
            let rules = checked.count
            print("\(examples.examples) example(s), \(examples.failures.count) failure(s), \(rules) rule(s)")
            if !examples.failures.isEmpty || result.loaded.errors.contains(where: { $0.level == .error }) { throw ExitCode(1) }
        }
    }
}
