import ArgumentParser
import ModelDoctorKit

@main
struct ModelDoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modeldoctor",
        abstract: "Diagnose 'model list is empty' and 'model not found' tickets from SDK logs, HAR captures and gateway logs, offline.",
        discussion: """
        Exit status: 0 the analysis ran (findings or not); 1 a finding reached --fail-on; \
        2 unreadable input or broken rule packs; 64 bad command-line usage.
        """,
        version: ModelDoctorVersion.current,
        subcommands: [Analyze.self, ExchangesCommand.self, Triage.self, RulesCommand.self, Explain.self, RedactCommand.self],
        defaultSubcommand: Analyze.self
    )
}
