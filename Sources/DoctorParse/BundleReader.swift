import DoctorIngest
import DoctorModel

/// Reads a bundle: ingest → sniff → parse → pair/merge.
public struct BundleReader {
    public var limits: IngestLimits

    public init(limits: IngestLimits = IngestLimits()) { self.limits = limits }

    /// Reads every input. Never throws for bad input: each problem lands in the inventory.
    public func read(_ inputs: [String]) -> TicketBundle {
        var bundle = TicketBundle()
        var perFile: [[Exchange]] = []
        let reader = FileReader(limits: limits)
        let failed = Ingestor(limits: limits).walk(inputs) { file in
            let result = reader.read(&file)
            bundle.inventory.append(result.entry)
            perFile.append(result.output.exchanges)
            bundle.signals += result.output.signals
            bundle.pastedLines += result.pastedLines
        }
        bundle.inventory += failed
        bundle.exchanges = BundleEnricher.enrich(ExchangeMerger.merge(perFile), signals: bundle.signals)
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
        bundle.exchanges = BundleEnricher.enrich(ExchangeMerger.merge(perFile), signals: bundle.signals)
        return bundle
    }
}
