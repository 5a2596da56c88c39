import DoctorModel

/// A forward-only source of bytes: a file, standard input, an inflating gzip stream, a tar
/// member. Streams are read in large chunks so a multi-GB log never sits in memory whole.
public protocol ByteStream {
    /// The next chunk, or nil at the end. Throws `IngestError` (with the byte offset) when the
    /// data is corrupt or truncated; everything returned before stays valid.
    mutating func read() throws -> ArraySlice<UInt8>?
}

/// A stream over bytes already in memory (tests, zip members, the peeked prefix).
public struct MemoryStream: ByteStream {
    private var data: [UInt8]
    private var position = 0
    private let chunk: Int

    public init(_ data: [UInt8], chunkSize: Int = 1 << 20) {
        self.data = data
        self.chunk = max(1, chunkSize)
    }

    public mutating func read() throws -> ArraySlice<UInt8>? {
        guard position < data.count else { return nil }
        let end = min(data.count, position + chunk)
        defer { position = end }
        return data[position..<end]
    }
}

/// Lets the sniffers look at the first bytes of a stream and then replays them, so a stream
/// that cannot be reopened (stdin, a tar member inside a gzip) is still read once.
public struct PeekedStream: ByteStream {
    public private(set) var prefix: [UInt8]
    private var replayed = false
    private var base: any ByteStream
    /// An error met while peeking, re-thrown after the prefix has been replayed.
    private var pendingError: (any Error)?
    private var ended = false

    /// Reads up to `limit` bytes ahead.
    public init(_ base: any ByteStream, limit: Int = 64 * 1024) {
        self.base = base
        var buf: [UInt8] = []
        do {
            while buf.count < limit, let chunk = try self.base.read() {
                buf.append(contentsOf: chunk)
            }
            if buf.count < limit { ended = true }
        } catch {
            pendingError = error
        }
        self.prefix = buf
    }

    public mutating func read() throws -> ArraySlice<UInt8>? {
        if !replayed {
            replayed = true
            if !prefix.isEmpty { return prefix[...] }
        }
        if let e = pendingError { pendingError = nil; ended = true; throw e }
        if ended { return nil }
        return try base.read()
    }
}
