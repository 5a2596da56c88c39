import DoctorModel

/// One leaf file reached by the ingest walk: a plain file, stdin, or an archive member, with
/// every container peeled off. Its stream is read once, by the pipeline, during the visit.
public struct IngestedFile {
    /// Display path inside the bundle: relative to the input root; members of an archive are
    /// `archive.zip!member/path` (nested: `a.zip!b.tar.gz!c.log`). Never used as a file path.
    public var path: String
    /// Containers peeled off, outermost first: `zip`, `tar`, `gzip`.
    public var compression: [String]
    /// The decompressed bytes.
    public var stream: any ByteStream
    /// The same bytes again from the start, for a file that can be read twice (a file on disk,
    /// plain or gzip; a buffered stdin); nil for an archive member. A parser that reads its
    /// document as it arrives lets go of what it has read, and needs this for the rare file it
    /// must read whole after all.
    public var reopen: (() throws -> any ByteStream)?

    public init(path: String, compression: [String], stream: any ByteStream, reopen: (() throws -> any ByteStream)? = nil) {
        self.path = path; self.compression = compression; self.stream = stream; self.reopen = reopen
    }
}
