/// What was redacted, by kind and by file (never the values). Every redaction is counted
/// once in `byKind` and once in `byFile`, so both add up to `total`: text not quoted from one
/// input file (a title filled with a captured value, a fact) is counted under `reportText`.
public struct RedactionSummary: Sendable, Hashable, Codable {
    /// The `byFile` key for redactions in text that is not a quote of one input file.
    public static let reportText = "(report text)"
    public var byKind: [String: Int] = [:]
    public var byFile: [String: Int] = [:]
    /// Per file, by kind.
    public var byFileAndKind: [String: [String: Int]] = [:]
    public var total: Int { byKind.values.reduce(0, +) }
    public init() {}

    package mutating func add(kind: String, file: String?) {
        let file = file ?? Self.reportText
        byKind[kind, default: 0] += 1
        byFile[file, default: 0] += 1
        byFileAndKind[file, default: [:]][kind, default: 0] += 1
    }
}
