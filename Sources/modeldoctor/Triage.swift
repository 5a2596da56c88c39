import ArgumentParser
import Foundation
import ModelDoctorKit

extension TriageFormat: ExpressibleByArgument {}
extension TriageShard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct Triage: ParsableCommand {
    static let about = """
    Each entry of a folder given is one ticket: a subfolder, an archive, or a loose file at the top \
    level of the folder (a pasted error saved as a file is a ticket too). A PATH that is itself a file \
    or an archive is one ticket. Rows are sorted by ticket and do not depend on --jobs. A progress line \
    goes to stderr when it is a terminal. Spread a backlog over machines with --shard I/N and \
    --format jsonl, then combine the outputs with `modeldoctor triage merge` (docs/triage.md).
    """
    static let configuration = CommandConfiguration(
        commandName: "triage", abstract: "Diagnose a backlog of tickets: one row per ticket, then a roll-up.",
        discussion: about + "\n\nFlags (--format, -o, --jobs, --shard …): modeldoctor triage run --help", subcommands: [Run.self, Merge.self], defaultSubcommand: Run.self)

    /// Where and how the rows and roll-up are written; everything passes the redaction gate.
    struct Out: ParsableArguments {
        @Option(help: "text, csv, jsonl, markdown or html (default: from the -o file's extension, else text).") var format: TriageFormat?
        @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?
        func write(_ report: TriageReport, gate: Redactor) throws {
            let format = format ?? output.flatMap { TriageFormat(fileName: $0) } ?? .text
            try Output.write(format.renderer.render(report), redactor: gate, to: output)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Triage the tickets under PATH... (the default).", discussion: Triage.about)
        @Argument(help: "Backlog folders (each entry one ticket) or single tickets.") var paths: [String]
        @OptionGroup var common: CommonOptions
        @OptionGroup var out: Out
        @Option(help: "Tickets analysed at once (default: the number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
        @Option(help: "Only shard I of N (0-based), a stable split by ticket, e.g. $JOB_COMPLETION_INDEX/8.") var shard: TriageShard?
        @OptionGroup var statsFlag: StatsFlag

        func validate() throws { if jobs < 1 { throw ValidationError("--jobs must be at least 1") } }

        func run() throws {
            var tickets = TriageTicket.discover(paths)
            if let shard { tickets = tickets.filter(shard.contains) }
            let tty = isatty(STDERR_FILENO) == 1
            var options = try common.options(inputs: [])
            options.stats = statsFlag.collector()
            let runner = TriageRunner(options: options, jobs: jobs)
            let progress: (@Sendable (TriageProgress) -> Void)? = tty ? { @Sendable (p: TriageProgress) in FileHandleOutput.stderr("\r\u{1B}[K" + p.line) } : nil
            let result = runner.run(tickets, progress: progress)
            if tty && !tickets.isEmpty { FileHandleOutput.stderr("\r\u{1B}[K") }
            for e in result.ruleErrors { FileHandleOutput.stderr(e.description + "\n") }
            try AnalysisPipeline.timed(options.stats, RunStats.StageName.render) { try out.write(result.report, gate: result.gate) }
            statsFlag.print(options.stats)
            if result.ruleErrors.contains(where: { $0.level == .error }) { throw ExitCode(2) }
            let missing = paths.filter { !FileManager.default.fileExists(atPath: $0) }
            if !missing.isEmpty || (tickets.isEmpty && shard == nil) {
                FileHandleOutput.stderr("modeldoctor: error: \(missing.isEmpty ? "no ticket found in" : "no such file or folder:") \((missing.isEmpty ? paths : missing).joined(separator: ", "))\n")
                throw ExitCode(2)
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Combine `triage --format jsonl` outputs (e.g. one per shard) into one triage.")
        @Argument(help: "JSON Lines files written by `modeldoctor triage --format jsonl`.") var files: [String]
        @OptionGroup var out: Out

        func run() throws {
            do {
                let merged = try TriageMerge.merge(files: files)
                try out.write(merged.report, gate: merged.gate)
            } catch let e as TriageMergeError {
                FileHandleOutput.stderr("modeldoctor: \(e.description)\n")
                throw ExitCode(2)
            }
        }
    }
}
