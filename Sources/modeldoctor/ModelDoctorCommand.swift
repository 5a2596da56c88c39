import ArgumentParser
import ModelDoctorKit

@main
struct ModelDoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modeldoctor",
        abstract: "Diagnose 'model list is empty' and 'model not found' tickets from SDK logs, HAR captures and gateway logs, offline.",
        version: ModelDoctorVersion.current,
        subcommands: [Exchanges.self]
    )
}

struct Exchanges: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the paired HTTP exchanges the rules will see.")
    @Argument(help: "Files, folders or archives (.gz .tar .tgz .zip); - for stdin.") var inputs: [String]
    func run() throws {
        let b = BundleReader().read(inputs)
        for e in b.inventory { print(e.path, e.kind.rawValue, e.format ?? "-", e.exchanges, e.skippedLines) }
    }
}
