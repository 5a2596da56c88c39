import DoctorModel
import Foundation

/// Inputs that can be read only once — standard input, pipes, FIFOs, sockets, devices — are
/// read whole the first time a walk meets them, within the byte limits, and replayed from
/// memory by every later walk. One instance is shared by all the walks of one command
/// (`redact` walks the bundle twice: learn secrets, then copy), so stdin is never consumed
/// twice and the second walk never sees an empty input.
///
/// Regular files and folders are not buffered: they are opened again by each walk.
public final class InputBuffers: @unchecked Sendable {
    /// What one once-only input gave: the bytes read, and the error that stopped the read
    /// (a read error, or the byte limit), replayed after the bytes.
    struct Buffered {
        var bytes: [UInt8]
        var error: IngestError?
        /// True when nothing could be read at all (open failed, or the first read failed).
        var unreadable: Bool
    }

    private var store: [String: Buffered] = [:]
    private let lock = NSLock()
    /// The descriptor read for `-` (0; tests pass a pipe).
    let standardInput: Int32

    public init(standardInput: Int32 = 0) { self.standardInput = standardInput }

    /// The buffered content of the input `key`, reading it with `open` the first time.
    func buffered(_ key: String, path: String, limits: IngestLimits, open: () throws -> any ByteStream) -> Buffered {
        lock.lock(); defer { lock.unlock() }
        if let b = store[key] { return b }
        let b = Self.readWhole(path: path, limits: limits, open: open)
        store[key] = b
        return b
    }

    /// Reads a stream to its end, up to the smaller of `--max-document` and `--max-bytes`.
    static func readWhole(path: String, limits: IngestLimits, open: () throws -> any ByteStream) -> Buffered {
        let (limit, flag) = limits.maxDocumentBytes <= limits.maxTotalBytes
            ? (limits.maxDocumentBytes, "--max-document") : (limits.maxTotalBytes, "--max-bytes")
        var stream: any ByteStream
        do { stream = try open() } catch {
            return Buffered(bytes: [], error: IngestWalk.ingestError(error, path: path), unreadable: true)
        }
        var bytes: [UInt8] = []
        do {
            while let chunk = try stream.read() {
                if bytes.count + chunk.count > limit {
                    bytes.append(contentsOf: chunk.prefix(limit - bytes.count))
                    let e = IngestError.limitExceeded(path: path, limit: "input read once (stdin or pipe)", value: limit, flag: flag)
                    return Buffered(bytes: bytes, error: e, unreadable: false)
                }
                bytes.append(contentsOf: chunk)
            }
        } catch {
            return Buffered(bytes: bytes, error: IngestWalk.ingestError(error, path: path), unreadable: bytes.isEmpty)
        }
        return Buffered(bytes: bytes, error: nil, unreadable: false)
    }
}

/// Replays buffered bytes, then throws the error that ended the original read (if any), so
/// the reader records it as a problem and keeps what came before.
struct ReplayStream: ByteStream {
    private var bytes: MemoryStream
    private var error: IngestError?

    init(_ b: InputBuffers.Buffered) {
        bytes = MemoryStream(b.bytes)
        error = b.error
    }

    mutating func read() throws -> ArraySlice<UInt8>? {
        if let chunk = try bytes.read() { return chunk }
        if let e = error { error = nil; throw e }
        return nil
    }
}
