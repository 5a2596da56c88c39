import DoctorModel

/// Caps on every expansion, so a gzip bomb or a zip of a million entries cannot take the
/// machine down. Going over a cap gives a problem that names the cap and the flag that raises it.
public struct IngestLimits: Sendable, Hashable {
    /// Total decompressed bytes over the whole bundle (`--max-bytes`).
    public var maxTotalBytes: Int = 16 << 30
    /// Largest decompressed/compressed ratio for one compressed stream once past 1 MiB (`--max-ratio`).
    public var maxCompressionRatio: Int = 1000
    /// Entries read from one archive (`--max-entries`).
    public var maxArchiveEntries: Int = 10_000
    /// Containers inside containers, e.g. `.log.gz` in `.zip` in a folder is depth 2 (`--max-depth`).
    public var maxDepth: Int = 4
    /// Longest line handed to a parser; longer lines are cut and counted (`--max-line`).
    public var maxLineBytes: Int = 1 << 20
    /// Largest document read whole (HAR, JSON) (`--max-document`).
    public var maxDocumentBytes: Int = 2 << 30

    public init() {}
}
