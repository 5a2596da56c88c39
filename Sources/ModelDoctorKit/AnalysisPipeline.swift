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
        /// `--catalog` files refused (missing, unreadable, not a catalog).
        public var catalogErrors: [CatalogError] = []
    }

    public static func run(_ options: AnalysisOptions) -> Result {
        // The packs are read (YAML, lint, a new pack's examples) on a thread of their own while
        // the inputs are read: neither needs the other until the rules run. On a gateway log
        // the reader waits for inflate part of the time, so this costs the read little.
        let rules = RulesLoad(options)
        let bundle = BundleReader(limits: options.limits, progress: options.progress, stats: options.stats).read(options.inputs)
        return run(bundle: bundle, loaded: rules.wait(), options: options)
    }

    /// `loadRules` on a background thread; `wait` returns its result.
    private final class RulesLoad: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: RuleLoader.Result?  // written once before `done` is signalled

        init(_ options: AnalysisOptions) {
            let thread = Thread { [self] in
                result = options.stats.map { s in s.time(RunStats.StageName.loadRules) { loadRules(options) } } ?? loadRules(options)
                done.signal()
            }
            thread.stackSize = 8 << 20  // YAML nesting and the examples' analyses: as the main thread
            thread.start()
        }

        func wait() -> RuleLoader.Result {
            done.wait()
            return result!
        }
    }

    /// The rule packs of `options`, through `RuleAcceptance` (refused packs left out, named in
    /// `errors`); the examples of every pack outside the shipped folder are run (once per
    /// binary and pack set: `AcceptanceCache`).
    public static func loadRules(_ options: AnalysisOptions) -> RuleLoader.Result {
        let raw = RuleLoader().load(folders: options.ruleFolders)
        var own = Set(raw.packs.map(\.path))
        var bases: [String] = []
        if let shipped = options.shippedRulesFolder {
            own = own.filter { !$0.hasPrefix(shipped.hasSuffix("/") ? shipped : shipped + "/") }
            bases.append((shipped as NSString).deletingLastPathComponent)
        }
        return RuleAcceptance.accept(raw, examples: .files(own), baseFolders: bases, remember: true).loaded
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
        var catalogErrors: [CatalogError] = []
        for file in options.catalogFiles {
            do { userCatalog += try Catalog.read(file: file) } catch let e as CatalogError {
                catalogErrors.append(e)
            } catch {
                catalogErrors.append(CatalogError(file: file, message: "cannot read catalog: \(error)"))
            }
        }
        let stats = options.stats
        let engine = engine ?? RuleEngine(loaded: loaded)
        let out = engine.diagnose(bundle, userCatalog: userCatalog, lang: options.lang, redactor: redactor, stats: stats)
        report.inputs = bundle.inventory
        // Refused rule packs and catalogs: named in the report, never silently left out.
        report.problems = loaded.errors.map {
            Problem($0.level == .error ? .error : .warning, location: ReportFormat.displayPath($0.position.file)
                        + ($0.position.line > 0 ? ":\($0.position.line):\($0.position.column)" : ""), message: $0.message)
        } + catalogErrors.map {
            var p = $0.problem
            p.location = ReportFormat.displayPath($0.file) + p.location.dropFirst($0.file.count)
            return p
        }
        report.findings = out.findings
        report.notEvaluated = out.notEvaluated
        report.askFor = out.askFor
        report.facts = timed(stats, RunStats.StageName.ticketFacts) { TicketFacts.build(bundle, redactor: redactor) }
        report.rulePacks = loaded.packs.map {
            RulePackInfo(name: $0.name, version: $0.version, sha256: $0.sha256, path: displayPath($0.path), rules: $0.rules.count)
        }
        report.unredacted = options.redaction.disabled
        report.lang = options.lang
        report.redaction = redactor.summary
        // After the summary is taken: the timeline counts what it redacts on its own.
        report.timeline = timed(stats, RunStats.StageName.timeline) { Timeline.build(bundle, findings: report.findings, redactor: redactor) }
        return Result(report: report, bundle: bundle, ruleErrors: loaded.errors, redactor: redactor, catalogErrors: catalogErrors)
    }

    /// `body`, its time added to stage `name` when there is a collector.
    public static func timed<T>(_ stats: RunStats?, _ name: String, _ body: () throws -> T) rethrows -> T {
        guard let stats else { return try body() }
        return try stats.time(name, body)
    }

    /// `rules/x.yaml` rather than an absolute path, so reports do not depend on the machine.
    static func displayPath(_ p: String) -> String {
        let comps = p.split(separator: "/")
        if let i = comps.lastIndex(of: "rules") { return comps[i...].joined(separator: "/") }
        return comps.suffix(2).joined(separator: "/")
    }
}
