import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules

/// Everything one analysis needs, built by the CLI from its flags.
public struct AnalysisOptions: Sendable {
    public var inputs: [String]
    /// Rule folders/files, in load order (see `RuleLocator.folders`).
    public var ruleFolders: [String]
    /// The shipped `rules/` folder (from `RuleLocator`), nil when not loaded. Its packs' examples
    /// are run by `rules test` before a release; every other pack's examples are run at load,
    /// by the same acceptance rule as `rules lint` and `rules test`.
    public var shippedRulesFolder: String?
    public var catalogFiles: [String] = []
    public var limits = IngestLimits()
    public var redaction = Redactor.Options()
    public var lang: Lang = .en
    /// Told of the bytes read from input files, for a progress display; nil for none.
    public var progress: ReadProgress?
    /// Told the time of every stage, what was read and each rule's evaluation time
    /// (`--stats`); nil (the default) for none.
    public var stats: RunStats?

    public init(inputs: [String], ruleFolders: [String]) {
        self.inputs = inputs; self.ruleFolders = ruleFolders
    }
}
