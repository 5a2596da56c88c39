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

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the loaded rules with their cause, severity and pack.")
        @OptionGroup var packs: Packs
        func run() throws {
            let loaded = RuleLoader().load(folders: packs.folders())
            for e in loaded.errors { FileHandleOutput.stderr(e.description + "\n") }
            for p in loaded.packs { print("pack \(p.name) \(p.version) sha256:\(p.sha256.prefix(12)) (\(p.rules.count) rules)") }
            for r in loaded.rules {
                print("\(r.id.padding(toLength: 34, withPad: " ", startingAt: 0)) \(r.cause.padding(toLength: 28, withPad: " ", startingAt: 0)) \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.pack)")
            }
            if loaded.errors.contains(where: { $0.level == .error }) { throw ExitCode(2) }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check rule packs: schema, regexes, causes, translations, duplicate ids, examples.")
        @OptionGroup var packs: Packs
        @Argument(help: "Rule folders or files to lint (default: the shipped packs plus --rules).") var paths: [String] = []
        func run() throws {
            var folders = paths.isEmpty ? packs.folders() : paths
            // Named packs are checked against the shipped cause taxonomy too.
            if !paths.isEmpty, let shipped = RuleLocator.shippedRulesFolder() {
                let causes = (shipped as NSString).appendingPathComponent("causes.yaml")
                if FileManager.default.fileExists(atPath: causes) { folders.insert(causes, at: 0) }
            }
            let issues = RuleLint.lint(RuleLoader().load(folders: folders))
            for i in issues { print(i.description) }
            let errors = issues.filter { $0.level == .error }.count
            print("\(errors) error(s), \(issues.count - errors) warning(s)")
            if errors > 0 { throw ExitCode(1) }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every rule's embedded examples; exit 1 on any failure.")
        @OptionGroup var packs: Packs
        @Argument(help: "Rule folders or files to test (default: the shipped packs plus --rules).") var paths: [String] = []
        func run() throws {
            let folders = paths.isEmpty ? packs.folders() : packs.folders(paths)
            let loaded = RuleLoader().load(folders: folders)
            for e in loaded.errors { print(e.description) }
            var bases = folders
            if let shipped = RuleLocator.shippedRulesFolder() { bases.append((shipped as NSString).deletingLastPathComponent) }
            let result = RuleTester(loaded: loaded, baseFolders: bases).run()
            for f in result.failures { print(f.description) }
            print("\(result.examples) example(s), \(result.failures.count) failure(s), \(loaded.rules.count) rule(s)")
            if !result.failures.isEmpty || loaded.errors.contains(where: { $0.level == .error }) { throw ExitCode(1) }
        }
    }
}
