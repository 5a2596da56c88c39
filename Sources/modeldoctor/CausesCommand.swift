import ArgumentParser
import Foundation
import ModelDoctorKit

struct CausesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "causes",
        abstract: "List the cause keys findings use (rules/causes.yaml), with symptom, title and description.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var packs: RulesCommand.Packs
    @Option(help: "Language: en or zh (default from LANG).") var lang: Lang?
    @Option(help: "Output format: text or json.") var format: Format = .text

    func run() throws {
        let loaded = RuleLoader().load(folders: packs.folders())
        for e in loaded.errors { FileHandleOutput.stderr(e.description + "\n") }
        let causes = loaded.taxonomy
        let language = lang ?? Lang.fromEnvironment()
        FileHandleOutput.stdout(format == .json ? CauseListing.json(causes, lang: language) : CauseListing.text(causes, lang: language))
        if loaded.errors.contains(where: { $0.level == .error }) { throw ExitCode(2) }
        if causes.isEmpty {
            FileHandleOutput.stderr("modeldoctor: error: no cause taxonomy found (rules/causes.yaml)\n")
            throw ExitCode(2)
        }
    }
}
