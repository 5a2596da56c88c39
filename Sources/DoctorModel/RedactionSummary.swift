/// What the redactor replaced, by kind and by file.
public struct RedactionSummary: Sendable, Hashable, Codable {
    public var byKind: [String: Int] = [:]
    public var byFile: [String: Int] = [:]
    /// Per file, by kind.
    public var byFileAndKind: [String: [String: Int]] = [:]
    public var total: Int { byKind.values.reduce(0, +) }
    public init() {}

    package mutating func add(kind: String, file: String?) {
        byKind[kind, default: 0] += 1
        if let file {
            byFile[file, default: 0] += 1
            byFileAndKind[file, default: [:]][kind, default: 0] += 1
        }
    }
}
