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

    public init(path: String, compression: [String], stream: any ByteStream) {
        self.path = path; self.compression = compression; self.stream = stream
    }
}
