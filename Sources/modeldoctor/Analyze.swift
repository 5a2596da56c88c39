import ArgumentParser
import Foundation
import ModelDoctorKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Analyse a ticket bundle and print ranked findings.")

    @Argument(help: "Files, folders or archives (.gz .tar .tgz .zip); - for stdin.") var inputs: [String]
    @OptionGroup var common: CommonOptions
    @Option(help: "Output format: text, json, markdown or html.") var format: OutputFormat = .text
    @Option(help: "Exit 1 when a finding reaches this severity (info, low, medium, high, critical).") var failOn: Severity?
    @Option(name: .shortAndLong, help: "Write the report to this file instead of stdout.") var output: String?
    @Flag(inversion: .prefixedNo, help: "Colour the text report when stdout is a terminal (never with NO_COLOR set).") var color = true
    @Flag(name: .shortAndLong, help: "List every rule not evaluated and why (otherwise one line counts them).") var verbose = false
    @Flag(help: "The inputs are one ticket sent as several files: no note pointing to `triage`.") var asOneBundle = false
    @OptionGroup var statsFlag: StatsFlag

    func run() throws {
        if common.noRedact { FileHandleOutput.stderr("modeldoctor: warning: --no-redact: secrets and prompts are printed as found; for local use only\n") }
        if !asOneBundle && TriageTicket.looksLikeSeparateTickets(inputs) {
            FileHandleOutput.stderr("modeldoctor: note: these inputs look like separate tickets; they are analysed as one bundle. For one row per ticket use `modeldoctor triage`; --as-one-bundle silences this note\n")
        }
        var options = try common.options(inputs: inputs)
        options.stats = statsFlag.collector()
        let progress = ProgressReporter.onTerminalStderr()
        options.progress = progress?.readProgress()
        var result = AnalysisPipeline.run(options)
        progress?.finish()
        // The report holds what it says of the calls: they are let go before it is rendered
        // (a dense log's calls were most of the memory held while its text was made).
        result.bundle.exchanges = []
        Diagnostics.ruleErrors(result.ruleErrors)
        for e in result.catalogErrors { Diagnostics.error("\(e)" + (e.message.hasPrefix("cannot read") ? "; check the --catalog path" : "")) }
        Diagnostics.inputErrors(result.report.inputs)
        // A report written to a file is not for this terminal: the fallback width, no colour.
        let terminal = output == nil ? Terminal.standardOutput(environment: ProcessInfo.processInfo.environment, colourWanted: color)
            : Terminal(width: Terminal.fallbackWidth, colour: false)
        let renderer = format.renderer(colour: terminal.colour && format == .text, width: terminal.width, verbose: verbose)
        let text = AnalysisPipeline.timed(options.stats, RunStats.StageName.render) { renderer.render(result.report) }
        try Output.write(text, redactor: result.redactor, to: output)
        statsFlag.print(options.stats)
        if result.ruleErrors.contains(where: { $0.level == .error }) || !result.catalogErrors.isEmpty { throw ExitCode(2) }
        if result.report.inputs.isEmpty {
            Diagnostics.error("no input file found in \(inputs.joined(separator: ", ")); check the path")
            throw ExitCode(2)
        }
        if !result.bundle.unreadableInputs.isEmpty { throw ExitCode(2) }
        if let failOn, result.report.findings.contains(where: { $0.severity >= failOn }) { throw ExitCode(1) }
    }
}

struct ExchangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exchanges", abstract: "Print the paired HTTP exchanges the rules will see, and the inventory.")
    @Argument(help: "Files, folders or archives; - for stdin.") var inputs: [String]
    @OptionGroup var common: CommonOptions
    @Option(help: "Output format: text or json.") var format: ExchangeListing.Format = .text

    func run() throws {
        let opts = try common.options(inputs: inputs)
        let progress = ProgressReporter.onTerminalStderr()
        let bundle = BundleReader(limits: opts.limits, progress: progress?.readProgress()).read(inputs)
        progress?.finish()
        let redactor = Redactor(options: opts.redaction)
        for e in bundle.exchanges { if let c = e.credential { redactor.learn(secret: c) } }
        let text = ExchangeListing.render(bundle, as: format, redactor: redactor)
        Diagnostics.inputErrors(bundle.inventory)
        try Output.write(text, redactor: redactor)
        if bundle.inventory.isEmpty {
            Diagnostics.error("no input file found in \(inputs.joined(separator: ", ")); check the path")
            throw ExitCode(2)
        }
        if !bundle.unreadableInputs.isEmpty { throw ExitCode(2) }
    }
}
