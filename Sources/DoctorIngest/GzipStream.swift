import CZlibShim
import DoctorModel

/// Inflates a gzip stream on the fly with the system zlib: 256 KiB in, 1 MiB out per step.
///
/// Handles multi-member files (`cat a.gz b.gz`, pigz, log rotation appends) by resetting the
/// inflater at each member end, and ignores the zero padding some tools leave at the end.
/// Everything inflated before an error is returned first; the error follows on the next
/// read, naming the byte offset in the *compressed* input where reading stopped:
/// `truncated` when the input ends inside a member, `corrupt` for bad data or a CRC mismatch.
///
/// The ratio cap (`maxCompressionRatio`) is checked once past 1 MiB of output, so a small
/// but legitimately very compressible file is never refused, while a gzip bomb is stopped
/// after a bounded amount of work.
///
/// With `raw: true` it inflates one raw deflate stream (a zip member's data): no header, one
/// member, input after the final block ignored, errors named with the `format` given.
public final class GzipStream: ByteStream {
    /// Display path of the compressed file, for errors.
    public let path: String
    private var base: any ByteStream
    private let z: UnsafeMutablePointer<z_stream>
    private let maxRatio: Int
    private let outSize: Int
    /// The size of the next chunk read: `firstOutputChunk` for the first, then `outputChunk`.
    private var nextSize: Int
    private let inStep = 256 << 10
    private var input: ArraySlice<UInt8> = []
    private var baseEnded = false
    /// Compressed bytes consumed by zlib so far (across members).
    private var consumed = 0
    /// Bytes produced so far (across members).
    private var produced = 0
    private var state: State = .inMember
    private var pendingError: IngestError?
    private var finished = false
    private let raw: Bool
    private let format: String

    private enum State { case inMember, betweenMembers, ended }

    /// - Parameters:
    ///   - base: the compressed bytes (starting with the gzip magic).
    ///   - path: display path for errors.
    ///   - maxRatio: largest output/input ratio once past 1 MiB of output (`--max-ratio`).
    ///   - raw: one raw deflate stream (zip member data) instead of gzip members.
    ///   - format: the format named in errors.
    public init(_ base: any ByteStream, path: String, maxRatio: Int = IngestLimits().maxCompressionRatio,
                outputChunk: Int = 1 << 20, firstOutputChunk: Int? = nil, raw: Bool = false, format: String = "gzip") {
        self.base = base
        self.path = path
        self.maxRatio = max(1, maxRatio)
        self.outSize = max(64, outputChunk)
        self.nextSize = max(64, firstOutputChunk ?? outputChunk)
        self.raw = raw
        self.format = format
        z = .allocate(capacity: 1)
        z.initialize(to: z_stream())
        if (raw ? md_inflate_init_raw(z) : md_inflate_init_auto(z)) != Z_OK {
            pendingError = .corrupt(path: path, format: format, offset: 0, reason: "zlib could not start")
        }
    }

    deinit {
        inflateEnd(z)
        z.deinitialize(count: 1)
        z.deallocate()
    }

    /// Compressed bytes read so far.
    public var compressedOffset: Int { consumed }

    public func read() throws -> ArraySlice<UInt8>? {
        if let e = pendingError, !finished {
            finished = true
            throw e
        }
        if finished { return nil }
        var count = 0
        let size = nextSize
        nextSize = outSize
        let out = [UInt8](unsafeUninitializedCapacity: size) { buf, n in
            count = fill(buf)
            n = count
        }
        if count > 0 { return out[...] }
        if let e = pendingError {
            finished = true
            throw e
        }
        finished = true
        return nil
    }

    /// Inflates into `buf` until it is full, the input ends, or an error is met (kept in
    /// `pendingError`). Returns the bytes written.
    private func fill(_ buf: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var written = 0
        while written < buf.count && pendingError == nil && state != .ended {
            if input.isEmpty {
                if baseEnded || !refill() {
                    // End of input: clean between members, truncated inside one.
                    if state == .inMember && pendingError == nil {
                        pendingError = .truncated(path: path, format: format, offset: consumed)
                    }
                    break
                }
                continue
            }
            if state == .betweenMembers {
                // Skip zero padding; anything else must be the next member's magic.
                let zeros = input.prefix(while: { $0 == 0 }).count
                input = input.dropFirst(zeros)
                consumed += zeros
                guard let first = input.first else { continue }
                guard first == 0x1F else {
                    pendingError = .corrupt(path: path, format: "gzip", offset: consumed,
                                            reason: "data after the end of the last gzip member is not gzip")
                    break
                }
                inflateReset(z)
                state = .inMember
            }
            let step = min(input.count, inStep)
            let (ret, used, made) = input.withUnsafeBufferPointer { inp -> (Int32, Int, Int) in
                z.pointee.next_in = UnsafeMutablePointer(mutating: inp.baseAddress!)
                z.pointee.avail_in = UInt32(step)
                z.pointee.next_out = buf.baseAddress! + written
                z.pointee.avail_out = UInt32(buf.count - written)
                let r = inflate(z, Z_NO_FLUSH)
                return (r, step - Int(z.pointee.avail_in), buf.count - written - Int(z.pointee.avail_out))
            }
            input = input.dropFirst(used)
            consumed += used
            written += made
            produced += made
            switch ret {
            case Z_OK, Z_BUF_ERROR:
                if used == 0 && made == 0 && ret == Z_BUF_ERROR {
                    pendingError = .corrupt(path: path, format: format, offset: consumed, reason: "inflate made no progress")
                }
            case Z_STREAM_END:
                state = raw ? .ended : .betweenMembers
            default:
                let msg = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(ret)"
                pendingError = .corrupt(path: path, format: format, offset: consumed, reason: msg)
            }
            if produced > (1 << 20) && produced / max(consumed, 1) > maxRatio {
                pendingError = .limitExceeded(path: path, limit: "compression ratio", value: maxRatio, flag: "--max-ratio")
            }
        }
        return written
    }

    /// Reads the next compressed chunk; false at the end of the input or on a read error
    /// (kept as the pending error).
    private func refill() -> Bool {
        do {
            if let chunk = try base.read() {
                input = chunk
                return true
            }
            baseEnded = true
        } catch let e as IngestError {
            baseEnded = true
            if pendingError == nil { pendingError = e }
        } catch {
            baseEnded = true
            if pendingError == nil { pendingError = .unreadable(path: path, reason: "\(error)") }
        }
        return false
    }
}
