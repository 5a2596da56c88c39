import DoctorIngest
import DoctorModel

/// Reads a bundle: ingest → sniff → parse → pair/merge.
public struct BundleReader {
    public var limits: IngestLimits
    /// Once-only inputs (stdin, pipes) already read, shared with other readers of the same inputs.
    public var buffers: InputBuffers
    /// Told of the bytes read from input files (a progress display); nil for none.
    public var progress: ReadProgress?
    /// Told the time of each stage and what was read (`--stats`); nil for none.
    public var stats: RunStats?

    public init(limits: IngestLimits = IngestLimits(), buffers: InputBuffers = InputBuffers(), progress: ReadProgress? = nil,
                stats: RunStats? = nil) {
        self.limits = limits; self.buffers = buffers; self.progress = progress; self.stats = stats
    }

    /// Reads every input. Never throws for bad input: each problem lands in the inventory.
    public func read(_ inputs: [String]) -> TicketBundle {
        var bundle = TicketBundle()
        var perFile: [[Exchange]] = []
        let reader = FileReader(limits: limits, stats: stats)
        let w0 = stats == nil ? 0 : RunStats.now()
        var inFiles: UInt64 = 0
        let walk = Ingestor(limits: limits, buffers: buffers, progress: progress).walkInputs(inputs) { file in
            let f0 = stats == nil ? 0 : RunStats.now()
            defer { if stats != nil { inFiles &+= RunStats.now() &- f0 } }
            let result = reader.read(&file)
            bundle.inventory.append(result.entry)
            perFile.append(result.output.exchanges)
            bundle.signals += result.output.signals
            bundle.pastedLines += result.pastedLines
        }
        if let stats {
            // Walking folders and archives outside the files themselves is reading too.
            let walked = RunStats.now() &- w0
            stats.add(stage: RunStats.StageName.read, nanoseconds: walked &- min(inFiles, walked), calls: 0)
        }
        bundle.inventory += walk.entries
        bundle.unreadableInputs = walk.unreadableInputs
        let files = perFile
        perFile = []
        merge(files, into: &bundle)
        return bundle
    }

    /// Pairs and merges the calls of every file, then enriches them; counts what was read.
    private func merge(_ files: consuming [[Exchange]], into bundle: inout TicketBundle) {
        let m0 = stats == nil ? 0 : RunStats.now()
        bundle.exchanges = BundleEnricher.enrich(ExchangeMerger.merge(taking: files), signals: bundle.signals)
        for (file, n) in BundleEnricher.setAsideProse(&bundle.exchanges) {
            if let k = bundle.inventory.firstIndex(where: { $0.path == file }) {
                bundle.inventory[k].notes.append("\(n) failure(s) stated in the customer's words set aside: a log or capture in the bundle holds the failing call itself")
            }
        }
        for (file, n, paths) in BundleEnricher.setAsideNonAPICalls(&bundle.exchanges) {
            if let k = bundle.inventory.firstIndex(where: { $0.path == file }) {
                bundle.inventory[k].notes.append("\(n) call(s) set aside as no API call (a path without any API part and no model: \(paths.joined(separator: ", "))): telemetry, page assets or probes of the app")
            }
        }
        guard let stats else { return }
        stats.add(stage: RunStats.StageName.merge, nanoseconds: RunStats.now() &- m0)
        stats.count("files", bundle.inventory.count)
        stats.count("lines", bundle.inventory.reduce(0) { $0 + $1.lines })
        stats.count("bytes", bundle.inventory.reduce(0) { $0 + $1.bytes })
        stats.count("exchanges", bundle.exchanges.count)
    }

    /// Reads in-memory files (rule examples, tests) through the same sniff → parse → merge.
    public func read(memory files: [(name: String, bytes: [UInt8])]) -> TicketBundle {
        var bundle = TicketBundle()
        var perFile: [[Exchange]] = []
        let reader = FileReader(limits: limits, stats: stats)
        for (name, bytes) in files {
            var file = IngestedFile(path: name, compression: [], stream: MemoryStream(bytes), reopen: { MemoryStream(bytes) })
            let result = reader.read(&file)
            bundle.inventory.append(result.entry)
            perFile.append(result.output.exchanges)
            bundle.signals += result.output.signals
            bundle.pastedLines += result.pastedLines
        }
        let files = perFile
        perFile = []
        merge(files, into: &bundle)
        return bundle
    }
}
