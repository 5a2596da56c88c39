import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Dispatch
import Foundation

/// Diagnoses a backlog of tickets: rule packs are loaded and compiled once, tickets run
/// concurrently, one row per ticket comes back sorted by label, and the roll-up is computed
/// from the rows.
///
/// A ticket that cannot be read (missing, corrupt archive, over a limit, empty) gives a row
/// carrying its problem; the others go on. The output does not depend on `jobs`: every ticket
/// has its own redactor (what one ticket teaches the redactor never changes another's
/// redaction), and rows are sorted before anything is computed from them. The runner writes
/// nothing: progress goes to the callback the caller passes.
public struct TriageRunner: Sendable {
    /// Rule folders, catalog, limits, redaction and language; `inputs` is ignored.
    public var options: AnalysisOptions
    /// How many tickets run at once (at least 1).
    public var jobs: Int

    public init(options: AnalysisOptions, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.options = options; self.jobs = max(1, jobs)
    }

    public struct Result: Sendable {
        public var report: TriageReport
        public var ruleErrors: [RuleError]
        /// Has learnt every credential met in any ticket: pass the rendered output through
        /// its `gate(_:)` before writing it.
        public var gate: Redactor
    }

    /// Runs every ticket and returns the sorted rows with their roll-up.
    /// - Parameter progress: called after each ticket, one call at a time, from a worker thread.
    public func run(_ tickets: [TriageTicket], progress: (@Sendable (TriageProgress) -> Void)? = nil) -> Result {
        let (loaded, engine) = AnalysisPipeline.timed(options.stats, RunStats.StageName.loadRules) {
            let loaded = RuleLoader().load(folders: self.options.ruleFolders)
            return (loaded, RuleEngine(loaded: loaded))
        }
        let gate = Redactor(options: options.redaction)
        let board = WorkBoard(count: tickets.count, progress: progress)
        let options = self.options
        // concurrentPerform gives at most `jobs` workers (and never more than the cores);
        // each takes the next ticket until none is left, so a slow ticket holds one worker only.
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, tickets.count))) { _ in
            while let i = board.claim() {
                let row = Self.triage(tickets[i], loaded: loaded, engine: engine, options: options, gate: gate)
                board.finish(i, row)
            }
        }
        let rows = TriageRow.sorted(board.rows)
        let report = TriageReport(rows: rows, rollup: TriageRollup(rows: rows), unredacted: options.redaction.disabled)
        return Result(report: report, ruleErrors: loaded.errors, gate: gate)
    }

    /// One ticket: read, diagnose with the shared compiled rules, reduce to a row.
    static func triage(_ ticket: TriageTicket, loaded: RuleLoader.Result, engine: RuleEngine,
                       options: AnalysisOptions, gate: Redactor) -> TriageRow {
        var opts = options
        opts.inputs = [ticket.path]
        let bundle = BundleReader(limits: opts.limits, stats: opts.stats).read(opts.inputs)
        for e in bundle.exchanges { if let c = e.credential { gate.learn(secret: c) } }
        let result = AnalysisPipeline.run(bundle: bundle, loaded: loaded, engine: engine, options: opts)
        return TriageRow.build(ticket: ticket, result: result)
    }
}

/// Where a triage run is: tickets done out of the total, and the time it has taken.
public struct TriageProgress: Sendable, Hashable {
    public var done: Int
    public var total: Int
    /// Seconds since the run started.
    public var elapsed: Double

    public init(done: Int, total: Int, elapsed: Double) { self.done = done; self.total = total; self.elapsed = elapsed }

    /// Tickets per second so far.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Seconds left at the rate so far, nil before the first ticket is done.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }

    /// `triage: 37/120 tickets, 12.3/s, ETA 7s`.
    public var line: String {
        let r = (rate * 10).rounded() / 10
        let eta = self.eta.map { Self.duration($0) } ?? "?"
        return "triage: \(done)/\(total) tickets, \(r)/s, ETA \(eta)"
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
    }
}

/// The shared state of the workers: the next ticket to take and the rows done. A lock guards
/// it; `finish` reports progress under the lock so callbacks come one at a time, in order.
private final class WorkBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [TriageRow?]
    private let progress: (@Sendable (TriageProgress) -> Void)?
    private let start = DispatchTime.now()

    init(count: Int, progress: (@Sendable (TriageProgress) -> Void)?) {
        slots = Array(repeating: nil, count: count); self.progress = progress
    }

    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func finish(_ i: Int, _ row: TriageRow) {
        lock.withLock {
            slots[i] = row
            done += 1
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            progress?(TriageProgress(done: done, total: slots.count, elapsed: elapsed))
        }
    }

    var rows: [TriageRow] { lock.withLock { slots.compactMap { $0 } } }
}
