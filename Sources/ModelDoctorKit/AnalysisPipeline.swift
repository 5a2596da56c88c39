import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Foundation

/// The whole analysis: read the bundle, load the rules, run them, and assemble the report.
///
/// Order matters and is fixed here: rules load before any input is read (a broken pack is
/// reported even for an empty bundle); credentials met in the bundle are taught to the redactor
/// before anything is rendered, so the output gate can find them verbatim.
public enum AnalysisPipeline {
    public struct Result: Sendable {
        public var report: Report
        public var bundle: TicketBundle
        public var ruleErrors: [RuleError]
        public var redactor: Redactor
    }

    public static func run(_ options: AnalysisOptions) -> Result {
        let loaded = RuleLoader().load(folders: options.ruleFolders)
        let bundle = BundleReader(limits: options.limits).read(options.inputs)
        return run(bundle: bundle, loaded: loaded, options: options)
    }

    /// Runs rules over an already-read bundle (used by `rules test` and by batch triage).
    /// - Parameter engine: the rules compiled once for many bundles (batch triage); compiled
    ///   from `loaded` when nil.
    public static func run(bundle: TicketBundle, loaded: RuleLoader.Result, engine: RuleEngine? = nil,
                           options: AnalysisOptions) -> Result {
        let redactor = Redactor(options: options.redaction)
        for e in bundle.exchanges { if let c = e.credential { redactor.learn(secret: c) } }
        var userCatalog: [String] = []
        var report = Report()
        for file in options.catalogFiles {
            do { userCatalog += try Catalog.read(file: file) } catch {
                report.inputs.append(InventoryEntry(path: file, problems: [Problem(location: file, message: "cannot read catalog: \(error.localizedDescription)")]))
            }
        }
        let engine = engine ?? RuleEngine(loaded: loaded)
        let out = engine.diagnose(bundle, userCatalog: userCatalog, lang: options.lang, redactor: redactor)
        report.inputs = bundle.inventory + report.inputs
        report.findings = out.findings
        report.notEvaluated = out.notEvaluated
        report.askFor = out.askFor
        report.facts = TicketFacts.build(bundle, redactor: redactor)
        report.rulePacks = loaded.packs.map {
            RulePackInfo(name: $0.name, version: $0.version, sha256: $0.sha256, path: displayPath($0.path), rules: $0.rules.count)
        }
        report.unredacted = options.redaction.disabled
        report.lang = options.lang
        report.redaction = redactor.summary
        return Result(report: report, bundle: bundle, ruleErrors: loaded.errors, redactor: redactor)
    }

    /// `rules/x.yaml` rather than an absolute path, so reports do not depend on the machine.
    static func displayPath(_ p: String) -> String {
        let comps = p.split(separator: "/")
        if let i = comps.lastIndex(of: "rules") { return comps[i...].joined(separator: "/") }
        return comps.suffix(2).joined(separator: "/")
    }
}
