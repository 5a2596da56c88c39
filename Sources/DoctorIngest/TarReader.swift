import DoctorModel

/// Reads a tar archive front to back over any `ByteStream`, so a `.tar.gz` is never inflated
/// whole: each member's content is a sub-stream of the archive stream (`TarMemberStream`).
///
/// Handles ustar/POSIX, GNU long names (`L`) and pax extended headers (`x`, `path=`/`size=`),
/// 512-byte padding, and the end-of-archive blocks. Members must be read in order; whatever
/// a reader leaves unread is skipped by the next `next()`. Errors name the byte offset in the
/// (decompressed) tar stream.
final class TarReader {
    /// A member as its headers describe it.
    struct Member {
        var name: String
        var size: Int
        var kind: TarHeader.Kind
        /// Offset of its header block in the tar stream.
        var offset: Int
    }

    /// Display path of the archive, for errors.
    let path: String
    private var base: any ByteStream
    private var buffer: ArraySlice<UInt8> = []
    /// Bytes of the tar stream consumed so far.
    private(set) var offset = 0
    private var remaining = 0
    private var padding = 0
    private var ended = false
    /// An error from the stream below, and whether a member reader has already seen it.
    private var failure: (any Error)?
    private var failureDelivered = false
    /// Meta entries (long names, pax) are never longer than this.
    private let maxMetaBytes = 1 << 20
    /// Larger member sizes are corrupt headers (no real archive comes near 2^56 bytes).
    static let maxMemberSize = 1 << 56

    init(_ base: any ByteStream, path: String) {
        self.base = base
        self.path = path
    }

    /// The next member (files, directories, links), after skipping what is left of the
    /// current one. Nil at the end of the archive, or after an error a member reader has
    /// already reported.
    /// - Throws: `IngestError.truncated`/`.corrupt` (tar), or the error of the stream below.
    func next() throws -> Member? {
        if ended { return nil }
        do {
            try skip(remaining + padding)
            remaining = 0; padding = 0
            var longName: String?
            var paxPath: String?
            var paxSize: Int?
            while true {
                let at = offset
                guard let block = try readBlock() else { ended = true; return nil }
                if TarHeader.isZero(block) { ended = true; return nil }
                guard let header = TarHeader(block) else {
                    ended = true
                    throw IngestError.corrupt(path: path, format: "tar", offset: at, reason: "header checksum does not match")
                }
                switch header.kind {
                case .gnuLongName, .gnuLongLink, .paxLocal, .paxGlobal:
                    let size = header.size
                    guard size <= maxMetaBytes else {
                        ended = true
                        throw IngestError.corrupt(path: path, format: "tar", offset: at, reason: "extended header of \(size) bytes")
                    }
                    let data = try readExact(size)
                    try skip(TarReader.padding(size))
                    if header.kind == .gnuLongName { longName = TarHeader.string(data[...]) }
                    if header.kind == .paxLocal {
                        let pax = TarHeader.pax(data)
                        if let p = pax.path { paxPath = p }
                        if let s = pax.size { paxSize = s }
                    }
                    continue
                default:
                    let size = paxSize ?? header.size
                    // A base-256 or pax size near Int.max would overflow the skip arithmetic.
                    guard size >= 0, size <= TarReader.maxMemberSize else {
                        ended = true
                        throw IngestError.corrupt(path: path, format: "tar", offset: at, reason: "member size \(size) out of range")
                    }
                    remaining = size
                    padding = TarReader.padding(size)
                    let name = TarReader.displayName(paxPath ?? longName ?? header.name)
                    return Member(name: name, size: size, kind: header.kind, offset: at)
                }
            }
        } catch {
            ended = true
            if failure != nil && failureDelivered { return nil }
            throw error
        }
    }

    /// The next piece of the current member's content; nil at its end.
    func readMember() throws -> ArraySlice<UInt8>? {
        guard remaining > 0 else { return nil }
        if buffer.isEmpty {
            do {
                guard try refill() else {
                    throw IngestError.truncated(path: path, format: "tar", offset: offset)
                }
            } catch {
                failureDelivered = true
                if failure == nil { failure = error }
                ended = true
                throw error
            }
        }
        let n = min(remaining, buffer.count)
        let piece = buffer.prefix(n)
        buffer = buffer.dropFirst(n)
        remaining -= n
        offset += n
        return piece
    }

    /// Padding after `size` bytes of content, up to the next 512-byte boundary.
    static func padding(_ size: Int) -> Int {
        (TarHeader.blockSize - size % TarHeader.blockSize) % TarHeader.blockSize
    }

    /// A member name as a display label: no leading `./` or `/`.
    static func displayName(_ raw: String) -> String {
        var s = Substring(raw)
        while true {
            if s.hasPrefix("./") { s = s.dropFirst(2) } else if s.hasPrefix("/") { s = s.dropFirst() } else { break }
        }
        return String(s)
    }

    // MARK: Buffered reading

    /// Loads the next chunk; false at the end of the stream.
    private func refill() throws -> Bool {
        if let e = failure { throw e }
        do {
            guard let chunk = try base.read() else { return false }
            buffer = chunk
            return true
        } catch {
            failure = error
            throw error
        }
    }

    /// One header block; nil at a clean end of the stream (no data at all).
    private func readBlock() throws -> [UInt8]? {
        if buffer.isEmpty, try !refill() { return nil }
        return try readExact(TarHeader.blockSize)
    }

    private func readExact(_ n: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(n)
        while out.count < n {
            if buffer.isEmpty, try !refill() {
                throw IngestError.truncated(path: path, format: "tar", offset: offset)
            }
            let take = min(n - out.count, buffer.count)
            out.append(contentsOf: buffer.prefix(take))
            buffer = buffer.dropFirst(take)
            offset += take
        }
        return out
    }

    private func skip(_ n: Int) throws {
        var left = n
        while left > 0 {
            if buffer.isEmpty, try !refill() {
                throw IngestError.truncated(path: path, format: "tar", offset: offset)
            }
            let take = min(left, buffer.count)
            buffer = buffer.dropFirst(take)
            offset += take
            left -= take
        }
    }
}

/// The content of the current tar member, as a stream.
struct TarMemberStream: ByteStream {
    let reader: TarReader
    mutating func read() throws -> ArraySlice<UInt8>? { try reader.readMember() }
}
