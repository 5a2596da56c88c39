import ArgumentParser
import Foundation
import ModelDoctorKit

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain a rule (by id or cause); with a bundle, show which exchanges matched.")
    @Argument(help: "A rule id or a cause key.") var target: String
    @Argument(help: "Optional bundle to test the rule on.") var inputs: [String] = []
    @OptionGroup var common: CommonOptions

    func run() throws {
        let opts = try common.options(inputs: inputs)
        let loaded = AnalysisPipeline.loadRules(opts)
        Diagnostics.ruleErrors(loaded.errors)
        let rules = loaded.rules.filter { $0.id == target || $0.cause == target }
        guard !rules.isEmpty else {
            FileHandleOutput.stderr("modeldoctor: error: no rule or cause named `\(target)`; see `modeldoctor rules list`\n")
            throw ExitCode(2)
        }
        let redactor = Redactor(options: opts.redaction)
        var out = RuleExplainer.describe(rules, lang: opts.lang)
        if !inputs.isEmpty {
            let bundle = BundleReader(limits: opts.limits).read(inputs)
            for e in bundle.exchanges { if let c = e.credential { redactor.learn(secret: c) } }
            out += RuleExplainer.trace(rules, loaded: loaded, bundle: bundle, redactor: redactor)
        }
        try Output.write(out, redactor: redactor)
        if loaded.errors.contains(where: { $0.level == .error }) { throw ExitCode(2) }
    }
}
