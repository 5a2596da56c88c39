import ArgumentParser
import Foundation
import ModelDoctorKit

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redact", abstract: "Write a sanitized copy of a bundle (same structure, secrets and prompts removed) for sharing.")
    @Argument(help: "Files, folders or archives to sanitize.") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Flag(help: "Write into a non-empty output folder.") var force = false
    @Flag(help: "Keep prompt and completion text.") var showContent = false

    func run() throws {
        let redactor = Redactor(options: Redactor.Options(showContent: showContent))
        let result: BundleRedactor.Result
        do {
            result = try BundleRedactor(redactor: redactor, options: .init(force: force)).run(inputs, output: output)
        } catch let e as RedactionError {
            // Not a usage error: the command line is well formed, the output folder is not usable.
            Diagnostics.error("\(e)")
            throw ExitCode(2)
        } catch {
            Diagnostics.error("\(output): cannot write: \(Diagnostics.reason(error, path: output)); check that the folder can be created")
            throw ExitCode(2)
        }
        var out = ""
        for f in result.files {
            let kinds = f.redactions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "\(f.path) -> \(f.output ?? "(not copied)"): \(f.lines) lines\(kinds.isEmpty ? "" : "; redacted: " + kinds)\n"
        }
        for p in result.problems { out += p.description + "\n" }
        let byKind = result.summary.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        out += "redacted \(result.summary.total) item(s)\(byKind.isEmpty ? "" : ": " + byKind)\n"
        try Output.write(out, redactor: redactor)
        for p in result.problems where p.level == .error {
            Diagnostics.error("\(p.location): \(p.message); \(IngestError.nextStep(for: p))")
        }
        if !result.problems.filter({ $0.level == .error }).isEmpty || !result.unreadableInputs.isEmpty { throw ExitCode(2) }
    }
}
