import DoctorIngest
import DoctorModel

/// Reads a bundle: ingest → sniff → parse → pair/merge.
public struct BundleReader {
    public var limits: IngestLimits
    /// Once-only inputs (stdin, pipes) already read, shared with other readers of the same inputs.
    public var buffers: InputBuffers
    /// Told of the bytes read from input files (a progress display); nil for none.
    public var progress: ReadProgress?

    public init(limits: IngestLimits = IngestLimits(), buffers: InputBuffers = InputBuffers(), progress: ReadProgress? = nil) {
        self.limits = limits; self.buffers = buffers; self.progress = progress
    }

    /// Reads every input. Never throws for bad input: each problem lands in the inventory.
    public func read(_ inputs: [String]) -> TicketBundle {
        var bundle = TicketBundle()
        var perFile: [[Exchange]] = []
        let reader = FileReader(limits: limits)
        let walk = Ingestor(limits: limits, buffers: buffers, progress: progress).walkInputs(inputs) { file in
            let result = reader.read(&file)
            bundle.inventory.append(result.entry)
            perFile.append(result.output.exchanges)
            bundle.signals += result.output.signals
            bundle.pastedLines += result.pastedLines
        }
        bundle.inventory += walk.entries
        bundle.unreadableInputs = walk.unreadableInputs
        let files = perFile
        perFile = []
        bundle.exchanges = BundleEnricher.enrich(ExchangeMerger.merge(taking: files), signals: bundle.signals)
        return bundle
    }

    /// Reads in-memory files (rule examples, tests) through the same sniff → parse → merge.
    public func read(memory files: [(name: String, bytes: [UInt8])]) -> TicketBundle {
        var bundle = TicketBundle()
        var perFile: [[Exchange]] = []
        let reader = FileReader(limits: limits)
        for (name, bytes) in files {
            var file = IngestedFile(path: name, compression: [], stream: MemoryStream(bytes))
            let result = reader.read(&file)
            bundle.inventory.append(result.entry)
            perFile.append(result.output.exchanges)
            bundle.signals += result.output.signals
            bundle.pastedLines += result.pastedLines
        }
        let files = perFile
        perFile = []
        bundle.exchanges = BundleEnricher.enrich(ExchangeMerger.merge(taking: files), signals: bundle.signals)
        return bundle
    }
}
