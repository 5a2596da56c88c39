import ArgumentParser
import Foundation
import ModelDoctorKit

extension OutputFormat: ExpressibleByArgument {}
extension ExchangeListing.Format: ExpressibleByArgument {}
extension Lang: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// Flags shared by every command that reads a bundle and runs rules.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Extra rule folder or file, loaded on top of the shipped packs (repeatable). Also MODELDOCTOR_RULES.")
    var ruleFolders: [String] = []
    @Flag(help: "Do not load the shipped rule packs.") var noDefaultRules = false
    @Option(name: .customLong("catalog"), help: "Model catalog: a plain list, an OpenAI /models JSON body, or a LiteLLM config (repeatable).")
    var catalogFiles: [String] = []
    @Option(help: "Output language: en or zh (default from LANG).") var lang: Lang?
    @Flag(help: "Keep prompt and completion text in excerpts (local use).") var showContent = false
    @Flag(help: "Turn redaction off (local use only; the report is marked UNREDACTED).") var noRedact = false
    @Option(help: "Largest total decompressed size in bytes.") var maxBytes: Int?
    @Option(help: "Most entries read from one archive.") var maxEntries: Int?
    @Option(help: "Deepest nesting of containers (gzip in tar in zip …).") var maxDepth: Int?
    @Option(help: "Longest line in bytes; longer lines are cut.") var maxLine: Int?
    @Option(help: "Largest compression ratio of one gzip stream.") var maxRatio: Int?
    @Option(help: "Largest document (HAR, zip) read whole, in bytes.") var maxDocument: Int?

    func options(inputs: [String]) throws -> AnalysisOptions {
        let folders = RuleLocator.folders(extra: ruleFolders, noShipped: noDefaultRules)
        if folders.isEmpty {
            // Without rules every bundle would look healthy: refuse rather than mislead.
            FileHandleOutput.stderr("modeldoctor: error: no rule packs found; set MODELDOCTOR_HOME to the folder holding rules/, or pass --rules DIR\n")
            throw ExitCode(2)
        }
        var o = AnalysisOptions(inputs: inputs, ruleFolders: folders)
        o.shippedRulesFolder = noDefaultRules ? nil : RuleLocator.shippedRulesFolder()
        o.catalogFiles = catalogFiles
        o.lang = lang ?? Lang.fromEnvironment()
        o.redaction = Redactor.Options(showContent: showContent, disabled: noRedact)
        if let v = maxBytes { o.limits.maxTotalBytes = v }
        if let v = maxEntries { o.limits.maxArchiveEntries = v }
        if let v = maxDepth { o.limits.maxDepth = v }
        if let v = maxLine { o.limits.maxLineBytes = v }
        if let v = maxRatio { o.limits.maxCompressionRatio = v }
        if let v = maxDocument { o.limits.maxDocumentBytes = v }
        return o
    }
}

/// `--stats`: the time of every stage and rule, printed to stderr after the run (the report
/// on stdout stays as it is).
struct StatsFlag: ParsableArguments {
    @Flag(help: "After the run, print to stderr the time of each stage, what was read, and the slowest rules.") var stats = false
    @Option(help: "With --stats: how many of the slowest rules to list.") var statsTop = 15

    func collector() -> RunStats? { stats ? RunStats() : nil }

    func print(_ collector: RunStats?) {
        if let collector { FileHandleOutput.stderr(collector.table(top: statsTop)) }
    }
}

/// Writes program output. Everything passes the redactor's gate first (fail closed).
enum Output {
    static func write(_ text: String, redactor: Redactor, to path: String? = nil) throws {
        let safe: String
        do { safe = try redactor.gate(text) } catch {
            FileHandleOutput.stderr("modeldoctor: error: output withheld: \(error)\n")
            throw ExitCode(2)
        }
        if let path {
            do { try safe.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                Diagnostics.error("\(path): cannot write the report: \(Diagnostics.reason(error, path: path)); check that its folder exists and is writable")
                throw ExitCode(2)
            }
        } else {
            FileHandleOutput.stdout(safe)
        }
    }
}

/// One line per problem on stderr: what, where (file, line or byte offset), what to do next.
enum Diagnostics {
    static func error(_ s: String) { FileHandleOutput.stderr("modeldoctor: error: \(s)\n") }
    static func warning(_ s: String) { FileHandleOutput.stderr("modeldoctor: warning: \(s)\n") }

    /// Every error-level problem of the inventory (unreadable, corrupt, truncated, over a limit).
    static func inputErrors(_ inventory: [InventoryEntry]) {
        for e in inventory {
            for p in e.problems where p.level == .error {
                error("\(p.location): \(p.message); \(IngestError.nextStep(for: p))")
            }
        }
    }

    /// Rule pack errors and warnings, `file:line:col: level: message`.
    static func ruleErrors(_ errors: [RuleError]) {
        for e in errors {
            let next = e.level == .error ? "; the pack is refused: fix it (modeldoctor rules lint) or leave it out" : ""
            FileHandleOutput.stderr("modeldoctor: \(e.description)\(next)\n")
        }
    }

    /// A short reason for a Foundation file error: the POSIX message when there is one.
    static func reason(_ error: any Error, path: String) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) { return "no such folder \(dir)" }
        return ns.localizedDescription
    }
}

extension ProgressReporter {
    /// Bytes read / total on stderr, only for a person watching it: nil (no progress) when
    /// stderr is a pipe or a file, so logs never fill with progress lines.
    static func onTerminalStderr() -> ProgressReporter? {
        Terminal.isTerminal(STDERR_FILENO) ? ProgressReporter(write: { FileHandleOutput.stderr($0) }) : nil
    }
}

enum FileHandleOutput {
    static func stdout(_ s: String) { write(s, to: .standardOutput) }
    static func stderr(_ s: String) { write(s, to: .standardError) }

    /// The string's own UTF-8 bytes, not a copy of them in a `Data` (a report of a dense log
    /// runs to megabytes).
    private static func write(_ s: String, to h: FileHandle) {
        var s = s
        s.withUTF8 { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return }
            h.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buf.count, deallocator: .none))
        }
    }
}
