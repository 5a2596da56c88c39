import ArgumentParser
import CAllocator
import Foundation
import ModelDoctorKit

@main
struct ModelDoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modeldoctor",
        abstract: "Diagnose 'model list is empty' and 'model not found' tickets from SDK logs, HAR captures and gateway logs, offline.",
        discussion: """
        Exit status: 0 the analysis ran (findings or not); 1 a finding reached --fail-on, or \
        rules lint/test found a problem; 2 an input could not be read at all, rule packs or a \
        catalog were refused, or output was withheld or could not be written; 64 bad \
        command-line usage (an unknown subcommand included).
        """,
        version: ModelDoctorVersion.current,
        subcommands: [Analyze.self, ExchangesCommand.self, Triage.self, RulesCommand.self, Explain.self, RedactCommand.self, CausesCommand.self],
        defaultSubcommand: Analyze.self
    )

    /// `analyze` is the default subcommand, so `modeldoctor anlyze x` would be read as two
    /// missing files. A first word that is no subcommand, no option and no existing path, and
    /// looks like a word rather than a path, is a mistyped subcommand: usage error 64.
    static func main() {
        // Blocks of 256 KiB and more (read and inflate buffers, the calls' arrays as they grow)
        // are mapped on their own and unmapped when freed: with glibc's moving threshold they
        // came from the heap after the first was freed, and a dense log's per-call allocations
        // between them kept their pages resident (peak RSS on the 1 GiB python log 156 -> 123
        // MiB measured with the same setting through the environment).
        md_allocator_map_blocks_from(256 * 1024)
        let args = Array(CommandLine.arguments.dropFirst())
        if let first = args.first, let message = SubcommandCheck.unknown(first) {
            FileHandle.standardError.write(Data("Error: \(message)\nUsage: modeldoctor <subcommand> …  (see modeldoctor --help)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(args)
    }
}

enum SubcommandCheck {
    static var names: [String] {
        ModelDoctorCommand.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The error for a first argument that is a mistyped subcommand, nil otherwise.
    static func unknown(_ word: String) -> String? {
        guard !word.hasPrefix("-"), !names.contains(word),
              !FileManager.default.fileExists(atPath: word),
              !word.contains("/"), !word.contains("."), !word.contains("\\") else { return nil }
        let lower = word.lowercased()
        let best = names.map { ($0, distance(lower, $0)) }.min { $0.1 < $1.1 }
        if let (name, d) = best, d <= max(2, name.count / 3) || name.hasPrefix(lower) {
            return "unknown subcommand '\(word)'; did you mean \(name)? (to analyse a file named \(word), use: modeldoctor analyze ./\(word))"
        }
        return "unknown subcommand '\(word)'; subcommands: \(names.dropLast().joined(separator: ", ")) (to analyse a file named \(word), use: modeldoctor analyze ./\(word))"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
